/* What the Wine tests need done on the Windows side that reg.exe cannot do:
 *   regdiff_wine_helper lock KEY    create HKCU\KEY with a value and a
 *                                   subkey, then deny everyone all access
 *   regdiff_wine_helper sleep MS    wait MS milliseconds
 *   regdiff_wine_helper churn KEY MS for MS milliseconds, keep resizing a
 *                                   value and deleting and re-creating
 *                                   another under HKCU\KEY
 *   regdiff_wine_helper handles     try to write to every handle this
 *                                   process holds but the standard ones
 *                                   (all it holds at start were inherited)
 *   regdiff_wine_helper drop KEY MS start "later KEY MS" and exit at once
 *   regdiff_wine_helper later KEY MS after MS milliseconds set the value
 *                                   Dropped in HKCU\KEY
 *   regdiff_wine_helper acl FILE    print FILE's DACL as "protected P
 *                                   entries N account A": P 1 when nothing
 *                                   is inherited, A 1 when the one entry
 *                                   grants this account full control
 *   regdiff_wine_helper walk        a bare RegEnumKeyExW/RegEnumValueW walk
 *                                   of HKLM and HKU: keys, values and time,
 *                                   the floor a live shot is measured
 *                                   against (docs/windows.md)
 * Exit status 0, or 1 with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <aclapi.h>

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

/* A disk file handle that takes a write is one the sample could use to
 * rewrite regdiff's evidence. */
static int handles(void)
{
	HANDLE std[3] = {GetStdHandle(STD_INPUT_HANDLE), GetStdHandle(STD_OUTPUT_HANDLE),
			 GetStdHandle(STD_ERROR_HANDLE)};
	int files = 0, writable = 0;
	for (uintptr_t v = 4; v < 0x10000; v += 4) {
		HANDLE h = (HANDLE)v;
		DWORD flags, n;
		if (h == std[0] || h == std[1] || h == std[2] || !GetHandleInformation(h, &flags) ||
		    GetFileType(h) != FILE_TYPE_DISK)
			continue;
		files++;
		if (WriteFile(h, "x", 1, &n, NULL) && n == 1) {
			printf("handle %#lx is writable\n", (unsigned long)v);
			writable++;
		}
	}
	printf("disk file handles: %d, writable: %d\n", files, writable);
	return writable ? 1 : 0;
}

static int drop(const char *key, const char *ms)
{
	wchar_t self[MAX_PATH], line[2 * MAX_PATH];
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	if (!GetModuleFileNameW(NULL, self, MAX_PATH))
		return fail("module name", (LONG)GetLastError());
	_snwprintf(line, sizeof line / sizeof line[0], L"\"%ls\" later %hs %hs", self, key, ms);
	memset(&si, 0, sizeof si);
	si.cb = sizeof si;
	if (!CreateProcessW(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
		return fail("start", (LONG)GetLastError());
	CloseHandle(pi.hThread);
	CloseHandle(pi.hProcess);
	return 0;
}

static int later(const char *key, DWORD ms)
{
	Sleep(ms);
	HKEY h;
	LONG e =
	    RegCreateKeyExA(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &h, NULL);
	if (e != ERROR_SUCCESS)
		return fail("create", e);
	e = RegSetValueExA(h, "Dropped", 0, REG_SZ, (const BYTE *)"payload", 8);
	RegCloseKey(h);
	return e == ERROR_SUCCESS ? 0 : fail("set", e);
}

static void walk_key(HKEY h, unsigned long *keys, unsigned long *values)
{
	static wchar_t name[32768];
	static BYTE data[1 << 20];
	(*keys)++;
	for (DWORD i = 0;; i++) {
		DWORD n = 32768, len = sizeof data, type;
		LONG e = RegEnumValueW(h, i, name, &n, NULL, &type, data, &len);
		if (e != ERROR_SUCCESS && e != ERROR_MORE_DATA)
			break;
		(*values)++;
	}
	for (DWORD i = 0;; i++) {
		DWORD n = 32768;
		HKEY sub;
		LONG e = RegEnumKeyExW(h, i, name, &n, NULL, NULL, NULL, NULL);
		if (e != ERROR_SUCCESS)
			break;
		if (RegOpenKeyExW(h, name, REG_OPTION_OPEN_LINK,
				  KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | KEY_WOW64_64KEY,
				  &sub) == ERROR_SUCCESS) {
			walk_key(sub, keys, values);
			RegCloseKey(sub);
		}
	}
}

static int walk(void)
{
	unsigned long keys = 0, values = 0;
	DWORD start = GetTickCount();
	walk_key(HKEY_LOCAL_MACHINE, &keys, &values);
	walk_key(HKEY_USERS, &keys, &values);
	printf("keys %lu values %lu ms %lu\n", keys, values,
	       (unsigned long)(GetTickCount() - start));
	return 0;
}

static int acl(const char *file)
{
	PACL dacl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	DWORD e = GetNamedSecurityInfoA(file, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
					&dacl, NULL, &sd);
	if (e != ERROR_SUCCESS)
		return fail("GetNamedSecurityInfo", (LONG)e);
	SECURITY_DESCRIPTOR_CONTROL control = 0;
	DWORD revision;
	GetSecurityDescriptorControl(sd, &control, &revision);
	BYTE user[SECURITY_MAX_SID_SIZE + sizeof(TOKEN_USER)];
	HANDLE token;
	DWORD n;
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token) ||
	    !GetTokenInformation(token, TokenUser, user, sizeof user, &n))
		return fail("token", (LONG)GetLastError());
	CloseHandle(token);
	int account = 0;
	ACCESS_ALLOWED_ACE *ace;
	if (dacl && dacl->AceCount == 1 && GetAce(dacl, 0, (void **)&ace) &&
	    ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE &&
	    (ace->Mask & FILE_ALL_ACCESS) == FILE_ALL_ACCESS)
		account = EqualSid((PSID)&ace->SidStart, ((TOKEN_USER *)user)->User.Sid) != 0;
	printf("protected %d entries %u account %d\n", (control & SE_DACL_PROTECTED) != 0,
	       dacl ? (unsigned)dacl->AceCount : 0u, account);
	LocalFree(sd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "acl") == 0)
		return acl(argv[2]);
	if (argc == 2 && strcmp(argv[1], "walk") == 0)
		return walk();
	if (argc == 2 && strcmp(argv[1], "handles") == 0)
		return handles();
	if (argc == 4 && strcmp(argv[1], "drop") == 0)
		return drop(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "later") == 0)
		return later(argv[2], (DWORD)strtoul(argv[3], NULL, 10));
	if (argc == 3 && strcmp(argv[1], "lock") == 0)
		return lock(argv[2]);
	if (argc == 3 && strcmp(argv[1], "sleep") == 0) {
		Sleep((DWORD)strtoul(argv[2], NULL, 10));
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "churn") == 0)
		return churn(argv[2], (DWORD)strtoul(argv[3], NULL, 10));
	fprintf(stderr, "usage: regdiff_wine_helper lock KEY | sleep MS | churn KEY MS | handles |"
			" drop KEY MS | later KEY MS | walk | acl FILE\n");
	return 2;
}
