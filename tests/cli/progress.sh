# Progress: drawn on stderr only when it is a terminal, "\r"-updated and
# cleared at the end; -q (before or after the command) silences it. The
# terminal is a pseudo-terminal made by script(1).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
command -v script >/dev/null 2>&1 || skip "no script(1) to make a terminal"
cp "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv" .

# on_tty ARGS...: runs regdiff with stderr on a terminal, what it wrote
# there in ./tty.out (stdout goes to ./stdout).
on_tty() {
	cmd="'$REGDIFF'"
	for a in "$@"; do
		cmd="$cmd '$a'"
	done
	# script passes on regdiff's status; compare's 1 is no failure here.
	rc=0
	script -qec "$cmd >stdout" /dev/null >tty.out </dev/null || rc=$?
	[ "$rc" -le 1 ] || fail "$*: status $rc: $(od -c tty.out | head)"
}

on_tty shot -o base.rds base.hiv
# At least the first update is drawn: the keys and values read so far.
grep -q "$(printf '\r')shot: [0-9]* keys, [0-9]* values" tty.out || fail "shot: no progress: $(od -c tty.out | head)"
# The line is blanked and the cursor put back at its start.
tail -c 2 tty.out | od -c | grep -q ' \\r' || fail "shot: line not cleared: $(od -c tty.out | tail -n 3)"

on_tty compare -o report.txt base.hiv changed.hiv
# Two hives are shot at once: one count for both.
grep -q "$(printf '\r')before and after: [0-9]* keys, [0-9]* values" tty.out ||
	fail "compare: no progress of the shots: $(od -c tty.out | head)"
# A snapshot and a hive: the hive's shot alone.
on_tty compare -o report.txt base.rds changed.hiv
grep -q "$(printf '\r')after: [0-9]* keys, [0-9]* values" tty.out || fail "compare: no after progress"
# (The comparison itself reports every thousand keys or so: more than the
# fixtures have.)
tail -c 2 tty.out | od -c | grep -q ' \\r' || fail "compare: line not cleared"

# -q, in either place: not a byte.
for args in "-q shot -o base.rds base.hiv" "shot -q -o base.rds base.hiv" \
	"-q compare -o report.txt base.hiv changed.hiv" \
	"compare -q -o report.txt base.hiv changed.hiv"; do
	# shellcheck disable=SC2086 # words on purpose
	on_tty $args
	[ ! -s tty.out ] || fail "$args: wrote $(od -c tty.out | head -n 3)"
done

# Not a terminal: not a byte either.
run shot -o base.rds base.hiv
expect_ok 0
run compare -o report.txt base.hiv changed.hiv
expect_ok 1
