# Snapshot files cut short or with a bit flipped are refused by info and by
# compare: status 2, one line naming the file, nothing on stdout.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need_fixtures
cp "$FIXTURES/base.hiv" "$FIXTURES/changed.hiv" .
run -q shot -o good.rds changed.hiv
expect_ok 0
run info good.rds
expect_ok 0
size=$(size_of good.rds)

refused() {
	run info "$1"
	expect_error "$1"
	run compare base.hiv "$1"
	expect_error "$1"
	run compare --format jsonl "$1" base.hiv
	expect_error "$1"
}

for n in 1 4 8 15 16 31 32 63 64 100 $((size / 4)) $((size / 2)) $((size - 64)) \
	$((size - 17)) $((size - 16)) $((size - 8)) $((size - 1)); do
	head -c "$n" good.rds >"cut$n.rds"
	refused "cut$n.rds"
done

# Flipped bits across the file: in the header, in blocks, in the index and
# in the trailer. Every byte counts.
step=$((size / 23))
off=0
while [ "$off" -lt "$size" ]; do
	cp good.rds "flip$off.rds"
	flip_bit "flip$off.rds" "$off"
	refused "flip$off.rds"
	off=$((off + step))
done
for off in 0 1 7 8 12 $((size - 1)) $((size - 4)) $((size - 8)) $((size - 12)); do
	cp good.rds "flip$off.rds"
	flip_bit "flip$off.rds" "$off"
	refused "flip$off.rds"
done
