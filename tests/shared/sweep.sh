#!/usr/bin/env bash
# Runs every file of the shared hive corpus through the regdiff CLI: hives,
# transaction logs, fragments and files corrupt on purpose alike.
#
#   sweep.sh REGDIFF SCRATCH HIVES [JOBS]
#
# For each file, `regdiff shot -q -o OUT FILE` must either succeed (exit 0),
# and then `regdiff info OUT` must succeed and `regdiff compare -q OUT FILE`
# must find no differences (exit 0, or 3 when parts could not be read), or refuse (exit 2) with exactly one
# line on stderr, starting "regdiff: " and naming the file, leaving no
# output or temporary file behind. Any other outcome - exit 1, a signal, a
# run of one command past SWEEP_TIMEOUT seconds (default 20: the largest
# hang) - is a failure. So is a command whose peak memory passes
# SWEEP_MAX_KB (unset: no bound; ctest sets 300000 where there are no
# sanitizers: the largest hive's compare takes about 40 MB) or whose
# processor time (user + system, which unlike the time on the clock does
# not grow with the machine's load) passes SWEEP_MAX_SECONDS (likewise,
# 10), measured by GNU time (/usr/bin/time, Debian's package time) when
# it is there. Prints "sweep: N hives ok, M refused, K failed", the
# largest peak memory and the longest processor time with their command,
# the refusals with their messages and the failures; exits 1 if any
# failed, 77 (a ctest skip) if HIVES does not exist.
#
# Files are checked JOBS at a time (default 2), each in a folder of its own
# under SCRATCH, so a stray temporary file is the one that file's run left.
set -u

if [ "${1-}" = --one ]; then
	# Worker: sweep.sh --one FILE, with SWEEP_REGDIFF and SWEEP_RUN set.
	file=$2
	work=$(mktemp -d "$SWEEP_RUN/f.XXXXXX") || exit 1
	out=$work/out # holds nothing but the snapshot
	mkdir "$out" || exit 1
	snap=$out/x.rds
	result() { # STATUS DETAIL
		if [ "$1" != failed ] && [ "${bounds_checked-}" != 1 ]; then
			bounds_checked=1
			bounded
		fi
		printf '%s\t%s\t%s\n' "$1" "$file" "$2" >"$work/result"
		exit 0
	}
	strays() { # the files in $out other than those named
		(cd "$out" && ls -A) | grep -v -x -F "$(printf '%s\n' "$@")"
	}
	describe() { # EXIT-STATUS
		case $1 in
		124) echo "timed out after $SWEEP_TIMEOUT s" ;;
		12[5-7]) echo "exit $1 (could not run)" ;;
		*) if [ "$1" -gt 128 ]; then echo "killed by signal $(($1 - 128))"; else echo "exit $1"; fi ;;
		esac
	}
	firstline() { head -n 1 "$1" | cut -c 1-300; }
	# run ARGS: each command's peak memory (KB) and time (s) are added
	# to $work/measures, one line "KB S COMMAND".
	run() {
		if [ -x /usr/bin/time ]; then
			timeout -k 5 "$SWEEP_TIMEOUT" /usr/bin/time -o "$work/time" -f '%M %U %S' \
				"$SWEEP_REGDIFF" "$@"
			local rc=$? m
			# With a non-zero status, GNU time writes a line before its own.
			m=$(tail -n 1 "$work/time" 2>/dev/null | awk 'NF == 3 { print $1, $2 + $3 }')
			[ -z "$m" ] || echo "$m $1" >>"$work/measures"
			return $rc
		fi
		timeout -k 5 "$SWEEP_TIMEOUT" "$SWEEP_REGDIFF" "$@"
	}
	# Fails the file when a command went past a bound.
	bounded() {
		[ -f "$work/measures" ] || return 0
		local kb s cmd
		while read -r kb s cmd; do
			if [ -n "${SWEEP_MAX_KB:-}" ] && [ "$kb" -gt "$SWEEP_MAX_KB" ]; then
				result failed "$cmd: $kb KB at its peak, over $SWEEP_MAX_KB KB"
			fi
			if [ -n "${SWEEP_MAX_SECONDS:-}" ] &&
				awk -v s="$s" -v m="$SWEEP_MAX_SECONDS" 'BEGIN { exit !(s > m) }'; then
				result failed "$cmd: $s s, over $SWEEP_MAX_SECONDS s"
			fi
		done <"$work/measures"
	}

	run shot -q -o "$snap" "$file" >"$work/shot.out" 2>"$work/shot.err"
	rc=$?
	case $rc in
	0)
		[ -f "$snap" ] || result failed "shot exit 0 but no $snap"
		s=$(strays x.rds) && result failed "shot left stray files: $s"
		run info "$snap" >"$work/info.out" 2>"$work/info.err"
		rc=$?
		[ $rc -eq 0 ] || result failed "info: $(describe $rc): $(firstline "$work/info.err")"
		run compare -q "$snap" "$file" >"$work/cmp.out" 2>"$work/cmp.err"
		rc=$?
		case $rc in
		# 3: no differences, but parts could not be read (a damaged
		# hive compared with its own snapshot).
		0 | 3) ;;
		1)
			# Differences, or a crash that exits 1 (a sanitizer's abort):
			# show stderr of the -q run and the start of a full report.
			run compare "$snap" "$file" >"$work/cmp.txt" 2>&1
			result failed "compare -q with its own snapshot: exit 1; stderr: $(head -n 3 "$work/cmp.err" | tr '\n' '|' | cut -c 1-300); report: $(head -n 12 "$work/cmp.txt" | tr '\n' '|' | cut -c 1-600)"
			;;
		*) result failed "compare: $(describe $rc): $(firstline "$work/cmp.err")" ;;
		esac
		s=$(strays x.rds) && result failed "info/compare left stray files: $s"
		result ok ""
		;;
	2)
		err=$work/shot.err
		msg=$(firstline "$err")
		if ! [ -s "$err" ] || [ "$(wc -l <"$err")" -ne 1 ] || [ -n "$(tail -c 1 "$err")" ]; then
			result failed "shot exit 2, but stderr is not one line: $(head -c 300 "$err" | tr '\n' '|')"
		fi
		case $msg in
		"regdiff: "*) ;;
		*) result failed "shot exit 2, but stderr does not start 'regdiff: ': $msg" ;;
		esac
		grep -q -F -- "$file" "$err" || result failed "shot exit 2, but the message does not name the file: $msg"
		s=$(strays) && result failed "shot failed but left files: $s"
		result refused "$msg"
		;;
	*)
		result failed "shot: $(describe $rc): $(firstline "$work/shot.err")"
		;;
	esac
fi

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
	echo "usage: $0 REGDIFF SCRATCH HIVES [JOBS]" >&2
	exit 2
fi
regdiff=$1 scratch=$2 hives=$3 jobs=${4:-2}
if [ ! -d "$hives" ]; then
	echo "SKIP: the shared hive folder $hives is absent"
	exit 77
fi
case $regdiff in /*) ;; *) regdiff=$PWD/$regdiff ;; esac
hives=$(cd "$hives" && pwd) || exit 2
mkdir -p "$scratch" || exit 2
run=$(mktemp -d "$scratch/run.XXXXXX") || exit 2
export SWEEP_REGDIFF=$regdiff SWEEP_RUN=$run SWEEP_TIMEOUT=${SWEEP_TIMEOUT:-20}

start=$(date +%s)
find "$hives" -path "$hives/_licenses" -prune -o -type f \
	! -path "$hives/README.md" ! -path "$hives/MANIFEST.md" \
	! -path "$hives/SHA256SUMS" ! -path "$hives/manifest.json" -print0 |
	sort -z >"$run/files"
xargs -0 -n 1 -P "$jobs" bash "$0" --one <"$run/files"
cat "$run"/f.*/result 2>/dev/null | sort >"$run/results"

total=$(tr -cd '\0' <"$run/files" | wc -c)
ok=$(grep -c '^ok	' "$run/results")
refused=$(grep -c '^refused	' "$run/results")
failed=$(grep -c '^failed	' "$run/results")
# A worker that died before writing its result is a failure too.
missing=$((total - ok - refused - failed))

echo "sweep: $ok hives ok, $refused refused, $((failed + missing)) failed ($(($(date +%s) - start)) s)"
# The largest peak memory and the longest time, with their file.
for f in "$run"/f.*; do
	[ -f "$f/measures" ] && sed "s|\$| $(cut -f 2 "$f/result" 2>/dev/null | sed "s|^$hives/||")|" "$f/measures"
done >"$run/measures"
if [ -s "$run/measures" ]; then
	echo "peak memory: $(sort -n -k 1 "$run/measures" | tail -n 1 | awk '{ v = $1; $1 = $2 = ""; print v " KB (" substr($0, 3) ")" }')"
	echo "longest (processor time): $(sort -n -k 2 "$run/measures" | tail -n 1 | awk '{ v = $2; $1 = $2 = ""; print v " s (" substr($0, 3) ")" }')"
fi
if [ "$refused" -gt 0 ]; then
	echo "refused:"
	grep '^refused	' "$run/results" | cut -f 2- | sed "s|^$hives/|  |; s|	|: |"
fi
if [ "$failed" -gt 0 ] || [ "$missing" -gt 0 ]; then
	echo "FAILED:"
	grep '^failed	' "$run/results" | cut -f 2- | sed "s|^$hives/|  |; s|	|: |"
	[ "$missing" -eq 0 ] || echo "  $missing file(s) gave no result at all"
	echo "(scratch kept in $run)"
	exit 1
fi
rm -rf -- "$run"
exit 0
