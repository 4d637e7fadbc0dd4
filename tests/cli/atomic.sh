# -o never leaves a partial file: a failing shot or report leaves what was
# there byte for byte, and no temporary file behind.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv" .
run -q shot -o snap.rds base.hiv
expect_ok 0
cp snap.rds snap.orig

# Inputs that are not hives, or are cut short.
printf 'regf but not really\n' >junk.hiv
head -c 4096 base.hiv >head.hiv
head -c 20000 base.hiv >cut.hiv
for bad in junk.hiv head.hiv cut.hiv missing.hiv; do
	run shot -o snap.rds base.hiv "HKLM\\SOFTWARE=$bad"
	expect_rc 2
	expect_empty out
	expect_same snap.orig snap.rds
done

# A report that fails half-way, at a corrupt block of the second snapshot
# (its last blocks are still whole: the header, index and trailer are
# checked at open), leaves the earlier report as it was.
run -q shot -o changed.rds changed.hiv
expect_ok 0
printf 'an earlier report\n' >report.txt
cp report.txt report.orig
size=$(size_of changed.rds)
cp changed.rds broken.rds
flip_bit broken.rds $((size / 2))
for format in txt jsonl; do
	run compare --format "$format" -o report.txt snap.rds broken.rds
	expect_rc 2
	expect_empty out
	expect_same report.orig report.txt
done

rm -f junk.hiv head.hiv cut.hiv broken.rds
[ "$(ls)" = "base.hiv
changed.hiv
changed.rds
err
out
report.orig
report.txt
snap.orig
snap.rds" ] || fail "files left: $(ls)"
