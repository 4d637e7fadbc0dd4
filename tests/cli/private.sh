# Snapshots that hold password hashes or secrets are written 0600,
# whatever umask or the file they replace allowed: a hive mounted at
# HKLM\SAM or HKLM\SECURITY (or below), and any shot with --backup (which
# on Linux has no privilege to enable, only the file to protect). Other
# snapshots keep the permissions umask gives.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
umask 022
mode() { stat -c %a "$1"; }

run shot -q -o plain.rds "$FIXTURES/base.hiv"
expect_ok 0
[ "$(mode plain.rds)" = 644 ] || fail "plain: mode $(mode plain.rds)"

run shot -q -o sam.rds "HKLM\\SAM=$FIXTURES/base.hiv"
expect_ok 0
[ "$(mode sam.rds)" = 600 ] || fail "SAM: mode $(mode sam.rds)"
run shot -q -o sec.rds "hklm\\security\\Policy=$FIXTURES/base.hiv"
expect_ok 0
[ "$(mode sec.rds)" = 600 ] || fail "SECURITY: mode $(mode sec.rds)"
# Not a prefix of a name: HKLM\SAMPLE holds no secrets.
run shot -q -o sample.rds "HKLM\\SAMPLE=$FIXTURES/base.hiv"
expect_ok 0
[ "$(mode sample.rds)" = 644 ] || fail "SAMPLE: mode $(mode sample.rds)"

# An existing 0644 file replaced by a snapshot with secrets becomes 0600.
cp plain.rds over.rds
chmod 644 over.rds
run shot -o over.rds --backup "$FIXTURES/base.hiv"
expect_rc 0
[ "$(mode over.rds)" = 600 ] || fail "--backup: mode $(mode over.rds)"
echo "regdiff: warning: --backup: the snapshot holds the SAM's password hashes and the LSA secrets; it is written readable by its owner only: keep it so, and delete it when done" >want
cmp -s want err || fail "--backup warning: $(cat err)"

# watch keeps its snapshots private with --backup too.
run watch -q --backup --before wb.rds --after wa.rds "$FIXTURES/base.hiv" -- true
expect_rc 0
[ "$(mode wb.rds)" = 600 ] && [ "$(mode wa.rds)" = 600 ] ||
	fail "watch --backup: modes $(mode wb.rds) $(mode wa.rds)"
