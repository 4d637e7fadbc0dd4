# Hostile hives made by tests/tools/crafthive: cells shared to amplify a
# tiny hive, values over libhivex's 8 MB limit, sibling names equal but for
# case, and problems under 64K-character key names. Each shot finishes in
# bounded time and memory, and reports say exactly what was and was not
# compared. Compares whose sides hold something not compared may exit 0 or
# 3 (issue 8, item 8); their reports are checked exactly. One ctest test
# per case.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
[ -n "${REGDIFF_CRAFTHIVE:-}" ] || skip "no crafthive in this build"
craft() { "$REGDIFF_CRAFTHIVE" "$@" || fail "crafthive $*"; }

expect_nc_rc() { # a compare with parts not compared, and no changes
	[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || {
		show
		fail "$last: status $rc, want 0 or 3"
	}
	expect_empty err
}

# expect_out TEXT: stdout is exactly TEXT (lines, without the last newline).
expect_out() {
	if [ "$(cat out)" != "$1" ]; then
		show
		printf 'want:\n%s\n' "$1" >&2
		fail "$last: unexpected output"
	fi
}

problems() { # the Problems list of info's output
	sed -n '/^Problems:$/,$p' out | sed 1d
}

run_cases

#case amplify
# -- Shared cells: 110,000 value entries naming one value cell whose
# 8,000,000 bytes are 490 big-data segments that are one cell (462 KB).
# Read naively, that is 880 GB.
craft amplify amp.hiv
[ "$(size_of amp.hiv)" -eq 462848 ] || fail "amp.hiv: $(size_of amp.hiv) bytes"
run_bounded 100000 5 -q shot -o amp.rds amp.hiv
expect_ok 0
run info amp.rds
expect_ok 0
grep -qx 'Unreadable: 2' out || fail "$(cat out)"
[ "$(problems)" = "$(printf '%s\n' \
	'  amp.hiv\Amp: 109999 values not read: their cells (the first at 0x5880) are reached twice (a loop or shared cells)' \
	"  amp.hiv\\Amp\\V: value data not read: its data (cell 0x18a0) is another value's too, or used twice (shared cells): not read again")" ] ||
	fail "amp problems: $(problems)"

#case shared
# Keys sharing one value list, values sharing one data cell, indexes of
# subkey lists (ri) sharing one list: each cell is read once, at its first
# use.
craft shared sh.hiv
run_bounded 100000 5 -q shot -o sh.rds sh.hiv
expect_ok 0
run info sh.rds
expect_ok 0
[ "$(problems)" = "$(printf '%s\n' \
	"  sh.hiv\\K1\\B: value data not read: its data (cell 0x1078) is another value's too, or used twice (shared cells): not read again" \
	"  sh.hiv\\K2: values not read: their list (cell 0x1120) is another key's too" \
	"  sh.hiv\\K2: subkeys not read: their list (cell 0x1308) is another key's too" \
	"  sh.hiv\\K3: values not read: their list (cell 0x1120) is another key's too" \
	"  sh.hiv\\K3: subkeys not read: their list (cell 0x1308) is another key's too")" ] ||
	fail "shared problems: $(problems)"
grep -qx 'Keys: 6' out || fail "$(cat out)"
run compare -q --format jsonl sh.hiv sh.rds
expect_nc_rc
expect_out '{"op":"summary","complete":false,"total":0,"not_compared":0,"unread_in_both":3,"problems_before":5,"problems_after":5}'
run compare -q --all-not-compared --format jsonl sh.hiv sh.rds
expect_nc_rc
expect_out '{"op":"not_compared","key":"sh.hiv\\K1","value":"B","not_read":["data"],"sides":["before","after"]}
{"op":"not_compared","key":"sh.hiv\\K2","not_read":["values","subkeys"],"sides":["before","after"]}
{"op":"not_compared","key":"sh.hiv\\K3","not_read":["values","subkeys"],"sides":["before","after"]}
{"op":"summary","complete":false,"total":0,"not_compared":3,"unread_in_both":0,"problems_before":5,"problems_after":5}'

#case big
# -- Values over 8 MB are read from their big-data segments: type, size
# and data compare.
craft big a.hiv 3 9000000 1
craft big same.hiv 3 9000000 1
craft big type.hiv 4 9000000 1
craft big size.hiv 3 9000001 1
craft big data.hiv 3 9000000 2
run_bounded 200000 10 -q shot -o a.rds a.hiv
expect_ok 0
run info a.rds
expect_ok 0
grep -qx 'Value bytes: 9000004' out || fail "$(cat out)"
grep -qx 'Unreadable: 0' out || fail "$(cat out)"
run_bounded 300000 10 compare -q --format jsonl a.hiv same.hiv
expect_ok 0
expect_empty out
# hexlen NAME: the length of the field NAME (hex data) in the one line.
# (Fields split at commas, which hex data does not hold: a regular
# expression over a line of 36 MB takes minutes, sed's too.)
field() { tr ',' '\n' <out | grep "^\"$1\":" | cut -d '"' -f 4; }
hexlen() { field "$1" | tr -d '\n' | wc -c; }
head_of() { tr ',' '\n' <out | sed -n '1,5p' | tr '\n' ','; }
for b in type size data; do
	run_bounded 300000 10 compare -q --format jsonl a.hiv $b.hiv
	expect_ok 1
	[ "$(lines out)" -eq 1 ] || fail "$b: $(cut -c 1-200 out)"
	[ "$(hexlen old_data_hex)" -eq 18000000 ] || fail "$b: old data of $(hexlen old_data_hex) hex digits"
	cp out $b.jsonl
done
cp type.jsonl out
[ "$(head_of)" = '{"op":"value_modified","key":"a.hiv","value":"Big","old_type":"REG_BINARY","new_type":"REG_DWORD",' ] ||
	fail "type: $(cut -c 1-200 out)"
cp size.jsonl out
[ "$(hexlen new_data_hex)" -eq 18000002 ] || fail "size: new data of $(hexlen new_data_hex) hex digits"
cp data.jsonl out
[ "$(hexlen new_data_hex)" -eq 18000000 ] || fail "data: new data of $(hexlen new_data_hex) hex digits"
field old_data_hex >old.hex
field new_data_hex >new.hex
cmp -s old.hex new.hex && fail "data: equal data reported modified"

#case big_unread
# Data that cannot be read (its segments are one cell): the type and size
# the hive states still compare; the data is not compared.
craft big sa.hiv 3 9000000 1 shared
craft big sb.hiv 3 9000001 1 shared
run compare -q --format jsonl sa.hiv sb.hiv
expect_ok 1
expect_out '{"op":"value_modified","key":"sa.hiv","value":"Big","old_type":"REG_BINARY","new_type":"REG_BINARY","old_data":{"not_read":true,"size":9000000},"new_data":{"not_read":true,"size":9000001},"old_data_hex":null,"new_data_hex":null}
{"op":"not_compared","key":"sa.hiv","value":"Big","not_read":["data"],"sides":["before","after"]}
{"op":"summary","complete":false,"total":1,"not_compared":1,"unread_in_both":0,"problems_before":1,"problems_after":1}'
run compare -q sa.hiv sb.hiv
expect_ok 1
grep -qxF 'sa.hiv\Big: (data not read: 9000000 bytes)' out || fail "txt: $(cat out)"
grep -qxF 'sa.hiv\Big: (data not read: 9000001 bytes)' out || fail "txt: $(cat out)"
run compare -q --format jsonl sa.hiv sa.hiv
expect_nc_rc
expect_out '{"op":"summary","complete":false,"total":0,"not_compared":0,"unread_in_both":1,"problems_before":1,"problems_after":1}'

#case huge
# -- A value larger than a snapshot holds (63 MiB) is kept by its type and
# size and not compared; the shot does not fail.
craft big huge.hiv 3 67000000 1
run -q shot -o huge.rds huge.hiv
expect_ok 0
run info huge.rds
expect_ok 0
[ "$(problems)" = "  huge.hiv\\Big: value data not read: 67000000 bytes, over the snapshot format's limit of 66060288" ] ||
	fail "huge problems: $(problems)"
rm -f huge.hiv huge.rds

#case dups
# -- Sibling names equal but for case: the first in canonical order
# ("SAME" before "Same", "NAME" before "Name") is read, the other is a
# problem, and its key is not compared as a whole: no path is both added
# and modified.
craft dups da.hiv a
craft dups db.hiv b
run -q shot -o da.rds da.hiv
expect_ok 0
run info da.rds
expect_ok 0
[ "$(problems)" = "$(printf '%s\n' \
	"  da.hiv\\Same: key not read: its name equals a sibling's but for case (the sibling is read)" \
	"  da.hiv\\Vals\\Name: value not read: its name equals another value's of the key but for case (the other is read)")" ] ||
	fail "dups problems: $(problems)"
run compare -q --format jsonl da.hiv db.hiv
expect_ok 1
expect_out '{"op":"not_compared","key":"da.hiv","not_read":["subkeys"],"sides":["before"]}
{"op":"value_modified","key":"da.hiv\\Same","value":"x","old_type":"REG_DWORD","new_type":"REG_DWORD","old_data":2,"new_data":1,"old_data_hex":"02000000","new_data_hex":"01000000"}
{"op":"not_compared","key":"da.hiv\\Vals","not_read":["values"],"sides":["before"]}
{"op":"value_modified","key":"da.hiv\\Vals","value":"Name","old_type":"REG_DWORD","new_type":"REG_DWORD","old_data":2,"new_data":1,"old_data_hex":"02000000","new_data_hex":"01000000"}
{"op":"summary","complete":false,"total":2,"not_compared":2,"unread_in_both":0,"problems_before":2,"problems_after":0}'
run compare -q --format jsonl db.hiv da.hiv
expect_ok 1
expect_out '{"op":"not_compared","key":"db.hiv","not_read":["subkeys"],"sides":["after"]}
{"op":"value_modified","key":"db.hiv\\SAME","value":"x","old_type":"REG_DWORD","new_type":"REG_DWORD","old_data":1,"new_data":2,"old_data_hex":"01000000","new_data_hex":"02000000"}
{"op":"not_compared","key":"db.hiv\\Vals","not_read":["values"],"sides":["after"]}
{"op":"value_modified","key":"db.hiv\\Vals","value":"NAME","old_type":"REG_DWORD","new_type":"REG_DWORD","old_data":1,"new_data":2,"old_data_hex":"01000000","new_data_hex":"02000000"}
{"op":"summary","complete":false,"total":2,"not_compared":2,"unread_in_both":0,"problems_before":0,"problems_after":2}'
run compare -q --format jsonl da.hiv da.rds
expect_nc_rc
expect_out '{"op":"summary","complete":false,"total":0,"not_compared":0,"unread_in_both":2,"problems_before":2,"problems_after":2}'

#case longnames
# -- 10,000 unreadable values under 8 nested keys of 65,535-character
# names: each problem's path keeps its start and end (1024 characters),
# so the shot stays small and its snapshot reads back.
craft longnames ln.hiv
run_bounded 100000 5 -q shot -o ln.rds ln.hiv
expect_ok 0
run_bounded 100000 5 info ln.rds
expect_ok 0
grep -qx 'Unreadable: 10000' out || fail "$(grep Unreadable out)"
problems >p
# The footer keeps problems within 8 MiB and counts the rest.
[ "$(tail -n 1 p)" = '  (2382 more not kept)' ] || fail "last problem line: $(tail -n 1 p | head -c 200)"
[ "$(lines p)" -eq 7619 ] || fail "$(lines p) problem lines listed"
a249=$(printf '%249s' '' | tr ' ' a)
grep -Eqx "  ln\\.hiv\\\\$a249\\[\\.\\.\\. 523273 characters left out \\.\\.\\.\\]h{765}\\\\v0: value data not read: .*" p ||
	fail "ln problem: $(head -c 400 p)"
[ "$(awk 'length > 1300' p | wc -l)" -eq 0 ] || fail "a problem line over 1300 bytes"
exit 0
