/* The live Windows registry, read with the Win32 API.
 *
 * Each key's values are read whole (name, type and data in one
 * RegEnumValueW call) while the key is listed, so a value is never seen
 * with the name of one moment and the data of another, and a key is read
 * again when a change notification says it changed meanwhile (see
 * live_list). Subkeys are opened with REG_OPTION_OPEN_LINK: a symbolic
 * link (CurrentControlSet, HKCU\Software\Classes, HKU\S-1-5-18 ...) is
 * recorded as the key it is, holding its REG_LINK value
 * SymbolicLinkValue, and not followed, so no subtree is captured twice.
 * The source's own root is opened through links, because the user named
 * it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

#include "name_internal.h"
#include "source_internal.h"

/* Documented limits, in UTF-16 units without the terminator. */
#define KEY_NAME_MAX 255
#define VALUE_NAME_MAX 16383
/* The most data read of one value (documented in docs/windows.md). The
 * registry sets no limit of its own but memory; a larger value is kept
 * as not read rather than let one value's allocation end the shot. */
#define VALUE_DATA_MAX (16u << 20)
/* A value that grows again at every retry is given up on after this many. */
#define GROW_TRIES 16
/* Readings of a key that changes while read, before it is taken as is. */
#define LIST_ATTEMPTS 4

/* An open key. Its subkeys' names are kept from its listing so that
 * open_child can name them: the walker knows them by id only. */
typedef struct node {
	HKEY h;
	int used;
	int notify;   /* h was opened with KEY_NOTIFY */
	HANDLE event; /* for change notifications; kept with the slot */
	uint16_t *names;
	size_t names_len, names_cap;
	size_t (*spans)[2]; /* offset and length in names, per subkey */
	size_t nspans, spans_cap;
} node;

/* A value of the key listed last. */
typedef struct value {
	uint32_t type;
	size_t off, len; /* in data */
	DWORD size;	 /* the size the registry states */
	int unread;	 /* 0, or why its data was not read (UNREAD_*) */
} value;

enum { UNREAD_TOO_BIG = 1, UNREAD_NO_MEMORY };

typedef struct live {
	HKEY predefined;
	unsigned flags;	  /* regdiff_live_flags */
	uint64_t root;	  /* the source's root node */
	wchar_t *subpath; /* below predefined; "" for the root itself */
	REGSAM sam;
	DWORD root_options;  /* for RegOpenKeyExW of the root: backup or 0 */
	DWORD child_options; /* for RegOpenKeyExW of a subkey */
	node *nodes;	     /* indexed by node id */
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

/* In win32_privilege.c: enables SeBackupPrivilege for the process. */
int regdiff__win32_enable_backup(void);

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

/* RegOpenKeyExW of a predefined key with an empty subkey name hands back
 * the predefined handle itself; closing it would close the handle the
 * whole process shares (a host program's HKLM, say). */
static int is_predefined(HKEY h)
{
	static const HKEY others[] = {HKEY_PERFORMANCE_DATA, HKEY_PERFORMANCE_TEXT,
				      HKEY_PERFORMANCE_NLSTEXT, HKEY_DYN_DATA};
	for (size_t i = 0; i < sizeof predefined / sizeof predefined[0]; i++)
		if (h == predefined[i].key)
			return 1;
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		if (h == others[i])
			return 1;
	return 0;
}

static void close_key(HKEY h)
{
	if (!is_predefined(h))
		RegCloseKey(h);
}

static void live_free(void *impl)
{
	live *lv = impl;
	if (!lv)
		return;
	for (size_t i = 0; i < lv->nnodes; i++) {
		if (lv->nodes[i].used)
			close_key(lv->nodes[i].h);
		if (lv->nodes[i].event)
			CloseHandle(lv->nodes[i].event);
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
static int node_add(live *lv, HKEY h, int notify, uint64_t *id)
{
	size_t i = 0;
	while (i < lv->nnodes && lv->nodes[i].used)
		i++;
	if (i == lv->nnodes) {
		node *p = regdiff__realloc(lv->nodes, (lv->nnodes + 1) * sizeof *p);
		if (!p) {
			close_key(h);
			return REGDIFF_ENOMEM;
		}
		lv->nodes = p;
		memset(&p[lv->nnodes++], 0, sizeof *p);
	}
	lv->nodes[i].h = h;
	lv->nodes[i].used = 1;
	lv->nodes[i].notify = notify;
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

/* Opens a key with KEY_NOTIFY too, to learn of changes made while it is
 * read, or without where that is denied. */
static LONG open_key(live *lv, HKEY parent, const wchar_t *name, DWORD options, HKEY *h,
		     int *notify)
{
	LONG e = RegOpenKeyExW(parent, name, options, lv->sam | KEY_NOTIFY, h);
	*notify = e == ERROR_SUCCESS;
	if (e == ERROR_ACCESS_DENIED)
		e = RegOpenKeyExW(parent, name, options, lv->sam, h);
	return e;
}

static int live_root(void *impl, uint64_t *id)
{
	live *lv = impl;
	HKEY h;
	int notify;
	LONG e = open_key(lv, lv->predefined, lv->subpath, lv->root_options, &h, &notify);
	if (e != ERROR_SUCCESS) {
		char tmp[64];
		return regdiff__error(error_code(e), "cannot open the source's root key: %s",
				      error_text(e, tmp, sizeof tmp));
	}
	int rc = node_add(lv, h, notify, id);
	if (!rc)
		lv->root = *id;
	return rc;
}

/* What went wrong in one reading of a key: reported only for the reading
 * that is kept. */
typedef struct trouble {
	int vanished; /* a value went away between two calls reading it */
	int unsteady; /* a value kept changing size */
	LONG values_error, subkeys_error;
} trouble;

/* A key's counts, sizes and time, from RegQueryInfoKeyW. */
typedef struct key_info {
	DWORD subkeys, max_subkey, values, max_value_name, max_data;
	FILETIME time;
} key_info;

static LONG query_info(HKEY h, key_info *k)
{
	memset(k, 0, sizeof *k);
	return RegQueryInfoKeyW(h, NULL, NULL, NULL, &k->subkeys, &k->max_subkey, NULL, &k->values,
				&k->max_value_name, &k->max_data, NULL, &k->time);
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
	lv->values[lv->nvalues] = (value){type, lv->data.len, dlen, dlen, 0};
	int rc = regdiff__buf_append(&lv->data, lv->buf, dlen);
	if (!rc)
		rc = regdiff__listing_add(l, 0, (const uint16_t *)lv->name, nlen, lv->nvalues);
	if (!rc)
		lv->nvalues++;
	return rc;
}

/* Keeps value i of h by name, type and size, without its data: it is too
 * large to read (why: UNREAD_*). */
static int keep_unread(live *lv, HKEY h, DWORD i, regdiff__listing *l, trouble *t, int why,
		       int *more)
{
	DWORD nlen = lv->name_cap, type = 0, size = 0;
	LONG e = RegEnumValueW(h, i, lv->name, &nlen, NULL, &type, NULL, &size);
	if (e == ERROR_NO_MORE_ITEMS) {
		t->vanished++;
		*more = 0;
		return 0;
	}
	if (e != ERROR_SUCCESS) {
		t->values_error = e;
		*more = 0;
		return 0;
	}
	int rc = keep_value(lv, l, nlen, type, 0);
	if (!rc) {
		lv->values[lv->nvalues - 1].size = size;
		lv->values[lv->nvalues - 1].unread = why;
	}
	return rc;
}

/* The next size to try for a value's data after ERROR_MORE_DATA with
 * dlen: 0 when it is over VALUE_DATA_MAX. */
static DWORD next_size(const live *lv, DWORD dlen)
{
	if (lv->buf_cap >= VALUE_DATA_MAX || dlen > VALUE_DATA_MAX)
		return 0;
	if (dlen > lv->buf_cap)
		return dlen;
	return lv->buf_cap > VALUE_DATA_MAX / 2 ? VALUE_DATA_MAX : lv->buf_cap * 2;
}

/* Reads value i of h, name, type and data in one call; *more is cleared
 * at the end of the values. */
static int read_value(live *lv, HKEY h, DWORD i, regdiff__listing *l, trouble *t, int *more)
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
				t->vanished++;
			*more = 0;
			return 0;
		}
		if (e != ERROR_MORE_DATA) {
			t->values_error = e;
			*more = 0;
			return 0;
		}
		/* The value grew since the key's sizes were asked for. */
		if (tries == GROW_TRIES) {
			t->unsteady++;
			return 0;
		}
		if (lv->name_cap < VALUE_NAME_MAX + 1) {
			int rc = grow_name(lv, VALUE_NAME_MAX + 1);
			if (rc)
				return rc;
			continue;
		}
		DWORD size = next_size(lv, dlen);
		if (!size)
			return keep_unread(lv, h, i, l, t, UNREAD_TOO_BIG, more);
		if (grow_buf(lv, size))
			return keep_unread(lv, h, i, l, t, UNREAD_NO_MEMORY, more);
	}
}

static int read_values(live *lv, HKEY h, const key_info *k, regdiff__listing *l, trouble *t)
{
	int rc = grow_name(lv, k->max_value_name + 1);
	/* A buffer for the largest value, within the cap, if memory allows;
	 * a value it cannot hold is dealt with alone (read_value). Never
	 * none: a NULL buffer would ask RegEnumValueW for no data. */
	DWORD want = k->max_data > VALUE_DATA_MAX ? VALUE_DATA_MAX : k->max_data;
	if (!rc && grow_buf(lv, want ? want : 1))
		rc = grow_buf(lv, 1);
	int more = 1;
	for (DWORD i = 0; !rc && more; i++)
		rc = read_value(lv, h, i, l, t, &more);
	return rc;
}

static int keep_subkey(live *lv, node *n, regdiff__listing *l, DWORD len)
{
	int rc = regdiff__grow(&n->spans, &n->spans_cap, n->nspans + 1, sizeof *n->spans);
	if (!rc)
		rc = regdiff__grow(&n->names, &n->names_cap, n->names_len + len, sizeof *n->names);
	if (rc)
		return rc;
	memcpy(n->names + n->names_len, lv->name, len * sizeof *n->names);
	n->spans[n->nspans][0] = n->names_len;
	n->spans[n->nspans][1] = len;
	n->names_len += len;
	rc = regdiff__listing_add(l, 1, (const uint16_t *)lv->name, len, n->nspans);
	if (!rc)
		n->nspans++;
	return rc;
}

/* Subkey i's name into lv->name: ERROR_SUCCESS, ERROR_NO_MORE_ITEMS or
 * another error. */
static LONG subkey_name(live *lv, HKEY h, DWORD i, DWORD *len, int *rc)
{
	for (;;) {
		*len = lv->name_cap;
		LONG e = RegEnumKeyExW(h, i, lv->name, len, NULL, NULL, NULL, NULL);
		if (e != ERROR_MORE_DATA || lv->name_cap >= 32768)
			return e;
		/* Longer than the documented limit: names made through the
		 * native API may be. */
		if ((*rc = grow_name(lv, 32768)))
			return e;
	}
}

static int read_subkeys(live *lv, node *n, const key_info *k, regdiff__listing *l, trouble *t)
{
	int rc = grow_name(lv, (k->max_subkey > KEY_NAME_MAX ? k->max_subkey : KEY_NAME_MAX) + 1);
	for (DWORD i = 0; !rc; i++) {
		DWORD len;
		LONG e = subkey_name(lv, n->h, i, &len, &rc);
		if (rc || e == ERROR_NO_MORE_ITEMS)
			break;
		if (e != ERROR_SUCCESS) {
			t->subkeys_error = e;
			break;
		}
		rc = keep_subkey(lv, n, l, len);
	}
	return rc;
}

static int same_units(const wchar_t *a, DWORD alen, const uint16_t *b, size_t blen)
{
	return alen == blen && memcmp(a, b, blen * sizeof *b) == 0;
}

/* Whether the key still holds the values and subkeys just read, in the
 * same order, and the same time: the check where no change notification
 * can be had. Weaker: a change in step with the two readings, within one
 * tick of the clock, passes it. */
static int still_same(live *lv, node *n, const regdiff__listing *l, const key_info *k, int *same)
{
	*same = 0;
	int rc = grow_name(lv, VALUE_NAME_MAX + 1);
	if (rc)
		return rc;
	for (DWORD i = 0;; i++) {
		DWORD nlen = lv->name_cap;
		LONG e = RegEnumValueW(n->h, i, lv->name, &nlen, NULL, NULL, NULL, NULL);
		if (e == ERROR_NO_MORE_ITEMS && i == l->nvalues)
			break;
		if (e != ERROR_SUCCESS || i >= l->nvalues ||
		    !same_units(lv->name, nlen, l->pool + l->values[i].off, l->values[i].len))
			return 0;
	}
	for (DWORD i = 0;; i++) {
		DWORD len;
		LONG e = subkey_name(lv, n->h, i, &len, &rc);
		if (rc)
			return rc;
		if (e == ERROR_NO_MORE_ITEMS && i == n->nspans)
			break;
		if (e != ERROR_SUCCESS || i >= n->nspans ||
		    !same_units(lv->name, len, n->names + n->spans[i][0], n->spans[i][1]))
			return 0;
	}
	key_info after;
	*same = query_info(n->h, &after) == ERROR_SUCCESS &&
		after.time.dwLowDateTime == k->time.dwLowDateTime &&
		after.time.dwHighDateTime == k->time.dwHighDateTime && after.values == l->nvalues &&
		after.subkeys == n->nspans;
	return 0;
}

static void report_trouble(const trouble *t, regdiff__problem_fn problem, void *pctx)
{
	if (t->vanished)
		problem(pctx, REGDIFF__SRC_VALUES_UNREAD, "a value vanished while read");
	if (t->unsteady)
		problem(pctx, REGDIFF__SRC_VALUES_UNREAD,
			"a value kept changing size while read: not read");
	if (t->values_error)
		report(problem, pctx, REGDIFF__SRC_VALUES_UNREAD, "values not read",
		       t->values_error);
	if (t->subkeys_error)
		report(problem, pctx, REGDIFF__SRC_SUBKEYS_UNREAD, "subkeys not read",
		       t->subkeys_error);
}

static _Thread_local const uint16_t *sort_pool;

static int cmp_names(const void *pa, const void *pb)
{
	const regdiff__item *a = pa, *b = pb;
	return regdiff_name_compare((regdiff_name){sort_pool + a->off, a->len},
				    (regdiff_name){sort_pool + b->off, b->len});
}

/* Drops the second sighting of a name (names are case-insensitive), which
 * an enumeration disturbed by a change can make: a value read at index i
 * and again at i + 1 after a name was added before it. Returns how many. */
static size_t drop_repeats(regdiff__item *items, size_t *n, const uint16_t *pool)
{
	if (*n < 2)
		return 0;
	sort_pool = pool;
	qsort(items, *n, sizeof *items, cmp_names);
	size_t kept = 1;
	for (size_t i = 1; i < *n; i++)
		if (cmp_names(&items[kept - 1], &items[i]) != 0)
			items[kept++] = items[i];
	size_t dropped = *n - kept;
	*n = kept;
	return dropped;
}

/* Asks to be told of changes to n's values and subkeys from now on. */
static int watch(node *n)
{
	if (!n->notify)
		return 0;
	if (!n->event && !(n->event = CreateEventW(NULL, TRUE, FALSE, NULL)))
		return 0;
	ResetEvent(n->event);
	if (RegNotifyChangeKeyValue(n->h, FALSE,
				    REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET, n->event,
				    TRUE) == ERROR_SUCCESS)
		return 1;
	n->notify = 0; /* a root such as HKLM itself may refuse */
	return 0;
}

/* Reads the key until a reading is not disturbed by a change, or gives
 * up after LIST_ATTEMPTS and says so. Enumeration goes by index, so a
 * value or subkey added or deleted meanwhile can shift an unchanged one
 * out of sight, and that must not pass for "not there". */
/* Whether the source is HKLM or HKU itself, whose subkeys are all roots
 * of hives on Windows: each is mounted from a hive file (or made in
 * memory, as HARDWARE) and listed in
 * HKLM\SYSTEM\CurrentControlSet\Control\hivelist, and HKU holds nothing
 * else. Hives load and unload under the walk (a user's HKU\<SID> and
 * <SID>_Classes with logons, RunAs and scheduled tasks; COMPONENTS with
 * servicing), so they are flagged by place, which holds for a hive that
 * is denied or that hivelist, read at another moment, does not list. */
static int holds_hives(const live *lv)
{
	return lv->subpath[0] == 0 &&
	       (lv->predefined == HKEY_LOCAL_MACHINE || lv->predefined == HKEY_USERS);
}

static unsigned live_child_flags(void *impl, uint64_t parent, uint64_t cid)
{
	const live *lv = impl;
	(void)cid;
	return parent == lv->root && holds_hives(lv) ? REGDIFF__SRC_HIVE_ROOT : 0;
}

/* Leaves HKLM\COMPONENTS out of a shot of HKLM, unless asked for: the
 * servicing stack loads it on demand and unloads it later, hundreds of
 * thousands of keys that are no change of the machine's. */
static void drop_components(const live *lv, uint64_t id, regdiff__listing *l)
{
	static const uint16_t components[] = {'C', 'O', 'M', 'P', 'O', 'N', 'E', 'N', 'T', 'S'};
	if (id != lv->root || (lv->flags & REGDIFF_LIVE_COMPONENTS) ||
	    lv->predefined != HKEY_LOCAL_MACHINE || lv->subpath[0] != 0)
		return;
	size_t kept = 0;
	for (size_t i = 0; i < l->nchildren; i++) {
		const regdiff__item *c = &l->children[i];
		if (regdiff_name_compare((regdiff_name){l->pool + c->off, c->len},
					 (regdiff_name){components, 10}) != 0)
			l->children[kept++] = *c;
	}
	l->nchildren = kept;
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
	for (int attempt = 1;; attempt++) {
		lv->nvalues = 0;
		lv->data.len = 0;
		n->names_len = 0;
		n->nspans = 0;
		l->nvalues = l->nchildren = l->pool_len = 0;
		trouble t = {0, 0, 0, 0};
		int watching = watch(n);
		key_info k;
		LONG e = query_info(n->h, &k);
		if (e != ERROR_SUCCESS) {
			report(problem, pctx,
			       REGDIFF__SRC_VALUES_UNREAD | REGDIFF__SRC_SUBKEYS_UNREAD,
			       "key not read", e);
			return 0;
		}
		l->time = (int64_t)(((uint64_t)k.time.dwHighDateTime << 32) | k.time.dwLowDateTime);
		int same = 0;
		int rc = read_values(lv, n->h, &k, l, &t);
		if (!rc)
			rc = read_subkeys(lv, n, &k, l, &t);
		if (!rc && watching)
			same = WaitForSingleObject(n->event, 0) == WAIT_TIMEOUT;
		else if (!rc)
			rc = still_same(lv, n, l, &k, &same);
		if (rc)
			return rc;
		if ((!watching || !same) && drop_repeats(l->values, &l->nvalues, l->pool) +
						drop_repeats(l->children, &l->nchildren, l->pool))
			same = 0;
		if (same || attempt == LIST_ATTEMPTS) {
			drop_components(lv, id, l);
			report_trouble(&t, problem, pctx);
			if (!same)
				problem(pctx,
					REGDIFF__SRC_VALUES_UNREAD | REGDIFF__SRC_SUBKEYS_UNREAD,
					"the key kept changing while read: values or subkeys may "
					"be missing");
			return 0;
		}
	}
}

static int live_value(void *impl, uint64_t id, uint64_t vid, uint32_t *type, uint64_t *declared,
		      regdiff__buf *data)
{
	live *lv = impl;
	(void)declared; /* what was read is all there is */
	if (id != lv->values_node || vid >= lv->nvalues)
		return regdiff__error(REGDIFF_EINVAL,
				      "live source: value %llu of key %llu not listed",
				      (unsigned long long)vid, (unsigned long long)id);
	const value *v = &lv->values[vid];
	if (v->unread == UNREAD_TOO_BIG)
		return regdiff__error(
		    REGDIFF_EHIVE, "%lu bytes, more than the %u MiB a live shot reads of one value",
		    (unsigned long)v->size, VALUE_DATA_MAX >> 20);
	if (v->unread)
		return regdiff__error(REGDIFF_EHIVE, "out of memory for its %lu bytes",
				      (unsigned long)v->size);
	*type = v->type;
	return regdiff__buf_append(data, lv->data.data + v->off, v->len);
}

typedef LONG(NTAPI *nt_open_key_ex_fn)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, ULONG);
typedef ULONG(NTAPI *rtl_status_fn)(LONG);

static FARPROC ntdll_proc(const char *name)
{
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	return ntdll ? GetProcAddress(ntdll, name) : NULL;
}

/* Opens the subkey of parent named by len counted units, which may hold a
 * NUL: the native API takes counted names where Win32 takes terminated
 * ones, so only it can open such a key (one made, say, to hide a Run
 * value from regedit). Rights and link handling as open_key. */
static LONG nt_open(live *lv, HKEY parent, const uint16_t *units, size_t len, HKEY *h, int *notify)
{
	FARPROC open_proc = ntdll_proc("NtOpenKeyEx"),
		status_proc = ntdll_proc("RtlNtStatusToDosError");
	nt_open_key_ex_fn open = NULL;
	rtl_status_fn to_error = NULL;
	if (!open_proc || !status_proc || len > 32767)
		return ERROR_CALL_NOT_IMPLEMENTED;
	memcpy(&open, &open_proc, sizeof open);
	memcpy(&to_error, &status_proc, sizeof to_error);
	UNICODE_STRING name;
	name.Buffer = (PWSTR)units;
	name.Length = name.MaximumLength = (USHORT)(len * sizeof *units);
	OBJECT_ATTRIBUTES attr;
	InitializeObjectAttributes(
	    &attr, &name,
	    OBJ_CASE_INSENSITIVE | (lv->child_options & REG_OPTION_OPEN_LINK ? OBJ_OPENLINK : 0),
	    parent, NULL);
	/* The view bits are Win32's: the handle of the parent is already in
	 * its view. */
	ACCESS_MASK access = lv->sam & ~(ACCESS_MASK)(KEY_WOW64_32KEY | KEY_WOW64_64KEY);
	HANDLE out = NULL;
	ULONG options = lv->root_options; /* the backup option, if any */
	LONG st = open(&out, access | KEY_NOTIFY, &attr, options);
	*notify = st == 0;
	if (st != 0)
		st = open(&out, access, &attr, options);
	*h = (HKEY)out;
	return st == 0 ? ERROR_SUCCESS : (LONG)to_error(st);
}

static int live_open_child(void *impl, uint64_t parent, uint64_t cid, uint64_t *child)
{
	live *lv = impl;
	node *n = node_get(lv, parent);
	if (!n || cid >= n->nspans)
		return regdiff__error(REGDIFF_EINVAL, "live source: no subkey %llu of key %llu",
				      (unsigned long long)cid, (unsigned long long)parent);
	size_t off = n->spans[cid][0], len = n->spans[cid][1];
	HKEY h;
	int notify;
	LONG e;
	if (wmemchr((const wchar_t *)n->names + off, 0, len)) {
		e = nt_open(lv, n->h, n->names + off, len, &h, &notify);
	} else {
		int rc = grow_name(lv, (DWORD)len + 1);
		if (rc)
			return rc;
		memcpy(lv->name, n->names + off, len * sizeof *n->names);
		lv->name[len] = 0;
		e = open_key(lv, n->h, lv->name, lv->child_options, &h, &notify);
	}
	if (e != ERROR_SUCCESS) {
		char tmp[64];
		const char *text = e == ERROR_FILE_NOT_FOUND ? "key vanished while read"
							     : error_text(e, tmp, sizeof tmp);
		return regdiff__error(error_code(e), "%s", text);
	}
	return node_add(lv, h, notify, child);
}

static void live_close(void *impl, uint64_t id)
{
	live *lv = impl;
	node *n = node_get(lv, id);
	if (!n)
		return;
	close_key(n->h);
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
    .kind = REGDIFF_KIND_LIVE,
    .root = live_root,
    .list = live_list,
    .value = live_value,
    .open_child = live_open_child,
    .close = live_close,
    .meta = live_meta,
    .free = live_free,
    .child_flags = live_child_flags,
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
	int rc = regdiff_name_from_utf8(&units, &len, rest, strlen(rest));
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
	if (flags &
	    ~(unsigned)(REGDIFF_LIVE_32BIT_VIEW | REGDIFF_LIVE_COMPONENTS | REGDIFF_LIVE_BACKUP))
		return regdiff__error(REGDIFF_EINVAL, "%s: unknown live source flags 0x%x", path,
				      flags);
	char *canon = NULL;
	int rc = regdiff_path_canonical(&canon, path);
	if (rc)
		return rc;
	live *lv = regdiff__calloc(1, sizeof *lv);
	if (!lv) {
		free(canon);
		return REGDIFF_ENOMEM;
	}
	/* Only the rights the walk needs (KEY_READ would also ask for
	 * READ_CONTROL, which some keys deny); open_key adds KEY_NOTIFY
	 * where it is granted. */
	lv->flags = flags;
	lv->sam = KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS |
		  ((flags & REGDIFF_LIVE_32BIT_VIEW) ? KEY_WOW64_32KEY : KEY_WOW64_64KEY);
	/* The 32-bit view is made partly of links (Wow6432Node\Classes is
	 * one to Classes\Wow6432Node): opening them as links would show the
	 * links rather than the view, so there they are followed. */
	lv->child_options = (flags & REGDIFF_LIVE_32BIT_VIEW) ? 0 : REG_OPTION_OPEN_LINK;
	/* Keys are only ever opened, never created: RegCreateKeyExW, the
	 * call documented with REG_OPTION_BACKUP_RESTORE, would recreate a
	 * key that vanished while the shot ran. */
	if (flags & REGDIFF_LIVE_BACKUP) {
		lv->root_options = REG_OPTION_BACKUP_RESTORE;
		lv->child_options |= REG_OPTION_BACKUP_RESTORE;
	}
	rc = parse_path(lv, canon);
	if (!rc && (flags & REGDIFF_LIVE_BACKUP))
		rc = regdiff__win32_enable_backup();
	if (!rc) {
		/* Refuse a path that is not there now rather than fail
		 * later, in the middle of a shot. */
		HKEY h;
		LONG e = RegOpenKeyExW(lv->predefined, lv->subpath, lv->root_options, lv->sam, &h);
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
	rc = regdiff__buf_printf(&location, "%s%s%s", canon,
				 (flags & REGDIFF_LIVE_32BIT_VIEW) ? " (32-bit view)" : "",
				 (flags & REGDIFF_LIVE_BACKUP) ? " (backup privilege)" : "");
	if (!rc)
		rc = regdiff__buf_putc(&location, 0);
	if (rc) {
		regdiff__buf_free(&location);
		live_free(lv);
		free(canon);
		return rc;
	}
	rc = regdiff__source_new(out, &live_ops, lv, canon, (const char *)location.data);
	if (!rc)
		(*out)->secrets = (flags & REGDIFF_LIVE_BACKUP) != 0;
	regdiff__buf_free(&location);
	free(canon);
	return rc;
}

/* The machine's own architecture. An x64 program emulated on ARM64 is
 * told "x64" by GetNativeSystemInfo; IsWow64Process2 (Windows 10 1511
 * and later) tells the native machine. */
static const char *machine_name(void)
{
	typedef BOOL(WINAPI * is_wow64_process2_fn)(HANDLE, USHORT *, USHORT *);
	HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll");
	FARPROC proc = kernel32 ? GetProcAddress(kernel32, "IsWow64Process2") : NULL;
	is_wow64_process2_fn is_wow64_process2 = NULL;
	USHORT process = 0, native = 0;
	if (proc)
		memcpy(&is_wow64_process2, &proc, sizeof is_wow64_process2);
	if (is_wow64_process2 && is_wow64_process2(GetCurrentProcess(), &process, &native)) {
		switch (native) {
		case 0x8664: /* IMAGE_FILE_MACHINE_AMD64 */
			return "x64";
		case 0x014c: /* IMAGE_FILE_MACHINE_I386 */
			return "x86";
		case 0xAA64: /* IMAGE_FILE_MACHINE_ARM64 */
			return "arm64";
		default:
			return "other";
		}
	}
	SYSTEM_INFO si;
	GetNativeSystemInfo(&si);
	return si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64   ? "x64"
	       : si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL ? "x86"
	       : si.wProcessorArchitecture == 12 /* ARM64 */		   ? "arm64"
									   : "other";
}

/* Where a shot is taken, for the snapshot's producer: the Windows version
 * (from ntdll, which does not pretend to be an older Windows the way
 * GetVersionEx does for programs without a manifest), the machine's
 * architecture and whether the process is elevated, which decides how
 * much of the registry it can read. */
int regdiff__win32_host(char *buf, size_t size, int *elevated)
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

	const char *arch = machine_name();

	*elevated = -1;
	HANDLE token;
	if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
		TOKEN_ELEVATION te;
		DWORD n = sizeof te;
		if (GetTokenInformation(token, TokenElevation, &te, sizeof te, &n))
			*elevated = te.TokenIsElevated ? 1 : 0;
		CloseHandle(token);
	}
	return snprintf(buf, size, "Windows %lu.%lu.%lu %s", (unsigned long)v.dwMajorVersion,
			(unsigned long)v.dwMinorVersion, (unsigned long)v.dwBuildNumber, arch) < 0
		   ? REGDIFF_EINVAL
		   : 0;
}
