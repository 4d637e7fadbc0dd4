# A snapshot file compares exactly as the hive it was taken of: shot, file,
# compare gives the same report as comparing the hives directly, and -o
# writes the same bytes as standard output.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
user_hives
b=before/Users/alice/NTUSER.DAT
a=after/Users/alice/NTUSER.DAT

run -q shot -o base.rds "$b"
expect_ok 0
run -q shot -o changed.rds "$a"
expect_ok 0

for format in txt jsonl; do
	run compare --format "$format" base.rds changed.rds
	expect_ok 1
	mv out "snaps.$format"
	run compare --format "$format" "$b" "$a"
	expect_ok 1
	mv out "hives.$format"
	run compare --format "$format" base.rds "$a"
	expect_ok 1
	mv out "mixed1.$format"
	run compare --format "$format" "$b" changed.rds
	expect_ok 1
	mv out "mixed2.$format"
	run compare --format "$format" -o "file.$format" base.rds changed.rds
	expect_ok 1
	expect_empty out
done
# The shots of the direct comparison are taken now, not when the files
# were: only the TXT Datetime line may differ.
for f in snaps hives mixed1 mixed2 file; do
	normalise_datetime "$f.txt"
done
for format in txt jsonl; do
	for f in hives mixed1 mixed2 file; do
		expect_same "snaps.$format" "$f.$format"
	done
done
[ -s snaps.jsonl ] || fail "empty report"

# Two hive files with different names: the second is mounted where the
# first is, so that their roots compare. base.hiv and changed.hiv would
# otherwise be mounted at base.hiv and changed.hiv and share nothing.
cp "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv" .
run compare --format jsonl base.hiv changed.hiv
expect_ok 1
# Mounted there, the user's Run key is no persistence location.
sed -e 's/"key":"HKU\\\\alice/"key":"base.hiv/' -e 's/,"persistence":{[^}]*}//' snaps.jsonl >expected.jsonl
expect_same expected.jsonl out
