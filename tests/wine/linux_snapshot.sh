# Snapshots taken by the Linux build (of the fixture hives) load in the
# Windows build, which reports on them byte for byte as Linux does: the
# format and the reports are the same on both platforms.
. "$(dirname "$0")/lib.sh"
need_fixtures

for f in base changed hostile; do
	lin shot -q -o "$f.rds" "HKU\\alice=$FIXTURES/$f.hiv"
	expect_rc 0
	win info "$f.rds"
	expect_rc 0
	expect_empty err
	tr -d '\r' <out >windows.info
	lin info "$f.rds"
	expect_same windows.info out
done

# Names with control characters, NULs and unpaired surrogates (hostile)
# and every report form.
for pair in "base.rds changed.rds" "changed.rds base.rds" "base.rds hostile.rds"; do
	for opts in "" "--crlf" "--utf16" "--format jsonl" "--key-times --format jsonl"; do
		# shellcheck disable=SC2086 # several words on purpose
		win compare $opts $pair
		expect_rc 1
		expect_empty err
		cp out windows.report
		# shellcheck disable=SC2086
		lin compare $opts $pair
		expect_rc 1
		expect_same windows.report out
	done
done

# A report written to a file by the Windows build, under a temporary name
# renamed into place, is the same too, after the UTF-8 byte order mark a
# TXT file gets on Windows (none with --no-bom, none on standard output,
# none in JSON lines).
win compare -o report.txt base.rds changed.rds
expect_rc 1
lin compare base.rds changed.rds
cp out linux.txt
printf '\357\273\277' >want
cat linux.txt >>want
expect_same want report.txt
win compare --no-bom -o report.txt base.rds changed.rds
expect_rc 1
expect_same linux.txt report.txt
win compare --format jsonl -o report.jsonl base.rds changed.rds
expect_rc 1
lin compare --format jsonl base.rds changed.rds
expect_same out report.jsonl
win compare --format jsonl --bom base.rds changed.rds
expect_rc 2
