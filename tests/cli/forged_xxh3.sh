# Forged data (issue 8 item 1): a service ImagePath changed to the
# attacker's program plus padding that keeps its XXH3-64 equal (made by
# tests/tools/xxh3_forge.c, which checks that XXH3 really collides) must
# be reported as exactly that one modification, between hives and
# between snapshots. With XXH3 summaries regdiff said "Total changes: 0"
# and exited 0.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
[ -n "${REGDIFF_XXH3_FORGE:-}" ] && [ -n "${REGDIFF_MKHIVE:-}" ] ||
	fail "REGDIFF_XXH3_FORGE and REGDIFF_MKHIVE must name the tools"

"$REGDIFF_XXH3_FORGE" . >forge.out || fail "xxh3_forge: no collision"
"$REGDIFF_MKHIVE" before.txt before.hiv || fail "mkhive before.txt"
"$REGDIFF_MKHIVE" after.txt after.hiv || fail "mkhive after.txt"

key='"key":"HKLM\\SYSTEM\\ControlSet001\\Services\\VendorAgent"'
head='{"op":"value_modified",'"$key"',"value":"ImagePath","old_type":"REG_EXPAND_SZ","new_type":"REG_EXPAND_SZ",'
tail='"old_data_hex":"'"$(cat old.hex)"'","new_data_hex":"'"$(cat new.hex)"'","persistence":{"category":"service","attack":"T1543.003"}}'

# expect_forged BEFORE AFTER: the one change, in JSON lines and TXT.
expect_forged() {
	run compare --format jsonl "$1" "$2"
	expect_ok 1
	[ "$(lines out)" -eq 1 ] || fail "$last: $(lines out) changes, want 1"
	case "$(cat out)" in
	"$head"*"$tail") ;;
	*) show; fail "$last: not the ImagePath modification" ;;
	esac
	run compare "$1" "$2"
	expect_ok 1
	grep -qx 'Total changes: 1' out || fail "$last: not 1 change in TXT"
	grep -q '^Values modified: 1$' out || fail "$last: no 'Values modified: 1'"
}

expect_forged 'HKLM\SYSTEM=before.hiv' 'HKLM\SYSTEM=after.hiv'

run shot -q -o before.rds 'HKLM\SYSTEM=before.hiv'
expect_ok 0
run shot -q -o after.rds 'HKLM\SYSTEM=after.hiv'
expect_ok 0
expect_forged before.rds after.rds
expect_forged before.rds 'HKLM\SYSTEM=after.hiv'

# The rest is equal, and said so.
run compare before.rds 'HKLM\SYSTEM=before.hiv'
expect_ok 0
