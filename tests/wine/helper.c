/* What the Wine tests need done on the Windows side that reg.exe cannot do:
 *   regdiff_wine_helper lock KEY    create HKCU\KEY with a value and a
 *                                   subkey, then deny everyone all access
 *   regdiff_wine_helper sleep MS    wait MS milliseconds
 *   regdiff_wine_helper churn KEY MS for MS milliseconds, keep resizing a
 *                                   value and deleting and re-creating
 *                                   another under HKCU\KEY
 * Exit status 0, or 1 with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static int fail(const char *what, LONG e)
{
	fprintf(stderr, "regdiff_wine_helper: %s: error %ld\n", what, (long)e);
	return 1;
}

static int lock(const char *path)
{
	HKEY h, sub;
	LONG e =
	    RegCreateKeyExA(HKEY_CURRENT_USER, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &h, NULL);
	if (e != ERROR_SUCCESS)
		return fail("create", e);
	e = RegSetValueExA(h, "Hidden", 0, REG_SZ, (const BYTE *)"x", 2);
	if (e == ERROR_SUCCESS)
		e = RegCreateKeyExA(h, "Inner", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &sub, NULL);
	if (e != ERROR_SUCCESS)
		return fail("fill", e);
	RegCloseKey(sub);
	/* An empty DACL grants nothing to anyone. */
	SECURITY_DESCRIPTOR sd;
	ACL acl;
	if (!InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION) ||
	    !InitializeAcl(&acl, sizeof acl, ACL_REVISION) ||
	    !SetSecurityDescriptorDacl(&sd, TRUE, &acl, FALSE))
		return fail("security descriptor", (LONG)GetLastError());
	e = RegSetKeySecurity(h, DACL_SECURITY_INFORMATION, &sd);
	RegCloseKey(h);
	return e == ERROR_SUCCESS ? 0 : fail("set security", e);
}

static int churn(const char *path, DWORD ms)
{
	HKEY h;
	LONG e =
	    RegCreateKeyExA(HKEY_CURRENT_USER, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &h, NULL);
	if (e != ERROR_SUCCESS)
		return fail("create", e);
	static BYTE data[1 << 16];
	memset(data, 0x5a, sizeof data);
	DWORD start = GetTickCount();
	for (DWORD i = 0; GetTickCount() - start < ms; i++) {
		DWORD size = 1 + (i * 7919u) % sizeof data;
		e = RegSetValueExA(h, "Churn", 0, REG_BINARY, data, size);
		if (e == ERROR_SUCCESS)
			e = i % 2 ? RegDeleteValueA(h, "Flicker")
				  : RegSetValueExA(h, "Flicker", 0, REG_BINARY, data, size);
		if (e != ERROR_SUCCESS)
			return fail("churn", e);
	}
	RegCloseKey(h);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "lock") == 0)
		return lock(argv[2]);
	if (argc == 3 && strcmp(argv[1], "sleep") == 0) {
		Sleep((DWORD)strtoul(argv[2], NULL, 10));
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "churn") == 0)
		return churn(argv[2], (DWORD)strtoul(argv[3], NULL, 10));
	fprintf(stderr, "usage: regdiff_wine_helper lock KEY | sleep MS | churn KEY MS\n");
	return 2;
}
