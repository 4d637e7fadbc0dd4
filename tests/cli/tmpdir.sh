# A temporary file that cannot be made is blamed on $TMPDIR, where it was
# to go, not on the hive being read when it was needed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures

cp "$FIXTURES/base.hiv" before.hiv
cp "$FIXTURES/changed.hiv" after.hiv
TMPDIR=/nonexistent run compare before.hiv after.hiv
expect_error 'cannot create a temporary file'
[ "$(cat err)" = 'regdiff: cannot create a temporary file in /nonexistent ($TMPDIR): No such file or directory' ] ||
	fail "TMPDIR: $(cat err)"
true
