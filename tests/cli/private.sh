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
expect_mode() { # FILE MODE
	[ "$(mode "$1")" = "$2" ] || fail "$1: mode $(mode "$1"), want $2"
}
shot_at() { # OUTPUT MOUNT: a shot of base.hiv mounted at MOUNT
	run shot -q -o "$1" "$2=$FIXTURES/base.hiv"
	expect_ok 0
}

shot_at plain.rds base.hiv
expect_mode plain.rds 644
shot_at sam.rds 'HKLM\SAM'
expect_mode sam.rds 600
shot_at sec.rds 'hklm\security\Policy'
expect_mode sec.rds 600
# Not a prefix of a name: HKLM\SAMPLE holds no secrets.
shot_at sample.rds 'HKLM\SAMPLE'
expect_mode sample.rds 644

# An existing 0644 file replaced by a snapshot with secrets becomes 0600.
cp plain.rds over.rds
chmod 644 over.rds
run shot -o over.rds --backup "$FIXTURES/base.hiv"
expect_rc 0
expect_mode over.rds 600
echo "regdiff: warning: --backup: the snapshot holds the SAM's password hashes and the LSA secrets; it is written readable by its owner only: keep it so, and delete it when done" >want
cmp -s want err || fail "--backup warning: $(cat err)"

# watch keeps its snapshots private with --backup too.
run watch -q --backup --before wb.rds --after wa.rds "$FIXTURES/base.hiv" -- true
expect_rc 0
expect_mode wb.rds 600
expect_mode wa.rds 600
