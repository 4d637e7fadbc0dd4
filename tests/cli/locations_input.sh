# --locations reads its table to the end of the file, whatever the file
# is: a pipe or /dev/stdin has no size to go by.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
B="HKU\\alice=$FIXTURES/base.hiv"
A="HKU\\alice=$FIXTURES/changed.hiv"
cat >mine.md <<'EOF2'
| category | key | values | ATT&CK |
|---|---|---|---|
| mine | `{U}\Software\Defaults\Added` | `*` | T1547.001 |
EOF2
flagged() {
	grep -c '"key":"HKU\\\\alice\\\\Software\\\\Defaults\\\\Added".*"persistence":{"category":"mine"' out || true
}
run compare --format jsonl --locations mine.md "$B" "$A"
expect_ok 1
[ "$(flagged)" -eq 1 ] || fail "$last: the location does not flag its value"
cp out want.jsonl

run compare --format jsonl --locations /dev/stdin "$B" "$A" <mine.md
expect_ok 1
expect_same want.jsonl out
rc=0
cat mine.md | "$REGDIFF" compare --format jsonl --locations /dev/stdin "$B" "$A" >out 2>err || rc=$?
last="regdiff compare --locations /dev/stdin (a pipe)"
expect_ok 1
expect_same want.jsonl out
mkfifo fifo
cat mine.md >fifo &
run compare --format jsonl --locations fifo "$B" "$A"
wait
expect_ok 1
expect_same want.jsonl out

# Past 16 MiB it is no table: refused, from a pipe too, with one line.
rc=0
head -c 17000000 /dev/zero | tr '\0' ' ' |
	"$REGDIFF" compare --locations /dev/stdin "$B" "$A" >out 2>err || rc=$?
last="regdiff compare --locations /dev/stdin (17 MB)"
expect_error "/dev/stdin: larger than 16 MiB: not a table of locations"
