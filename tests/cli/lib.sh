# Shared by the CLI tests: sourced by each tests/cli/<name>.sh, which ctest
# runs as
#   sh <name>.sh REGDIFF FIXTURE_DIR GOLDEN_DIR WORK_DIR
# A test works in WORK_DIR (made afresh), fails with a message on stderr and
# exits 77 (skipped) when it needs fixtures that this build cannot make.
# With REGDIFF_UPDATE_GOLDEN=1 in the environment, golden files are written
# instead of compared: read every one you write before committing it.
set -eu

REGDIFF=$1
FIXTURES=$2
GOLDEN=$3
WORK=$4
# Bytes, not characters: reports are compared byte for byte.
LC_ALL=C
export LC_ALL

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

need_fixtures() {
	if [ -z "$FIXTURES" ]; then
		echo "SKIP: no fixture hives in this build (hivex missing)" >&2
		exit 77
	fi
}

# run ARGS...: runs regdiff; stdout to ./out, stderr to ./err, status in $rc.
run() {
	rc=0
	"$REGDIFF" "$@" >out 2>err || rc=$?
	last="regdiff $*"
}

show() {
	echo "--- $last: status $rc; stdout:" >&2
	head -c 2000 out >&2
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

# A successful quiet run: status $1, nothing on stderr.
expect_ok() {
	expect_rc "$1"
	expect_empty err
}

lines() {
	wc -l <"$1" | tr -d ' '
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
		diff -u "$GOLDEN/$2" "$1" | head -n 60 >&2 || true
		fail "$1 differs from golden $2"
	fi
}

expect_same() {
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" | head -n 60 >&2 || true
		fail "$1 and $2 differ"
	fi
}

# The TXT header's Datetime line holds when the shots were taken.
normalise_datetime() {
	sed 's/^Datetime: .*$/Datetime: (normalised)/' "$1" >"$1.tmp"
	mv "$1.tmp" "$1"
}

# base and changed as one user's NTUSER.DAT at two times, so that both are
# mounted at HKU\alice (the user from the .../Users/alice/ path).
user_hives() {
	mkdir -p before/Users/alice after/Users/alice
	cp "$FIXTURES/base.hiv" before/Users/alice/NTUSER.DAT
	cp "$FIXTURES/changed.hiv" after/Users/alice/NTUSER.DAT
}

# Flips bit 0 of the byte at offset $2 of file $1.
flip_bit() {
	_b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059 # the format is built on purpose
	printf "$(printf '\\%03o' $((_b ^ 1)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

size_of() {
	wc -c <"$1" | tr -d ' '
}

# run_bounded MAX_KB MAX_SECONDS ARGS...: as run, and the command's peak
# memory (KB) and processor time (user + system: unlike the time on the
# clock, it does not grow when other tests load the machine) go to
# ./bounds (one line: KB seconds ARGS); it fails when they pass MAX_KB or
# MAX_SECONDS. The bounds apply where they mean something, in builds
# without sanitizers (REGDIFF_BOUNDS=1) with GNU time at /usr/bin/time
# (Debian's package time); a run past 300 s is stopped either way.
run_bounded() {
	_kb=$1 _s=$2
	shift 2
	rc=0
	last="regdiff $*"
	if [ "${REGDIFF_BOUNDS:-}" = 1 ] && [ -x /usr/bin/time ]; then
		timeout -k 5 300 /usr/bin/time -o time.out -f '%M %U %S' "$REGDIFF" "$@" >out 2>err ||
			rc=$?
		# With a non-zero status, GNU time writes a line before its own.
		set -- $(tail -n 1 time.out | awk '{ print $1, $2 + $3 }')
		echo "$1 $2 $last" >>bounds
		if awk -v kb="$1" -v s="$2" -v mkb="$_kb" -v ms="$_s" \
			'BEGIN { exit !(kb > mkb || s > ms) }'; then
			fail "$last: $1 KB, $2 s: past the bound of $_kb KB, $_s s"
		fi
	else
		timeout -k 5 300 "$REGDIFF" "$@" >out 2>err || rc=$?
	fi
}

# The offset in hive $1 of the nk cell of the key named $2 (its name is
# stored at 0x4c from the cell's "nk" signature).
nk_offset() {
	# shellcheck disable=SC2013 # offsets: one word each
	for _o in $(grep -boa "$2" "$1" | cut -d: -f1); do
		_s=$((_o - 76))
		if [ "$_s" -ge 0 ] && [ "$(dd if="$1" bs=1 skip="$_s" count=2 2>/dev/null)" = nk ]; then
			echo "$_s"
			return
		fi
	done
	fail "no key named $2 in $1"
}

# Points the list at offset $3 of the nk cell of key $2 of hive $1 far
# beyond the file.
break_list() {
	printf '\360\377\377\177' |
		dd of="$1" bs=1 seek=$(($(nk_offset "$1" "$2") + $3)) conv=notrunc 2>/dev/null
}

# Makes a copy of base.hiv ($1) that cannot be read whole: the subkey list
# of Software\Obsolete and the value list of Software\Types point nowhere.
break_lists() {
	break_list "$1" Obsolete 28 # subkey list (0x1c)
	break_list "$1" Types 40    # value list (0x28)
}
