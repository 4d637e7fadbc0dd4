# What could not be read: a shot of a hive with two broken lists succeeds,
# warns once on stderr (unless -q) and info lists the two problems.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/base.hiv" bad.hiv

# The offset of the nk cell of the key named $1 (its name is stored at 0x4c
# from the cell's "nk" signature).
nk_offset() {
	# shellcheck disable=SC2013 # offsets: one word each
	for o in $(grep -boa "$1" bad.hiv | cut -d: -f1); do
		s=$((o - 76))
		if [ "$s" -ge 0 ] && [ "$(dd if=bad.hiv bs=1 skip="$s" count=2 2>/dev/null)" = nk ]; then
			echo "$s"
			return
		fi
	done
	fail "no key named $1 in base.hiv"
}

# Points the list at offset $2 of the nk cell at $1 far beyond the file.
break_list() {
	printf '\360\377\377\177' | dd of=bad.hiv bs=1 seek=$(($1 + $2)) conv=notrunc 2>/dev/null
}

break_list "$(nk_offset Obsolete)" 28 # subkey list (0x1c)
break_list "$(nk_offset Types)" 40    # value list (0x28)

run shot -o bad.rds bad.hiv
expect_rc 0
expect_empty out
[ "$(cat err)" = "regdiff: warning: bad.rds: 2 keys or values could not be read (see 'regdiff info')" ] ||
	fail "shot: warning: $(cat err)"
run -q shot -o bad.rds bad.hiv
expect_ok 0
run shot -q -o bad.rds bad.hiv
expect_ok 0

run info bad.rds
expect_ok 0
grep -qx 'Unreadable: 2' out || fail "$(cat out)"
sed -n '/^Problems:$/,$p' out >problems
[ "$(lines problems)" -eq 3 ] || fail "problems: $(cat problems)"
grep -q '^  bad.hiv\\Software\\Obsolete: subkeys not read' problems || fail "$(cat problems)"
grep -q '^  bad.hiv\\Software\\Types: values not read' problems || fail "$(cat problems)"

# An intact snapshot has no Problems list.
run -q shot -o good.rds "$FIXTURES/base.hiv"
run info good.rds
expect_ok 0
grep -qx 'Unreadable: 0' out || fail "$(cat out)"
grep -q '^Problems:' out && fail "a Problems list without problems"
# Compared with the intact hive, what bad.hiv could not list is reported as
# not compared, never as deleted, and is no change (status 0).
run compare -q "$FIXTURES/base.hiv" bad.hiv
expect_ok 0
sed -n '/^Not compared: 2$/,/^$/p' out >nc
[ "$(sed -n 3,4p nc)" = "$(printf '%s\n' 'base.hiv\Software\Obsolete: subkeys not read (after)' 'base.hiv\Software\Types: values not read (after)')" ] ||
	fail "not compared: $(cat out)"
grep -q '^Keys deleted' out && fail "unread subkeys reported as deleted: $(cat out)"
grep -q '^Values deleted' out && fail "unread values reported as deleted: $(cat out)"
grep -qx 'Total changes: 0' out || fail "$(cat out)"
run compare -q --format jsonl bad.hiv "$FIXTURES/base.hiv"
expect_ok 0
[ "$(cat out)" = "$(printf '%s\n' '{"op":"not_compared","key":"bad.hiv\\Software\\Obsolete","not_read":["subkeys"],"sides":["before"]}' '{"op":"not_compared","key":"bad.hiv\\Software\\Types","not_read":["values"],"sides":["before"]}')" ] ||
	fail "jsonl: $(cat out)"

# Keys nested deeper than the registry allows (512 levels) are not read,
# and say so.
if [ -n "${REGDIFF_MKHIVE:-}" ]; then
	{
		echo 'root "ROOT"'
		printf 'key "'
		i=0
		while [ $i -lt 520 ]; do
			[ $i -eq 0 ] || printf '\\'
			printf 'k%d' $i
			i=$((i + 1))
		done
		echo '"'
	} >deep.txt
	"$REGDIFF_MKHIVE" deep.txt deep.hiv || fail "mkhive deep.txt"
	run -q shot -o deep.rds deep.hiv
	expect_ok 0
	run info deep.rds
	expect_ok 0
	grep -qx 'Unreadable: 1' out || fail "$(cat out)"
	grep -q '\\k510: 1 subkeys not read: keys nested deeper than 512$' out || fail "$(cat out)"
fi
exit 0
