# --backup: SeBackupPrivilege enabled and keys opened with
# REG_OPTION_BACKUP_RESTORE read a key whose DACL denies everyone (as
# HKLM\SAM\SAM and HKLM\SECURITY do on Windows), with a warning that the
# snapshot holds secrets. Wine runs everything as an administrator that
# holds the privilege, so the refusal of an account without it cannot be
# shown here, and whether Wine lets the privilege past a DACL depends on
# the prefix; nor the owner-only DACL of the file, which Wine 8 does not
# keep on a Linux file system (docs/windows.md).
. "$(dirname "$0")/lib.sh"
need_helper

# Locked keys cannot be deleted for a rerun: each run has its own.
K="Software\\regdiff-backup-$$"
reg add "HKCU\\$K\\Open" /v V /t REG_SZ /d v /f
helper lock "$K\\Locked"

win shot -q -o plain.rds "HKCU\\$K"
expect_rc 0
win info plain.rds
expect_rc 0
tr -d '\r' <out | grep -qx 'Unreadable: 1' || fail "without --backup: $(cat out)"

win shot --backup -o b.rds "HKCU\\$K"
expect_rc 0
# First; a warning about keys not read may follow (see below).
echo "regdiff: warning: --backup: the snapshot holds the SAM's password hashes and the LSA secrets; it is written readable by its owner only: keep it so, and delete it when done" >want
head -n 1 err >err1
expect_same want err1
win info b.rds
expect_rc 0
tr -d '\r' <out | sed "s/regdiff-backup-$$/regdiff-backup-N/g" >info.txt
grep -qxF '  HKCU\Software\regdiff-backup-N: live HKCU\Software\regdiff-backup-N (backup privilege)' info.txt ||
	fail "info: no backup source: $(cat info.txt)"

# Whether Wine lets the privilege past the empty DACL varies between
# prefixes (a prefix made by wineboot -i, as the tests make, does not);
# where it does, the locked key is read, unread in the plain shot only.
if grep -qx 'Unreadable: 0' info.txt; then
	win compare --format jsonl plain.rds b.rds
	expect_rc 3
	sed "s/regdiff-backup-$$/regdiff-backup-N/g" out | head -n 1 >changes.jsonl
	printf '%s\n' '{"op":"not_compared","key":"HKCU\\Software\\regdiff-backup-N\\Locked","not_read":["values","subkeys"],"sides":["before"]}' >want
	expect_same want changes.jsonl
else
	grep -qx 'Unreadable: 1' info.txt || fail "info: $(cat info.txt)"
	echo "note: this Wine prefix denies the locked key to the backup privilege too" >&2
fi

# -q silences the warning, not the privilege.
win shot -q --backup -o b2.rds "HKCU\\$K"
expect_rc 0
expect_empty err
# compare takes no --backup: it is for taking shots.
win compare --backup plain.rds b.rds
expect_rc 2
