# A UTF-8 byte order mark on TXT reports: --bom asks for one (EF BB BF
# first, then the report's bytes unchanged), --no-bom for none; without
# either, files get one on Windows only (tests/wine/linux_snapshot.sh), so
# not here. UTF-16LE keeps its own BOM alone; JSON lines never get one.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
# Snapshots, so that every report carries the same times.
run shot -q -o a.rds "$FIXTURES/base.hiv"
expect_ok 0
run shot -q -o b.rds "base.hiv=$FIXTURES/changed.hiv"
expect_ok 0
A=a.rds
B=b.rds

run compare "$A" "$B"
expect_ok 1
cp out plain.txt

run compare -o default.txt "$A" "$B"
expect_ok 1
cmp -s plain.txt default.txt || fail "no option: the file differs from stdout"

printf '\357\273\277' >want
cat plain.txt >>want
run compare --bom -o bom.txt "$A" "$B"
expect_ok 1
cmp -s want bom.txt || fail "--bom -o: $(od -c bom.txt | head -n 2)"
run compare --bom "$A" "$B"
expect_ok 1
cmp -s want out || fail "--bom to stdout: $(od -c out | head -n 2)"
run watch -q --bom -o watch.txt "$FIXTURES/base.hiv" -- true
[ "$(head -c 3 watch.txt | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
	fail "watch --bom: $(od -c watch.txt | head -n 2)"

run compare --bom --no-bom -o none.txt "$A" "$B"
expect_ok 1
cmp -s plain.txt none.txt || fail "--no-bom after --bom: a BOM"

run compare --bom --utf16 -o u16.txt "$A" "$B"
expect_ok 1
[ "$(head -c 4 u16.txt | od -An -tx1 | tr -d ' ')" = fffe7200 ] ||
	fail "--bom --utf16: $(od -An -tx1 u16.txt | head -n 1)"

run compare --bom --format jsonl "$A" "$B"
expect_rc 2
expect_empty out
grep -qxF 'regdiff: compare: --crlf, --utf16, --regshot and --bom are for the txt format only' err ||
	fail "$last: $(cat err)"
