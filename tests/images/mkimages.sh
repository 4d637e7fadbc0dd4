#!/usr/bin/env bash
# Makes the disk images of the image tests from the fixture hives:
#   mkimages.sh OUT FIXTURE_DIR MKHIVE SOFTWARE_DESCRIPTION
# Every image holds a Windows layout made of fixture hives (A: the *_a
# hives and base, B: the *_b ones and changed; SOFTWARE is install_software,
# whose ProfileList gives alice's SID, on both) unless said otherwise:
#   win_a.fat, win_b.fat  FAT32 volume images (mtools: no mount, always made)
#   win_b.E01             win_b.fat converted with ewfacquire
#   win_b.001, win_b.002  win_b.fat split in two (split raw)
#   two.raw               MBR disk: partition 1 holds A, 2 holds B
#   none.raw              MBR disk: a FAT32 partition without Windows and a
#                         BitLocker-encrypted one (its boot sector's signature)
#   damaged.fat           win_a.fat whose boot sector says 0 bytes per sector
#   ntfs_a.raw            MBR disk, one NTFS partition holding A
#   ntfs_b.gpt, ntfs_b.E01  GPT disk, one NTFS partition holding B, and as E01
# The NTFS volumes are filled through an ntfs-3g FUSE mount; where that
# cannot be done, OUT/ntfs.skip says why and the NTFS images are not made.
set -euo pipefail

OUT=$1
FIX=$2
mkdir -p "$OUT"
cd "$OUT"
rm -rf ./*
"$3" "$4" software.hiv
trap 'rm -f software.hiv' EXIT

MiB=1048576

# layout SIDE COPY MKDIR: makes the Windows layout of side a or b with the
# given copy and mkdir commands (each takes a path in the volume).
layout() {
	local s=$1 copy=$2 mk=$3
	$mk Windows
	$mk Windows/System32
	$mk Windows/System32/config
	$mk Users
	$mk Users/alice
	$mk Users/alice/AppData
	$mk Users/alice/AppData/Local
	$mk Users/alice/AppData/Local/Microsoft
	$mk Users/alice/AppData/Local/Microsoft/Windows
	$mk Windows/ServiceProfiles
	$mk Windows/ServiceProfiles/LocalService
	$copy "$FIX/persist_system_$s.hiv" Windows/System32/config/SYSTEM
	$copy software.hiv Windows/System32/config/SOFTWARE
	$copy "$FIX/$([ "$s" = a ] && echo base || echo changed).hiv" \
		Windows/ServiceProfiles/LocalService/NTUSER.DAT
	$copy "$FIX/persist_ntuser_$s.hiv" Users/alice/NTUSER.DAT
	$copy "$FIX/persist_usrclass_$s.hiv" Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat
}

# FAT32 through mtools: MTOOLS_IMG is the image (with @@OFFSET for a partition).
fat_mk() { mmd -i "$MTOOLS_IMG" "::/$1"; }
fat_copy() { mcopy -i "$MTOOLS_IMG" "$1" "::/$2"; }
export MTOOLS_SKIP_CHECK=1

# fat_format IMG SIZE_MIB: a FAT32 file system on IMG (a file or file@@offset).
fat_format() {
	mformat -i "$1" -F -c 1 -T $(($2 * 2048)) -h 64 -s 32 ::
}

for s in a b; do
	truncate -s 40M win_$s.fat
	fat_format win_$s.fat 40
	MTOOLS_IMG=win_$s.fat layout $s fat_copy fat_mk
done
ewfacquire -u -q -t win_b -f encase6 -c deflate:fast -d sha1 win_b.fat >/dev/null
split -b 20M -d -a 3 --numeric-suffixes=1 win_b.fat win_b.

# Two partitions of 40 MiB each, at 1 MiB and 41 MiB.
truncate -s 82M two.raw
printf 'label: dos\nstart=2048, size=81920, type=c\nstart=83968, size=81920, type=c\n' |
	sfdisk -q two.raw
fat_format two.raw@@$MiB 40
MTOOLS_IMG=two.raw@@$MiB layout a fat_copy fat_mk
fat_format two.raw@@$((41 * MiB)) 40
MTOOLS_IMG=two.raw@@$((41 * MiB)) layout b fat_copy fat_mk

truncate -s 43M none.raw
printf 'label: dos\nstart=2048, size=81920, type=c\nstart=83968, size=2048, type=7\n' |
	sfdisk -q none.raw
fat_format none.raw@@$MiB 40
mmd -i none.raw@@$MiB ::/Data
mcopy -i none.raw@@$MiB "$FIX/base.hiv" ::/Data/base.hiv
# BitLocker's volume header: "-FVE-FS-" at byte 3 and the boot signature.
printf '\353\130\220-FVE-FS-' | dd of=none.raw bs=1 seek=$((41 * MiB)) conv=notrunc status=none
printf '\125\252' | dd of=none.raw bs=1 seek=$((41 * MiB + 510)) conv=notrunc status=none

cp win_a.fat damaged.fat
printf '\0\0' | dd of=damaged.fat bs=1 seek=11 conv=notrunc status=none

# NTFS: made by mkntfs, filled through ntfs-3g (FUSE).
ntfs_skip() {
	echo "$*" >ntfs.skip
	exit 0
}
[ -e /dev/fuse ] || ntfs_skip "no /dev/fuse: NTFS images need an ntfs-3g FUSE mount"
command -v mkntfs >/dev/null && command -v ntfs-3g >/dev/null ||
	ntfs_skip "mkntfs or ntfs-3g missing (Debian ntfs-3g)"
for s in a b; do
	truncate -s 24M ntfs_$s.vol
	mkntfs -F -Q -q ntfs_$s.vol 2>/dev/null
	mkdir -p mnt_$s
	ntfs-3g ntfs_$s.vol mnt_$s 2>ntfs_mount.err || ntfs_skip "ntfs-3g cannot mount: $(head -c 200 ntfs_mount.err)"
	ntfs_copy() { cp "$1" "mnt_$s/$2"; }
	ntfs_mk() { mkdir "mnt_$s/$1"; }
	layout $s ntfs_copy ntfs_mk
	umount mnt_$s
	rmdir mnt_$s
done
truncate -s 26M ntfs_a.raw
printf 'label: dos\nstart=2048, size=49152, type=7\n' | sfdisk -q ntfs_a.raw
dd if=ntfs_a.vol of=ntfs_a.raw bs=$MiB seek=1 conv=notrunc status=none
truncate -s 26M ntfs_b.gpt
printf 'label: gpt\nstart=2048, size=49152, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\n' |
	sfdisk -q ntfs_b.gpt
dd if=ntfs_b.vol of=ntfs_b.gpt bs=$MiB seek=1 conv=notrunc status=none
ewfacquire -u -q -t ntfs_b -f encase6 -c deflate:fast -d sha1 ntfs_b.gpt >/dev/null
rm -f ntfs_a.vol ntfs_b.vol ntfs_mount.err
