#!/usr/bin/env bash
# Runs the libFuzzer targets of a build configured with the fuzz preset
# (cmake --preset fuzz && cmake --build --preset fuzz), each for a bounded
# time:
#
#   run.sh BUILD [SECONDS [TARGET...]]
#
# SECONDS per target (default 60); TARGETs among snapshot, report, hive
# (default all three), FUZZ_JOBS of them at a time (default 1). Seeds are
# made first (the fuzz_seeds ctest test, into BUILD/tests/fuzz/seeds); the
# seeds and the regression inputs (tests/fuzz/regressions/TARGET) run
# before any mutation, so a crash found before fails again at once. What a
# run learns is kept in BUILD/fuzz/corpus/TARGET, so later runs start from
# there. A crash, leak, sanitizer report or input slower than FUZZ_TIMEOUT
# seconds (default 10) is a failure: its input is left in
# BUILD/fuzz/artifacts/TARGET/ and the run's log in BUILD/fuzz/TARGET.log.
# Make each one a regression test by copying the input to
# tests/fuzz/regressions/TARGET/ under a name that says what it does.
# Ends with "fuzz: N passed, M failed"; exits 1 if any failed.
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 BUILD [SECONDS [TARGET...]]" >&2
	exit 2
fi
build=$(cd "$1" && pwd) || exit 2
work=$build/fuzz
mkdir -p "$work" || exit 2
seconds=${2:-60}
shift $(($# < 2 ? $# : 2))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(snapshot report hive)
src=$(cd "$(dirname "$0")" && pwd)
seeds=$build/tests/fuzz/seeds

if ! ctest --test-dir "$build" -R '^fuzz_seeds$' --output-on-failure >"$work/seeds.log" 2>&1 ||
	! [ -d "$seeds/snapshot" ]; then
	cat "$work/seeds.log"
	echo "fuzz: making the seed corpora failed"
	exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Runs target $1; its summary line goes to $work/$1.result, and the exit
# status of the fuzzer to $work/$1.rc.
run_one() {
	local t=$1 bin=$build/tests/fuzz_$1 max_len dict=() start rc runs cov
	if [ ! -x "$bin" ]; then
		echo "fuzz $t: $bin is missing: configure with the fuzz preset" >"$work/$t.result"
		echo 2 >"$work/$t.rc"
		return
	fi
	case $t in
	snapshot) max_len=65536 ;;
	hive) max_len=131072 ;;
	*) max_len=8192 ;;
	esac
	[ -f "$src/$t.dict" ] && dict=(-dict="$src/$t.dict")
	mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
	start=$(date +%s)
	"$bin" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
		-max_len=$max_len -artifact_prefix="$work/artifacts/$t/" -print_final_stats=1 \
		"${dict[@]}" "$work/corpus/$t" "$seeds/$t" "$src/regressions/$t" >"$work/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -n 1)
	echo "fuzz $t: exit $rc, ${runs:-?} inputs in $(($(date +%s) - start)) s, $cov, corpus $(ls "$work/corpus/$t" | wc -l)" >"$work/$t.result"
	echo $rc >"$work/$t.rc"
}

# FUZZ_JOBS targets at a time (default 1).
running=0
for t in "${targets[@]}"; do
	rm -f "$work/$t.result" "$work/$t.rc"
	run_one "$t" &
	running=$((running + 1))
	if [ $running -ge "${FUZZ_JOBS:-1}" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

passed=0 failed=0
for t in "${targets[@]}"; do
	cat "$work/$t.result" 2>/dev/null || echo "fuzz $t: gave no result"
	if [ "$(cat "$work/$t.rc" 2>/dev/null)" = 0 ]; then
		passed=$((passed + 1))
		continue
	fi
	failed=$((failed + 1))
	if [ -f "$work/$t.log" ]; then
		echo "---- $t: end of $work/$t.log"
		tail -n 80 "$work/$t.log"
		echo "---- $t: inputs kept in $work/artifacts/$t:"
		ls -la "$work/artifacts/$t"
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
