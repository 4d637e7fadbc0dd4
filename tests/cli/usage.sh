# Bad usage: status 2, nothing on stdout, a line saying what is wrong and a
# pointer to --help on stderr, and no file written.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

: >hive.hiv

usage() {
	run "$@"
	expect_usage_error
}

usage
usage -q
usage --bogus
usage -x
usage bogus
usage help bogus
usage help shot compare
usage shot hive.hiv
usage shot -o
usage shot --output
usage shot -o - hive.hiv
usage shot -o '' hive.hiv
usage shot --quiet=yes -o snap.rds hive.hiv
usage shot --bogus -o snap.rds hive.hiv
usage shot -o snap.rds -z hive.hiv
usage compare
usage compare hive.hiv
usage compare hive.hiv hive.hiv hive.hiv
usage compare --format xml hive.hiv hive.hiv
usage compare --format
usage compare --format=jsonl --crlf hive.hiv hive.hiv
usage compare --format jsonl --utf16 hive.hiv hive.hiv
usage compare -f html --crlf hive.hiv hive.hiv
usage compare --key-times=1 hive.hiv hive.hiv
usage info
usage info a.rds b.rds
usage info --bogus a.rds
# Without the live registry built in, shot needs a SOURCE.
if ! "$REGDIFF" --version | grep -q '+live'; then
	usage shot -o snap.rds
fi

# What the messages say.
run compare --format xml hive.hiv hive.hiv
grep -qF "unknown format 'xml'" err || fail "$(cat err)"
run shot --bogus
grep -qF "unknown option '--bogus'" err || fail "$(cat err)"
run shot -o
grep -qF "option '-o' needs an argument" err || fail "$(cat err)"
run bogus
grep -qF "unknown command 'bogus'" err || fail "$(cat err)"

# No usage error may leave anything behind.
[ "$(ls)" = "err
hive.hiv
out" ] || fail "files left: $(ls)"
