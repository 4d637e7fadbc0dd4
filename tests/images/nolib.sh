# libtsk and libewf are loaded when the first image is opened, not by the
# dynamic loader (lib/image_dl.c): without them a program starts, compares
# hives and names a file that is no image as it always did, and an image is
# refused with one line naming the library and why it cannot be loaded.
# Run as: sh nolib.sh REGDIFF FIXTURE_DIR "" WORK_DIR LIBREGDIFF TSK_SONAME
# [EWF_SONAME], where "unavailable" is a private LD_LIBRARY_PATH holding
# files of those names that are no libraries.
. "$(dirname "$0")/../cli/lib.sh"
need_fixtures
LIB=$5 TSK=$6 EWF=${7:-}

# Neither the library nor the tool asks the dynamic loader for them.
for _f in "$LIB" "$REGDIFF"; do
	readelf -d "$_f" >dyn || fail "readelf -d $_f failed"
	grep -q NEEDED dyn || fail "readelf -d $_f: no NEEDED entries at all"
	! grep -E 'NEEDED.*\[lib(tsk|ewf)\.so' dyn || fail "$_f still needs libtsk or libewf"
done

mkdir stub
for _n in "$TSK" $EWF; do
	printf 'not a library\n' >"stub/$_n"
done
# nolib ARGS...: run with the stubs in place of the libraries.
nolib() {
	rc=0
	LD_LIBRARY_PATH=$WORK/stub "$REGDIFF" "$@" >out 2>err || rc=$?
	last="regdiff $* (no libtsk)"
}

nolib --version
expect_ok 0
grep -q '^regdiff ' out || fail "$last: no version line"

# The same report, but for when the shots were taken.
run compare "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv"
normalise_datetime out
cp out want.out
cp err want.err
want_rc=$rc
nolib compare "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv"
expect_rc "$want_rc"
normalise_datetime out
expect_same want.out out
expect_same want.err err

# A file that is neither hive nor image: the hive opener's message.
yes 'not a hive and not a disk image either' | head -c 8192 >junk
nolib shot -o s.rds junk
expect_rc 2
expect_empty out
echo "regdiff: junk: not a registry hive (no 'regf' signature)" >want
expect_same want err

# An image (an MBR's boot signature, or a container's signature): refused, naming file, library and
# dlerror's reason, and no output file.
head -c 510 /dev/zero >disk.img
printf '\125\252' >>disk.img
# Containers known by their signature alone, with no boot sector: a VHDX
# (its first bytes), a fixed VHD (a footer in its last sector).
{ printf 'vhdxfile'; head -c 4088 /dev/zero; } >disk.vhdx
{ head -c 1536 /dev/zero; printf 'conectix'; head -c 504 /dev/zero; } >fixed.vhd
for _img in disk.img disk.vhdx fixed.vhd; do
	for _cmd in "shot -o s.rds" info; do
		# shellcheck disable=SC2086 # the command is words
		nolib $_cmd $_img
		expect_rc 2
		expect_empty out
		printf 'regdiff: %s: disk images need The Sleuth Kit: cannot load %s (%s/stub/%s: file too short)\n' \
			"$_img" "$TSK" "$WORK" "$TSK" >want
		expect_same want err
		[ ! -e s.rds ] || fail "$last: left s.rds"
	done
done
echo "PASS"
