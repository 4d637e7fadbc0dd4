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
# shellcheck source=../testlib.sh
. "$(dirname "$0")/../testlib.sh"

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

command -v wine >/dev/null 2>&1 || skip "Wine is not installed"
[ -f "$REGDIFF_EXE" ] ||
	fail "no $REGDIFF_EXE (cross-build it: cmake --preset mingw && cmake --build --preset mingw)"
[ -d "$WINEPREFIX/drive_c/windows" ] ||
	fail "no Wine prefix at $WINEPREFIX (the wine_prefix test makes it)"
work_dir "$WORK"

# win ARGS...: runs regdiff.exe; stdout to ./out, stderr (without the CRs
# of the C runtime's text mode) to ./err, status in $rc.
win() {
	wine_run "$REGDIFF_EXE" "$@"
	tr -d '\r' <err.crlf >err
	last="regdiff.exe $*"
}

# wine_run PROGRAM ARGS...: runs a Windows program, stdout to ./out,
# stderr to ./err.crlf, status in $rc. A failure that printed nothing at
# all is not one of our programs' (they always say why they fail) but
# Wine failing to start the process, seen on fresh CI machines: it is
# said on standard error, with what Wine itself reports when asked, and
# the program is run once more.
wine_run() {
	rc=0
	wine "$@" >out 2>err.crlf || rc=$?
	if [ "$rc" -ne 0 ] && [ ! -s out ] && [ ! -s err.crlf ]; then
		echo "WARN: wine $* exited with status $rc and printed nothing; what Wine says:" >&2
		WINEDEBUG=err+all,+seh,+process wine "$@" 2>&1 >/dev/null | tail -n 20 >&2 || true
		rc=0
		wine "$@" >out 2>err.crlf || rc=$?
	fi
}

# lin ARGS...: the same with the Linux build (testlib.sh's run).
lin() {
	run "$@"
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
	[ -f "$HELPER" ] || skip "no $HELPER beside regdiff.exe"
}

need_fixtures() {
	[ -n "$FIXTURES" ] || skip "no fixture hives in this build (hivex missing)"
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
