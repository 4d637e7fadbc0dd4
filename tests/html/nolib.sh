# libxml2 is loaded when the first HTML report is made, not by the dynamic
# loader (lib/html_dl.c): with a library of its soname that lacks its
# functions, regdiff starts and writes TXT and JSON lines reports as it
# always did, and an HTML report fails with one line naming the output,
# the library and dlerror's reason, leaving no output file, before any
# work (watch runs no command).
#   sh nolib.sh REGDIFF FIXTURE_DIR WORK_DIR LIBREGDIFF SONAME STUB
# (STUB: tests/html/stub_xml2.c built as a library).
set -eu
REGDIFF=$1
FIXTURES=$2
WORK=$3
LIB=$4 SONAME=$5 STUB=$6
# shellcheck source=../testlib.sh
. "$(dirname "$0")/../testlib.sh"
[ -n "$FIXTURES" ] || skip "no fixture hives in this build (hivex missing)"
work_dir "$WORK"

# Neither the library nor the tool asks the dynamic loader for it.
for _f in "$LIB" "$REGDIFF"; do
	readelf -d "$_f" >dyn || fail "readelf -d $_f failed"
	grep -q NEEDED dyn || fail "readelf -d $_f: no NEEDED entries at all"
	! grep -F "NEEDED" dyn | grep -F "[$SONAME]" || fail "$_f still needs $SONAME"
done

mkdir stub
cp "$STUB" "stub/$SONAME"
# nolib ARGS...: run with the stub in place of libxml2.
nolib() {
	rc=0
	LD_LIBRARY_PATH=$WORK/stub "$REGDIFF" "$@" >out 2>err || rc=$?
	last="regdiff $* (no libxml2)"
}
A=$FIXTURES/base.hiv B=$FIXTURES/changed.hiv

nolib --version
expect_ok 0
grep -q '^features: .*+html' out || fail "$last: $(cat out)"

# TXT and JSON lines, to a file and to standard output, as with libxml2.
for _f in txt jsonl; do
	run compare -f "$_f" -o "want.$_f" "$A" "$B"
	want_rc=$rc
	nolib compare -f "$_f" -o "got.$_f" "$A" "$B"
	expect_rc "$want_rc"
	expect_empty err
	[ "$_f" = jsonl ] || sed -i '/^Datetime: /d' "want.$_f" "got.$_f"
	expect_same "want.$_f" "got.$_f"
done
nolib compare -f jsonl "$A" "$B"
expect_rc 1
expect_same want.jsonl out

# HTML: one line, status 2, and no file: neither the output nor a
# temporary file beside it, and a file already there is left as it was.
why="cannot load $SONAME ($WORK/stub/$SONAME: undefined symbol: xmlFreeTextWriter)"
mkdir reports
nolib compare -f html -o reports/new.html "$A" "$B"
expect_rc 2
expect_empty out
echo "regdiff: reports/new.html: HTML reports need libxml2: $why" >want
expect_same want err
[ -z "$(ls -A reports)" ] || fail "$last: left $(ls -A reports)"
echo 'an earlier report' >reports/old.html
cp reports/old.html keep.html
nolib compare -f html -o reports/old.html "$A" "$B"
expect_rc 2
expect_same keep.html reports/old.html
[ "$(ls -A reports)" = old.html ] || fail "$last: left $(ls -A reports)"
# watch: refused before the first shot, the command never run.
cp "$A" w.hiv
nolib watch -f html -o reports/w.html w.hiv -- sh -c 'echo ran >ran'
expect_rc 2
expect_empty out
echo "regdiff: reports/w.html: HTML reports need libxml2: $why" >want
expect_same want err
[ ! -e ran ] || fail "$last: ran the command"
[ "$(ls -A reports)" = old.html ] || fail "$last: left $(ls -A reports)"
# To standard output: nothing written.
nolib compare -f html "$A" "$B"
expect_rc 2
expect_empty out
echo "regdiff: HTML reports need libxml2: $why" >want
expect_same want err
echo "PASS"
