# regdiff info IMAGE: partitions, file systems, which hold Windows.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/common.sh"

# expect_info IMAGE: the output must be the text on standard input.
expect_info() {
	run info "$1"
	expect_ok 0
	cat >want
	expect_same want out
	expect_tmp_empty
}

expect_info win_a.fat <<'X'
File: win_a.fat
Image: raw, 41943040 bytes
Partition table: none (a volume image)
Partitions:
  1: start 0, size 41943040, fat32, Windows
Windows: win_a.fat@1
X
expect_info win_b.001 <<'X'
File: win_b.001
Image: raw, 41943040 bytes
Partition table: none (a volume image)
Partitions:
  1: start 0, size 41943040, fat32, Windows
Windows: win_b.001@1
X
expect_info two.raw <<'X'
File: two.raw
Image: raw, 85983232 bytes
Partition table: dos
Partitions:
  1: start 1048576, size 41943040, fat32, Windows
  2: start 42991616, size 41943040, fat32, Windows
Windows: two.raw@1 two.raw@2
X
expect_info none.raw <<'X'
File: none.raw
Image: raw, 45088768 bytes
Partition table: dos
Partitions:
  1: start 1048576, size 41943040, fat32
  2: start 42991616, size 1048576, BitLocker-encrypted volume (-FVE-FS-): its files cannot be read
Windows: none found
X
expect_info damaged.fat <<'X'
File: damaged.fat
Image: raw, 41943040 bytes
Partition table: none (a volume image)
Partitions:
  1: start 0, size 41943040, damaged file system (fat: Cannot determine file system type)
Windows: none found
X
expect_info win_b.E01 <<X
File: win_b.E01
Image: ewf, 41943040 bytes
Partition table: none (a volume image)
Acquisition MD5: $(md5sum <"$IMAGES/win_b.fat" | cut -d' ' -f1)
Acquisition SHA1: $(sha1sum <"$IMAGES/win_b.fat" | cut -d' ' -f1)
Partitions:
  1: start 0, size 41943040, fat32, Windows
Windows: win_b.E01@1
X
# A file that is neither a snapshot nor an image keeps the snapshot's
# message; a hive is no image.
run info "$FIXTURES/base.hiv"
expect_error "base.hiv: not a regdiff snapshot"

if have_ntfs; then
	expect_info ntfs_a.raw <<'X'
File: ntfs_a.raw
Image: raw, 27262976 bytes
Partition table: dos
Partitions:
  1: start 1048576, size 25165824, ntfs, Windows
Windows: ntfs_a.raw@1
X
	expect_info ntfs_b.E01 <<X
File: ntfs_b.E01
Image: ewf, 27262976 bytes
Partition table: gpt
Acquisition MD5: $(md5sum <"$IMAGES/ntfs_b.gpt" | cut -d' ' -f1)
Acquisition SHA1: $(sha1sum <"$IMAGES/ntfs_b.gpt" | cut -d' ' -f1)
Partitions:
  1: start 1048576, size 25165824, ntfs, Windows
Windows: ntfs_b.E01@1
X
fi
expect_images_unchanged
