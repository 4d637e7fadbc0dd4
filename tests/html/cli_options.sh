# regdiff compare's options for persistence and HTML: --locations FILE adds
# the user's own locations (and a bad file is one clear error), --full-data
# writes long binary data whole, --format html goes to standard output as
# well as to a file, and TXT-only options are refused with html.
#   sh cli_options.sh REGDIFF FIXTURE_DIR WORK_DIR
set -eu
REGDIFF=$1
FIXTURES=$2
WORK=$3
# shellcheck source=../testlib.sh
. "$(dirname "$0")/../testlib.sh"
[ -n "$FIXTURES" ] || skip "no fixture hives in this build (hivex missing)"
work_dir "$WORK"

"$REGDIFF" shot -q -o a.rds "HKLM\\SYSTEM=$FIXTURES/persist_system_a.hiv"
"$REGDIFF" shot -q -o b.rds "HKLM\\SYSTEM=$FIXTURES/persist_system_b.hiv"

# The built-in locations only.
run compare --format jsonl a.rds b.rds
[ "$rc" -eq 1 ] || fail "compare: status $rc"
[ "$(grep -c '"persistence"' out)" -eq 15 ] || fail "built-in: $(grep -c '"persistence"' out) flagged, want 15"
grep -q '"value":"DisplayName".*"persistence"' out && fail "built-in: DisplayName flagged"

# A file of the user's own, in the form of docs/persistence.md.
cat >mine.md <<'END'
# Service names are worth watching here.
| category | key | values | ATT&CK |
|---|---|---|---|
| service-name | `{CS}\Services\<name>` | `DisplayName` | T1036 |
END
run compare --format jsonl --locations mine.md a.rds b.rds
[ "$rc" -eq 1 ] && [ ! -s err ] || fail "--locations: status $rc: $(cat err)"
[ "$(grep -c '"persistence"' out)" -eq 18 ] || fail "--locations: $(grep -c '"persistence"' out) flagged, want 18"
[ "$(grep -c '"persistence":{"category":"service-name","attack":"T1036"}' out)" -eq 3 ] ||
	fail "--locations: the user's location not flagged 3 times"

printf 'ok | HKLM\\X | * | T1\nbad | HKLM\\\\X | * | T1\n' >bad.md
run compare --locations bad.md a.rds b.rds
[ "$rc" -eq 2 ] && [ ! -s out ] || fail "bad locations: status $rc"
[ "$(cat err)" = "regdiff: bad.md:2: an empty key name" ] || fail "bad locations: $(cat err)"
run compare --locations no-such.md a.rds b.rds
[ "$rc" -eq 2 ] && grep -q 'no-such.md' err || fail "missing locations file: $rc $(cat err)"

# HTML to standard output and to a file: the same page.
run compare --format html a.rds b.rds
[ "$rc" -eq 1 ] && [ ! -s err ] || fail "html to stdout: status $rc"
head -c 15 out | grep -q '^<!DOCTYPE html>' || fail "html: no doctype"
grep -q '<h2>Persistence: 15</h2>' out || fail "html: no 'Persistence: 15'"
mv out stdout.html
run compare --format html -o file.html a.rds b.rds
[ "$rc" -eq 1 ] && [ ! -s out ] || fail "html -o: status $rc"
sed 's/<td>20[0-9-]* [0-9:]*<\/td>/<td>T<\/td>/g' stdout.html >x1
sed 's/<td>20[0-9-]* [0-9:]*<\/td>/<td>T<\/td>/g' file.html >x2
cmp -s x1 x2 || fail "html: stdout and -o differ"

# Long binary data: shortened, or whole with --full-data.
cp "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv" .
run compare --format html base.hiv changed.hiv
grep -q '(40000 bytes; bytes 19968 to 20095 shown)' out || fail "html: the blob is not shortened"
run compare --format html --full-data base.hiv changed.hiv
grep -q 'bytes shown)' out && fail "--full-data: still shortened"
[ "$(grep -o '5A 5A 5A 5A 5A 5A 5A 5A' out | wc -l)" -gt 9000 ] || fail "--full-data: the blob is not whole"

# TXT-only options.
run compare --format html --crlf a.rds b.rds
[ "$rc" -eq 2 ] && [ ! -s out ] || fail "--crlf with html: status $rc"
echo "compare's persistence and HTML options work"
