# Where a hive given without MOUNT= is mounted, after its name (see SOURCES
# in docs/regdiff.1), as info lists it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures

mount_of() {
	run -q shot -o m.rds "$1"
	expect_ok 0
	run info m.rds
	expect_ok 0
	sed -n '/^Sources:$/,$p' out | sed -n 2p
}

expect_mount() {
	got=$(mount_of "$1")
	[ "$got" = "  $2: hive $1" ] || fail "$1: mounted as '$got', want '  $2: hive $1'"
}

mkdir -p config Users/bob Users/carol/AppData/Local/Microsoft/Windows named
cp "$FIXTURES/software_a.hiv" config/SOFTWARE
cp "$FIXTURES/system_a.hiv" config/SYSTEM
cp "$FIXTURES/empty.hiv" config/SAM
cp "$FIXTURES/empty.hiv" config/SECURITY
cp "$FIXTURES/empty.hiv" config/DEFAULT
cp "$FIXTURES/base.hiv" Users/bob/NTUSER.DAT
cp "$FIXTURES/empty.hiv" Users/carol/AppData/Local/Microsoft/Windows/UsrClass.dat
# No Users/<user>/ in the path: the user is the one in the hive's own file
# name, \??\C:\Users\alice\ntuser.dat.
cp "$FIXTURES/base.hiv" named/NTUSER.DAT
cp "$FIXTURES/empty.hiv" other.hiv

expect_mount config/SOFTWARE 'HKLM\SOFTWARE'
expect_mount config/SYSTEM 'HKLM\SYSTEM'
expect_mount config/SAM 'HKLM\SAM'
expect_mount config/SECURITY 'HKLM\SECURITY'
expect_mount config/DEFAULT 'HKU\.DEFAULT'
expect_mount Users/bob/NTUSER.DAT 'HKU\bob'
expect_mount Users/carol/AppData/Local/Microsoft/Windows/UsrClass.dat 'HKU\carol_Classes'
expect_mount named/NTUSER.DAT 'HKU\alice'
expect_mount other.hiv 'other.hiv'

# MOUNT=FILE, with a long root name written short.
got=$(mount_of 'HKEY_LOCAL_MACHINE\Custom\Place=other.hiv')
[ "$got" = '  HKLM\Custom\Place: hive other.hiv' ] || fail "MOUNT=FILE: '$got'"
