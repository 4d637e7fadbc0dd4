# Damaged and hostile images: each one through shot, info and compare gives
# a result or one clear line, never a crash (under ASan in the asan build),
# a hang, a stray output or a file left in TMPDIR. The variants are made
# here from the test images: bytes of boot sectors, FATs, folders and MFT
# records overwritten, partition tables pointing past the end, images cut
# short.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/common.sh"

# variant NAME SOURCE OFFSET BYTES...: a copy of SOURCE with the bytes
# (octal escapes for printf) written at OFFSET.
variant() {
	cp "$IMAGES/$2" "v_$1"
	chmod u+w "v_$1"
	printf "$4" | dd of="v_$1" bs=1 seek="$3" conv=notrunc status=none
}
MiB=1048576
FF='\377\377\377\377\377\377\377\377'
variant fat_sectors_per_cluster win_a.fat 13 '\000'
variant fat_reserved win_a.fat 14 '\377\377'
variant fat_nfats win_a.fat 16 '\000'
variant fat_root_cluster win_a.fat 44 '\377\377\377\017'
variant fat_total win_a.fat 32 "$FF"
variant fat_fatsize win_a.fat 36 '\377\377\377\177'
# The FAT itself, the root folder and the clusters after it.
for off in 16384 40000 $((3 * MiB)); do
	variant "fat_at_$off" win_a.fat "$off" "$FF$FF$FF$FF"
done
variant mbr_past_end two.raw 454 '\000\000\000\177\377\377\377\177'
variant mbr_overlap two.raw 470 '\000\010\000\000\000\000\010\000'
variant mbr_loop two.raw 450 '\005'
if [ ! -f "$IMAGES/ntfs.skip" ]; then
	variant ntfs_boot ntfs_a.raw $((MiB + 11)) '\000\000\000'
	variant ntfs_mft_cluster ntfs_a.raw $((MiB + 48)) "$FF"
	variant ntfs_record_size ntfs_a.raw $((MiB + 64)) '\177'
	for k in 5 20 40; do
		# Records of the MFT (1 KiB each), where mkntfs put it.
		mft=$(($(od -An -tu8 -j $((MiB + 48)) -N 8 "$IMAGES/ntfs_a.raw" | tr -d ' ') * 4096))
		variant "ntfs_record_$k" ntfs_a.raw $((MiB + mft + k * 1024 + 20)) "$FF$FF"
	done
fi
for n in 4096 1048576 5000000; do
	head -c "$n" "$IMAGES/two.raw" >"v_cut${n}_two.raw"
done
head -c 65536 "$IMAGES/win_b.E01" >v_cut_win_b.E01

for v in v_*; do
	for cmd in "info $v" "shot -o s.rds $v" \
		"shot -o s.rds $v@1:/Windows/System32/config/SYSTEM"; do
		rc=0
		# shellcheck disable=SC2086 # words on purpose
		timeout -k 5 60 "$REGDIFF" $cmd >out 2>err || rc=$?
		last="regdiff $cmd"
		case $rc in
		0 | 1 | 3) ;;
		2)
			[ "$(lines err)" -eq 1 ] && grep -q '^regdiff: ..' err || {
				show
				fail "$last: want one line on stderr"
			}
			;;
		*)
			show
			fail "$last: status $rc"
			;;
		esac
		rm -f s.rds
		expect_tmp_empty
		[ -z "$(ls -A | grep 'tmp-')" ] || fail "$last: left a partial output"
	done
done
expect_images_unchanged
