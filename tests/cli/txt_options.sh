# --comment, --crlf and --utf16 reach the TXT report: with the line ends and
# the encoding undone it is the plain report.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/software_a.hiv" "$FIXTURES/software_b.hiv" .
run -q shot -o a.rds software_a.hiv
run -q shot -o b.rds software_b.hiv

run compare --comment 'after the update' a.rds b.rds
expect_ok 1
cp out plain.txt
grep -qx 'Comments: after the update' plain.txt || fail "$(head -n 3 plain.txt)"
grep -q "$(printf '\r')" plain.txt && fail "CR without --crlf"

run compare --comment 'after the update' --crlf a.rds b.rds
expect_ok 1
[ "$(grep -c "$(printf '\r')\$" out)" -eq "$(lines out)" ] || fail "--crlf: not every line ends CR LF"
tr -d '\r' <out >crlf.txt
expect_same plain.txt crlf.txt

run compare --comment 'after the update' --utf16 -o utf16.txt a.rds b.rds
expect_ok 1
[ "$(od -An -tx1 -N 2 utf16.txt | tr -d ' ')" = fffe ] || fail "--utf16: no byte order mark"
tail -c +3 utf16.txt | iconv -f UTF-16LE -t UTF-8 >utf16-undone.txt
expect_same plain.txt utf16-undone.txt

run compare --comment 'after the update' --crlf --utf16 a.rds b.rds
expect_ok 1
tail -c +3 out | iconv -f UTF-16LE -t UTF-8 | tr -d '\r' >both.txt
expect_same plain.txt both.txt

# --output - is standard output.
run compare --comment 'after the update' -o - a.rds b.rds
expect_ok 1
expect_same plain.txt out

# --regshot: Regshot 1.9's first line, dates and separators, nothing else.
run compare --comment 'after the update' --regshot a.rds b.rds
expect_ok 1
[ "$(sed -n 1p out)" = "regdiff $REGDIFF_EXPECT_VERSION (Regshot 1.9 compatible) x64 ANSI" ] ||
	fail "--regshot: first line $(sed -n 1p out)"
sed -n 3p out | grep -Eq '^Datetime: [0-9]{4}(/[1-9][0-9]?){2} [0-9]{2}(:[0-9]{2}){2}  ,  [0-9]{4}(/[1-9][0-9]?){2} [0-9]{2}(:[0-9]{2}){2}$' ||
	fail "--regshot: $(sed -n 3p out)"
[ "$(sed -n 4,5p out)" = "$(printf 'Computer:   ,  \nUsername:   ,  ')" ] || fail "--regshot: $(sed -n 4,5p out)"
sed 1,5d out >regshot-body.txt
sed 1,5d plain.txt >plain-body.txt
expect_same plain-body.txt regshot-body.txt
run compare --regshot --utf16 a.rds b.rds
expect_ok 1
[ "$(tail -c +3 out | iconv -f UTF-16LE -t UTF-8 | sed -n 1p)" = "regdiff $REGDIFF_EXPECT_VERSION (Regshot 1.9 compatible) x64 Unicode" ] ||
	fail "--regshot --utf16: first line"
run compare --regshot --format jsonl a.rds b.rds
expect_usage_error
