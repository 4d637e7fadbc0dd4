# Shared by the CLI tests: sourced by each tests/cli/<name>.sh, which ctest
# runs as
#   sh <name>.sh REGDIFF FIXTURE_DIR GOLDEN_DIR WORK_DIR
# (with REGDIFF_CASE=NAME for one case of a script cut into cases: see
# tests/testlib.sh, whose run, fail, expect_* and cases the tests use). A
# test works in WORK_DIR (made afresh) and exits 77 (skipped) when it needs
# fixtures that this build cannot make.
set -eu

REGDIFF=$1
FIXTURES=$2
GOLDEN=$3
WORK=$4
# shellcheck source=../testlib.sh
. "$(dirname "$0")/../testlib.sh"
work_dir "$WORK"

need_fixtures() {
	[ -n "$FIXTURES" ] || skip "no fixture hives in this build (hivex missing)"
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
