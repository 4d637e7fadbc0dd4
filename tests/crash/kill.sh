#!/usr/bin/env bash
# Kill tests: an output written with -o appears whole or not at all, even
# when the process is killed with SIGKILL, which no program can catch.
#
#   kill.sh shot|compare REGDIFF MKHIVE WORK
#
# Makes a hive with MKHIVE (4,000 keys, 8,000 values, 4 MB; larger ones
# take minutes to make under ASan), mounted as many times as it takes for
# one run to last about a second. Writes a good output (a snapshot, or a
# TXT report of everything added), then starts the same command again in
# rounds of ten, killing each run after a delay spread over the time the
# output is being written (seen by polling a run before each round). After
# each kill, the output must be byte for byte the good one and still pass
# `regdiff info` (snapshots) - or, if the run got as far as its rename, a
# complete new output. At least five kills must have struck while the
# temporary file was being written (in up to four rounds), or the test
# proved nothing and fails.
#
# A killed run cannot remove its temporary file: OUT.tmp-XXXXXX may stay
# beside OUT (README, "Reliability"). Nothing else may: the test checks
# that and then removes them.
set -u

if [ $# -ne 4 ] || { [ "$1" != shot ] && [ "$1" != compare ]; }; then
	echo "usage: $0 shot|compare REGDIFF MKHIVE WORK" >&2
	exit 2
fi
mode=$1 regdiff=$2 mkhive=$3 work=$4
# shellcheck source=../testlib.sh
. "$(dirname "$0")/../testlib.sh"
# Milliseconds, without a process (bash 5): the polling below must not
# slow the run it watches.
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
set_now() { now=${EPOCHREALTIME/[.,]/} && now=$((now / 1000)); } # no subshell

mkdir -p "$work" && cd "$work" || exit 2
rm -f out out.tmp-* good.* snap.rds small.rds

if [ ! -f big.hiv ]; then
	awk 'BEGIN {
		print "filename \"\\??\\C:\\Users\\kill\\ntuser.dat\""
		for (i = 0; i < 40; i++)
			for (j = 0; j < 100; j++) {
				printf "key \"Software\\K%03d\\S%03d\"\n", i, j
				printf "  value \"Text\" REG_SZ \"value %d.%d, long enough to take some room\"\n", i, j
				printf "  value \"Blob\" REG_BINARY repeat 300 %02x\n", (i * 100 + j) % 256
			}
	}' >big.txt
	"$mkhive" big.txt big.tmp || fail "mkhive could not make the large hive"
	mv big.tmp big.hiv
fi

sources=()
set_sources() { # COUNT
	sources=()
	for ((i = 1; i <= $1; i++)); do
		sources+=("HKLM\\M$i=big.hiv")
	done
}
# The command's arguments and the exit status of a complete run. In
# compare mode, a report of everything in snap.rds added to a hive of a
# single key: its content depends on the snapshots only, so every
# complete run writes the same bytes.
set_args() {
	if [ "$mode" = compare ]; then
		args=(compare -q -o out small.rds snap.rds)
		expect=1
	else
		args=(shot -q -o out "${sources[@]}")
		expect=0
	fi
}
if [ "$mode" = compare ]; then
	printf 'root "ROOT"\n' >small.txt
	"$mkhive" small.txt small.hiv || fail "mkhive could not make the small hive"
	"$regdiff" shot -q -o small.rds "HKLM\\M1=small.hiv" || fail "shot of the small hive failed"
fi

# Mounts the hive more times until one run takes about a second.
count=1
for ((;;)); do
	set_sources $count
	if [ "$mode" = compare ]; then
		"$regdiff" shot -q -o snap.rds "${sources[@]}" || fail "shot of the large hive failed"
	fi
	set_args
	start=$(now_ms)
	"$regdiff" "${args[@]}"
	rc=$?
	took=$(($(now_ms) - start))
	[ $rc -eq $expect ] || fail "the first run exited $rc, not $expect"
	if [ $took -ge 800 ] || [ $count -ge 256 ]; then
		break
	fi
	count=$((count * (took < 100 ? 8 : 2)))
done
# Once more, warm: the kills are spread over the quicker of the two runs,
# so that most strike before the end.
start=$(now_ms)
"$regdiff" "${args[@]}" >/dev/null
rc=$?
again=$(($(now_ms) - start))
[ $rc -eq $expect ] || fail "the second run exited $rc, not $expect"
[ $again -ge $took ] || took=$again
[ $took -ge 300 ] || fail "a run takes only $took ms with $count mounts: too quick to kill"
if [ "$mode" = shot ]; then
	"$regdiff" info out >/dev/null || fail "info refuses the good snapshot"
fi
cp out good.out
echo "$mode: one run takes $took ms ($count mounts of the large hive)"

# When, in a run, the temporary output exists: from its creation to its
# rename. The parts of a run around it (reading the inputs; under ASan,
# the leak check at exit) and the run's speed vary with the machine's
# load, so each round of ten kills is spread over this window as seen by
# polling a run just before (with builtins only, so as not to slow it),
# and rounds go on, up to four, until five kills have struck while the
# temporary file was being written.
set_temp() { # temp: a temporary output there now, or empty
	local t=(out.tmp-*)
	temp=
	[ ! -e "${t[0]}" ] || temp=${t[0]}
}
exec {never}<> <(:)  # a pipe nothing writes: `read -t` on it is a sleep
nap() { read -r -t "$1" -u $never; }
probe_window() {
	local start t pid rc
	first=-1 last=-1
	set_now
	start=$now
	"$regdiff" "${args[@]}" >/dev/null &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		set_temp
		if [ -n "$temp" ]; then
			set_now
			t=$((now - start))
			[ $first -ge 0 ] || first=$t
			last=$t
		fi
		nap 0.003
	done
	wait $pid
	rc=$?
	set_now
	t=$((now - start))
	[ $rc -eq $expect ] || fail "the window probe run exited $rc, not $expect"
	if [ $first -lt 0 ] || [ $((10 * (last - first))) -lt $t ]; then
		first=0 last=$t # not seen for a tenth of the run: spread over it
	fi
	echo "$mode: round $round: the output is written from $first ms to $last ms"
}

midway=0 after=0 completed=0 kills=0
for ((round = 1; round <= 4 && midway < 5; round++)); do
	probe_window
	for ((k = 1; k <= 10; k++)); do
		kills=$((kills + 1))
		delay_ms=$((first + (last - first) * k / 11))
		"$regdiff" "${args[@]}" &
		pid=$!
		nap "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
		set_temp
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		rc=$?
		leftover=$(ls out.tmp-* 2>/dev/null)
		if [ $rc -eq 137 ]; then
			[ -n "$temp" ] && midway=$((midway + 1))
		elif [ $rc -eq $expect ]; then
			completed=$((completed + 1))
			[ -z "$leftover" ] || fail "run $kills completed but left $leftover"
		else
			fail "run $kills exited $rc before it was killed"
		fi
		if ! cmp -s out good.out; then
			# A run killed after its rename, or one that completed: a new
			# output, which must be whole (shots differ in their time).
			[ "$mode" = shot ] || fail "after kill $kills at $delay_ms ms the report differs from the good one"
			"$regdiff" info out >/dev/null || fail "after kill $kills at $delay_ms ms, info refuses the snapshot"
			"$regdiff" compare -q good.out out >/dev/null ||
				fail "after kill $kills at $delay_ms ms the snapshot holds other content"
			after=$((after + 1))
			cp out good.out
		elif [ "$mode" = shot ]; then
			"$regdiff" info out >/dev/null || fail "after kill $kills, info refuses the snapshot"
		fi
		for f in $leftover; do
			case $f in
			out.tmp-??????) rm -f "$f" ;;
			*) fail "unexpected file $f" ;;
			esac
		done
		echo "kill $kills at $delay_ms ms: exit $rc${temp:+, while writing $temp}${leftover:+, left $leftover}"
	done
done

extra=$(ls | grep -v -x -e big.hiv -e big.txt -e small.hiv -e small.txt -e small.rds \
	-e snap.rds -e out -e good.out)
[ -z "$extra" ] || fail "files left: $extra"
echo "$mode: $midway of $kills killed while writing, $after after the rename, $completed completed"
[ $midway -ge 5 ] || fail "only $midway kills struck while the output was being written"
rm -f out good.out snap.rds small.rds
echo "$mode: the earlier output survived every kill"
