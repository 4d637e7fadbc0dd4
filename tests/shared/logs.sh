#!/usr/bin/env bash
# Transaction-log replay over the real dirty hives of ../shared/hives:
# Windows' own recoveries (yarp's RecoveredHive_*) must be matched exactly,
# broken logs must be refused with their reason, and every other dirty set
# must replay or say why it stopped.
#
#   logs.sh REGDIFF WORK HIVES
set -u
REGDIFF=$1 WORK=$2 H=$3
if [ ! -d "$H" ]; then
	echo "SKIP: $H is absent (the shared hive corpus)" >&2
	exit 77
fi
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
Y=$H/yarp/hives_for_tests
failed=0
fail() { printf 'FAIL: %s\n' "$*" >&2; failed=1; }

# logs_of FILE: the "logs:" line of a shot of FILE ("" for a clean hive).
logs_of() {
	if ! "$REGDIFF" shot -q -o "$WORK/s.rds" "x=$1" 2>"$WORK/err"; then
		fail "$1: shot failed: $(cat "$WORK/err")"
		return
	fi
	"$REGDIFF" info "$WORK/s.rds" | sed -n 's/^    logs: //p'
}

# expect_same HIVE RECOVERED: no change between them once HIVE is replayed.
expect_same() {
	local total
	total=$("$REGDIFF" compare "$1" "$2" | sed -n 's/^Total changes: //p')
	[ "$total" = 0 ] || fail "$1 vs $2: $total changes, want 0"
}

# expect_logs FILE PATTERN: the logs line matches PATTERN (grep -E).
expect_logs() {
	local got
	got=$(logs_of "$1")
	printf '%s\n' "$got" | grep -qE -- "$2" || fail "$1: logs: '$got', want /$2/"
}

expect_same "$Y/NewDirtyHive1/NewDirtyHive" "$Y/NewDirtyHive1/RecoveredHive_Windows10"
expect_same "$Y/NewDirtyHive2/NewDirtyHive" "$Y/NewDirtyHive1/RecoveredHive_Windows10"
expect_same "$Y/OldDirtyHive/OldDirtyHive" "$Y/OldDirtyHive/RecoveredHive_Windows7"
expect_same "$Y/BadBaseBlockHive/BadBaseBlockHive" "$Y/OldDirtyHive/RecoveredHive_Windows7"
expect_logs "$Y/NewDirtyHive1/NewDirtyHive" \
	'^dirty, logs applied: 4 entries, 4 pages from NewDirtyHive.LOG1, NewDirtyHive.LOG2; sequence 5$'
expect_logs "$Y/NewDirtyHive2/NewDirtyHive" \
	'^dirty, logs applied: 3 entries, 3 pages from NewDirtyHive.LOG2; sequence 5$'
expect_logs "$Y/OldDirtyHive/OldDirtyHive" \
	'^dirty, logs applied: 1 entry, 64 pages from OldDirtyHive.LOG1; sequence 5$'
expect_logs "$Y/BadBaseBlockHive/BadBaseBlockHive" \
	'^dirty, logs applied: 1 entry, 64 pages from BadBaseBlockHive.LOG1; sequence 5$'
expect_logs "$Y/BadLogHive1/BadLogHive" \
	'^dirty, logs not applied \(BadLogHive.LOG1: its base block checksum is wrong; BadLogHive.LOG2: empty\)'
expect_logs "$Y/BadLogHive2/BadLogHive" \
	"^dirty, logs not applied \(BadLogHive.LOG1: its dirty vector is damaged \(no 'DIRT' signature\)"
expect_logs "$Y/BadLogHive3/BadLogHive" \
	'^dirty, logs not applied \(BadLogHive.LOG1: its base block checksum is wrong; BadLogHive.LOG2: its base block checksum is wrong\)'
# Stale and broken logs leave the primary as it is: as libhivex reads it.
"$REGDIFF" compare -q "$Y/BadLogHive1/BadLogHive" "$Y/OldDirtyHive/RecoveredHive_Windows7" >/dev/null
[ $? = 1 ] || fail "BadLogHive1: the primary should be read as it is (differences expected)"
# A sequence gap: logs newer than the primary but not continuing it.
R=$H/regipy/regipy_tests/data
expect_logs "$R/SYSTEM_B" \
	'^dirty, logs not applied \(no log entry 1621, the logs go on at entry 2107 in SYSTEM_B.LOG1\)'
expect_logs "$R/UsrClass.dat" '^dirty, logs not applied \(no log entry 255, '
expect_logs "$R/transactions_NTUSER.DAT" \
	'^dirty, logs applied: 23 entries, 132 pages from transactions_ntuser.dat.log1; sequence 588$'
expect_logs "$H/frnsc-hive/artifacts/SECURITY" \
	'^dirty, logs applied: 2 entries, [0-9]+ pages? from SECURITY.LOG1, SECURITY.LOG2; sequence 140$'
expect_logs "$H/frnsc-hive/artifacts/SAM" '^$'
expect_logs "$H/dfwinreg/test_data/NTUSER.DAT" '^$'
for f in "$H"/DFIRArtifactMuseum/Windows/Amcache/*/*/Amcache.hve "$H"/nt-hive2/tests/data/*/NewDirtyHive; do
	expect_logs "$f" '^(|dirty, logs (applied: .*|not applied \(.+\): primary read as it is.*))$'
done
# --logs=require: refused with the reason, exit 2.
"$REGDIFF" shot -q --logs=require -o "$WORK/r.rds" "$R/SYSTEM_B" 2>"$WORK/err"
[ $? = 2 ] && grep -q 'its logs cannot be applied: no log entry 1621' "$WORK/err" ||
	fail "require on SYSTEM_B: $(cat "$WORK/err")"
[ $failed = 0 ] && echo "ok"
exit $failed
