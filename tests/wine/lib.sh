# Shared by the Wine tests: sourced by each tests/wine/<name>.sh, which
# ctest runs as
#   sh <name>.sh REGDIFF_EXE REGDIFF FIXTURE_DIR GOLDEN_DIR WORK_DIR PREFIX
# REGDIFF_EXE is the cross-built regdiff.exe, REGDIFF the Linux build's
# regdiff, PREFIX the Wine prefix made by prefix.sh. A test works in
# WORK_DIR (made afresh; Wine sees it as the current folder on drive Z:, so
# relative file names work on both sides) and exits 77 (skipped) when what
# it needs is missing. REGDIFF_UPDATE_GOLDEN=1 writes golden files instead
# of comparing them: read every one you write.
set -eu

REGDIFF_EXE=$1
REGDIFF=$2
FIXTURES=$3
GOLDEN=$4
WORK=$5
WINEPREFIX=$6
export WINEPREFIX
WINEDEBUG=-all
export WINEDEBUG
WINEDLLOVERRIDES='mscoree,mshtml='
export WINEDLLOVERRIDES
unset DISPLAY WAYLAND_DISPLAY
LC_ALL=C
export LC_ALL

# The test changes folder: relative paths made absolute first.
absolute() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "$PWD/$1" ;;
	esac
}
REGDIFF_EXE=$(absolute "$REGDIFF_EXE")
REGDIFF=$(absolute "$REGDIFF")
GOLDEN=$(absolute "$GOLDEN")
WINEPREFIX=$(absolute "$WINEPREFIX")
[ -z "$FIXTURES" ] || FIXTURES=$(absolute "$FIXTURES")

# The helper program is built beside regdiff.exe (tests/wine.cmake).
HELPER=$(dirname "$REGDIFF_EXE")/regdiff_wine_helper.exe

if ! command -v wine >/dev/null 2>&1; then
	echo "SKIP: Wine is not installed" >&2
	exit 77
fi
if [ ! -f "$REGDIFF_EXE" ]; then
	echo "FAIL: no $REGDIFF_EXE (cross-build it: cmake --preset mingw && cmake --build --preset mingw)" >&2
	exit 1
fi
if [ ! -d "$WINEPREFIX/drive_c/windows" ]; then
	echo "FAIL: no Wine prefix at $WINEPREFIX (the wine_prefix test makes it)" >&2
	exit 1
fi

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

# win ARGS...: runs regdiff.exe; stdout to ./out, stderr (without the CRs
# of the C runtime's text mode) to ./err, status in $rc.
win() {
	rc=0
	wine "$REGDIFF_EXE" "$@" >out 2>err.crlf || rc=$?
	tr -d '\r' <err.crlf >err
	last="regdiff.exe $*"
}

# lin ARGS...: the same with the Linux build.
lin() {
	rc=0
	"$REGDIFF" "$@" >out 2>err || rc=$?
	last="regdiff $*"
}

# reg ARGS...: Wine's reg.exe, which must succeed.
reg() {
	wine reg "$@" >reg.out 2>&1 || {
		cat reg.out >&2
		fail "reg $*"
	}
}

helper() {
	wine "$HELPER" "$@" || fail "regdiff_wine_helper $*"
}

need_helper() {
	if [ ! -f "$HELPER" ]; then
		echo "SKIP: no $HELPER beside regdiff.exe" >&2
		exit 77
	fi
}

need_fixtures() {
	if [ -z "$FIXTURES" ]; then
		echo "SKIP: no fixture hives in this build (hivex missing)" >&2
		exit 77
	fi
}

show() {
	echo "--- $last: status $rc; stdout:" >&2
	head -c 3000 out >&2
	echo "--- stderr:" >&2
	cat err >&2
}

expect_rc() {
	if [ "$rc" -ne "$1" ]; then
		show
		fail "$last: status $rc, want $1"
	fi
}

expect_empty() {
	if [ -s "$1" ]; then
		show
		fail "$last: $1 should be empty"
	fi
}

expect_same() {
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" | head -n 60 >&2 || true
		fail "$1 and $2 differ"
	fi
}

# expect_golden FILE NAME: FILE must equal $GOLDEN/NAME byte for byte.
expect_golden() {
	if [ "${REGDIFF_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$1" "$GOLDEN/$2"
		echo "wrote $GOLDEN/$2" >&2
		return
	fi
	if ! cmp -s "$1" "$GOLDEN/$2"; then
		diff -u "$GOLDEN/$2" "$1" | head -n 80 >&2 || true
		fail "$1 differs from golden $2"
	fi
}

# JSON lines with the key times, which are when the test ran, replaced.
normalise_times() {
	sed 's/"\(old_\|new_\)\{0,1\}time":"[^"]*"/"\1time":"T"/g' "$1"
}

# Drops what comes of Wine rather than of the test: changes Wine makes to
# its own settings while a test runs (NetworkCards, filled in when Wine
# first looks at the network), and Perflib\009, a key Wine will not
# open (ERROR_INVALID_HANDLE), which is rightly reported as not compared
# (with --all-not-compared; else counted in the summary as unread in
# both). The summary and the filters' counts go too: they hold that noise
# (the noise profile, on for two live shots, removes some of it).
without_wine_noise() {
	grep -v -e '"key":"HK\(CU\|LM\)\\\\Software\\\\Wine[\\"]' -e '^{"op":"summary",' \
		-e '^{"meta":"filters",' \
		-e '"op":"not_compared","key":"HKLM\\\\Software\\\\Microsoft\\\\Windows NT\\\\CurrentVersion\\\\Perflib\\\\009"' \
		-e '"key":"HKLM\\\\Software\\\\Microsoft\\\\Windows NT\\\\CurrentVersion\\\\NetworkCards[\\"]' \
		"$1" || true
}
