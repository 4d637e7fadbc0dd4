# The live registry under Wine: a shot of HKCU\Software and HKLM\Software,
# changes made with Wine's reg.exe, a second shot; the comparison reports
# exactly those changes, and the Linux build compares the two Windows-taken
# snapshots to the same bytes, both ways, in both formats.
. "$(dirname "$0")/lib.sh"

T='HKCU\Software\regdiff-test'
M='HKLM\Software\regdiff-test'

# Left over from an earlier run in this prefix, if any.
wine reg delete "$T" /f >/dev/null 2>&1 || true
wine reg delete "$M" /f >/dev/null 2>&1 || true
wine reg delete 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' /v regdiff-test /f >/dev/null 2>&1 || true

# What the changes will act on.
reg add "$T\\Base" /v ToModify /t REG_DWORD /d 1 /f
reg add "$T\\Base" /v ToRetype /t REG_SZ /d 42 /f
reg add "$T\\Base" /v ToDelete /t REG_SZ /d bye /f
reg add "$T\\Base" /v Same /t REG_SZ /d same /f
reg add "$T\\Doomed\\Child" /v X /t REG_SZ /d x /f
reg add "$M\\Machine" /v Keep /t REG_SZ /d keep /f

win shot -q -o before.rds 'HKCU\Software' 'HKLM\Software'
expect_rc 0

# A new key tree with values of several types, the default value among
# them.
reg add "$T\\New\\Sub" /v Str /t REG_SZ /d "hello world" /f
reg add "$T\\New" /v Num /t REG_DWORD /d 0x12345678 /f
reg add "$T\\New" /v Big /t REG_QWORD /d 0x1122334455667788 /f
reg add "$T\\New" /v Bin /t REG_BINARY /d deadbeef /f
reg add "$T\\New" /v Multi /t REG_MULTI_SZ /d 'a\0b\0c' /f
reg add "$T\\New" /v Exp /t REG_EXPAND_SZ /d '%SystemRoot%\x' /f
reg add "$T\\New" /v Empty /t REG_BINARY /f
reg add "$T\\New" /ve /d default /f
# A value modified, a value whose type changed, a value and a key tree
# deleted.
reg add "$T\\Base" /v ToModify /t REG_DWORD /d 2 /f
reg add "$T\\Base" /v ToRetype /t REG_DWORD /d 42 /f
reg delete "$T\\Base" /v ToDelete /f
reg delete "$T\\Doomed" /f
# What a sample does to start again at logon.
reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' /v regdiff-test /t REG_SZ /d 'C:\sample.exe' /f
# The machine side.
reg add "$M\\Machine" /v Added /t REG_DWORD /d 7 /f
reg delete "$M\\Machine" /v Keep /f

win shot -q -o after.rds 'HKCU\Software' 'HKLM\Software'
expect_rc 0

win info before.rds
expect_rc 0
# (Wine's console ends lines with CR LF.)
tr -d '\r' <out >out.lf
grep -q '^Producer: regdiff [0-9.]* (windows)$' out.lf &&
	grep -q '^System: Windows [0-9.]* x64$' out.lf &&
	grep -q '^Elevated: \(yes\|no\)$' out.lf || {
	show
	fail "info: no Windows producer, system and elevation lines"
}
grep -q '^  HKCU\\Software: live HKCU\\Software' out || {
	show
	fail "info: the live source is not listed"
}

win compare --format jsonl before.rds after.rds
expect_rc 1
expect_empty err
cp out windows.jsonl
# Perflib\009 is not compared under Wine: the report says it is incomplete.
tail -n 1 windows.jsonl | grep -q '^{"op":"summary","complete":false,' ||
	fail "no incomplete summary last: $(tail -n 1 windows.jsonl)"
without_wine_noise windows.jsonl >changes.jsonl
normalise_times changes.jsonl >changes.norm.jsonl
# The Run value is reported as added and flagged as persistence.
grep '"op":"value_added","key":"HKCU\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run","value":"regdiff-test"' changes.jsonl >run.jsonl ||
	fail "the Run value is not reported as added"
grep -q '"persistence":{"category":"run"' run.jsonl || fail "the Run value is not flagged: $(cat run.jsonl)"
expect_golden changes.norm.jsonl registry.jsonl

# The same snapshots read by the Linux build: the same bytes, both ways,
# JSON lines and TXT.
lin compare --format jsonl before.rds after.rds
expect_rc 1
expect_same windows.jsonl out
for order in "before.rds after.rds" "after.rds before.rds"; do
	# shellcheck disable=SC2086 # two file names on purpose
	win compare $order
	expect_rc 1
	cp out windows.txt
	# shellcheck disable=SC2086
	lin compare $order
	expect_rc 1
	expect_same windows.txt out
done
win compare --format jsonl after.rds before.rds
cp out windows-reverse.jsonl
lin compare --format jsonl after.rds before.rds
expect_same windows-reverse.jsonl out

# info agrees too, but for the C runtime's CR LF line ends on Windows.
for f in before.rds after.rds; do
	win info "$f"
	expect_rc 0
	tr -d '\r' <out >windows.info
	lin info "$f"
	expect_rc 0
	expect_same windows.info out
done

# A snapshot compared with itself: no differences, on both sides; but
# Wine's Perflib\009 is not read (unread in both), so not "no
# differences" either: status 3.
win compare before.rds before.rds
expect_rc 3
lin compare before.rds before.rds
expect_rc 3

# File names beyond ASCII: the tool hands the library UTF-8, which must
# reach the file system as UTF-16 (Wine maps the names to UTF-8 ones on
# Linux under a UTF-8 locale).
LC_ALL=C.UTF-8 wine "$REGDIFF_EXE" shot -q -o 'snäp€.rds' "$T" >out 2>err || fail "shot -o snäp€.rds"
LC_ALL=C.UTF-8 wine "$REGDIFF_EXE" compare -o 'rëport.txt' 'snäp€.rds' 'snäp€.rds' >out 2>err ||
	fail "compare -o rëport.txt snäp€.rds snäp€.rds"
grep -q '^Total changes: 0$' 'rëport.txt' || fail "rëport.txt: no report"
lin info 'snäp€.rds'
expect_rc 0
