#!/usr/bin/env bash
# .reg scripts on real hives from ../shared/hives: for each before/after
# pair, the redo script imported on a copy of BEFORE by an independent tool
# (hivexregedit --merge, tests/tools/regmerge.sh) leaves 0 changes against
# AFTER, and the undo script imported on a copy of AFTER 0 changes against
# BEFORE. The pairs: regipy's NTUSER.DAT and NTUSER_modified.DAT (a sample's
# changes), hivex's minimal and special (odd names and types), and two
# users' NTUSER.DAT (23,000 changes of every kind, deep trees added and
# deleted).
#
#   regscript.sh REGDIFF WORK HIVES
set -u
REGDIFF=$1 WORK=$2 H=$3
MERGE="$(cd "$(dirname "$0")/../tools" && pwd)/regmerge.sh"
if [ ! -d "$H" ]; then
	echo "SKIP: $H is absent (the shared hive corpus)" >&2
	exit 77
fi
command -v hivexregedit >/dev/null 2>&1 || {
	echo "SKIP: hivexregedit missing (Debian package libwin-hivex-perl)" >&2
	exit 77
}
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
failed=0
fail() { printf 'FAIL: %s\n' "$*" >&2; failed=1; }

# round_trip BEFORE AFTER [LEFT_OUT]: the hives are copied as before.hiv
# and after.hiv, so the scripts' keys start at the mount "before.hiv".
# LEFT_OUT: a key each script must leave out (its name cannot be written),
# the only changes that then remain, as they were.
# same_changes FILE: its changes without their direction and mount.
same_changes() {
	grep -v '"meta"' "$1" | sed 's/_added"/_x"/; s/_deleted"/_x"/; s/"key":"[a-z]*[.]hiv/"key":"M/'
}

round_trip() {
	local f rc left=${3:-} failed_before=$failed
	cp "$1" before.hiv && cp "$2" after.hiv && chmod u+w before.hiv after.hiv || exit 1
	for f in reg reg-undo; do
		rc=0
		"$REGDIFF" compare --format "$f" -o "$f.reg" before.hiv after.hiv 2>err || rc=$?
		if [ "$rc" -ne 1 ] || { [ -z "$left" ] && [ -s err ]; } ||
			{ [ -n "$left" ] && ! grep -q '^regdiff: 1 changes could not be written' err; }; then
			fail "$1 -> $2: --format $f: status $rc, $(cat err)"
			return
		fi
	done
	"$REGDIFF" compare --format jsonl before.hiv after.hiv | grep -F "$left" >left.jsonl
	cp before.hiv redone.hiv && cp after.hiv undone.hiv || exit 1
	sh "$MERGE" reg.reg redone.hiv before.hiv || fail "$1 -> $2: the redo script does not import"
	sh "$MERGE" reg-undo.reg undone.hiv before.hiv ||
		fail "$1 -> $2: the undo script does not import"
	for f in "after.hiv redone.hiv" "before.hiv undone.hiv"; do
		rc=0
		# shellcheck disable=SC2086 # two files
		"$REGDIFF" compare --format jsonl $f >out 2>err || rc=$?
		if [ -n "$left" ]; then
			# the same changes, seen from the other side for the undo
			if [ "$(same_changes out)" != "$(same_changes left.jsonl)" ]; then
				fail "$1 -> $2: $f: not exactly what was left out: $(head -c 600 out)"
			fi
		elif [ "$rc" -ne 0 ]; then
			fail "$1 -> $2: $f: status $rc, $(wc -l <out) changes: $(head -c 600 out)"
		fi
	done
	[ "$failed" = "$failed_before" ] && echo "$1 -> $2: redo and undo round trips exact"
}

R=$H/regipy/regipy_tests/data
round_trip "$R/NTUSER.DAT" "$R/NTUSER_modified.DAT"
round_trip "$H/hivex/images/minimal" "$H/hivex/images/special" 'zero\u0000key'
round_trip "$R/NTUSER.DAT" "$R/NTUSER_BAGMRU.DAT"
exit $failed
