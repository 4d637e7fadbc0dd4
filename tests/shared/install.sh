#!/usr/bin/env bash
# Folders as Windows installations over the real hives of ../shared/hives:
# trees assembled (symbolic links in WORK) from regipy's SYSTEM_2, SAM,
# NTUSER.DAT, NTUSER_modified.DAT and UsrClass.dat (with its logs) give
# exactly the changes that the same hives named one by one give.
#
#   install.sh REGDIFF WORK HIVES
set -u
REGDIFF=$1 WORK=$2 H=$3
if [ ! -d "$H" ]; then
	echo "SKIP: $H is absent (the shared hive corpus)" >&2
	exit 77
fi
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
D=$H/regipy/regipy_tests/data
failed=0
fail() { printf 'FAIL: %s\n' "$*" >&2; failed=1; }

# link FILE PATH: PATH made a link to the corpus' FILE (logs come along).
link() {
	mkdir -p "$(dirname "$2")"
	ln -s "$D/$1" "$2"
}
for t in a b; do
	link SYSTEM_2 $t/Windows/System32/config/SYSTEM
	C=$t/Users/alice/AppData/Local/Microsoft/Windows
	link UsrClass.dat $C/UsrClass.dat
	link UsrClass.dat.LOG1 $C/UsrClass.dat.LOG1
	link UsrClass.dat.LOG2 $C/UsrClass.dat.LOG2
done
link SAM a/Windows/System32/config/SAM
link NTUSER.DAT a/Users/alice/NTUSER.DAT
link NTUSER_modified.DAT b/Users/alice/NTUSER.DAT

# ops OUT ARGS...: the change lines of a JSON lines compare.
ops() {
	local out=$1 rc=0
	shift
	"$REGDIFF" compare --format jsonl "$@" >"$out.all" 2>err || rc=$?
	[ "$rc" -le 1 ] || fail "compare $*: status $rc: $(cat err)"
	grep '"op"' "$out.all" >"$out"
}

ops dirs.ops a b
"$REGDIFF" shot -q -o a.rds "HKLM\\SYSTEM=$D/SYSTEM_2" "HKLM\\SAM=$D/SAM" \
	"HKU\\alice=$D/NTUSER.DAT" "HKU\\alice_Classes=$D/UsrClass.dat" || fail "shot a.rds"
"$REGDIFF" shot -q -o b.rds "HKLM\\SYSTEM=$D/SYSTEM_2" \
	"HKU\\alice=$D/NTUSER_modified.DAT" "HKU\\alice_Classes=$D/UsrClass.dat" || fail "shot b.rds"
ops named.ops a.rds b.rds
cmp -s dirs.ops named.ops || fail "folders and named hives differ: $(diff dirs.ops named.ops | head -5)"

# Hive by hive: the user's own pair, and SAM, on one side only, deleted.
ops user.ops "HKU\\alice=$D/NTUSER.DAT" "HKU\\alice=$D/NTUSER_modified.DAT"
grep -F -e '"key":"HKU\\alice"' -e '"key":"HKU\\alice\\' dirs.ops >dirs_user.ops
cmp -s dirs_user.ops user.ops || fail "HKU\\alice differs from the hive-by-hive compare"
[ -s user.ops ] || fail "no change in the NTUSER pair"
grep -vF -e '"key":"HKU\\alice"' -e '"key":"HKU\\alice\\' \
	-e '"op":"key_deleted","key":"HKLM\\SAM' -e '"op":"value_deleted","key":"HKLM\\SAM' \
	dirs.ops >rest.ops
[ ! -s rest.ops ] || fail "changes beyond HKU\\alice and SAM: $(head -3 rest.ops)"
grep -qxF '{"meta":"hive_only","side":"before","mount":"HKLM\\SAM"}' dirs.ops.all ||
	fail "SAM not reported as found before only"
"$REGDIFF" compare -q a b >txt 2>err
grep -qx 'Hives only in 1: HKLM\\SAM' txt || fail "TXT header: no 'Hives only in 1' line"

# The same installation twice: no difference; its control set recorded.
"$REGDIFF" compare -q a a >/dev/null 2>err || fail "a against itself: status $?: $(cat err)"
"$REGDIFF" shot -q -o dir_a.rds a || fail "shot of a"
"$REGDIFF" info dir_a.rds | grep -q '^Control set: ControlSet00[0-9] ' ||
	fail "no control set recorded for SYSTEM_2"
exit $failed
