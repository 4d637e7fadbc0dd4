# A compare of images gives exactly the changes of the same hives compared
# as files: raw against E01, FAT32 (always) and NTFS in MBR against GPT
# (where it can be made); split raw reads as the whole. No temporary file
# is left, and the images are not changed.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/common.sh"

SID=S-1-5-21-1111-2222-3333-1001
CONFIG=Windows/System32/config
CLASSES=AppData/Local/Microsoft/Windows/UsrClass.dat
LOCALSVC=Windows/ServiceProfiles/LocalService/NTUSER.DAT
HIVES="$CONFIG/SYSTEM $CONFIG/SOFTWARE Users/alice/NTUSER.DAT Users/alice/$CLASSES $LOCALSVC"

# The same hives as files, taken out of the FAT images with mtools.
for s in a b; do
	for h in $HIVES; do
		mkdir -p "files_$s/$(dirname "$h")"
		MTOOLS_SKIP_CHECK=1 mcopy -i "$IMAGES/win_$s.fat" "::/$h" "files_$s/$h"
	done
done

# same_as_files BEFORE_IMAGE AFTER_IMAGE: each hive's compare between the
# images equals the compare of the files.
same_as_files() {
	for h in $HIVES; do
		run compare --format jsonl "files_a/$h" "files_b/$h"
		want_rc=$rc
		mv out want
		run compare --format jsonl "$1@1:/$h" "$2@1:/$h"
		expect_ok "$want_rc"
		expect_same want out
		expect_tmp_empty
	done
}
same_as_files win_a.fat win_b.E01

# The whole installations: the changes of the hives mounted by hand where
# Windows mounts them, users at their SIDs.
for s in a b; do
	run shot -o hives_$s.rds "HKLM\\SYSTEM=files_$s/$CONFIG/SYSTEM" \
		"HKLM\\SOFTWARE=files_$s/$CONFIG/SOFTWARE" \
		"HKU\\$SID=files_$s/Users/alice/NTUSER.DAT" \
		"HKU\\${SID}_Classes=files_$s/Users/alice/$CLASSES" \
		"HKU\\S-1-5-19=files_$s/$LOCALSVC"
	expect_ok 0
done
run compare --format jsonl hives_a.rds hives_b.rds
expect_ok 1
# Persistence tags aside: a SYSTEM hive mounted by hand has every control
# set flagged, an installation only the one Select\Current names. Those
# tags must be the ones the same files give as a folder.
without_tags() {
	sed 's/,"persistence":{[^}]*}//' "$1"
}
grep '"op"' out >want_all
without_tags want_all >want
run compare --format jsonl files_a files_b
expect_ok 1
grep '"op"' out >want_folder
# same_install BEFORE AFTER
same_install() {
	run compare --format jsonl "$1" "$2"
	expect_ok 1
	grep '"op"' out >got_all
	without_tags got_all >got
	expect_same want got
	expect_same want_folder got_all
	expect_tmp_empty
}
same_install win_a.fat win_b.E01

# Split raw and E01 of the same volume: no change.
run compare win_b.001 win_b.E01
expect_ok 0
expect_tmp_empty

# The snapshot names where each hive came from.
run shot -o s.rds two.raw@2:/windows/system32/config/system \
	two.raw@1:/users/ALICE/ntuser.dat
expect_ok 0
run info s.rds
expect_ok 0
sed -n '/^Sources:/,$p' out >got
cat >want_sources <<'X'
Sources:
  HKLM\SYSTEM: hive two.raw@2:/Windows/System32/config/SYSTEM
  HKU\alice: hive two.raw@1:/Users/alice/NTUSER.DAT
Images:
  two.raw@2: raw, 85983232 bytes
  two.raw@1: raw, 85983232 bytes
X
expect_same want_sources got
expect_tmp_empty

# The E01's stored hashes are recorded.
run shot -o s.rds win_b.E01
expect_ok 0
run info s.rds
expect_ok 0
grep -A1 '^Images:' out >got
printf 'Images:\n  win_b.E01@1: ewf, 41943040 bytes, acquisition MD5 %s, SHA1 %s\n' \
	"$(md5sum <"$IMAGES/win_b.fat" | cut -d' ' -f1)" \
	"$(sha1sum <"$IMAGES/win_b.fat" | cut -d' ' -f1)" >want_images
expect_same want_images got

if have_ntfs; then
	same_install ntfs_a.raw ntfs_b.E01
	same_as_files ntfs_a.raw ntfs_b.E01
fi
expect_images_unchanged
