# info: the metadata of a snapshot, in a stable layout. One ctest test per
# case.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
run_cases

#case base
user_hives
run -q shot -o base.rds before/Users/alice/NTUSER.DAT
expect_ok 0
run info base.rds
expect_ok 0
# When the shot was taken is the one thing that changes from run to run.
grep -Eq '^Time: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC$' out ||
	fail "no Time line: $(cat out)"
sed 's/^Time: .*$/Time: (normalised)/' out >info.txt
expect_golden info.txt info_base.txt

#case empty
# An empty hive: one key (its root), nothing else; no user to derive.
cp "$FIXTURES/empty.hiv" .
run -q shot -o empty.rds empty.hiv
expect_ok 0
run info empty.rds
expect_ok 0
sed 's/^Time: .*$/Time: (normalised)/' out >info.txt
expect_golden info.txt info_empty.txt

#case names
# Recorded names given on the command line.
cp "$FIXTURES/empty.hiv" .
run -q shot --computer 'PC-42' --user bob -o named.rds empty.hiv
expect_ok 0
run info named.rds
expect_ok 0
grep -qx 'Computer: PC-42' out || fail "no computer: $(cat out)"
grep -qx 'User: bob' out || fail "no user: $(cat out)"

# Hostile metadata: a right-to-left override (U+202E) in the computer's
# name would show "evilexe.txt"; info shows it as U+FFFD, as reports do.
rlo=$(printf 'evil\342\200\256txt.exe')
run -q shot --computer "$rlo" -o evil.rds empty.hiv
expect_ok 0
run info evil.rds
expect_ok 0
grep -qx "$(printf 'Computer: evil\357\277\275txt.exe')" out || fail "computer not made safe: $(od -c out)"
grep -q "$(printf '\342\200\256')" out && fail "raw U+202E in info: $(cat out)"
true
