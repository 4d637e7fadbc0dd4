# Keys the process may not open are kept in the snapshot as not read,
# counted, shown by info and reported as not compared, never dropped; a
# source that cannot be opened at all is refused with the reason.
. "$(dirname "$0")/lib.sh"
need_helper

# Locked keys cannot be deleted for a rerun: each run has its own.
K="Software\\regdiff-denied-$$"
reg add "HKCU\\$K\\Open" /v V /t REG_SZ /d v /f
helper lock "$K\\Locked"

win shot -o d1.rds "HKCU\\$K"
expect_rc 0
echo "regdiff: warning: d1.rds: 1 keys or values could not be read (see 'regdiff info')" >want
expect_same want err

win info d1.rds
expect_rc 0
tr -d '\r' <out | sed "s/regdiff-denied-$$/regdiff-denied-N/g" |
	grep -e '^Keys:' -e '^Values:' -e '^Unreadable:' -e '^  HKCU' >info.txt
expect_golden info.txt denied_info.txt

reg add "HKCU\\$K\\Open" /v W /t REG_DWORD /d 1 /f
win shot -q -o d2.rds "HKCU\\$K"
expect_rc 0
win compare --format jsonl d1.rds d2.rds
expect_rc 1
sed "s/regdiff-denied-$$/regdiff-denied-N/g" out >changes.jsonl
expect_golden changes.jsonl denied.jsonl
# Denied in both shots: counted, not listed, but for the option that
# lists it; a key denied in one shot only is listed.
win compare --all-not-compared --format jsonl d1.rds d2.rds
expect_rc 1
sed "s/regdiff-denied-$$/regdiff-denied-N/g" out | head -n 1 >first.jsonl
printf '%s\n' '{"op":"not_compared","key":"HKCU\\Software\\regdiff-denied-N\\Locked","not_read":["values","subkeys"],"sides":["before","after"]}' >want
expect_same want first.jsonl
helper lock "$K\\Open\\Later"
win shot -q -o d3.rds "HKCU\\$K"
expect_rc 0
win compare --format jsonl d2.rds d3.rds
expect_rc 1
normalise_times out | sed "s/regdiff-denied-$$/regdiff-denied-N/g" >later.jsonl
printf '%s\n' '{"op":"key_added","key":"HKCU\\Software\\regdiff-denied-N\\Open\\Later","time":"T"}' \
	'{"op":"not_compared","key":"HKCU\\Software\\regdiff-denied-N\\Open\\Later","not_read":["values","subkeys"],"sides":["after"]}' \
	'{"meta":"filters","noise":"2026.11","rules":58,"removed":0,"kept":0,"by_rule":[]}' \
	'{"op":"summary","complete":false,"total":1,"not_compared":1,"unread_in_both":1,"problems_before":1,"problems_after":2}' >want
expect_same want later.jsonl

# The source itself locked, or not there.
win shot -o x.rds "HKCU\\$K\\Locked"
expect_rc 2
printf '%s\n' "regdiff: HKCU\\$K\\Locked: access denied" >want
expect_same want err
win shot -o x.rds "HKCU\\$K\\Missing"
expect_rc 2
printf '%s\n' "regdiff: HKCU\\$K\\Missing: no such key" >want
expect_same want err
[ ! -e x.rds ] || fail "a refused shot left x.rds"
