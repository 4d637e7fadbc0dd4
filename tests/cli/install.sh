# A folder holding a Windows installation as one source: hives found in
# any case, users mounted at HKU\<SID> through SOFTWARE's ProfileList (or
# their folder names without it), XP's layout, a user or a hive on one
# side only, a hive that cannot be read, and {CS} resolved to the control
# set Select\Current names. Every tree is made here from the fixtures.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures

F=$FIXTURES
# put FIXTURE PATH: the fixture hive at PATH, folders made.
put() {
	mkdir -p "$(dirname "$2")"
	cp "$F/$1.hiv" "$2"
}

# win10 DIR SYSTEM ALICE_NTUSER ALICE_USRCLASS [BOB]: a Windows 10 volume.
win10() {
	put "$2" "$1/Windows/System32/config/SYSTEM"
	put install_software "$1/Windows/System32/config/SOFTWARE"
	put empty "$1/Windows/System32/config/DEFAULT"
	put "$3" "$1/Users/alice/NTUSER.DAT"
	put "$4" "$1/Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat"
	[ -z "${5:-}" ] || put "$5" "$1/Users/bob/NTUSER.DAT"
	put empty "$1/Windows/ServiceProfiles/LocalService/NTUSER.DAT"
	mkdir -p "$1/Users/Public"
}

win10 before install_system_a persist_ntuser_a persist_usrclass_a software_a
win10 after install_system_b persist_ntuser_b persist_usrclass_b

# What was found and where each hive is mounted.
run info before
expect_ok 0
expect_golden out install_info.txt

run -q shot -o before.rds before
expect_ok 0
run info before.rds
expect_ok 0
sed 's/^Time: .*$/Time: (normalised)/' out >info.txt
expect_golden info.txt install_info_snapshot.txt

# Two installations: bob's hive only before, alice's changes flagged,
# EvilSvc flagged in ControlSet002 (Select\Current) only.
run compare before after
expect_ok 1
normalise_datetime out
expect_golden out install_compare.txt
run compare --format jsonl before after
expect_ok 1
expect_golden out install_compare.jsonl
cp out dirs.jsonl

# HTML (where built in): the users next to their SIDs in the summary.
run --version
if grep -q '+html' out; then
	run compare --format html -o report.html before after
	expect_ok 1
	grep -qF 'S-1-5-21-1111-2222-3333-1001 = alice; S-1-5-21-1111-2222-3333-1002 = Bob' \
		report.html || fail "HTML: no users row"
	grep -qF 'HKU\S-1-5-21-1111-2222-3333-1002 (Bob)' report.html ||
		fail "HTML: no hive found before only"
fi

# A snapshot of one against the other folder: the same report.
run compare --format jsonl before.rds after
expect_ok 1
expect_same dirs.jsonl out

# Exactly the changes of the hives compared one by one at the same mounts.
S=S-1-5-21-1111-2222-3333-1001
run -q shot -o a.rds "HKLM\\SYSTEM=before/Windows/System32/config/SYSTEM" \
	"HKLM\\SOFTWARE=before/Windows/System32/config/SOFTWARE" \
	"HKU\\.DEFAULT=before/Windows/System32/config/DEFAULT" \
	"HKU\\$S=before/Users/alice/NTUSER.DAT" \
	"HKU\\${S}_Classes=before/Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat" \
	"HKU\\S-1-5-21-1111-2222-3333-1002=before/Users/bob/NTUSER.DAT" \
	"HKU\\S-1-5-19=before/Windows/ServiceProfiles/LocalService/NTUSER.DAT"
expect_ok 0
run compare --format jsonl a.rds after
expect_ok 1
grep '"op"' dirs.jsonl >dirs.ops
grep '"op"' out >hives.ops
expect_same dirs.ops hives.ops

# The Windows folder and the config folder name the same installation.
run info before/Windows
expect_ok 0
sed 's|^Installation: .*|Installation: before|' out >windows.txt
expect_golden windows.txt install_info.txt
run info before/Windows/System32/config
expect_ok 0
sed -e 's|^Installation: .*|Installation: before|' \
	-e 's|before/Windows/System32/config/\.\./\.\./\.\./|before/|' out >config.txt
expect_golden config.txt install_info_config.txt

# Names in any case, as an NTFS image mounted on Linux shows them: the same
# hives at the same mounts, so no difference.
put install_system_a mixed/windows/SYSTEM32/Config/system
put install_software mixed/windows/SYSTEM32/Config/Software
put empty mixed/windows/SYSTEM32/Config/default
put persist_ntuser_a mixed/USERS/alice/ntuser.dat
put persist_usrclass_a mixed/USERS/alice/appdata/LOCAL/microsoft/WINDOWS/usrclass.DAT
put software_a mixed/USERS/bob/NtUser.Dat
put empty mixed/windows/serviceprofiles/localservice/NTUSER.DAT
run compare mixed before
expect_ok 0

# No SOFTWARE: users at their folder names, and the snapshot says so.
win10 nosoft install_system_a persist_ntuser_a persist_usrclass_a software_a
rm nosoft/Windows/System32/config/SOFTWARE
run info nosoft
expect_ok 0
expect_golden out install_info_nosoftware.txt
run -q shot -o nosoft.rds nosoft
expect_ok 0
run info nosoft.rds
expect_ok 0
grep -A3 '^Notes:' out >notes.txt
expect_golden notes.txt install_notes_nosoftware.txt

# Windows XP: Documents and Settings, classes under Local Settings; dave
# has a ProfileList entry, alice has none.
put install_system_a xp/WINDOWS/system32/config/system
put install_software xp/WINDOWS/system32/config/software
put persist_ntuser_a "xp/Documents and Settings/alice/NTUSER.DAT"
put persist_usrclass_a \
	"xp/Documents and Settings/alice/Local Settings/Application Data/Microsoft/Windows/UsrClass.dat"
put persist_ntuser_b "xp/Documents and Settings/dave/NTUSER.DAT"
run info xp
expect_ok 0
expect_golden out install_info_xp.txt

# A hive that cannot be read is not compared, never deleted.
win10 broken install_system_a persist_ntuser_a persist_usrclass_a software_a
echo "not a hive" >broken/Users/bob/NTUSER.DAT
run info broken
expect_ok 0
grep -A1 'S-1-5-21-1111-2222-3333-1002' out >broken.txt
expect_golden broken.txt install_info_broken.txt
run compare before broken
expect_ok 3
normalise_datetime out
expect_golden out install_compare_broken.txt

# Not an installation: one line, status 2, no output file.
mkdir -p empty/Windows
run info empty
expect_error "empty: no Windows installation here"
run shot -o empty.rds empty
expect_error "empty: no Windows installation here"
[ ! -e empty.rds ] || fail "empty.rds written"
run compare before empty
expect_error "empty: no Windows installation here"

# A report may not go over a hive of a folder it reads.
cp before/Users/alice/NTUSER.DAT keep.dat
run compare -o before/Users/alice/NTUSER.DAT before after
expect_error "is also an input"
expect_same keep.dat before/Users/alice/NTUSER.DAT
