# regdiff watch with hive sources: shoot, run a command that changes the
# hive (through python3-hivex), shoot again, report; and how the command is
# run, waited for and reported on.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
# Debian's python3-hivex is for the system's python3, which a python3
# found first on PATH (pyenv, a venv) may not be.
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import hivex' 2>/dev/null; then
		PY=$p
		break
	fi
done
[ -n "$PY" ] || skip "no python3-hivex to change a hive with"
cp "$FIXTURES/base.hiv" hive.dat
SRC='HKU\alice=hive.dat'
cat >change.py <<'PY'
import sys, hivex
h = hivex.Hivex(sys.argv[1], write=True)
node = h.node_add_child(h.root(), "Watched")
h.node_set_value(node, {"key": "Sample", "t": 1, "value": "r\0u\0n\0\0\0".encode()})
h.commit(None)
PY

# The change is reported; each shot reads the hive afresh. watch is a
# live run: the noise profile is on, and the report says so.
run watch --format jsonl "$SRC" -- "$PY" change.py hive.dat
expect_ok 1
sed 's/"time":"[^"]*"/"time":"T"/' out >changes.jsonl
cat >want <<'EOF2'
{"op":"key_added","key":"HKU\\alice\\Watched","time":"T"}
{"op":"value_added","key":"HKU\\alice\\Watched","value":"Sample","type":"REG_SZ","data":"run","data_hex":"720075006e000000"}
{"meta":"filters","noise":"2026.11","rules":58,"removed":0,"kept":0,"by_rule":[]}
EOF2
expect_same want changes.jsonl

# A dropper: the command starts a process that changes the hive a second
# later and exits at once. The second shot waits for that process too.
cp "$FIXTURES/base.hiv" hive.dat
run watch --format jsonl "$SRC" -- sh -c "(sleep 1; '$PY' change.py hive.dat) </dev/null >/dev/null 2>&1 & exit 0"
expect_ok 1
sed 's/"time":"[^"]*"/"time":"T"/' out >dropped.jsonl
expect_same want dropped.jsonl

# --locations: the user's own location flags the value it names, and only
# that; a bad file is trouble before the command runs.
cp "$FIXTURES/base.hiv" hive.dat
cat >mine.md <<'EOF2'
| category | key | values | ATT&CK |
|---|---|---|---|
| watched | `{U}\Watched` | `Sample` | T1547.001 |
EOF2
run watch --format jsonl --locations mine.md "$SRC" -- "$PY" change.py hive.dat
expect_ok 1
sed 's/"time":"[^"]*"/"time":"T"/' out >changes.jsonl
cat >want <<'EOF2'
{"op":"key_added","key":"HKU\\alice\\Watched","time":"T"}
{"op":"value_added","key":"HKU\\alice\\Watched","value":"Sample","type":"REG_SZ","data":"run","data_hex":"720075006e000000","persistence":{"category":"watched","attack":"T1547.001"}}
{"meta":"filters","noise":"2026.11","rules":58,"removed":0,"kept":0,"by_rule":[]}
EOF2
expect_same want changes.jsonl
printf 'bad | HKU\\\\X | * | T1\n' >bad.md
run watch --locations bad.md "$SRC" -- sh -c 'echo ran >ran'
expect_error "bad.md:1: an empty key name"
[ ! -e ran ] || fail "$last: the command ran though --locations was bad"

# The snapshots kept and the report in a file: what compare makes of them
# with the noise profile, which watch uses by default.
cp "$FIXTURES/base.hiv" hive.dat
run watch -q --before w1.rds --after w2.rds -o report.txt "$SRC" -- "$PY" change.py hive.dat
expect_ok 1
expect_empty out
run compare --noise default w1.rds w2.rds
expect_ok 1
expect_same report.txt out

# The command's output goes to stderr while the report takes stdout, and
# to stdout when the report goes to a file.
run watch --format jsonl "$SRC" -- sh -c 'echo from-the-command'
expect_rc 0
expect_empty out
[ "$(cat err)" = from-the-command ] || fail "$last: the command's output is not on stderr"
run watch -o report.txt "$SRC" -- sh -c 'echo from-the-command'
expect_ok 0
[ "$(cat out)" = from-the-command ] || fail "$last: the command's output is not on stdout"

# The command's own failure is shown, not passed on; -q keeps it quiet.
run watch "$SRC" -- sh -c 'exit 3'
expect_rc 0
[ "$(cat err)" = "regdiff: note: 'sh' exited with status 3" ] || {
	show
	fail "$last: no note of the exit status"
}
run watch "$SRC" -- sh -c 'kill -TERM $$'
expect_rc 0
[ "$(cat err)" = "regdiff: note: 'sh' was killed by signal 15" ] || {
	show
	fail "$last: no note of the signal"
}
run watch -q "$SRC" -- sh -c 'exit 3'
expect_ok 0

# --wait: the second shot is taken when the time is up, the command left
# running.
start=$(date +%s)
run watch --wait 0.5 "$SRC" -- sleep 5
expect_rc 0
[ $(($(date +%s) - start)) -lt 4 ] || fail "$last: waited for the command"
[ "$(cat err)" = "regdiff: note: 'sleep' was still running after the wait; it is left running" ] || {
	show
	fail "$last: no note that the command still runs"
}
run watch --wait 10 "$SRC" -- true
expect_ok 0

# Trouble: a command that cannot be run, a source that cannot be opened
# (before anything is run), bad usage.
run watch "$SRC" -- ./no-such-command
expect_error "watch: cannot run './no-such-command': No such file or directory"
run watch 'HKU\alice=no-such.hiv' -- sh -c 'echo ran >ran'
expect_error "no-such.hiv"
[ ! -e ran ] || fail "$last: the command ran though the source could not be opened"
run watch "$SRC"
expect_usage_error
run watch "$SRC" --
expect_usage_error
run watch --wait soon "$SRC" -- true
expect_usage_error
run watch --wait -1 "$SRC" -- true
expect_usage_error
run watch --format pdf "$SRC" -- true
expect_usage_error
run watch --format jsonl --crlf "$SRC" -- true
expect_usage_error
run watch --before - "$SRC" -- true
expect_usage_error
run watch --help
expect_ok 0
grep -q '^Usage: regdiff watch ' out || fail "$last: no usage"
for o in --locations --full-data; do
	grep -q "^      $o " out || fail "$last: $o missing"
done
