# Shots of base and changed (one user's NTUSER.DAT before and after), then
# their comparison in TXT and JSON lines, against golden files. The changes
# they must show are listed in fixtures/README.md.
. "$(dirname "$0")/lib.sh"
need_fixtures
user_hives

run shot -o base.rds before/Users/alice/NTUSER.DAT
expect_ok 0
expect_empty out
run shot -o changed.rds after/Users/alice/NTUSER.DAT
expect_ok 0

run compare base.rds changed.rds
expect_ok 1
normalise_datetime out
expect_golden out base_changed.txt

run compare --format jsonl base.rds changed.rds
expect_ok 1
expect_golden out base_changed.jsonl

# --key-times adds the keys whose only change is their last-write time.
run compare --key-times --format jsonl base.rds changed.rds
expect_ok 1
expect_golden out base_changed_key_times.jsonl

# The other way round, everything turns over.
run compare --format jsonl changed.rds base.rds
expect_ok 1
expect_golden out changed_base.jsonl
