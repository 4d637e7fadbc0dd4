/* Offline hive files, read with libhivex. Names are taken from the key and
 * value cells themselves (bounds-checked), because hivex hands them out as
 * UTF-8 and cannot convert names that are not valid UTF-16; the registry
 * allows those, and we keep every name exactly. */
#include <errno.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hive_map.h"
#include "name_internal.h"
#include "osfile.h"
#include "source_internal.h"

#define NK_FLAG_COMP_NAME 0x20u
#define VK_FLAG_COMP_NAME 0x01u

typedef struct hive {
	hive_h *h;
	const uint8_t *map; /* a read-only view, for names and data lists */
	int map_is_hivex;   /* map is libhivex's: it unmaps it in hivex_close */
	size_t size;
	uint8_t *visited; /* one bit per 8-byte cell position */
	char *user;
	char *damage;	     /* a problem to report at the root of every walk */
	const char *pending; /* damage, until this walk has reported it */
	uint64_t bins_end;   /* where the base block says the hive bins end */
} hive;

static void hive_free(void *impl)
{
	hive *hv = impl;
	if (!hv)
		return;
	if (hv->h)
		hivex_close(hv->h);
	if (hv->map && !hv->map_is_hivex)
		munmap((void *)hv->map, hv->size);
	free(hv->visited);
	free(hv->user);
	free(hv->damage);
	free(hv);
}

/* Each walk starts afresh: no cell seen yet, the damage not yet told. */
static int hive_begin(void *impl)
{
	hive *hv = impl;
	memset(hv->visited, 0, hv->size / 64 + 1);
	hv->pending = hv->damage;
	return 0;
}

/* Seen before? Marks it. Every cell the walk reads (keys, their lists of
 * values and subkeys, value cells, data cells and big-data segments) is
 * used once in a hive Windows wrote. One reached twice means a loop or
 * cells shared on purpose: reading it again could go on forever, or read
 * a tiny hive's one large value a hundred thousand times. Refusing the
 * second visit bounds the work by the hive's size. */
static int seen(hive *hv, uint64_t off)
{
	if (off >= hv->size)
		return 0;
	uint64_t bit = off / 8;
	uint8_t mask = (uint8_t)(1u << (bit % 8));
	if (hv->visited[bit / 8] & mask)
		return 1;
	hv->visited[bit / 8] |= mask;
	return 0;
}

/* The allocated cell at off: its size into *len. 0 if there is none. */
static int cell_at(const hive *hv, uint64_t off, size_t *len)
{
	if (off < 0x1000 || off > hv->size || hv->size - off < 8)
		return 0;
	int32_t raw = (int32_t)regdiff__get_u32(hv->map + off);
	if (raw > -8)
		return 0;
	*len = (size_t)(-(int64_t)raw);
	return *len <= hv->size - off;
}

static int hive_root(void *impl, uint64_t *node)
{
	hive *hv = impl;
	errno = 0;
	hive_node_h root = hivex_root(hv->h);
	if (!root)
		return regdiff__error(REGDIFF_EHIVE, "no root key: %s", strerror(errno));
	seen(hv, root);
	*node = root;
	return 0;
}

/* The raw name of the cell at off: at *raw, *n units stored Latin-1 if
 * *latin1, else UTF-16LE (n bytes at name_at, the length at len_at). */
static int cell_name(hive *hv, uint64_t off, const char sig[2], size_t len_at, size_t flags_at,
		     unsigned comp_flag, size_t name_at, const uint8_t **raw, size_t *n,
		     int *latin1)
{
	if (off < 0x1000 || off > hv->size || hv->size - off < name_at)
		return regdiff__error(REGDIFF_EHIVE, "cell at 0x%llx out of the file",
				      (unsigned long long)off);
	const uint8_t *c = hv->map + off;
	if (c[4] != (uint8_t)sig[0] || c[5] != (uint8_t)sig[1])
		return regdiff__error(REGDIFF_EHIVE, "cell at 0x%llx is not '%c%c'",
				      (unsigned long long)off, sig[0], sig[1]);
	size_t len = regdiff__get_u16(c + len_at);
	unsigned flags = regdiff__get_u16(c + flags_at);
	int32_t cellsize = (int32_t)regdiff__get_u32(c);
	size_t cell = cellsize < 0 ? (size_t)(-(int64_t)cellsize) : (size_t)cellsize;
	if (len > hv->size - off - name_at || name_at + len > cell)
		return regdiff__error(REGDIFF_EHIVE, "name of cell at 0x%llx runs past it",
				      (unsigned long long)off);
	*latin1 = (flags & comp_flag) != 0;
	*n = *latin1 ? len : len / 2;
	*raw = c + name_at;
	return 0;
}

/* n units of a raw name (see cell_name) into units. */
static void put_units(uint16_t *units, const uint8_t *raw, size_t n, int latin1)
{
	if (latin1)
		for (size_t i = 0; i < n; i++)
			units[i] = raw[i];
	else
		regdiff__get_units(units, raw, n);
}

static void report(regdiff__problem_fn problem, void *pctx, unsigned unread, const char *what,
		   const char *detail, const char *after)
{
	char text[1200];
	snprintf(text, sizeof text, "%s%s%s", what, detail, after);
	problem(pctx, unread, text);
}

/* What libhivex means by the errno values it sets, which strerror() would
 * turn into "Bad address" or "Operation not supported". */
static const char *hivex_strerror(int e)
{
	switch (e) {
	case EFAULT:
		return "a cell offset points outside the hive's data or at no cell";
	case ENOTSUP:
		return "a record libhivex does not accept: a list of an unknown kind, or "
		       "counts that disagree";
	case 0:
		return strerror(EINVAL);
	default:
		return strerror(e);
	}
}

/* libhivex refuses, with ERANGE, more than 70,000 subkeys or 110,000
 * values in a key and value data over 8 MB (limits against hostile hives);
 * say that rather than "Numerical result out of range". */
static const char *hivex_reason(int e, const char *limit)
{
	return e == ERANGE ? limit : hivex_strerror(e);
}

/* Values and subkeys are listed the same way; what differs is here. */
typedef struct item_kind {
	int child;
	const char *sig;
	size_t len_at, flags_at, name_at;
	unsigned comp_flag;
	unsigned unread;
	const char *plural;
	const char *limit;
	size_t count_at, list_at; /* in the key's nk cell */
} item_kind;

static const item_kind values_kind = {0,
				      "vk",
				      6,
				      0x14,
				      0x18,
				      VK_FLAG_COMP_NAME,
				      REGDIFF__SRC_VALUES_UNREAD,
				      "values",
				      "more than libhivex's limit of 110000 values",
				      0x28,
				      0x2c};
static const item_kind subkeys_kind = {1,
				       "nk",
				       0x4c,
				       6,
				       0x50,
				       NK_FLAG_COMP_NAME,
				       REGDIFF__SRC_SUBKEYS_UNREAD,
				       "subkeys",
				       "more than libhivex's limit of 70000 subkeys",
				       0x18,
				       0x20};

/* Whether the key's list of values (subkeys) is one another key already
 * used, or, for an index of subkey lists (ri), holds one: then it is not
 * read again (see seen()). Lists libhivex will refuse are left to it. */
static int list_shared(hive *hv, uint64_t node, const item_kind *k, uint64_t *list)
{
	if (node > hv->size || hv->size - node < 0x50 ||
	    regdiff__get_u32(hv->map + node + k->count_at) == 0)
		return 0;
	*list = 0x1000 + (uint64_t)regdiff__get_u32(hv->map + node + k->list_at);
	if (seen(hv, *list))
		return 1;
	size_t len;
	if (!k->child || !cell_at(hv, *list, &len) || len < 8 ||
	    memcmp(hv->map + *list + 4, "ri", 2) != 0)
		return 0;
	size_t n = regdiff__get_u16(hv->map + *list + 6);
	for (size_t i = 0; i < n && 8 + 4 * i + 4 <= len; i++) {
		uint64_t sub = 0x1000 + (uint64_t)regdiff__get_u32(hv->map + *list + 8 + 4 * i);
		if (seen(hv, sub)) {
			*list = sub;
			return 1;
		}
	}
	return 0;
}

static int list_items(hive *hv, uint64_t node, const item_kind *k, regdiff__listing *l,
		      regdiff__problem_fn problem, void *pctx)
{
	char text[160];
	uint64_t list;
	if (list_shared(hv, node, k, &list)) {
		snprintf(text, sizeof text,
			 "%s not read: their list (cell 0x%llx) is another key's too", k->plural,
			 (unsigned long long)list);
		report(problem, pctx, k->unread, text, "", "");
		return 0;
	}
	errno = 0;
	/* hive_node_h and hive_value_h are both offsets (size_t). */
	size_t *items =
	    k->child ? hivex_node_children(hv->h, node) : hivex_node_values(hv->h, node);
	if (!items) {
		if (errno == ENOMEM)
			return regdiff__error(REGDIFF_ENOMEM, "out of memory");
		snprintf(text, sizeof text, "%s not read: ", k->plural);
		report(problem, pctx, k->unread, text, hivex_reason(errno, k->limit), "");
		return 0;
	}
	size_t n = 0, twice = 0;
	uint64_t first_twice = 0;
	int rc = 0;
	for (; items[n] && !rc; n++) {
		const uint8_t *raw = NULL;
		size_t len = 0;
		int latin1 = 0;
		rc = cell_name(hv, items[n], k->sig, k->len_at, k->flags_at, k->comp_flag,
			       k->name_at, &raw, &len, &latin1);
		if (rc == REGDIFF_EHIVE) {
			snprintf(text, sizeof text, "one of the %s not read: ", k->plural);
			report(problem, pctx, k->unread, text, regdiff_error_message(), "");
			rc = 0;
			continue;
		}
		if (rc)
			break;
		if (seen(hv, items[n])) {
			/* Counted, not reported one by one: a list of
			 * 100,000 entries may all name the same cell. */
			if (!twice++)
				first_twice = items[n];
			continue;
		}
		uint16_t *units = regdiff__listing_room(l, len);
		if (!units) {
			rc = REGDIFF_ENOMEM;
			break;
		}
		put_units(units, raw, len, latin1);
		rc = regdiff__listing_push(l, k->child, len, items[n]);
	}
	free(items);
	if (rc)
		return rc;
	if (twice) {
		snprintf(text, sizeof text,
			 "%zu %s not read: their cells (the first at 0x%llx) are reached twice (a "
			 "loop or shared cells)",
			 twice, k->plural, (unsigned long long)first_twice);
		report(problem, pctx, k->unread, text, "", "");
	}
	size_t declared =
	    k->child ? hivex_node_nr_children(hv->h, node) : hivex_node_nr_values(hv->h, node);
	if (declared > n) {
		snprintf(text, sizeof text, "%zu of %zu %s not read (unreadable list)",
			 declared - n, declared, k->plural);
		report(problem, pctx, k->unread, "", text, "");
	}
	return 0;
}

static int hive_list(void *impl, uint64_t node, regdiff__listing *l, regdiff__problem_fn problem,
		     void *pctx)
{
	hive *hv = impl;
	if (hv->pending) {
		problem(pctx, 0, hv->pending);
		hv->pending = NULL;
	}
	errno = 0;
	int64_t t = hivex_node_timestamp(hv->h, node);
	if (t < 0) {
		report(problem, pctx, 0, "last-write time not read: ", strerror(errno), "");
		t = 0;
	}
	l->time = t;
	int rc = list_items(hv, node, &values_kind, l, problem, pctx);
	return rc ? rc : list_items(hv, node, &subkeys_kind, l, problem, pctx);
}

/* libhivex reads no value data over this many bytes (HIVEX_MAX_VALUE_LEN). */
#define HIVEX_DATA_LIMIT 8000000u

static int shared_data(uint64_t off)
{
	return regdiff__error(REGDIFF_EHIVE,
			      "its data (cell 0x%llx) is another value's too, or used twice "
			      "(shared cells): not read again",
			      (unsigned long long)off);
}

/* Marks the cells that hold the data of value cell vk (declared len
 * bytes), as libhivex finds them: one data cell, or a big-data (db) cell,
 * its list of segments and the segments. A cell marked before fails (see
 * seen()). With out, the data is also copied there the way libhivex copies
 * it (each segment's cell less 8 bytes, up to len), for values larger than
 * libhivex reads; without, cells that libhivex will refuse are left to it,
 * so that its messages stay the same. */
static int data_cells(hive *hv, uint64_t vk, size_t len, regdiff__buf *out)
{
	if (vk > hv->size || hv->size - vk < 0x18)
		return 0;
	if (len == 0 || (regdiff__get_u32(hv->map + vk + 8) & 0x80000000u))
		return 0; /* no data, or data kept in the value cell itself */
	uint64_t off = 0x1000 + (uint64_t)regdiff__get_u32(hv->map + vk + 0xc);
	size_t clen;
	if (!cell_at(hv, off, &clen)) {
		if (!out)
			return 0;
		return regdiff__error(REGDIFF_EHIVE, "its data cell (0x%llx) is not in the file",
				      (unsigned long long)off);
	}
	if (len <= clen - 4) {
		if (seen(hv, off))
			return shared_data(off);
		return out ? regdiff__buf_append(out, hv->map + off + 4, len) : 0;
	}
	if (clen < 12 || memcmp(hv->map + off + 4, "db", 2) != 0) {
		if (!out)
			return 0;
		return regdiff__error(
		    REGDIFF_EHIVE,
		    "its data runs past its cell (0x%llx), which is not a big-data "
		    "cell",
		    (unsigned long long)off);
	}
	size_t nseg = regdiff__get_u16(hv->map + off + 6), blen;
	uint64_t list = 0x1000 + (uint64_t)regdiff__get_u32(hv->map + off + 8);
	/* libhivex reads the list without checking that it holds nseg
	 * entries: check it for both. */
	if (!cell_at(hv, list, &blen) || (blen - 4) / 4 < nseg)
		return regdiff__error(
		    REGDIFF_EHIVE,
		    "the list of its %zu big-data segments (0x%llx) is not in the "
		    "file or shorter",
		    nseg, (unsigned long long)list);
	if (seen(hv, off))
		return shared_data(off);
	if (seen(hv, list))
		return shared_data(list);
	size_t got = 0;
	for (size_t i = 0; i < nseg; i++) {
		uint64_t seg = 0x1000 + (uint64_t)regdiff__get_u32(hv->map + list + 4 + 4 * i);
		size_t slen;
		if (!cell_at(hv, seg, &slen)) {
			if (!out)
				return 0;
			return regdiff__error(
			    REGDIFF_EHIVE, "its big-data segment %zu (0x%llx) is not in the file",
			    i, (unsigned long long)seg);
		}
		if (seen(hv, seg))
			return shared_data(seg);
		size_t n = slen - 8 < len - got ? slen - 8 : len - got;
		if (out && n) {
			int rc = regdiff__buf_append(out, hv->map + seg + 4, n);
			if (rc)
				return rc;
		}
		got += n;
	}
	return 0;
}

/* The data of value cell vk (len bytes, not big) where libhivex would copy
 * it from, in the map, or NULL where the value is not read so simply.
 * Only the two cases libhivex copies in one piece are taken: data inline
 * in the value cell, and one data cell that holds it all (libhivex's own
 * check of that cell's offset is asked). Anything else (inline data over
 * 4 bytes, a data cell libhivex refuses, big data) is left to libhivex,
 * so that what is read and its messages stay libhivex's. */
static const uint8_t *data_in_map(hive *hv, uint64_t vk, size_t len)
{
	if (vk > hv->size || hv->size - vk < 0x10)
		return NULL;
	if (regdiff__get_u32(hv->map + vk + 8) & 0x80000000u)
		return len <= 4 ? hv->map + vk + 0xc : NULL;
	errno = 0;
	size_t off = hivex_value_data_cell_offset(hv->h, vk, NULL);
	if (!off || off > hv->size || hv->size - off < 4)
		return NULL;
	/* libhivex's block_len: the cell's size, whether used or free. */
	int32_t raw = (int32_t)regdiff__get_u32(hv->map + off);
	if (raw == INT32_MIN)
		return NULL;
	size_t blen = (size_t)(raw < 0 ? -raw : raw);
	if (blen < 4 || len > blen - 4 || hv->size - off - 4 < len)
		return NULL;
	return hv->map + off + 4;
}

static int hive_value_ref(void *impl, uint64_t node, uint64_t id, uint32_t *type,
			  uint64_t *declared, regdiff__buf *data, regdiff__data_ref *ref)
{
	(void)node;
	hive *hv = impl;
	hive_type t;
	size_t len;
	*ref = (regdiff__data_ref){0};
	errno = 0;
	if (hivex_value_type(hv->h, id, &t, &len) != 0)
		return regdiff__error(REGDIFF_EHIVE, "%s", strerror(errno ? errno : EINVAL));
	/* Type and size are kept even when the data cannot be read. */
	*type = (uint32_t)t;
	*declared = len;
	int big = len > HIVEX_DATA_LIMIT;
	int rc = data_cells(hv, id, len, big ? data : NULL);
	if (rc || big)
		return rc;
	if ((ref->kept = data_in_map(hv, id, len)) != NULL) {
		ref->size = len;
		return 0;
	}
	errno = 0;
	char *p = hivex_value_value(hv->h, id, &t, &len);
	if (!p) {
		if (errno == ENOMEM)
			return regdiff__error(REGDIFF_ENOMEM, "out of memory");
		return regdiff__error(REGDIFF_EHIVE, "%s", strerror(errno ? errno : EINVAL));
	}
	/* libhivex's copy (big data, in segments) is handed on as it is. */
	ref->given = (uint8_t *)p;
	ref->size = len;
	return 0;
}

static int hive_value(void *impl, uint64_t node, uint64_t id, uint32_t *type, uint64_t *declared,
		      regdiff__buf *data)
{
	regdiff__data_ref ref;
	int rc = hive_value_ref(impl, node, id, type, declared, data, &ref);
	if (!rc && (ref.kept || ref.given))
		rc = regdiff__buf_append(data, ref.kept ? ref.kept : ref.given, ref.size);
	free(ref.given);
	return rc;
}

static int hive_open_child(void *impl, uint64_t parent, uint64_t id, uint64_t *child)
{
	(void)impl;
	(void)parent;
	*child = id;
	return 0;
}

static void hive_close(void *impl, uint64_t node)
{
	(void)impl;
	(void)node;
}

static char *value_string(hive_h *h, hive_node_h node, const char *name)
{
	hive_value_h v = hivex_node_get_value(h, node, name);
	return v ? hivex_value_string(h, v) : NULL;
}

/* The computer name a SYSTEM hive records, through Select\Current. */
static char *computer_name(hive_h *h)
{
	hive_node_h root = hivex_root(h), sel = root ? hivex_node_get_child(h, root, "Select") : 0;
	hive_value_h cur = sel ? hivex_node_get_value(h, sel, "Current") : 0;
	if (!cur)
		return NULL;
	hive_type t;
	size_t len;
	if (hivex_value_type(h, cur, &t, &len) != 0 || t != hive_t_REG_DWORD || len != 4)
		return NULL;
	char cs[32];
	snprintf(cs, sizeof cs, "ControlSet%03u", (unsigned)hivex_value_dword(h, cur) % 1000);
	const char *path[] = {cs, "Control", "ComputerName", "ComputerName"};
	hive_node_h n = root;
	for (size_t i = 0; n && i < 4; i++)
		n = hivex_node_get_child(h, n, path[i]);
	return n ? value_string(h, n, "ComputerName") : NULL;
}

static int hive_meta(void *impl, char **computer, char **user)
{
	hive *hv = impl;
	*computer = computer_name(hv->h);
	*user = hv->user ? regdiff__strdup(hv->user) : NULL;
	return 0;
}

static const regdiff__source_ops hive_ops = {
    .kind = REGDIFF_KIND_HIVE,
    .begin = hive_begin,
    .root = hive_root,
    .list = hive_list,
    .value = hive_value,
    .value_ref = hive_value_ref,
    .open_child = hive_open_child,
    .close = hive_close,
    .meta = hive_meta,
    .free = hive_free,
};

static int caseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
		char y = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;
		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* The user folder in a path like .../Users/<user>/NTUSER.DAT (either
 * slash), or NULL. */
static char *user_from_path(const char *path)
{
	const char *p = path;
	while (*p) {
		const char *end = p + strcspn(p, "/\\");
		size_t n = (size_t)(end - p);
		if ((n == 5 && regdiff__ascii_caseeq(p, "Users", 5)) ||
		    (n == 22 && regdiff__ascii_caseeq(p, "Documents and Settings", 22))) {
			const char *u = end + (*end ? 1 : 0);
			size_t un = strcspn(u, "/\\");
			if (un > 0 && u[un]) {
				char *r = regdiff__malloc(un + 1);
				if (r) {
					memcpy(r, u, un);
					r[un] = '\0';
				}
				return r;
			}
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* The file name Windows wrote into the base block (at 0x30, 64 bytes of
 * UTF-16LE), e.g. \??\C:\Users\alice\ntuser.dat. */
static char *embedded_name(const hive *hv)
{
	if (hv->size < 0x70)
		return NULL;
	size_t n = 0;
	while (n < 64 && (hv->map[0x30 + n] || hv->map[0x31 + n]))
		n += 2;
	regdiff__buf b = {0};
	if (regdiff__utf16le_bytes_to_utf8_buf(&b, hv->map + 0x30, n, REGDIFF_TEXT_SAFE) ||
	    regdiff__buf_putc(&b, 0)) {
		regdiff__buf_free(&b);
		return NULL;
	}
	return (char *)b.data;
}

static const char *base_name(const char *file)
{
	const char *b = file;
	for (const char *p = file; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

/* The mount a hive gets from its name (see regdiff_source_open_hive). */
static int derive_mount(hive *hv, const char *file, char **out)
{
	static const char *const machine[] = {"SYSTEM", "SOFTWARE", "SAM", "SECURITY"};
	const char *base = base_name(file);
	regdiff__buf b = {0};
	int rc = 0;
	for (size_t i = 0; i < 4; i++)
		if (caseeq(base, machine[i]))
			rc = regdiff__buf_printf(&b, "HKLM\\%s", machine[i]);
	if (!b.len && caseeq(base, "DEFAULT"))
		rc = regdiff__buf_printf(&b, "HKU\\.DEFAULT");
	int ntuser = caseeq(base, "NTUSER.DAT"), classes = caseeq(base, "UsrClass.dat");
	if (!b.len && !rc && (ntuser || classes)) {
		char *user = user_from_path(file);
		if (!user) {
			char *emb = embedded_name(hv);
			user = emb ? user_from_path(emb) : NULL;
			free(emb);
		}
		if (user) {
			rc = regdiff__buf_printf(&b, "HKU\\%s%s", user, classes ? "_Classes" : "");
			if (ntuser)
				hv->user = user;
			else
				free(user);
		}
	}
	if (!b.len && !rc)
		rc = regdiff__buf_printf(&b, "%s", base);
	if (rc) {
		regdiff__buf_free(&b);
		return rc;
	}
	*out = (char *)b.data;
	return 0;
}

static int open_error(const char *file, int e)
{
	int code = e == ENOENT || e == ENOTDIR ? REGDIFF_ENOTFOUND
		   : e == EACCES || e == EPERM ? REGDIFF_EACCESS
		   : e == ENOMEM	       ? REGDIFF_ENOMEM
					       : REGDIFF_EHIVE;
	return regdiff__error(code, "%s: %s", file, strerror(e));
}

/* Maps fd (file names it in messages) as the hive's view. */
static int map_fd(hive *hv, int fd, const char *file)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return open_error(file, errno);
	if (st.st_size < 0x2000)
		return regdiff__error(REGDIFF_EHIVE, "%s: not a registry hive (only %lld bytes)",
				      file, (long long)st.st_size);
	hv->size = (size_t)st.st_size;
	void *m = mmap(NULL, hv->size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return open_error(file, errno);
	hv->map = m;
	return 0;
}

/* Up to want bytes of src from at to the end of dst, by the kernel alone
 * (sendfile: no pass through a buffer of ours, one copy of the hive
 * fewer) while *direct, else through buf; *direct is cleared where the
 * kernel cannot. What read(2) returns: 0 at the end, -1 with errno; -2
 * when writing failed, *rc then saying why. */
static ssize_t copy_chunk(int src, int dst, uint8_t *buf, size_t want, uint64_t at, int *direct,
			  int *rc)
{
	if (*direct) {
		off_t off = (off_t)at;
		ssize_t n = sendfile(dst, src, &off, want);
		if (n >= 0 || (errno != EINVAL && errno != ENOSYS))
			return n;
		*direct = 0;
	}
	ssize_t n = pread(src, buf, want, (off_t)at);
	if (n > 0 && (*rc = regdiff__os_write_all(dst, buf, (size_t)n)) != 0)
		return -2;
	return n;
}

/* Copies the file open at src (file names it) into a new anonymous file,
 * *fd: what is read from then on is ours alone. A file mapped as it is
 * raises SIGBUS in the caller when it is cut short underneath (a hive being
 * copied in, a disk image being written). What the file holds while it is
 * read is what is kept: one that shrinks meanwhile is kept to its new end. */
static int private_copy(int src, const char *file, int *fd)
{
	uint64_t size;
	int rc = regdiff__os_file_size(src, &size, file);
	if (!rc && size < 0x2000)
		rc = regdiff__error(REGDIFF_EHIVE, "%s: not a registry hive (only %llu bytes)",
				    file, (unsigned long long)size);
	if (!rc && size > SIZE_MAX)
		rc = regdiff__error(REGDIFF_ELIMIT, "%s: too large to read", file);
	uint8_t sig[4];
	ssize_t got_sig = 0;
	while (!rc && (got_sig = pread(src, sig, sizeof sig, 0)) < 0 && errno == EINTR)
		;
	if (!rc && got_sig < 0)
		rc = regdiff__error(REGDIFF_EIO, "%s: %s", file, strerror(errno));
	/* Nothing there any more: cut short, said below. */
	if (!rc && got_sig > 0 && (got_sig < 4 || memcmp(sig, "regf", 4) != 0))
		rc = regdiff__error(REGDIFF_EHIVE, "%s: not a registry hive (no 'regf' signature)",
				    file);
	if (!rc)
		rc = regdiff__hive_anon_file(fd, size);
	if (rc)
		return rc;
	enum { CHUNK = 1 << 20 };
	uint8_t *buf = regdiff__malloc(CHUNK);
	uint64_t got = 0;
	int direct = 1;
	if (!buf)
		rc = REGDIFF_ENOMEM;
	while (!rc && got < size) {
		size_t want = size - got < CHUNK ? (size_t)(size - got) : CHUNK;
		ssize_t n = copy_chunk(src, *fd, buf, want, got, &direct, &rc);
		if (n == -2)
			break;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0)
			rc = regdiff__error(REGDIFF_EIO, "%s: %s", file, strerror(errno));
		else if (n == 0)
			break; /* cut short while being read */
		else
			got += (uint64_t)n;
	}
	free(buf);
	if (!rc && got < size && ftruncate(*fd, (off_t)got) != 0)
		rc = regdiff__error(REGDIFF_EIO, "cannot size a private copy of the hive: %s",
				    strerror(errno));
	if (rc) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/* Reads the hive into a private copy (*copy_fd, which libhivex must then
 * open) and maps that; a dirty hive's copy is replaced by the replayed
 * one. */
static int map_file(hive *hv, const char *file, int logs_mode, regdiff__logs *logs, int *copy_fd)
{
	int fd, replayed = -1;
	int rc = regdiff__os_open_read(file, &fd);
	if (rc)
		return rc;
	rc = private_copy(fd, file, copy_fd);
	close(fd);
	if (!rc)
		rc = map_fd(hv, *copy_fd, file);
	if (!rc)
		rc = regdiff__hive_logs_replay(logs, &replayed, file, hv->map, hv->size, logs_mode);
	if (!rc && replayed >= 0) {
		munmap((void *)hv->map, hv->size);
		hv->map = NULL;
		close(*copy_fd);
		*copy_fd = replayed;
		rc = map_fd(hv, *copy_fd, file);
	}
	if (rc)
		return rc;
	if (memcmp(hv->map, "regf", 4) != 0)
		return regdiff__error(REGDIFF_EHIVE,
				      "%s: not a registry hive (no 'regf' signature)", file);
	/* libhivex trusts the base block more than hostile files deserve
	 * (it crashes on some transaction logs): check what it relies on. */
	uint32_t type = regdiff__get_u32(hv->map + 0x1c), format = regdiff__get_u32(hv->map + 0x20);
	if (type != 0)
		return regdiff__error(REGDIFF_EHIVE,
				      "%s: a transaction log or other non-hive registry file (file "
				      "type %u), not a hive",
				      file, type);
	if (format != 1)
		return regdiff__error(REGDIFF_EHIVE, "%s: unknown hive format %u", file, format);
	if (memcmp(hv->map + 0x1000, "hbin", 4) != 0)
		return regdiff__error(REGDIFF_EHIVE, "%s: no hive bin at offset 0x1000", file);
	hv->bins_end = 0x1000 + (uint64_t)regdiff__get_u32(hv->map + 0x28);
	return 0;
}

int regdiff__source_open_hive_impl(regdiff_source **out, const char *file, const char *mount,
				   int logs_mode)
{
	hive *hv = regdiff__calloc(1, sizeof *hv);
	if (!hv)
		return REGDIFF_ENOMEM;
	regdiff__logs logs = {0};
	int copy_fd = -1;
	int rc = map_file(hv, file, logs_mode, &logs, &copy_fd);
	/* libhivex opens only by name: our private copy is reached through
	 * its descriptor's /proc name. */
	char hivex_path[64];
	snprintf(hivex_path, sizeof hivex_path, "/proc/self/fd/%d", copy_fd);
	if (!rc && !(hv->visited = regdiff__calloc(hv->size / 64 + 1, 1)))
		rc = REGDIFF_ENOMEM;
	if (!rc) {
		errno = 0;
		hv->h = hivex_open(hivex_path, 0);
		if (!hv->h) {
			/* Read what can be read safely, and say so. libhivex's
			 * unsafe mode looks for bins up to where the base block
			 * says they end, even past the end of the file: only
			 * a file that holds them all is safe to give it. */
			int e = errno;
			errno = 0;
			if (hv->bins_end > hv->size) {
				rc = regdiff__error(
				    REGDIFF_EHIVE,
				    "%s: damaged hive, libhivex cannot read it (%s), and it is "
				    "truncated "
				    "(its header claims %llu bytes, the file has %zu)",
				    file, hivex_strerror(e), (unsigned long long)hv->bins_end,
				    hv->size);
				regdiff__logs_clear(&logs);
				if (copy_fd >= 0)
					close(copy_fd);
				hive_free(hv);
				return rc;
			}
			hv->h = hivex_open(hivex_path, HIVEX_OPEN_UNSAFE);
			if (hv->h) {
				char what[300];
				snprintf(what, sizeof what,
					 "hive is damaged (%s): read in libhivex's unsafe mode, "
					 "parts may be missing",
					 hivex_strerror(e));
				if (!(hv->damage = regdiff__strdup(what)))
					rc = REGDIFF_ENOMEM;
			} else {
				rc = e == ENOMEM
					 ? REGDIFF_ENOMEM
					 : regdiff__error(
					       REGDIFF_EHIVE,
					       "%s: damaged hive, libhivex cannot read it (%s)",
					       file, hivex_strerror(e));
			}
		}
	}
	/* Read through libhivex's map of the copy, once found: the hive is
	 * then held (and counted) once. */
	const uint8_t *shared = !rc ? regdiff__hive_find_map(copy_fd, hv->size, hv->map) : NULL;
	if (shared) {
		munmap((void *)hv->map, hv->size);
		hv->map = shared;
		hv->map_is_hivex = 1;
	}
	if (copy_fd >= 0)
		close(copy_fd);
	char *derived = NULL;
	if (!rc && !mount)
		rc = derive_mount(hv, file, &derived);
	if (rc) {
		regdiff__logs_clear(&logs);
		hive_free(hv);
		return rc;
	}
	rc = regdiff__source_new(out, &hive_ops, hv, mount ? mount : derived, file);
	free(derived);
	if (rc) {
		regdiff__logs_clear(&logs);
	} else {
		(*out)->logs = logs;
		(*out)->mount_derived = mount == NULL;
	}
	return rc;
}
