# Shots of base and changed (one user's NTUSER.DAT before and after), then
# their comparison in TXT and JSON lines, against golden files. The changes
# they must show are listed in fixtures/README.md.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
user_hives

run shot -o base.rds before/Users/alice/NTUSER.DAT
expect_ok 0
expect_empty out
run shot -o changed.rds after/Users/alice/NTUSER.DAT
expect_ok 0

run compare base.rds changed.rds
expect_ok 1
normalise_datetime out
expect_golden out base_changed.txt

run compare --format jsonl base.rds changed.rds
expect_ok 1
expect_golden out base_changed.jsonl

# --key-times adds the one key whose only change is its last-write time.
run compare --key-times --format jsonl base.rds changed.rds
expect_ok 1
grep -v '"op":"key_modified"' out >others.jsonl
expect_golden others.jsonl base_changed.jsonl
[ "$(grep '"op":"key_modified"' out)" = '{"op":"key_modified","key":"HKU\\alice\\Software\\Touched","old_time":"2020-01-01T00:00:00.0000000Z","new_time":"2023-06-15T12:34:56.0000000Z"}' ] ||
	fail "--key-times: $(grep '"op":"key_modified"' out)"

# The other way round, everything turns over.
ops() {
	sed 's/^{"op":"\([a-z_]*\)".*/\1/' "$1" | sort | uniq -c | tr -s ' '
}
run compare --format jsonl changed.rds base.rds
expect_ok 1
[ "$(ops out)" = "$(printf ' 5 key_added\n 4 key_deleted\n 8 value_added\n 11 value_deleted\n 22 value_modified')" ] ||
	fail "changed -> base: $(ops out)"
