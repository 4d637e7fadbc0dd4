/* The live source, on Windows (run under Wine by wine_unit): opening and
 * refusing paths, names and data kept exactly, symbolic links recorded and
 * not followed, the 32-bit view, and the metadata of a live shot. Each run
 * makes its own keys (named after the process) and removes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

#include "regdiff.h"

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: FAILED: %s (%s)\n", __FILE__, __LINE__, #cond,     \
				regdiff_error_message());                                          \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static wchar_t parent[64]; /* Software\regdiff-live-<pid> */
static char parent_utf8[64];

static HKEY create(HKEY root, const wchar_t *path, DWORD options, REGSAM view)
{
	HKEY h = NULL;
	LONG e =
	    RegCreateKeyExW(root, path, 0, NULL, options, KEY_ALL_ACCESS | view, NULL, &h, NULL);
	if (e != ERROR_SUCCESS) {
		fprintf(stderr, "cannot create %ls: error %ld\n", path, (long)e);
		exit(1);
	}
	return h;
}

static void set(HKEY h, const wchar_t *name, DWORD type, const void *data, DWORD len)
{
	LONG e = RegSetValueExW(h, name, 0, type, data, len);
	if (e != ERROR_SUCCESS) {
		fprintf(stderr, "cannot set %ls: error %ld\n", name ? name : L"(default)", (long)e);
		exit(1);
	}
}

static const char *path_of(char *buf, size_t n, const char *root, const char *rest)
{
	snprintf(buf, n, "%s\\%s%s%s", root, parent_utf8, rest[0] ? "\\" : "", rest);
	return buf;
}

/* A snapshot of the live path, mounted at mount if not NULL. */
static regdiff_snapshot *shoot(const char *path, unsigned flags, const char *mount)
{
	regdiff_source *src = NULL;
	regdiff_snapshot *snap = NULL;
	int rc = regdiff_source_open_live(&src, path, flags);
	CHECK(rc == 0);
	if (rc == 0 && mount)
		CHECK(regdiff_source_set_mount(src, mount) == 0);
	if (rc == 0)
		CHECK(regdiff_shot_take(&snap, &src, 1, NULL) == 0);
	regdiff_source_free(src);
	if (!snap) {
		fprintf(stderr, "cannot shoot %s\n", path);
		exit(1);
	}
	return snap;
}

/* One expected change: op, the key's path below the mount, the value's
 * name (NULL for key ops), type and bytes. */
typedef struct want {
	regdiff_op op;
	const char *key;
	const wchar_t *value;
	size_t value_len;
	uint32_t type;
	const void *bytes;
	size_t len;
	int seen;
} want;

static int name_is(regdiff_name n, const char *ascii)
{
	size_t len = strlen(ascii);
	if (n.len != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (n.units[i] != (uint8_t)ascii[i])
			return 0;
	return 1;
}

static int matches(const regdiff_change *c, const want *w)
{
	if (c->op != w->op || !name_is(c->key, w->key))
		return 0;
	if (!w->value)
		return 1;
	const regdiff_data *d = w->op == REGDIFF_VALUE_DELETED ? &c->old_data : &c->new_data;
	return c->value.len == w->value_len &&
	       memcmp(c->value.units, w->value, w->value_len * sizeof(uint16_t)) == 0 &&
	       d->type == w->type && d->len == w->len &&
	       (!w->len || memcmp(d->bytes, w->bytes, w->len) == 0);
}

/* The diff of before and after is exactly the changes in wants. */
static void expect_changes(const char *what, regdiff_snapshot *before, regdiff_snapshot *after,
			   want *wants, size_t n)
{
	regdiff_diff *diff = NULL;
	CHECK(regdiff_diff_new(&diff, before, after, NULL) == 0);
	const regdiff_change *c;
	int rc;
	size_t count = 0;
	while (diff && (rc = regdiff_diff_next(&c, diff)) == 0) {
		count++;
		size_t i = 0;
		while (i < n && (wants[i].seen || !matches(c, &wants[i])))
			i++;
		if (i == n) {
			char *key = NULL;
			regdiff_name_to_utf8(&key, NULL, c->key, REGDIFF_TEXT_SAFE);
			fprintf(stderr, "%s: unexpected change %d at %s\n", what, (int)c->op, key);
			regdiff_free(key);
			failures++;
		} else {
			wants[i].seen = 1;
		}
	}
	CHECK(!diff || rc == REGDIFF_ITEROVER);
	for (size_t i = 0; i < n; i++)
		if (!wants[i].seen) {
			fprintf(stderr, "%s: change %zu (op %d at %s) not reported\n", what, i,
				(int)wants[i].op, wants[i].key);
			failures++;
		}
	if (count != n)
		fprintf(stderr, "%s: %zu changes, want %zu\n", what, count, n);
	CHECK(count == n);
	regdiff_diff_free(diff);
}

static void test_open(void)
{
	regdiff_source *s = NULL;
	CHECK(regdiff_source_open_live(&s, "HKEY_CURRENT_USER\\Software", 0) == 0);
	CHECK(s && strcmp(regdiff_source_mount(s), "HKCU\\Software") == 0);
	CHECK(s && regdiff_source_kind(s) == REGDIFF_KIND_LIVE);
	CHECK(s && strcmp(regdiff_source_location(s), "HKCU\\Software") == 0);
	regdiff_source_free(s);

	s = NULL;
	CHECK(regdiff_source_open_live(&s, "HKCU\\Software", REGDIFF_LIVE_32BIT_VIEW) == 0);
	CHECK(s && strcmp(regdiff_source_location(s), "HKCU\\Software (32-bit view)") == 0);
	regdiff_source_free(s);

	s = NULL;
	CHECK(regdiff_source_open(&s, "hkcu\\Software") == 0);
	CHECK(s && regdiff_source_kind(s) == REGDIFF_KIND_LIVE);
	CHECK(s && strcmp(regdiff_source_mount(s), "HKCU\\Software") == 0);
	regdiff_source_free(s);

	s = NULL;
	CHECK(regdiff_source_open_live(&s, "HKCU\\Software\\regdiff-no-such-key", 0) ==
	      REGDIFF_ENOTFOUND);
	CHECK(strcmp(regdiff_error_message(), "HKCU\\Software\\regdiff-no-such-key: no such key") ==
	      0);
	CHECK(s == NULL);
	CHECK(regdiff_source_open_live(&s, "HKXX\\Software", 0) == REGDIFF_EINVAL);
	CHECK(regdiff_source_open_live(&s, "HKCU\\Software", 1u << 7) == REGDIFF_EINVAL);
	CHECK(regdiff_source_open_live(&s, "HKCU\\\\Software", 0) == REGDIFF_EINVAL);
}

/* Names and data as the registry holds them, whatever they are. */
static void test_exact(void)
{
	wchar_t path[128];
	swprintf(path, 128, L"%ls\\Data", parent);
	HKEY h = create(HKEY_CURRENT_USER, path, 0, 0);
	swprintf(path, 128, L"%ls\\Empty", parent);
	RegCloseKey(create(HKEY_CURRENT_USER, path, 0, 0));

	static const wchar_t sz[] = L"d";
	static const uint8_t no_nul[] = {'a', 0, 'b', 0};
	static const uint8_t odd[] = {1, 2, 3};
	static uint8_t big[200000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 7 + i / 251);
	/* A control character and a character beyond the BMP in a name. */
	static const wchar_t odd_name[] = {'O', 1, 'd', 0xD83D, 0xDE00, 0};
	set(h, NULL, REG_SZ, sz, sizeof sz);
	set(h, L"NoNul", REG_SZ, no_nul, sizeof no_nul);
	set(h, L"Big", REG_BINARY, big, sizeof big);
	set(h, odd_name, 99, odd, sizeof odd);
	set(h, L"Empty", REG_NONE, NULL, 0);
	RegCloseKey(h);

	char p[128];
	regdiff_snapshot *before = shoot(path_of(p, sizeof p, "HKCU", "Empty"), 0, "HKCU\\X");
	regdiff_snapshot *after = shoot(path_of(p, sizeof p, "HKCU", "Data"), 0, "HKCU\\X");
	want wants[] = {
	    {REGDIFF_VALUE_ADDED, "HKCU\\X", L"", 0, REG_SZ, sz, sizeof sz, 0},
	    {REGDIFF_VALUE_ADDED, "HKCU\\X", L"NoNul", 5, REG_SZ, no_nul, sizeof no_nul, 0},
	    {REGDIFF_VALUE_ADDED, "HKCU\\X", L"Big", 3, REG_BINARY, big, sizeof big, 0},
	    {REGDIFF_VALUE_ADDED, "HKCU\\X", odd_name, 5, 99, odd, sizeof odd, 0},
	    {REGDIFF_VALUE_ADDED, "HKCU\\X", L"Empty", 5, REG_NONE, NULL, 0, 0},
	};
	expect_changes("exact", before, after, wants, sizeof wants / sizeof wants[0]);
	regdiff_snapshot_free(before);
	regdiff_snapshot_free(after);
}

/* NtDeleteKey, which the Win32 API does not declare. */
static LONG nt_delete_key(HANDLE h)
{
	typedef LONG(WINAPI * nt_delete_key_fn)(HANDLE);
	FARPROC proc = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtDeleteKey");
	nt_delete_key_fn fn = NULL;
	if (proc)
		memcpy(&fn, &proc, sizeof fn);
	return fn ? fn(h) : -1;
}

/* Deletes the link at HKLM\path itself: deleting it through Win32 would
 * delete its target. */
static void delete_link(const wchar_t *path, REGSAM view)
{
	HKEY h;
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, REG_OPTION_OPEN_LINK, DELETE | view, &h) == 0) {
		nt_delete_key(h);
		RegCloseKey(h);
	}
}

/* A link is kept as the key it is, holding its target; the target is
 * captured once, where it lives. A source's own root follows links. */
static void test_link(void)
{
	wchar_t path[160], target[200];
	swprintf(path, 160, L"%ls\\Target\\Deep", parent);
	RegCloseKey(create(HKEY_LOCAL_MACHINE, path, 0, 0));
	swprintf(path, 160, L"%ls\\Target", parent);
	HKEY h = create(HKEY_LOCAL_MACHINE, path, 0, 0);
	DWORD seven = 7;
	set(h, L"X", REG_DWORD, &seven, sizeof seven);
	RegCloseKey(h);
	swprintf(path, 160, L"%ls\\Link", parent);
	h = create(HKEY_LOCAL_MACHINE, path, REG_OPTION_CREATE_LINK, 0);
	int n = swprintf(target, 200, L"\\Registry\\Machine\\%ls\\Target", parent);
	/* Links are stored without a terminator. */
	set(h, L"SymbolicLinkValue", REG_LINK, target, (DWORD)n * sizeof(wchar_t));
	RegCloseKey(h);
	swprintf(path, 160, L"%ls\\Empty", parent);
	RegCloseKey(create(HKEY_LOCAL_MACHINE, path, 0, 0));

	char p[128];
	regdiff_snapshot *before = shoot(path_of(p, sizeof p, "HKLM", "Empty"), 0, "HKLM\\L");
	regdiff_snapshot *after = shoot(path_of(p, sizeof p, "HKLM", ""), 0, "HKLM\\L");
	want wants[] = {
	    {REGDIFF_KEY_ADDED, "HKLM\\L\\Empty", NULL, 0, 0, NULL, 0, 0},
	    {REGDIFF_KEY_ADDED, "HKLM\\L\\Link", NULL, 0, 0, NULL, 0, 0},
	    {REGDIFF_VALUE_ADDED, "HKLM\\L\\Link", L"SymbolicLinkValue", 17, REG_LINK, target,
	     (size_t)n * sizeof(wchar_t), 0},
	    {REGDIFF_KEY_ADDED, "HKLM\\L\\Target", NULL, 0, 0, NULL, 0, 0},
	    {REGDIFF_VALUE_ADDED, "HKLM\\L\\Target", L"X", 1, REG_DWORD, &seven, 4, 0},
	    {REGDIFF_KEY_ADDED, "HKLM\\L\\Target\\Deep", NULL, 0, 0, NULL, 0, 0},
	};
	expect_changes("link", before, after, wants, sizeof wants / sizeof wants[0]);
	regdiff_snapshot_free(before);
	regdiff_snapshot_free(after);

	before = shoot(path_of(p, sizeof p, "HKLM", "Target"), 0, "HKLM\\T");
	after = shoot(path_of(p, sizeof p, "HKLM", "Link"), 0, "HKLM\\T");
	expect_changes("link as root", before, after, NULL, 0);
	regdiff_snapshot_free(before);
	regdiff_snapshot_free(after);

	swprintf(path, 160, L"%ls\\Link", parent);
	delete_link(path, 0);
}

/* A key only the 32-bit view has (HKLM\Software\Wow6432Node\...). */
static void test_32bit_view(void)
{
	wchar_t path[80];
	swprintf(path, 80, L"%ls-32", parent);
	RegCloseKey(create(HKEY_LOCAL_MACHINE, path, 0, KEY_WOW64_32KEY));
	char p[128];
	regdiff_source *s = NULL;
	snprintf(p, sizeof p, "HKLM\\%s-32", parent_utf8);
	CHECK(regdiff_source_open_live(&s, p, REGDIFF_LIVE_32BIT_VIEW) == 0);
	regdiff_source_free(s);
	s = NULL;
	CHECK(regdiff_source_open_live(&s, p, 0) == REGDIFF_ENOTFOUND);
	snprintf(p, sizeof p, "HKLM\\Software\\Wow6432Node\\%s-32", parent_utf8 + 9);
	CHECK(regdiff_source_open_live(&s, p, 0) == 0);
	regdiff_source_free(s);
	RegDeleteKeyExW(HKEY_LOCAL_MACHINE, path, KEY_WOW64_32KEY, 0);
}

/* In the 32-bit view links are followed: WOW64 builds that view partly of
 * links, which opened as links would show instead of the view. */
static void test_32bit_links(void)
{
	wchar_t path[120], target[200];
	swprintf(path, 120, L"%ls-32l\\Target", parent);
	HKEY h = create(HKEY_LOCAL_MACHINE, path, 0, KEY_WOW64_32KEY);
	DWORD seven = 7;
	set(h, L"X", REG_DWORD, &seven, sizeof seven);
	RegCloseKey(h);
	swprintf(path, 120, L"%ls-32l\\Link", parent);
	h = create(HKEY_LOCAL_MACHINE, path, REG_OPTION_CREATE_LINK, KEY_WOW64_32KEY);
	int n =
	    swprintf(target, 200, L"\\Registry\\Machine\\Software\\Wow6432Node\\%ls-32l\\Target",
		     parent + 9);
	set(h, L"SymbolicLinkValue", REG_LINK, target, (DWORD)n * sizeof(wchar_t));
	RegCloseKey(h);

	char p[128];
	snprintf(p, sizeof p, "HKLM\\%s-32l\\Target", parent_utf8);
	regdiff_snapshot *before = shoot(p, REGDIFF_LIVE_32BIT_VIEW, "HKLM\\T");
	snprintf(p, sizeof p, "HKLM\\%s-32l\\Link", parent_utf8);
	regdiff_snapshot *after = shoot(p, REGDIFF_LIVE_32BIT_VIEW, "HKLM\\T");
	expect_changes("32-bit link as root", before, after, NULL, 0);
	regdiff_snapshot_free(after);
	snprintf(p, sizeof p, "HKLM\\%s-32l", parent_utf8);
	after = shoot(p, REGDIFF_LIVE_32BIT_VIEW, "HKLM\\T");
	regdiff_snapshot_free(before);
	swprintf(path, 120, L"%ls-32l\\Empty", parent);
	RegCloseKey(create(HKEY_LOCAL_MACHINE, path, 0, KEY_WOW64_32KEY));
	snprintf(p, sizeof p, "HKLM\\%s-32l\\Empty", parent_utf8);
	before = shoot(p, REGDIFF_LIVE_32BIT_VIEW, "HKLM\\T");
	want wants[] = {
	    {REGDIFF_KEY_ADDED, "HKLM\\T\\Link", NULL, 0, 0, NULL, 0, 0},
	    {REGDIFF_VALUE_ADDED, "HKLM\\T\\Link", L"X", 1, REG_DWORD, &seven, 4, 0},
	    {REGDIFF_KEY_ADDED, "HKLM\\T\\Target", NULL, 0, 0, NULL, 0, 0},
	    {REGDIFF_VALUE_ADDED, "HKLM\\T\\Target", L"X", 1, REG_DWORD, &seven, 4, 0},
	};
	expect_changes("32-bit link followed", before, after, wants,
		       sizeof wants / sizeof wants[0]);
	regdiff_snapshot_free(before);
	regdiff_snapshot_free(after);

	swprintf(path, 120, L"%ls-32l\\Link", parent);
	delete_link(path, KEY_WOW64_32KEY);
	swprintf(path, 120, L"%ls-32l", parent);
	RegDeleteKeyExW(HKEY_LOCAL_MACHINE, path, KEY_WOW64_32KEY, 0);
	HKEY p32;
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_ALL_ACCESS | KEY_WOW64_32KEY, &p32) ==
	    0) {
		RegDeleteTreeW(p32, NULL);
		RegCloseKey(p32);
		RegDeleteKeyExW(HKEY_LOCAL_MACHINE, path, KEY_WOW64_32KEY, 0);
	}
}

/* A value larger than the cap is kept as not read, with its reason; the
 * key's other values are read. */
static void test_value_cap(void)
{
	wchar_t path[128];
	swprintf(path, 128, L"%ls\\Huge", parent);
	HKEY h = create(HKEY_CURRENT_USER, path, 0, 0);
	DWORD one = 1, size = (16u << 20) + 1;
	uint8_t *huge = calloc(size, 1);
	if (!huge)
		exit(1);
	set(h, L"Huge", REG_BINARY, huge, size);
	set(h, L"Small", REG_DWORD, &one, sizeof one);
	free(huge);
	RegCloseKey(h);
	char p[128];
	regdiff_snapshot *snap = shoot(path_of(p, sizeof p, "HKCU", "Huge"), 0, "HKCU\\X");
	const char *where = NULL, *what = NULL;
	CHECK(regdiff_snapshot_problems_kept(snap) == 1);
	CHECK(regdiff_snapshot_get_problem(&where, &what, snap, 0) == 0);
	if (where && what) {
		/* The problem is the value's: its path ends with its name. */
		CHECK(strcmp(where, "HKCU\\X\\Huge") == 0);
		CHECK(strcmp(what, "value data not read: 16777217 bytes, more than the 16 MiB a "
				   "live shot reads of one value") == 0);
	}
	regdiff_snapshot *empty = shoot(path_of(p, sizeof p, "HKCU", "Empty"), 0, "HKCU\\X");
	regdiff_diff *diff = NULL;
	const regdiff_change *c;
	int small = 0, unread = 0, n = 0;
	CHECK(regdiff_diff_new(&diff, empty, snap, NULL) == 0);
	while (diff && regdiff_diff_next(&c, diff) == 0) {
		n++;
		if (c->op == REGDIFF_VALUE_ADDED && c->value.len == 5 && c->new_data.len == 4 &&
		    memcmp(c->new_data.bytes, &one, 4) == 0)
			small++;
		if (c->op == REGDIFF_NOT_COMPARED && c->value.len == 4 &&
		    memcmp(c->value.units, L"Huge", 8) == 0)
			unread++;
	}
	/* Huge is there, added, but its data not compared. */
	CHECK(n == 3 && small == 1 && unread == 1);
	regdiff_diff_free(diff);
	regdiff_snapshot_free(empty);
	regdiff_snapshot_free(snap);
	RegDeleteKeyW(HKEY_CURRENT_USER, path);
}

/* A key whose name holds a NUL, made through the native API, is read with
 * its values (opened by a counted name), not kept as not read. */
static void test_nul_name(void)
{
	typedef LONG(WINAPI * nt_create_key_fn)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, ULONG,
						UNICODE_STRING *, ULONG, ULONG *);
	FARPROC p1 = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtCreateKey");
	nt_create_key_fn nt_create_key = NULL;
	memcpy(&nt_create_key, &p1, sizeof nt_create_key);
	wchar_t path[128];
	swprintf(path, 128, L"%ls\\Nul", parent);
	HKEY h = create(HKEY_CURRENT_USER, path, 0, 0);
	static wchar_t units[] = {'H', 'i', 'd', 0, 'd', 'e', 'n'};
	UNICODE_STRING name = {sizeof units, sizeof units, units};
	OBJECT_ATTRIBUTES attr;
	InitializeObjectAttributes(&attr, &name, OBJ_CASE_INSENSITIVE, h, NULL);
	HANDLE hidden = NULL;
	LONG st = nt_create_key(&hidden, KEY_ALL_ACCESS, &attr, 0, NULL, 0, NULL);
	CHECK(st == 0);
	RegCloseKey(h);
	if (st != 0)
		return;
	static const wchar_t run[] = L"x.exe";
	set((HKEY)hidden, L"Run", REG_SZ, run, sizeof run);

	char p[128];
	regdiff_snapshot *before = shoot(path_of(p, sizeof p, "HKCU", "Empty"), 0, "HKCU\\X");
	regdiff_snapshot *after = shoot(path_of(p, sizeof p, "HKCU", "Nul"), 0, "HKCU\\X");
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	CHECK(regdiff_snapshot_get_info(&info, after) == 0 && info.problems == 0);
	static const uint16_t key[] = {'H', 'K', 'C', 'U', '\\', 'X', '\\',
				       'H', 'i', 'd', 0,   'd',	 'e', 'n'};
	regdiff_diff *diff = NULL;
	const regdiff_change *c;
	int key_added = 0, value_added = 0, n = 0;
	CHECK(regdiff_diff_new(&diff, before, after, NULL) == 0);
	while (diff && regdiff_diff_next(&c, diff) == 0) {
		n++;
		if (c->key.len != 14 || memcmp(c->key.units, key, sizeof key) != 0)
			continue;
		key_added += c->op == REGDIFF_KEY_ADDED;
		value_added += c->op == REGDIFF_VALUE_ADDED && c->value.len == 3 &&
			       c->new_data.len == sizeof run &&
			       memcmp(c->new_data.bytes, run, sizeof run) == 0;
	}
	CHECK(n == 2 && key_added == 1 && value_added == 1);
	regdiff_diff_free(diff);
	regdiff_snapshot_free(before);
	regdiff_snapshot_free(after);
	nt_delete_key(hidden);
	CloseHandle(hidden);
}

/* The machine's and the account's names; one user however many live
 * sources name it. */
static void test_meta(void)
{
	char p1[128], p2[128];
	regdiff_source *s[2] = {NULL, NULL};
	CHECK(regdiff_source_open_live(&s[0], path_of(p1, sizeof p1, "HKCU", "Empty"), 0) == 0);
	CHECK(regdiff_source_open_live(&s[1], path_of(p2, sizeof p2, "HKLM", "Empty"), 0) == 0);
	void *buf = NULL;
	size_t len = 0;
	CHECK(s[0] && s[1] && regdiff_shot_to_memory(&buf, &len, s, 2, NULL) == 0);
	regdiff_snapshot *snap = NULL;
	CHECK(buf && regdiff_snapshot_open_memory(&snap, buf, len) == 0);
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	if (snap && regdiff_snapshot_get_info(&info, snap) == 0) {
		wchar_t w[257];
		char user[1024], computer[1024];
		DWORD n = 257;
		GetUserNameW(w, &n);
		WideCharToMultiByte(CP_UTF8, 0, w, -1, user, sizeof user, NULL, NULL);
		n = 257;
		GetComputerNameW(w, &n);
		WideCharToMultiByte(CP_UTF8, 0, w, -1, computer, sizeof computer, NULL, NULL);
		CHECK(strcmp(info.user, user) == 0);
		CHECK(strcmp(info.computer, computer) == 0);
		CHECK(strcmp(info.producer, "regdiff " REGDIFF_VERSION_STRING " (windows)") == 0);
		CHECK(strncmp(info.system, "Windows ", 8) == 0);
		CHECK(strlen(info.system) > 12 &&
		      strcmp(info.system + strlen(info.system) - 4, " x64") == 0);
		/* Wine runs programs as an administrator. */
		CHECK(info.elevated == 1);
		CHECK(info.sources == 2 && info.problems == 0);
	} else {
		CHECK(!"snapshot info");
	}
	regdiff_snapshot_free(snap);
	regdiff_free(buf);
	regdiff_source_free(s[0]);
	regdiff_source_free(s[1]);
}

int main(void)
{
	swprintf(parent, 64, L"Software\\regdiff-live-%lu", (unsigned long)GetCurrentProcessId());
	WideCharToMultiByte(CP_UTF8, 0, parent, -1, parent_utf8, sizeof parent_utf8, NULL, NULL);
	test_open();
	test_exact();
	test_link();
	test_32bit_view();
	test_32bit_links();
	test_value_cap();
	test_nul_name();
	test_meta();
	RegDeleteTreeW(HKEY_CURRENT_USER, parent);
	RegDeleteTreeW(HKEY_LOCAL_MACHINE, parent);
	RegDeleteKeyW(HKEY_CURRENT_USER, parent);
	RegDeleteKeyW(HKEY_LOCAL_MACHINE, parent);
	if (failures)
		fprintf(stderr, "test_live: %d check(s) failed\n", failures);
	return failures != 0;
}
