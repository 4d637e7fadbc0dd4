/* Output files readable by their owner only: a snapshot that holds the
 * SAM's password hashes and the LSA secrets (a live shot with the backup
 * privilege, an offline SAM or SECURITY hive) must not be left readable
 * by every account of the machine, whatever umask or the folder's
 * inheritable ACL would give it. */
#include <errno.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#include <windows.h>
#include <aclapi.h>
#else
#include <sys/stat.h>
#endif

#include "internal.h"
#include "osfile.h"

#ifdef _WIN32
/* The SID of the account the process runs as, in buf. */
static int token_user(BYTE *buf, DWORD size, PSID *sid)
{
	HANDLE token;
	DWORD n = 0;
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
		return -1;
	BOOL ok = GetTokenInformation(token, TokenUser, buf, size, &n);
	CloseHandle(token);
	if (!ok)
		return -1;
	*sid = ((TOKEN_USER *)buf)->User.Sid;
	return 0;
}

/* A protected DACL with one entry, full control for the process's own
 * account: nothing is inherited from the folder, and no one else, not
 * Administrators either, is granted anything. The owner keeps the right
 * to change the DACL, as any file's owner does. */
int regdiff__os_make_private(int fd)
{
	BYTE user[SECURITY_MAX_SID_SIZE + sizeof(TOKEN_USER)];
	PSID sid;
	if (token_user(user, sizeof user, &sid) != 0)
		return regdiff__error(REGDIFF_EIO, "cannot learn the account's SID (error %lu)",
				      (unsigned long)GetLastError());
	DWORD acl_size = sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) + GetLengthSid(sid);
	BYTE acl_buf[sizeof(ACL) + sizeof(ACCESS_ALLOWED_ACE) + SECURITY_MAX_SID_SIZE];
	PACL acl = (PACL)acl_buf;
	if (!InitializeAcl(acl, acl_size, ACL_REVISION) ||
	    !AddAccessAllowedAce(acl, ACL_REVISION, FILE_ALL_ACCESS, sid))
		return regdiff__error(REGDIFF_EIO, "cannot build an owner-only ACL (error %lu)",
				      (unsigned long)GetLastError());
	/* fd comes from regdiff__os_mktemp, whose handle has WRITE_DAC. */
	DWORD e = SetSecurityInfo((HANDLE)_get_osfhandle(fd), SE_FILE_OBJECT,
				  DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
				  NULL, NULL, acl, NULL);
	if (e != ERROR_SUCCESS)
		return regdiff__error(REGDIFF_EIO, "cannot make the file private (error %lu)",
				      (unsigned long)e);
	return 0;
}
#else
int regdiff__os_make_private(int fd)
{
	if (fchmod(fd, 0600) != 0)
		return regdiff__error(REGDIFF_EIO, "cannot make the file private: %s",
				      strerror(errno));
	return 0;
}
#endif
