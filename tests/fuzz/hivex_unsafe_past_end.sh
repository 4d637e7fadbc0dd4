#!/bin/sh
# A hive whose base block claims more hive bins than the file holds, and
# that libhivex's normal mode refuses, must be refused: libhivex's unsafe
# mode would look for a bin one page past the end of the file, outside its
# map, which crashes when that page is not mapped (found by fuzz_hive; see
# tests/fuzz/regressions/README.md). Whether it crashes depends on the
# process's memory layout, so this checks the refusal instead.
#
#   hivex_unsafe_past_end.sh REGDIFF HIVE WORK
set -u
regdiff=$1 hive=$2 work=$3
mkdir -p "$work" && cd "$work" || exit 2
rm -f out.rds err
"$regdiff" shot -q -o out.rds "$hive" 2>err
rc=$?
if [ $rc -ne 2 ]; then
	echo "FAIL: shot exited $rc, expected 2 (refused); stderr:"
	cat err
	exit 1
fi
if [ "$(wc -l <err)" -ne 1 ] || ! grep -q "^regdiff: .*$(basename "$hive")" err; then
	echo "FAIL: not one line naming the file:"
	cat err
	exit 1
fi
[ ! -e out.rds ] || { echo "FAIL: a snapshot was written"; exit 1; }
echo "refused: $(cat err)"
