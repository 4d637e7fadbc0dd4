# The bare-hive rule (the library's regdiff_sides_line_up): two copies of
# one hive whose mounts come from their differing file names compare root
# to root, hive against hive and snapshot against hive alike, and the
# report's header says so. A mount given (MOUNT=FILE) is never moved.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures

cp "$FIXTURES/base.hiv" before.hiv
cp "$FIXTURES/changed.hiv" after.hiv
note='Note: after.hiv mounted at before.hiv, not after.hiv (its mount is derived from its file name): their roots compare'

run compare before.hiv after.hiv
expect_ok 1
normalise_datetime out
sed -n 3p out >note.txt
[ "$(cat note.txt)" = "$note" ] || fail "hive/hive: $(cat note.txt)"
sed 3d out >hives.txt
grep -q '^Total changes: 0' hives.txt && fail "hive/hive: nothing lined up"

# A snapshot of the first hive against the second: the same changes.
run -q shot -o before.rds before.hiv
expect_ok 0
run compare before.rds after.hiv
expect_ok 1
normalise_datetime out
[ "$(sed -n 3p out)" = "$note" ] || fail "snapshot/hive: $(sed -n 3p out)"
sed 3d out >snap.txt
cmp -s hives.txt snap.txt || fail "snapshot/hive differs from hive/hive: $(diff hives.txt snap.txt)"

# HTML says it too, and names the files compared.
run compare --format html -o r.html before.rds after.hiv
expect_ok 1
grep -qF '<p id="note">Note: after.hiv mounted at before.hiv' r.html || fail "html: no note"
grep -qF '<td>before.hiv: after.hiv</td>' r.html || fail "html: after's source not named"

# JSON lines stay a stream of changes only.
run compare --format jsonl before.hiv after.hiv
expect_ok 1
grep -q '"meta"' out && fail "jsonl: $(head -1 out)"

# A mount given is kept: nothing lines up, so every key differs.
run compare 'HKU\x=before.hiv' after.hiv
expect_ok 1
grep -q '^Note:' out && fail "given mount moved: $(grep '^Note:' out)"
# Two snapshots are compared as they are.
run -q shot -o after.rds after.hiv
run compare before.rds after.rds
expect_ok 1
grep -q '^Note:' out && fail "snapshots lined up: $(grep '^Note:' out)"
true
