# Files that are missing or are not what they should be: status 2, one
# line on stderr naming the file, nothing on stdout, nothing written.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/base.hiv" .
printf 'just some text\n' >text.txt
run -q shot -o base.rds base.hiv
expect_ok 0

run shot -o x.rds missing.hiv
expect_error missing.hiv
run shot -o x.rds text.txt
expect_error text.txt
run shot -o x.rds base.hiv missing.hiv
expect_error missing.hiv
run shot -o x.rds 'HKLM\SOFTWARE=missing.hiv'
expect_error missing.hiv
run shot -o x.rds 'HKLM\SOFTWARE=text.txt'
expect_error text.txt
# A snapshot is no hive.
run shot -o x.rds base.rds
expect_error base.rds
[ ! -e x.rds ] || fail "x.rds written"
# Nowhere to write.
run shot -o no/such/dir/x.rds base.hiv
expect_error no/such/dir/x.rds

run compare missing.rds base.rds
expect_error missing.rds
run compare base.rds missing.rds
expect_error missing.rds
run compare text.txt base.rds
expect_error text.txt
run compare base.hiv text.txt
expect_error text.txt
run compare -o no/such/dir/r.txt base.rds base.rds
expect_error no/such/dir/r.txt

run info missing.rds
expect_error missing.rds
run info text.txt
expect_error text.txt
run info base.hiv
expect_error base.hiv
: >empty.rds
run info empty.rds
expect_error empty.rds
run compare empty.rds base.rds
expect_error empty.rds

# Standard output that cannot be written: the failure is told, not lost.
if [ -w /dev/full ]; then
	cp "$FIXTURES/changed.hiv" .
	for args in "compare base.rds base.hiv" "compare --format jsonl base.rds changed.hiv" \
		"info base.rds" "--version" "--help"; do
		rc=0
		# shellcheck disable=SC2086 # words on purpose
		"$REGDIFF" $args >/dev/full 2>err || rc=$?
		last="regdiff $args >/dev/full"
		: >out
		expect_error "standard output"
	done
fi

rm -f changed.hiv
[ "$(ls)" = "base.hiv
base.rds
empty.rds
err
out
text.txt" ] || fail "files left: $(ls)"
