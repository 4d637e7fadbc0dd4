/* The backup privilege, for a live shot that must see what every ACL
 * denies (HKLM\SAM\SAM, HKLM\SECURITY): with SeBackupPrivilege enabled,
 * keys opened with REG_OPTION_BACKUP_RESTORE are granted read access
 * whatever their DACL says. */
#include <windows.h>

#include "internal.h"

int regdiff__win32_enable_backup(void);

int regdiff__win32_enable_backup(void)
{
	HANDLE token;
	TOKEN_PRIVILEGES tp;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &token))
		return regdiff__error(REGDIFF_EACCESS,
				      "--backup: cannot open the process token (error %lu)",
				      (unsigned long)GetLastError());
	tp.PrivilegeCount = 1;
	tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
	BOOL ok = LookupPrivilegeValueW(NULL, L"SeBackupPrivilege", &tp.Privileges[0].Luid) &&
		  AdjustTokenPrivileges(token, FALSE, &tp, 0, NULL, NULL);
	/* AdjustTokenPrivileges succeeds when the token lacks the privilege
	 * and says so only through the last error. */
	DWORD e = GetLastError();
	CloseHandle(token);
	if (ok && e == ERROR_SUCCESS)
		return 0;
	if (ok && e == ERROR_NOT_ALL_ASSIGNED)
		return regdiff__error(
		    REGDIFF_EACCESS,
		    "--backup: the account does not hold the backup privilege "
		    "(SeBackupPrivilege); run regdiff from an elevated prompt as an "
		    "administrator or a member of Backup Operators");
	return regdiff__error(REGDIFF_EACCESS,
			      "--backup: cannot enable the backup privilege (error %lu)",
			      (unsigned long)e);
}
