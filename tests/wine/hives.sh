# Every subkey of HKLM and HKU is the root of a hive on Windows. A shot of
# HKLM leaves HKLM\COMPONENTS out unless --components asks for it, and a
# hive root found in one shot only is one entry, "hive loaded", not every
# key of the hive added. (Wine's HKLM\COMPONENTS is a plain key made here:
# Wine loads no hive between shots.)
. "$(dirname "$0")/lib.sh"

reg add 'HKLM\COMPONENTS\regdiff-hives' /v V /t REG_DWORD /d 1 /f
win shot -q -o c0.rds HKLM
expect_rc 0
win shot -q --components -o c1.rds HKLM
expect_rc 0
win compare --format jsonl c0.rds c1.rds
[ "$rc" -eq 1 ] || [ "$rc" -eq 3 ] || fail "$last: status $rc"
grep -qxF '{"op":"not_compared","key":"HKLM\\COMPONENTS","not_read":["hive"],"sides":["before"]}' out ||
	fail "$last: no hive entry: $(grep COMPONENTS out | head -n 5)"
grep -q 'COMPONENTS\\\\regdiff-hives' out && fail "$last: keys of the hive listed"
win compare c1.rds c0.rds
tr -d '\r' <out >out.txt
grep -qxF 'HKLM\COMPONENTS: hive unloaded: not compared' out.txt ||
	fail "$last: $(grep COMPONENTS out.txt)"
reg delete 'HKLM\COMPONENTS' /f
