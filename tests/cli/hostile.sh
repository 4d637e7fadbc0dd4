# Names and data meant to break terminals and parsers (fixtures/hostile.txt)
# go through shot, info and compare; nothing the tool prints for people may
# carry a control character. Each command stays under a bound of memory
# and time (run_bounded: in builds without sanitizers).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/hostile.hiv" "$FIXTURES/empty.hiv" .

# no_controls FILE WHAT [c0]: FILE holds no C0 control but the line feed,
# no DEL and no C1 control (U+0080-U+009F); with c0, only the C0 controls
# count (JSON must escape those, and may leave the others as they are).
no_controls() {
	if [ "${3:-}" = c0 ]; then
		n=$(tr -d '\n\040-\377' <"$1" | wc -c)
	else
		n=$(tr -d '\n\040-\176\200-\377' <"$1" | wc -c)
		n=$((n + $(grep -c "$(printf '\302')[$(printf '\200-\237')]" "$1" || true)))
	fi
	[ "$n" -eq 0 ] || fail "$2: control characters in $1"
}

run_bounded 50000 5 -q shot -o hostile.rds hostile.hiv
expect_ok 0
run_bounded 50000 5 -q shot -o hostile2.rds hostile.hiv
expect_ok 0
run_bounded 50000 5 compare hostile.rds hostile2.rds
expect_ok 0
run_bounded 50000 5 compare hostile.hiv hostile.rds
expect_ok 0

run_bounded 50000 5 info hostile.rds
expect_ok 0
no_controls out info

# Hostile names recorded from the command line and a hostile file name,
# shown by info.
esc=$(printf 'x\033[2J\007\177')
cp hostile.hiv "$esc.hiv"
run -q shot --computer "PC$esc" --user "u$esc" -o named.rds "$esc.hiv"
expect_ok 0
run info named.rds
expect_ok 0
no_controls out "info of hostile names"
grep -q '^Computer: PC' out || fail "$(cat out)"
rm "$esc.hiv"

run_bounded 50000 5 compare empty.hiv hostile.hiv
expect_ok 1
no_controls out "compare txt"
# Every key of hostile is added but its root, which is empty's root (both
# bare hives are mounted at empty.hiv): 55 keys (fixtures/README.md) less one.
grep -qx "Keys added: 54" out || fail "$(grep 'Keys added' out)"
run_bounded 50000 5 compare --format jsonl empty.hiv hostile.hiv
expect_ok 1
no_controls out "compare jsonl" c0
[ "$(grep -c '"op":"key_added"' out)" -eq 54 ] || fail "jsonl: not 54 keys added"

# An error message carries a hostile file name safely too.
name=$(printf 'evil\033[2J\007.hiv')
printf 'junk\n' >"$name"
run shot -o x.rds "$name"
expect_rc 2
[ "$(lines err)" -eq 1 ] || fail "error not on one line: $(od -c err)"
no_controls err "error message"
