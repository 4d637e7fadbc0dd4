# Names Windows keeps apart are never merged: sibling keys and values
# that differ only in letters Unicode's upper case folds but Windows'
# RtlUpcaseUnicodeChar does not (dotless i, long s, micro sign, final
# sigma; fixtures/casefold_a.txt) are each read, kept in a snapshot that
# reads back, and compared one by one.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
A=$FIXTURES/casefold_a.hiv
B=$FIXTURES/casefold_b.hiv

expect_out() {
	if [ "$(cat out)" != "$1" ]; then
		show
		printf 'want:\n%s\n' "$1" >&2
		fail "$last: unexpected output"
	fi
}

want='{"op":"value_modified","key":"casefold_a.hiv\\Names\\µ","value":"v","old_type":"REG_DWORD","new_type":"REG_DWORD","old_data":6,"new_data":60,"old_data_hex":"06000000","new_data_hex":"3c000000"}
{"op":"value_modified","key":"casefold_a.hiv\\Names\\ındex","value":"v","old_type":"REG_DWORD","new_type":"REG_DWORD","old_data":2,"new_data":20,"old_data_hex":"02000000","new_data_hex":"14000000"}
{"op":"value_modified","key":"casefold_a.hiv\\Vals","value":"ſ","old_type":"REG_DWORD","new_type":"REG_DWORD","old_data":4,"new_data":40,"old_data_hex":"04000000","new_data_hex":"28000000"}'

run compare --format jsonl "$A" "$B"
expect_ok 1
expect_out "$want"

# Every key and value is read: none is a problem "equal but for case".
run shot -o a.rds "$A"
expect_ok 0
run info a.rds
expect_ok 0
grep -qx 'Keys: 11' out || fail "info: $(cat out)"
grep -qx 'Values: 12' out || fail "info: $(cat out)"
grep -qx 'Unreadable: 0' out || fail "info: $(cat out)"

# The snapshot reads back in the same order and compares the same.
run compare --format jsonl a.rds "casefold_a.hiv=$B"
expect_ok 1
expect_out "$want"
run compare --format jsonl a.rds "casefold_a.hiv=$A"
expect_ok 0
expect_empty out
