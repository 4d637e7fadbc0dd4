# shellcheck shell=sh
# The shell test library: sourced by every test script (tests/cli, wine,
# html, crash, install, shared), which sets what it runs and then calls
# what it needs:
#
#   REGDIFF=PROGRAM   what run runs (the tool under test)
#   work_dir DIR      makes DIR afresh and enters it
#   run ARGS...       runs $REGDIFF: stdout to ./out, stderr to ./err,
#                     status in $rc, the command line in $last
#   fail MESSAGE      "FAIL: MESSAGE" on stderr, exit 1
#   skip MESSAGE      "SKIP: MESSAGE" on stderr, exit 77 (ctest: skipped)
#   expect_*          checks of the last run and of files, failing with
#                     what was run and what it wrote
#
# Test cases: a script may be cut into cases by lines "#case NAME" (NAME:
# letters, digits, _) after a call of run_cases, which ends the part the
# cases share. ctest registers each case as a test of its own (SCRIPT.NAME,
# see tests/cli.cmake), run with REGDIFF_CASE=NAME in a folder of its own;
# without REGDIFF_CASE all cases run in order. Each case must stand alone:
# only the shared part runs before it. A new case is one "#case" line.
#
# With REGDIFF_UPDATE_GOLDEN=1 in the environment, expect_golden writes
# golden files instead of comparing: read every one you write.

# The script, by a path that holds after it changes folder (run_cases).
TESTLIB_SCRIPT=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

# Bytes, not characters: outputs are compared byte for byte.
LC_ALL=C
export LC_ALL

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

skip() {
	printf 'SKIP: %s\n' "$*" >&2
	exit 77
}

work_dir() {
	rm -rf "$1"
	mkdir -p "$1"
	cd "$1" || fail "cannot enter $1"
}

# run ARGS...: runs regdiff; stdout to ./out, stderr to ./err, status in $rc.
run() {
	rc=0
	"$REGDIFF" "$@" >out 2>err || rc=$?
	last="regdiff $*"
}

show() {
	echo "--- ${last:-?}: status ${rc:-?}; stdout:" >&2
	head -c 3000 out >&2 2>/dev/null || true
	echo "--- stderr:" >&2
	cat err >&2 2>/dev/null || true
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

# A successful quiet run: status $1, nothing on stderr.
expect_ok() {
	expect_rc "$1"
	expect_empty err
}

lines() {
	wc -l <"$1" | tr -d ' '
}

size_of() {
	wc -c <"$1" | tr -d ' '
}

# Bad usage: status 2, nothing on stdout, on stderr one line saying what is
# wrong and one pointing to the help.
expect_usage_error() {
	expect_rc 2
	expect_empty out
	if [ "$(lines err)" -ne 2 ] || ! head -n 1 err | grep -q '^regdiff: ..' ||
		[ "$(sed -n 2p err)" != "Try 'regdiff --help'." ]; then
		show
		fail "$last: not a usage error"
	fi
}

# Trouble: status 2, nothing on stdout, one line "regdiff: ..." on stderr
# that contains $1.
expect_error() {
	expect_rc 2
	expect_empty out
	if [ "$(lines err)" -ne 1 ] || ! grep -q '^regdiff: ..' err; then
		show
		fail "$last: want exactly one line 'regdiff: ...' on stderr"
	fi
	if ! grep -qF -- "$1" err; then
		show
		fail "$last: the error does not name '$1'"
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

expect_same() {
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" | head -n 60 >&2 || true
		fail "$1 and $2 differ"
	fi
}

# run_cases: runs the case REGDIFF_CASE names, or every case of the script
# in order, in the current folder (ctest gives each case a folder of its
# own), and exits. The lines after run_cases are the cases: they are cut
# from the script and sourced, so they see the shared part's functions and
# variables.
run_cases() {
	_script=$TESTLIB_SCRIPT
	_cases=$(sed -n 's/^#case \([A-Za-z0-9_]*\)$/\1/p' "$_script")
	[ -n "$_cases" ] || fail "$_script: run_cases, but no '#case NAME' line"
	if [ -n "${REGDIFF_CASE:-}" ]; then
		printf '%s\n' "$_cases" | grep -qx "$REGDIFF_CASE" ||
			fail "$_script: no case '$REGDIFF_CASE'"
		_cases=$REGDIFF_CASE
	fi
	for _case in $_cases; do
		# A case ending in "test && fail ..." ends with the test's
		# false status, which is no failure: the final ":" says so.
		{
			awk -v c="$_case" '/^#case /{ on = ($2 == c); next } on' "$_script"
			echo :
		} >"case-$_case.sh"
		# shellcheck disable=SC1090 # the case, cut from this script
		. "./case-$_case.sh"
	done
	# Always true; written as a test so that shellcheck does not take
	# the cases after the call for unreachable code.
	if [ -n "$_cases" ]; then
		exit 0
	fi
}
