# Dirty hives and their transaction logs: fixtures made by
# tests/tools/mklogs.py from base.hiv (the stale primary) and changed.hiv
# (what the logs make of it), each with its exact outcome.
. "$(dirname "$0")/lib.sh"
need_fixtures
TOOLS=$(dirname "$0")/../tools
python3 "$TOOLS/mklogs.py" "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv" sets ||
	fail "mklogs.py failed"
AFTER=$FIXTURES/changed.hiv

# logs_line SET: the "logs:" line regdiff info shows for sets/SET/hive.
logs_line() {
	run shot -q -o "$1.rds" "sets/$1/hive"
	expect_ok 0
	run info "$1.rds"
	expect_ok 0
	grep '^    logs: ' out | sed 's/^    logs: //'
}

# expect_set SET TOTAL LINE: its info line, and the total of changes against
# changed.hiv (0: the logs made it whole).
expect_set() {
	got=$(logs_line "$1")
	[ "$got" = "$3" ] || fail "$1: logs line
got:  $got
want: $3"
	run compare "sets/$1/hive" "$AFTER"
	total=$(sed -n 's/^Total changes: //p' out)
	[ "$total" = "$2" ] || fail "$1: $total changes against changed.hiv, want $2"
}

# The input files' bytes before any shot, to check nothing wrote to them.
find sets -type f | sort | xargs cat | cksum >sums.before

expect_set new 0 "dirty, logs applied: 3 entries, 5 pages from hive.LOG1, hive.log2; sequence 6"
expect_set badhash 50 "dirty, logs applied: 1 entry, 1 page from hive.LOG1; sequence 4; replay stopped: hive.LOG1: log entry 5 (at 0x1400) is damaged: its data hash is wrong"
expect_set gap 50 "dirty, logs not applied (no log entry 4, the logs go on at entry 5 in hive.LOG1): primary read as it is, sequence 5"
expect_set stale 50 "dirty, logs not applied (the logs are stale: their newest entry is 3, the hive needs 4): primary read as it is, sequence 5"
expect_set old 0 "dirty, logs applied: 1 entry, 17 pages from hive.LOG; sequence 5"
expect_set badbase 0 "dirty, logs applied: 3 entries, 5 pages from hive.LOG1; sequence 6"
expect_set truncated 0 "dirty, logs applied: 1 entry, 18 pages from hive.LOG1; sequence 4"

# Without the logs the primary is read as it is, and that is said.
run compare --no-logs sets/new/hive "$AFTER"
expect_ok 1
grep -qx 'Logs 1: hive: dirty, log replay turned off: primary read as it is, sequence 5' out ||
	fail "--no-logs: no Logs line in the TXT header"
grep -qx 'Total changes: 50' out || fail "--no-logs: the stale primary should differ"
run compare --logs=off sets/new/hive "$AFTER"
expect_ok 1

# --logs=require refuses a dirty hive whose logs cannot be applied...
run shot -q --logs=require -o req.rds sets/gap/hive
expect_rc 2
expect_empty out
[ "$(lines err)" -eq 1 ] || fail "require: want one line of error"
grep -q "sets/gap/hive: dirty hive (sequence numbers 5/4) and its logs cannot be applied: no log entry 4" err ||
	fail "require: unclear message: $(cat err)"
[ ! -e req.rds ] || fail "require: a snapshot was written"
# ... and takes one whose logs apply.
run shot -q --logs=require -o req.rds sets/new/hive
expect_ok 0
run shot -q --logs=maybe -o req.rds sets/new/hive
expect_usage_error

# Every report format says it: JSON lines as a meta record first.
run compare --format jsonl sets/gap/hive "$AFTER"
expect_ok 1
[ "$(head -n 1 out)" = '{"meta":"logs","side":"before","mount":"hive","state":"not_applied","entries":0,"pages":0,"sequence":5,"files":"hive.LOG1, hive.LOG2","reason":"no log entry 4, the logs go on at entry 5 in hive.LOG1"}' ] ||
	fail "jsonl: meta record: $(head -c 400 out)"
if "$REGDIFF" --version | grep -q '+html'; then
	run compare --format html -o r.html sets/badhash/hive "$AFTER"
	expect_ok 1
	grep -q 'Transaction logs' r.html || fail "html: no Transaction logs row"
	grep -q 'replay stopped: hive.LOG1: log entry 5' r.html || fail "html: no reason"
fi

# Damaged logs of every kind (bytes of the base block, an entry's header,
# its page references, its pages; the DIRT vector and pages of an old log)
# replay what stays valid or are refused with a reason, never a crash.
mkdir flips
for set_log in new/hive.LOG1 old/hive.LOG; do
	size=$(wc -c <"sets/$set_log")
	for at in 0 4 8 28 40 508 512 516 520 524 528 532 552 560 600 1024 2000 4096 \
		$((size / 2)) $((size - 1)); do
		[ "$at" -lt "$size" ] || continue
		rm -rf flips/set && cp -r "sets/$(dirname "$set_log")" flips/set
		printf '\377' | dd of="flips/set/$(basename "$set_log")" bs=1 seek="$at" \
			conv=notrunc 2>/dev/null
		run shot -q -o flip.rds flips/set/hive
		if [ "$rc" -eq 0 ]; then
			run info flip.rds
			expect_ok 0
			grep -q '^    logs: dirty, logs' out || fail "$set_log byte $at: no logs line"
		else
			expect_rc 2
			[ "$(lines err)" -eq 1 ] || fail "$set_log byte $at: want one line of error"
		fi
	done
done

# The user's files were only read.
find sets -type f | sort | xargs cat | cksum >sums.after
cmp -s sums.before sums.after || fail "a hive or log file was modified by a shot"
echo "ok"
