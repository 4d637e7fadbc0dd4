# Several sources in one snapshot: SOFTWARE and SYSTEM together, compared
# with the same pair after software_a became software_b.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/software_a.hiv" "$FIXTURES/software_b.hiv" "$FIXTURES/system_a.hiv" .

run -q shot -o a.rds 'HKLM\SOFTWARE=software_a.hiv' 'HKLM\SYSTEM=system_a.hiv'
expect_ok 0
run -q shot -o b.rds 'HKLM\SYSTEM=system_a.hiv' 'HKLM\SOFTWARE=software_b.hiv'
expect_ok 0

run info a.rds
expect_ok 0
sed 's/^Time: .*$/Time: (normalised)/' out >info.txt
expect_golden info.txt info_multi.txt

run compare a.rds b.rds
expect_ok 1
normalise_datetime out
expect_golden out software_a_b.txt
run compare --format jsonl a.rds b.rds
expect_ok 1
expect_golden out software_a_b.jsonl

# The same sources in either order make the same snapshot content.
run -q shot -o a2.rds 'HKLM\SYSTEM=system_a.hiv' 'HKLM\SOFTWARE=software_a.hiv'
expect_ok 0
run compare a.rds a2.rds
expect_ok 0

# Mounts may not overlap.
run shot -o c.rds 'HKLM\SOFTWARE=software_a.hiv' 'HKLM\SOFTWARE\Sub=system_a.hiv'
expect_rc 2
expect_empty out
[ "$(lines err)" -eq 1 ] || fail "overlap: $(cat err)"
[ ! -e c.rds ] || fail "overlap: c.rds written"
