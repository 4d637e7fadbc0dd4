# What could not be read: a shot of a hive with two broken lists succeeds,
# warns once on stderr (unless -q) and info lists the two problems.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/base.hiv" bad.hiv

break_lists bad.hiv

run shot -o bad.rds bad.hiv
expect_rc 0
expect_empty out
[ "$(cat err)" = "regdiff: warning: bad.rds: 2 keys or values could not be read (see 'regdiff info')" ] ||
	fail "shot: warning: $(cat err)"
run -q shot -o bad.rds bad.hiv
expect_ok 0
run shot -q -o bad.rds bad.hiv
expect_ok 0

run info bad.rds
expect_ok 0
grep -qx 'Unreadable: 2' out || fail "$(cat out)"
sed -n '/^Problems:$/,$p' out >problems
[ "$(lines problems)" -eq 3 ] || fail "problems: $(cat problems)"
grep -q '^  bad.hiv\\Software\\Obsolete: subkeys not read' problems || fail "$(cat problems)"
grep -q '^  bad.hiv\\Software\\Types: values not read' problems || fail "$(cat problems)"

# An intact snapshot has no Problems list.
run -q shot -o good.rds "$FIXTURES/base.hiv"
run info good.rds
expect_ok 0
grep -qx 'Unreadable: 0' out || fail "$(cat out)"
grep -q '^Problems:' out && fail "a Problems list without problems"
# Compared with the intact hive, what bad.hiv could not list is reported as
# not compared, never as deleted, and is no change; but "no differences"
# cannot be claimed either: status 3, and the total's line says why.
run compare -q "$FIXTURES/base.hiv" bad.hiv
expect_ok 3
sed -n '/^Not compared: 2$/,/^$/p' out >nc
[ "$(sed -n 3,4p nc)" = "$(printf '%s\n' 'base.hiv\Software\Obsolete: subkeys not read (after)' 'base.hiv\Software\Types: values not read (after)')" ] ||
	fail "not compared: $(cat out)"
grep -q '^Keys deleted' out && fail "unread subkeys reported as deleted: $(cat out)"
grep -q '^Values deleted' out && fail "unread values reported as deleted: $(cat out)"
grep -qx 'Total changes: 0 (incomplete: 2 not compared, 0 unread in both, 0 problems before, 2 after)' out ||
	fail "$(cat out)"
grep -q 'Total changes: 0$' out && fail "an incomplete compare reads as complete: $(cat out)"
run compare -q --format jsonl bad.hiv "$FIXTURES/base.hiv"
expect_ok 3
[ "$(cat out)" = "$(printf '%s\n' '{"op":"not_compared","key":"bad.hiv\\Software\\Obsolete","not_read":["subkeys"],"sides":["before"]}' '{"op":"not_compared","key":"bad.hiv\\Software\\Types","not_read":["values"],"sides":["before"]}' '{"op":"summary","complete":false,"total":0,"not_compared":2,"unread_in_both":0,"problems_before":2,"problems_after":0}')" ] ||
	fail "jsonl: $(cat out)"

# Keys nested deeper than the registry allows (512 levels) are not read,
# and say so.
if [ -n "${REGDIFF_MKHIVE:-}" ]; then
	{
		echo 'root "ROOT"'
		printf 'key "'
		i=0
		while [ $i -lt 520 ]; do
			[ $i -eq 0 ] || printf '\\'
			printf 'k%d' $i
			i=$((i + 1))
		done
		echo '"'
	} >deep.txt
	"$REGDIFF_MKHIVE" deep.txt deep.hiv || fail "mkhive deep.txt"
	run -q shot -o deep.rds deep.hiv
	expect_ok 0
	run info deep.rds
	expect_ok 0
	grep -qx 'Unreadable: 1' out || fail "$(cat out)"
	grep -q '\\k510: 1 subkeys not read: keys nested deeper than 512$' out || fail "$(cat out)"
fi
exit 0
