# Image sources that cannot be read: one line naming the image and what is
# wrong, status 2, no output file and no temporary file left.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/common.sh"

# expect_refused SOURCE MESSAGE: shot of SOURCE fails with exactly MESSAGE.
expect_refused() {
	run shot -o s.rds "$1"
	expect_rc 2
	expect_empty out
	printf 'regdiff: %s\n' "$2" >want
	expect_same want err
	[ ! -e s.rds ] || fail "$last: left s.rds"
	expect_tmp_empty
}

expect_refused two.raw \
	"two.raw: 2 Windows installations, name one as IMAGE@N: two.raw@1, two.raw@2"
expect_refused none.raw \
	"none.raw: no Windows installation found (no Windows/System32/config folder on partition 1 (fat32); partition 2: BitLocker-encrypted volume (-FVE-FS-): its files cannot be read)"
expect_refused none.raw@2 \
	"none.raw@2: BitLocker-encrypted volume (-FVE-FS-): its files cannot be read"
expect_refused none.raw@1 \
	"none.raw@1: no Windows installation (no Windows/System32/config folder on this fat32 volume)"
expect_refused damaged.fat \
	"damaged.fat: no Windows installation found (partition 1: damaged file system (fat: Cannot determine file system type))"
expect_refused damaged.fat@1:/Windows/System32/config/SYSTEM \
	"damaged.fat@1: damaged file system (fat: Cannot determine file system type)"
expect_refused two.raw@3 "two.raw@3: no such partition (the image has 2)"
expect_refused two.raw@0 "two.raw@0: partitions are numbered from 1 (see regdiff info two.raw)"
expect_refused two.raw@1:/Windows/nothing \
	"two.raw@1:/Windows/nothing: no such file in the image"
expect_refused two.raw@1:/Windows "two.raw@1:/Windows: a folder, not a hive"
# A file of the image that is no hive: the hive opener's message, naming
# the file in the image, not the temporary copy.
cp "$IMAGES/win_a.fat" junk.fat
chmod u+w junk.fat
printf 'not a hive at all, but long enough to be read as one\n' >junk.txt
MTOOLS_SKIP_CHECK=1 mcopy -i junk.fat junk.txt ::/Windows/System32/config/JUNK
expect_refused junk.fat@1:/Windows/System32/config/JUNK \
	"junk.fat@1:/Windows/System32/config/JUNK: not a registry hive (only 53 bytes)"
printf 'hello\n' >text.txt
expect_refused text.txt@1 "text.txt: not a disk image (no partition table or file system libtsk knows)"

# A hive stays a hive, whatever its content looks like to libtsk.
run shot -o s.rds "$FIXTURES/base.hiv"
expect_ok 0
expect_tmp_empty
expect_images_unchanged
