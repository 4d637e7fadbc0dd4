# The noise profile on a real user's hive at two dates (regipy's tony,
# NTUSER_with_winscp.DAT -> NTUSER_BAGMRU.DAT, both mounted at HKU\tony):
# 17,513 changes, 19 at persistence locations; with the profile forced on
# 2,872 are removed (shell bags, UserAssist, RecentDocs, ...) and every
# persistence change stays, none even matched by a noise rule.
# usage: noise_measure.sh REGDIFF WORK_DIR SHARED_HIVES
set -eu
REGDIFF=$1
WORK=$2
D=$3/regipy/regipy_tests/data
if [ ! -f "$D/NTUSER_with_winscp.DAT" ] || [ ! -f "$D/NTUSER_BAGMRU.DAT" ]; then
	echo "SKIP: $D is absent" >&2
	exit 77
fi
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}
B="HKU\\tony=$D/NTUSER_with_winscp.DAT"
A="HKU\\tony=$D/NTUSER_BAGMRU.DAT"
rc=0
"$REGDIFF" compare --format jsonl "$B" "$A" >plain.jsonl || rc=$?
[ "$rc" -eq 1 ] || fail "plain compare: status $rc"
rc=0
"$REGDIFF" compare --format jsonl --noise default "$B" "$A" >noise.jsonl || rc=$?
[ "$rc" -eq 1 ] || fail "compare --noise default: status $rc"
count() { grep -c "$1" "$2" || true; }
[ "$(count '"op":"[a-z_]*"' plain.jsonl)" -eq 17513 ] || fail "want 17513 changes"
[ "$(count '"persistence":' plain.jsonl)" -eq 19 ] || fail "want 19 persistence changes"
[ "$(count '"op":"[a-z_]*"' noise.jsonl)" -eq 14641 ] || fail "want 14641 changes left"
tail -n 1 noise.jsonl | grep -q '^{"meta":"filters","noise":"2026.11","rules":58,"removed":2872,"kept":0,' ||
	fail "want 2872 removed, none kept by the guard"
# The same 19 persistence changes, byte for byte.
grep '"persistence":' plain.jsonl >p1
grep '"persistence":' noise.jsonl >p2
cmp -s p1 p2 || fail "the persistence changes differ with the profile"
