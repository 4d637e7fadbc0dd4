/* The live Windows registry, read with the Win32 API.
 *
 * Each key's values are read whole (name, type and data in one
 * RegEnumValueW call) while the key is listed, so a value is never seen
 * with the name of one moment and the data of another. Subkeys are opened
 * with REG_OPTION_OPEN_LINK: a symbolic link (CurrentControlSet,
 * HKCU\Software\Classes, HKU\S-1-5-18 ...) is recorded as the key it is,
 * holding its REG_LINK value SymbolicLinkValue, and not followed, so no
 * subtree is captured twice. The source's own root is opened through
 * links, because the user named it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "name_internal.h"
#include "snapshot_format.h"
#include "source_internal.h"

/* Documented limits, in UTF-16 units without the terminator. */
#define KEY_NAME_MAX 255
#define VALUE_NAME_MAX 16383
/* A value that grows again at every retry is given up on after this many. */
#define GROW_TRIES 16

/* An open key. Its subkeys' names are kept from its listing so that
 * open_child can name them: the walker knows them by id only. */
typedef struct node {
	HKEY h;
	int used;
	uint16_t *names;
	size_t names_len, names_cap;
	size_t (*spans)[2]; /* offset and length in names, per subkey */
	size_t nspans, spans_cap;
} node;

/* A value of the key listed last. */
typedef struct value {
	uint32_t type;
	size_t off, len; /* in data */
} value;

typedef struct live {
	HKEY predefined;
	wchar_t *subpath; /* below predefined; "" for the root itself */
	REGSAM sam;
	node *nodes; /* indexed by node id */
	size_t nnodes;
	uint64_t values_node;
	value *values;
	size_t nvalues, values_cap;
	regdiff__buf data;
	wchar_t *name; /* enumeration buffers */
	DWORD name_cap;
	BYTE *buf;
	DWORD buf_cap;
} live;

static const struct {
	const char *name;
	HKEY key;
} predefined[] = {
    {"HKLM", HKEY_LOCAL_MACHINE}, {"HKU", HKEY_USERS},		 {"HKCU", HKEY_CURRENT_USER},
    {"HKCR", HKEY_CLASSES_ROOT},  {"HKCC", HKEY_CURRENT_CONFIG},
};

/* Windows' messages depend on the display language; these do not. */
static const char *error_text(LONG e, char *tmp, size_t n)
{
	switch (e) {
	case ERROR_ACCESS_DENIED:
		return "access denied";
	case ERROR_FILE_NOT_FOUND:
		return "no such key";
	case ERROR_KEY_DELETED:
		return "key deleted while read";
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return "out of memory";
	default:
		snprintf(tmp, n, "Windows error %ld", (long)e);
		return tmp;
	}
}

static int error_code(LONG e)
{
	switch (e) {
	case ERROR_ACCESS_DENIED:
		return REGDIFF_EACCESS;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_KEY_DELETED:
		return REGDIFF_ENOTFOUND;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return REGDIFF_ENOMEM;
	default:
		return REGDIFF_EHIVE;
	}
}

static void report(regdiff__problem_fn problem, void *pctx, unsigned unread, const char *what,
		   LONG e)
{
	char tmp[64], text[256];
	snprintf(text, sizeof text, "%s: %s", what, error_text(e, tmp, sizeof tmp));
	problem(pctx, unread, text);
}

static void live_free(void *impl)
{
	live *lv = impl;
	if (!lv)
		return;
	for (size_t i = 0; i < lv->nnodes; i++) {
		if (lv->nodes[i].used)
			RegCloseKey(lv->nodes[i].h);
		free(lv->nodes[i].names);
		free(lv->nodes[i].spans);
	}
	free(lv->nodes);
	free(lv->subpath);
	free(lv->values);
	regdiff__buf_free(&lv->data);
	free(lv->name);
	free(lv->buf);
	free(lv);
}

/* A free slot in the node table for h. Keys are opened and closed as the
 * walk goes down and up, so the table stays as small as the tree is deep. */
static int node_add(live *lv, HKEY h, uint64_t *id)
{
	size_t i = 0;
	while (i < lv->nnodes && lv->nodes[i].used)
		i++;
	if (i == lv->nnodes) {
		node *p = regdiff__realloc(lv->nodes, (lv->nnodes + 1) * sizeof *p);
		if (!p) {
			RegCloseKey(h);
			return REGDIFF_ENOMEM;
		}
		lv->nodes = p;
		memset(&p[lv->nnodes++], 0, sizeof *p);
	}
	lv->nodes[i].h = h;
	lv->nodes[i].used = 1;
	lv->nodes[i].names_len = 0;
	lv->nodes[i].nspans = 0;
	*id = i;
	return 0;
}

static node *node_get(live *lv, uint64_t id)
{
	return id < lv->nnodes && lv->nodes[id].used ? &lv->nodes[id] : NULL;
}

static int grow_name(live *lv, DWORD units)
{
	if (units <= lv->name_cap)
		return 0;
	wchar_t *p = regdiff__realloc(lv->name, units * sizeof *p);
	if (!p)
		return REGDIFF_ENOMEM;
	lv->name = p;
	lv->name_cap = units;
	return 0;
}

static int grow_buf(live *lv, DWORD bytes)
{
	if (bytes <= lv->buf_cap)
		return 0;
	BYTE *p = regdiff__realloc(lv->buf, bytes);
	if (!p)
		return REGDIFF_ENOMEM;
	lv->buf = p;
	lv->buf_cap = bytes;
	return 0;
}

static int live_root(void *impl, uint64_t *id)
{
	live *lv = impl;
	HKEY h;
	LONG e = RegOpenKeyExW(lv->predefined, lv->subpath, 0, lv->sam, &h);
	if (e != ERROR_SUCCESS) {
		char tmp[64];
		return regdiff__error(error_code(e), "cannot open the source's root key: %s",
				      error_text(e, tmp, sizeof tmp));
	}
	return node_add(lv, h, id);
}

static int keep_value(live *lv, regdiff__listing *l, DWORD nlen, DWORD type, DWORD dlen)
{
	if (lv->nvalues == lv->values_cap) {
		size_t cap = lv->values_cap ? lv->values_cap * 2 : 16;
		value *p = regdiff__realloc(lv->values, cap * sizeof *p);
		if (!p)
			return REGDIFF_ENOMEM;
		lv->values = p;
		lv->values_cap = cap;
	}
	lv->values[lv->nvalues] = (value){type, lv->data.len, dlen};
	int rc = regdiff__buf_append(&lv->data, lv->buf, dlen);
	if (!rc)
		rc = regdiff__listing_add(l, 0, (const uint16_t *)lv->name, nlen, lv->nvalues);
	if (!rc)
		lv->nvalues++;
	return rc;
}

/* Reads value i of h; *more is cleared at the end of the values. */
static int read_value(live *lv, HKEY h, DWORD i, regdiff__listing *l, regdiff__problem_fn problem,
		      void *pctx, int *more)
{
	for (int tries = 0;; tries++) {
		DWORD nlen = lv->name_cap, dlen = lv->buf_cap, type = 0;
		LONG e = RegEnumValueW(h, i, lv->name, &nlen, NULL, &type, lv->buf, &dlen);
		if (e == ERROR_SUCCESS)
			return keep_value(lv, l, nlen, type, dlen);
		if (e == ERROR_NO_MORE_ITEMS) {
			/* Gone between the call that found it too big and
			 * this one. */
			if (tries > 0)
				problem(pctx, RDS_KEY_VALUES_UNREAD, "a value vanished while read");
			*more = 0;
			return 0;
		}
		if (e != ERROR_MORE_DATA) {
			report(problem, pctx, RDS_KEY_VALUES_UNREAD, "values not read", e);
			*more = 0;
			return 0;
		}
		/* The value grew since the key's sizes were asked for. */
		if (tries == GROW_TRIES) {
			problem(pctx, RDS_KEY_VALUES_UNREAD,
				"a value kept changing size while read: not read");
			return 0;
		}
		int rc;
		if (lv->name_cap < VALUE_NAME_MAX + 1)
			rc = grow_name(lv, VALUE_NAME_MAX + 1);
		else if (dlen > lv->buf_cap)
			rc = grow_buf(lv, dlen);
		else
			rc = grow_buf(lv, lv->buf_cap > MAXDWORD / 2 ? MAXDWORD : lv->buf_cap * 2);
		if (rc)
			return rc;
	}
}

static int list_values(live *lv, HKEY h, DWORD max_name, DWORD max_data, regdiff__listing *l,
		       regdiff__problem_fn problem, void *pctx)
{
	int rc = grow_name(lv, max_name + 1);
	if (!rc)
		rc = grow_buf(lv, max_data ? max_data : 1);
	int more = 1;
	for (DWORD i = 0; !rc && more; i++)
		rc = read_value(lv, h, i, l, problem, pctx, &more);
	return rc;
}

static int keep_subkey(live *lv, node *n, regdiff__listing *l, DWORD len)
{
	if (n->nspans == n->spans_cap) {
		size_t cap = n->spans_cap ? n->spans_cap * 2 : 16;
		size_t(*p)[2] = regdiff__realloc(n->spans, cap * sizeof *p);
		if (!p)
			return REGDIFF_ENOMEM;
		n->spans = p;
		n->spans_cap = cap;
	}
	if (len > n->names_cap - n->names_len) {
		size_t cap = n->names_cap ? n->names_cap : 256;
		while (cap - n->names_len < len)
			cap *= 2;
		uint16_t *p = regdiff__realloc(n->names, cap * sizeof *p);
		if (!p)
			return REGDIFF_ENOMEM;
		n->names = p;
		n->names_cap = cap;
	}
	memcpy(n->names + n->names_len, lv->name, len * sizeof *n->names);
	n->spans[n->nspans][0] = n->names_len;
	n->spans[n->nspans][1] = len;
	n->names_len += len;
	int rc = regdiff__listing_add(l, 1, (const uint16_t *)lv->name, len, n->nspans);
	if (!rc)
		n->nspans++;
	return rc;
}

static int list_subkeys(live *lv, node *n, DWORD max_name, regdiff__listing *l,
			regdiff__problem_fn problem, void *pctx)
{
	int rc = grow_name(lv, (max_name > KEY_NAME_MAX ? max_name : KEY_NAME_MAX) + 1);
	for (DWORD i = 0; !rc;) {
		DWORD len = lv->name_cap;
		LONG e = RegEnumKeyExW(n->h, i, lv->name, &len, NULL, NULL, NULL, NULL);
		if (e == ERROR_NO_MORE_ITEMS)
			break;
		if (e == ERROR_MORE_DATA && lv->name_cap < 32768) {
			/* Longer than the documented limit: names made
			 * through the native API may be. */
			rc = grow_name(lv, 32768);
			continue;
		}
		if (e != ERROR_SUCCESS) {
			report(problem, pctx, RDS_KEY_SUBKEYS_UNREAD, "subkeys not read", e);
			break;
		}
		rc = keep_subkey(lv, n, l, len);
		i++;
	}
	return rc;
}

static int live_list(void *impl, uint64_t id, regdiff__listing *l, regdiff__problem_fn problem,
		     void *pctx)
{
	live *lv = impl;
	node *n = node_get(lv, id);
	if (!n)
		return regdiff__error(REGDIFF_EINVAL, "live source: no open key %llu",
				      (unsigned long long)id);
	lv->values_node = id;
	lv->nvalues = 0;
	lv->data.len = 0;
	n->names_len = 0;
	n->nspans = 0;
	DWORD nsub = 0, max_sub = 0, nval = 0, max_vname = 0, max_data = 0;
	FILETIME ft = {0, 0};
	LONG e = RegQueryInfoKeyW(n->h, NULL, NULL, NULL, &nsub, &max_sub, NULL, &nval, &max_vname,
				  &max_data, NULL, &ft);
	if (e != ERROR_SUCCESS) {
		report(problem, pctx, RDS_KEY_VALUES_UNREAD | RDS_KEY_SUBKEYS_UNREAD,
		       "key not read", e);
		return 0;
	}
	l->time = (int64_t)(((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
	int rc = list_values(lv, n->h, max_vname, max_data, l, problem, pctx);
	return rc ? rc : list_subkeys(lv, n, max_sub, l, problem, pctx);
}

static int live_value(void *impl, uint64_t id, uint64_t vid, uint32_t *type, regdiff__buf *data)
{
	live *lv = impl;
	if (id != lv->values_node || vid >= lv->nvalues)
		return regdiff__error(REGDIFF_EINVAL,
				      "live source: value %llu of key %llu not listed",
				      (unsigned long long)vid, (unsigned long long)id);
	const value *v = &lv->values[vid];
	*type = v->type;
	return regdiff__buf_append(data, lv->data.data + v->off, v->len);
}

static int live_open_child(void *impl, uint64_t parent, uint64_t cid, uint64_t *child)
{
	live *lv = impl;
	node *n = node_get(lv, parent);
	if (!n || cid >= n->nspans)
		return regdiff__error(REGDIFF_EINVAL, "live source: no subkey %llu of key %llu",
				      (unsigned long long)cid, (unsigned long long)parent);
	size_t off = n->spans[cid][0], len = n->spans[cid][1];
	if (memchr(n->names + off, 0, len * sizeof *n->names)) {
		for (size_t i = 0; i < len; i++)
			if (n->names[off + i] == 0)
				return regdiff__error(REGDIFF_EHIVE,
						      "its name holds a NUL character, which the "
						      "Win32 API cannot open");
	}
	int rc = grow_name(lv, (DWORD)len + 1);
	if (rc)
		return rc;
	memcpy(lv->name, n->names + off, len * sizeof *n->names);
	lv->name[len] = 0;
	HKEY h;
	LONG e = RegOpenKeyExW(n->h, lv->name, REG_OPTION_OPEN_LINK, lv->sam, &h);
	if (e != ERROR_SUCCESS) {
		char tmp[64];
		const char *text = e == ERROR_FILE_NOT_FOUND ? "key vanished while read"
							     : error_text(e, tmp, sizeof tmp);
		return regdiff__error(error_code(e), "%s", text);
	}
	return node_add(lv, h, child);
}

static void live_close(void *impl, uint64_t id)
{
	live *lv = impl;
	node *n = node_get(lv, id);
	if (!n)
		return;
	RegCloseKey(n->h);
	n->used = 0;
}

static char *utf8_of(const wchar_t *w, size_t n)
{
	regdiff__buf b = {0};
	if (regdiff__utf16_to_utf8_buf(&b, (const uint16_t *)w, n, REGDIFF_TEXT_PLAIN) ||
	    regdiff__buf_putc(&b, 0)) {
		regdiff__buf_free(&b);
		return NULL;
	}
	return (char *)b.data;
}

/* The machine and the account the process runs as, as Regshot records
 * them. */
static int live_meta(void *impl, char **computer, char **user)
{
	(void)impl;
	wchar_t name[MAX_COMPUTERNAME_LENGTH + 1];
	DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
	if (GetComputerNameW(name, &n) && !(*computer = utf8_of(name, n)))
		return REGDIFF_ENOMEM;
	wchar_t account[257]; /* UNLEN + 1 */
	n = 257;
	if (GetUserNameW(account, &n) && n > 0 && !(*user = utf8_of(account, n - 1))) {
		free(*computer);
		*computer = NULL;
		return REGDIFF_ENOMEM;
	}
	return 0;
}

static const regdiff__source_ops live_ops = {
    .kind = "live",
    .root = live_root,
    .list = live_list,
    .value = live_value,
    .open_child = live_open_child,
    .close = live_close,
    .meta = live_meta,
    .free = live_free,
};

/* Splits a canonical path into its predefined key and the UTF-16 rest. */
static int parse_path(live *lv, const char *canon)
{
	const char *sep = strchr(canon, '\\');
	size_t n = sep ? (size_t)(sep - canon) : strlen(canon);
	for (size_t i = 0; i < sizeof predefined / sizeof predefined[0]; i++)
		if (strlen(predefined[i].name) == n && memcmp(predefined[i].name, canon, n) == 0)
			lv->predefined = predefined[i].key;
	if (!lv->predefined)
		return regdiff__error(
		    REGDIFF_EINVAL,
		    "%s: not a registry path (it must start with HKLM, HKU, HKCU, HKCR or HKCC)",
		    canon);
	const char *rest = sep ? sep + 1 : "";
	uint16_t *units = NULL;
	size_t len = 0;
	int rc = regdiff_name_from_utf8(rest, strlen(rest), &units, &len);
	if (rc)
		return rc;
	wchar_t *w = regdiff__malloc((len + 1) * sizeof *w);
	if (!w) {
		free(units);
		return REGDIFF_ENOMEM;
	}
	if (len)
		memcpy(w, units, len * sizeof *w);
	w[len] = 0;
	free(units);
	lv->subpath = w;
	return 0;
}

int regdiff__source_open_live_impl(regdiff_source **out, const char *path, unsigned flags)
{
	if (flags & ~(unsigned)REGDIFF_LIVE_32BIT_VIEW)
		return regdiff__error(REGDIFF_EINVAL, "%s: unknown live source flags 0x%x", path,
				      flags);
	char *canon = NULL;
	int rc = regdiff_path_canonical(path, &canon);
	if (rc)
		return rc;
	live *lv = regdiff__calloc(1, sizeof *lv);
	if (!lv) {
		free(canon);
		return REGDIFF_ENOMEM;
	}
	/* Only the rights the walk uses: KEY_READ would also ask for
	 * KEY_NOTIFY and READ_CONTROL, which some keys deny. */
	lv->sam = KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS |
		  ((flags & REGDIFF_LIVE_32BIT_VIEW) ? KEY_WOW64_32KEY : KEY_WOW64_64KEY);
	rc = parse_path(lv, canon);
	if (!rc) {
		/* Refuse a path that is not there now rather than fail
		 * later, in the middle of a shot. */
		HKEY h;
		LONG e = RegOpenKeyExW(lv->predefined, lv->subpath, 0, lv->sam, &h);
		if (e == ERROR_SUCCESS) {
			RegCloseKey(h);
		} else {
			char tmp[64];
			rc = regdiff__error(error_code(e), "%s: %s", canon,
					    error_text(e, tmp, sizeof tmp));
		}
	}
	if (rc) {
		live_free(lv);
		free(canon);
		return rc;
	}
	regdiff__buf location = {0};
	rc = regdiff__buf_printf(&location, "%s%s", canon,
				 (flags & REGDIFF_LIVE_32BIT_VIEW) ? " (32-bit view)" : "");
	if (!rc)
		rc = regdiff__buf_putc(&location, 0);
	if (rc) {
		regdiff__buf_free(&location);
		live_free(lv);
		free(canon);
		return rc;
	}
	rc = regdiff__source_new(out, &live_ops, lv, canon, (const char *)location.data);
	regdiff__buf_free(&location);
	free(canon);
	return rc;
}

/* Where a shot is taken, for the snapshot's producer: the Windows version
 * (from ntdll, which does not pretend to be an older Windows the way
 * GetVersionEx does for programs without a manifest), the machine's
 * architecture and whether the process is elevated, which decides how
 * much of the registry it can read. */
int regdiff__win32_host(char *buf, size_t size);
int regdiff__win32_host(char *buf, size_t size)
{
	typedef LONG(WINAPI * rtl_get_version_fn)(OSVERSIONINFOW *);
	OSVERSIONINFOW v;
	memset(&v, 0, sizeof v);
	v.dwOSVersionInfoSize = sizeof v;
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	FARPROC proc = ntdll ? GetProcAddress(ntdll, "RtlGetVersion") : NULL;
	rtl_get_version_fn get = NULL;
	if (proc)
		memcpy(&get, &proc, sizeof get);
	if (!get || get(&v) != 0)
		memset(&v, 0, sizeof v);

	SYSTEM_INFO si;
	GetNativeSystemInfo(&si);
	const char *arch = si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64   ? "x64"
			   : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL ? "x86"
			   : si.wProcessorArchitecture == 12 /* ARM64 */	       ? "arm64"
										       : "other";

	const char *elevated = "elevation unknown";
	HANDLE token;
	if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
		TOKEN_ELEVATION te;
		DWORD n = sizeof te;
		if (GetTokenInformation(token, TokenElevation, &te, sizeof te, &n))
			elevated = te.TokenIsElevated ? "elevated" : "not elevated";
		CloseHandle(token);
	}
	return snprintf(buf, size, "Windows %lu.%lu.%lu %s, %s", (unsigned long)v.dwMajorVersion,
			(unsigned long)v.dwMinorVersion, (unsigned long)v.dwBuildNumber, arch,
			elevated) < 0
		   ? REGDIFF_EINVAL
		   : 0;
}
