# A compare of hives read out of images gives exactly the changes of the
# same hives compared as files: raw against E01, FAT32 (always) and NTFS in
# MBR against GPT (where it can be made); split raw reads as the whole.
# No temporary file is left, and the images are not changed.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/common.sh"

HIVES="Windows/System32/config/SYSTEM Windows/System32/config/SOFTWARE
Users/alice/NTUSER.DAT Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat"

# The same layout as files: mounts are derived from the paths alike.
for s in a b; do
	for h in $HIVES; do
		mkdir -p "files_$s/$(dirname "$h")"
	done
	cp "$FIXTURES/persist_system_$s.hiv" files_$s/Windows/System32/config/SYSTEM
	cp "$FIXTURES/persist_software_$s.hiv" files_$s/Windows/System32/config/SOFTWARE
	cp "$FIXTURES/persist_ntuser_$s.hiv" files_$s/Users/alice/NTUSER.DAT
	cp "$FIXTURES/persist_usrclass_$s.hiv" \
		files_$s/Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat
done

# same_as_files BEFORE_IMAGE AFTER_IMAGE: each hive's compare between the
# images equals the compare of the files.
same_as_files() {
	for h in $HIVES; do
		run compare --format jsonl "files_a/$h" "files_b/$h"
		expect_ok 1
		mv out want
		run compare --format jsonl "$1@1:/$h" "$2@1:/$h"
		expect_ok 1
		expect_same want out
		expect_tmp_empty
	done
}
same_as_files win_a.fat win_b.E01

# Split raw and E01 of the same volume: no change.
run compare win_b.001@1:/Windows/System32/config/SOFTWARE win_b.E01@1:/windows/system32/config/software
expect_ok 0
expect_tmp_empty

# The snapshot names where each hive came from.
run shot -o s.rds two.raw@2:/windows/system32/config/system \
	two.raw@1:/users/ALICE/ntuser.dat
expect_ok 0
run info s.rds
expect_ok 0
sed -n '/^Sources:/,$p' out >got
cat >want <<'X'
Sources:
  HKLM\SYSTEM: hive two.raw@2:/Windows/System32/config/SYSTEM
  HKU\alice: hive two.raw@1:/Users/alice/NTUSER.DAT
X
expect_same want got
expect_tmp_empty

if have_ntfs; then
	same_as_files ntfs_a.raw ntfs_b.E01
fi
expect_images_unchanged
