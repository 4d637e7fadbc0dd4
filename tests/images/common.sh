# Shared by the image tests, sourced after tests/cli/lib.sh, which they run
# as: sh TEST.sh REGDIFF FIXTURE_DIR IMAGES_DIR WORK_DIR
IMAGES=$GOLDEN
[ -f "$IMAGES/win_a.fat" ] || fail "no images in $IMAGES (test images_make)"
# Each image under its own short name, so that messages and reports name
# it alike in every build folder.
for _f in "$IMAGES"/*; do
	ln -s "$_f" .
done
# A private TMPDIR, which regdiff's temporary copies must leave empty.
TMPDIR=$WORK/tmp
export TMPDIR
mkdir -p "$TMPDIR"
expect_tmp_empty() {
	if [ -n "$(ls -A "$TMPDIR")" ]; then
		ls -laR "$TMPDIR" >&2
		fail "$last: left files in TMPDIR"
	fi
}
# The images' bytes, checked unchanged at the end.
(cd "$IMAGES" && sha256sum ./*) >images.sha256
expect_images_unchanged() {
	(cd "$IMAGES" && sha256sum -c --quiet "$WORK/images.sha256") ||
		fail "an image was changed"
}
have_ntfs() {
	if [ -f "$IMAGES/ntfs.skip" ]; then
		echo "SKIP (NTFS part): $(cat "$IMAGES/ntfs.skip")" >&2
		return 1
	fi
}
