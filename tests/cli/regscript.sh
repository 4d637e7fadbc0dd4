# .reg scripts (--format reg, reg-undo): their exact text (golden), their
# encoding, what they leave out, and round trips through an independent
# importer (hivexregedit --merge, tests/tools/regmerge.sh): the redo script
# imported on BEFORE gives a hive with 0 changes against AFTER, the undo
# script imported on AFTER one with 0 changes against BEFORE.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
MERGE="$(dirname "$0")/../tools/regmerge.sh"
cp "$FIXTURES/regfmt_a.hiv" "$FIXTURES/regfmt_b.hiv" "$FIXTURES/regfmt_c.hiv" .

# UTF-16LE with a BOM, CRLF: undone, the golden text.
as_text() {
	[ "$(od -An -tx1 -N 2 "$1" | tr -d ' ')" = fffe ] || fail "$1: no byte order mark"
	tail -c +3 "$1" | iconv -f UTF-16LE -t UTF-8 >"$1.crlf"
	[ "$(grep -c "$(printf '\r')\$" "$1.crlf")" -eq "$(lines "$1.crlf")" ] ||
		fail "$1: not every line ends CR LF"
	# The shots' times: when the hives were read.
	tr -d '\r' <"$1.crlf" | sed 's/^; before: .*$/; before: (normalised)/' >"$2"
}

# Everything a .reg file can say, and what it cannot (regfmt_c: a NUL and a
# backslash in key names, a line break in a value name).
for f in reg reg-undo; do
	run compare --format "$f" -o "$f.out" regfmt_a.hiv regfmt_c.hiv
	expect_rc 1
	expect_empty out
	[ "$(cat err)" = 'regdiff: 3 changes could not be written as .reg lines and are left out (see the "; left out" comments)' ] ||
		fail "$f: stderr: $(cat err)"
	as_text "$f.out" "$f.txt"
	expect_golden "$f.txt" "regfmt_a_c.$f.txt"
done

# Round trips: fixtures with every type and odd names, both ways.
round_trip() { # BEFORE AFTER PREFIX
	run compare --format reg -o redo.reg "$1" "$2"
	expect_ok 1
	run compare --format reg-undo -o undo.reg "$1" "$2"
	expect_ok 1
	cp "$1" redone.hiv
	cp "$2" undone.hiv
	rc=0
	sh "$MERGE" redo.reg redone.hiv "$3" || rc=$?
	[ "$rc" -eq 77 ] && exit 77
	[ "$rc" -eq 0 ] || fail "$1 -> $2: the redo script does not import"
	sh "$MERGE" undo.reg undone.hiv "$3" || fail "$1 -> $2: the undo script does not import"
	run compare "$2" redone.hiv
	expect_ok 0
	run compare "$1" undone.hiv
	expect_ok 0
}
round_trip regfmt_a.hiv regfmt_b.hiv regfmt_a.hiv
round_trip regfmt_b.hiv regfmt_a.hiv regfmt_b.hiv
cp "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv" .
round_trip base.hiv changed.hiv base.hiv
round_trip changed.hiv base.hiv changed.hiv

# A user hive mounted at HKU\alice: HKEY_USERS\alice in the script.
user_hives
run compare --format reg before/Users/alice/NTUSER.DAT after/Users/alice/NTUSER.DAT
expect_ok 1
tail -c +3 out | iconv -f UTF-16LE -t UTF-8 | grep -q '^\[HKEY_USERS\\alice\\Software\\NewApp\]' ||
	fail "no HKEY_USERS\\alice\\Software\\NewApp header"

# No changes: the header alone.
run compare --format reg regfmt_a.hiv regfmt_a.hiv
expect_ok 0
tail -c +3 out | iconv -f UTF-16LE -t UTF-8 | tr -d '\r' | grep -v '^;' >empty.txt
printf 'Windows Registry Editor Version 5.00\n\n' | cmp -s - empty.txt || fail "no changes: $(cat empty.txt)"

# TXT's options are refused with a .reg format.
run compare --format reg --utf16 regfmt_a.hiv regfmt_b.hiv
expect_usage_error
