# compare's status is diff's: 0 no differences, 1 differences, 3 none in
# what could be read but parts were not. One ctest test per case.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv" "$FIXTURES/empty.hiv" .

run -q shot -o base.rds base.hiv
expect_ok 0
run_cases

#case equal
for pair in "base.hiv base.hiv" "base.rds base.rds" "base.rds base.hiv" \
	"base.hiv base.rds" "empty.hiv empty.hiv"; do
	# shellcheck disable=SC2086 # two words
	run compare $pair
	expect_ok 0
	grep -q '^Total changes: 0$' out || fail "$last: $(cat out)"
	# shellcheck disable=SC2086
	run compare --format jsonl $pair
	expect_ok 0
	expect_empty out
done

#case different
for pair in "base.hiv changed.hiv" "changed.hiv base.hiv" "base.rds changed.hiv" \
	"empty.hiv base.hiv" "base.hiv empty.hiv"; do
	# shellcheck disable=SC2086
	run compare $pair
	expect_ok 1
	grep -q '^Total changes: [1-9][0-9]*$' out || fail "$last: $(tail -n 3 out)"
	# shellcheck disable=SC2086
	run compare -o report.txt $pair
	expect_ok 1
	expect_empty out
	[ -s report.txt ] || fail "$last: no report.txt"
done

#case key_times
# A key whose only change is its last-write time is a difference only with
# --key-times. touched_before and touched_after (made by mkhive from the
# descriptions beside this script) differ in nothing else.
[ -n "${REGDIFF_MKHIVE:-}" ] || fail "REGDIFF_MKHIVE not set"
here=$(cd "$(dirname "$0")" && pwd)
"$REGDIFF_MKHIVE" "$here/touched_before.txt" touched_before.hiv
"$REGDIFF_MKHIVE" "$here/touched_after.txt" touched_after.hiv
run compare touched_before.hiv touched_after.hiv
expect_ok 0
grep -q '^Total changes: 0$' out || fail "$last: $(cat out)"
run compare --key-times --format jsonl touched_before.hiv touched_after.hiv
expect_ok 1
[ "$(cat out)" = '{"op":"key_modified","key":"touched_before.hiv\\Software\\Touched","old_time":"2020-01-01T00:00:00.0000000Z","new_time":"2023-06-15T12:34:56.0000000Z"}' ] ||
	fail "$last: $(cat out)"

#case incomplete
# Parts that could not be read are not "no differences": status 3 when
# nothing differs in what could be read (here both sides lack the same
# parts), and every format's summary says so; with differences the status stays 1 and the summary
# still says it.
cp base.hiv bad.hiv
break_lists bad.hiv
run compare bad.hiv bad.hiv
expect_ok 3
grep -qx 'Total changes: 0 (incomplete: 0 not compared, 2 unread in both, 2 problems before, 2 after)' out ||
	fail "$last: $(tail -n 3 out)"
grep -q '^Not compared' out && fail "$last: keys unread alike on both sides listed"
run compare --format jsonl bad.hiv bad.hiv
expect_ok 3
[ "$(cat out)" = '{"op":"summary","complete":false,"total":0,"not_compared":0,"unread_in_both":2,"problems_before":2,"problems_after":2}' ] ||
	fail "$last: $(cat out)"
# --all-not-compared lists them again.
run compare --all-not-compared --format jsonl bad.hiv bad.hiv
expect_ok 3
[ "$(cat out)" = "$(printf '%s\n' '{"op":"not_compared","key":"bad.hiv\\Software\\Obsolete","not_read":["subkeys"],"sides":["before","after"]}' '{"op":"not_compared","key":"bad.hiv\\Software\\Types","not_read":["values"],"sides":["before","after"]}' '{"op":"summary","complete":false,"total":0,"not_compared":2,"unread_in_both":0,"problems_before":2,"problems_after":2}')" ] ||
	fail "$last: $(cat out)"
# Readability that changed is listed; the same is counted: Obsolete's
# subkeys are unread on both sides, Types' values only before.
cp base.hiv half.hiv
break_list half.hiv Obsolete 28
run compare --format jsonl bad.hiv half.hiv
expect_ok 3
[ "$(cat out)" = "$(printf '%s\n' '{"op":"not_compared","key":"bad.hiv\\Software\\Types","not_read":["values"],"sides":["before"]}' '{"op":"summary","complete":false,"total":0,"not_compared":1,"unread_in_both":1,"problems_before":2,"problems_after":1}')" ] ||
	fail "$last: $(cat out)"
run compare bad.hiv half.hiv
expect_ok 3
grep -qx 'Total changes: 0 (incomplete: 1 not compared, 1 unread in both, 2 problems before, 1 after)' out ||
	fail "$last: $(cat out)"
run compare -o report.txt bad.hiv bad.hiv
expect_ok 3
run compare bad.hiv changed.hiv
expect_ok 1
grep -q '^Total changes: [1-9][0-9]* (incomplete: 2 not compared, 0 unread in both, 2 problems before, 0 after)$' out ||
	fail "$last: $(tail -n 3 out)"
if "$REGDIFF" --version | grep -q '+html'; then
	run compare --format html bad.hiv bad.hiv
	expect_ok 3
	grep -q '<p class="incomplete">Incomplete: parts of the registry could not be read' out ||
		fail "$last: no note in the summary"
	grep -q '<p>Total changes: 0 (incomplete: 0 not compared, 2 unread in both, 2 problems before, 2 after)</p>' out ||
		fail "$last: $(grep 'Total changes' out)"
	grep -q '<th>Unread in both (not listed)</th><td[^>]*>2</td>' out ||
		fail "$last: no count of what is unread in both: $(grep -o '<table class="counts">.*</table>' out | head -c 2000)"
	run compare --format html base.hiv base.hiv
	expect_ok 0
	grep -q 'class="incomplete"' out && fail "$last: a complete report says incomplete"
fi
exit 0
