# The Wine prefix the wine_* tests share:
#   sh prefix.sh make PREFIX    a fresh prefix, its wineserver kept running
#   sh prefix.sh remove PREFIX  stop its wineserver and delete it
# Exits 77 (skipped) when Wine is not installed.
set -eu

WINEPREFIX=$2
export WINEPREFIX
WINEDEBUG=-all
export WINEDEBUG
# No Mono or Gecko installer, and no display: reg.exe and regdiff.exe are
# console programs.
WINEDLLOVERRIDES='mscoree,mshtml='
export WINEDLLOVERRIDES
unset DISPLAY WAYLAND_DISPLAY
# shellcheck source=../testlib.sh
. "$(dirname "$0")/../testlib.sh"

if ! command -v wine >/dev/null 2>&1 || ! command -v wineserver >/dev/null 2>&1; then
	skip "Wine is not installed (apt-get install wine64 wine)"
fi

case $1 in
make)
	if [ -d "$WINEPREFIX" ]; then
		wineserver -k 2>/dev/null || true
		rm -rf "$WINEPREFIX"
	fi
	mkdir -p "$WINEPREFIX"
	# One wineserver for all the tests, not one started per command; it
	# goes to the background and ends a minute after its last client. Not
	# on the test's output, which ctest reads to the end.
	wineserver -p60 </dev/null >/dev/null 2>&1
	wineboot -i >"$WINEPREFIX.log" 2>&1 || {
		cat "$WINEPREFIX.log" >&2
		fail "wineboot -i"
	}
	wine reg query 'HKCU\Software' >/dev/null 2>&1 || fail "reg.exe does not run in the new prefix"
	;;
remove)
	if [ -d "$WINEPREFIX" ]; then
		wineserver -k 2>/dev/null || true
		rm -rf "$WINEPREFIX"
	fi
	rm -f "$WINEPREFIX.log"
	;;
*)
	echo "usage: prefix.sh make|remove PREFIX" >&2
	exit 2
	;;
esac
