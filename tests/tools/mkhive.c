/* mkhive - writes a registry hive file from a text description.
 *
 * usage: mkhive DESCRIPTION.txt OUT.hiv
 *
 * The description format is documented in fixtures/README.md. No hive is
 * copied from anywhere: the empty hive (base block, one hbin holding the
 * root key and its security cell) is laid out here byte by byte, keys and
 * values are added with hivex's write API, and the file is then patched
 * where hivex cannot go: names its UTF-8 API cannot carry (NUL, unpaired
 * surrogates), key times (hivex stamps its own), and subkey lists sorted and
 * hashed as Windows keeps them. Last, the file is read back with hivex and
 * compared with the description, so a fixture is exactly what its text says
 * or mkhive fails.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hivex.h>

#include "mkhive.h"

/* Base block fields. */
enum {
	RB_SIZE = 0x1000,
	RB_SEQ1 = 0x04,
	RB_SEQ2 = 0x08,
	RB_TIME = 0x0C,
	RB_MAJOR = 0x14,
	RB_MINOR = 0x18,
	RB_TYPE = 0x1C,
	RB_FORMAT = 0x20,
	RB_ROOT = 0x24,
	RB_LENGTH = 0x28,
	RB_CLUSTER = 0x2C,
	RB_NAME = 0x30,
	RB_NAME_UNITS = 32, /* 64 bytes, NUL included */
	RB_CHECKSUM = 0x1FC
};

/* hbin header and cell fields, offsets from the start of the hbin or of the
 * cell's size field (which is what hivex's handles point at). */
enum {
	HBIN_SIZE = 0x1000,
	HBIN_HEADER = 0x20,
	HBIN_OFFSET = 0x04,
	HBIN_LENGTH = 0x08,
	HBIN_TIME = 0x14,
	NK_FLAGS = 0x06,
	NK_TIME = 0x08,
	NK_NSUBKEYS = 0x18,
	NK_SUBKEYS = 0x20,
	NK_VSUBKEYS = 0x24,
	NK_VALUES = 0x2C,
	NK_SK = 0x30,
	NK_CLASS = 0x34,
	NK_NAME_LEN = 0x4C,
	NK_NAME = 0x50,
	VK_NAME_LEN = 0x06,
	VK_FLAGS = 0x14,
	VK_NAME = 0x18,
	SK_FLINK = 0x08,
	SK_BLINK = 0x0C,
	SK_REFCOUNT = 0x10,
	SK_DESC_LEN = 0x14,
	SK_DESC = 0x18,
	LH_COUNT = 0x06,
	LH_ENTRIES = 0x08
};

#define NK_HIVE_ENTRY 0x0004
#define NK_NO_DELETE 0x0008
#define NK_COMP_NAME 0x0020
#define VK_COMP_NAME 0x0001

/* The root key's security: owner Administrators, group SYSTEM; full control
 * for Administrators and SYSTEM, read for Everyone, all inherited by
 * subkeys. hivex needs the root to have one; Windows needs it valid. */
static const uint8_t root_sd[] = {
    /* SECURITY_DESCRIPTOR_RELATIVE: revision 1, control SE_SELF_RELATIVE |
     * SE_DACL_PRESENT, owner at 92, group at 108, no SACL, DACL at 20 */
    1, 0, 0x04, 0x80, 92, 0, 0, 0, 108, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
    /* ACL: revision 2, size 72, 3 ACEs */
    2, 0, 72, 0, 3, 0, 0, 0,
    /* ACCESS_ALLOWED, CONTAINER_INHERIT, KEY_ALL_ACCESS, S-1-5-32-544 */
    0, 2, 24, 0, 0x3F, 0, 0x0F, 0, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0,
    /* ACCESS_ALLOWED, CONTAINER_INHERIT, KEY_ALL_ACCESS, S-1-5-18 */
    0, 2, 20, 0, 0x3F, 0, 0x0F, 0, 1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
    /* ACCESS_ALLOWED, CONTAINER_INHERIT, KEY_READ, S-1-1-0 */
    0, 2, 20, 0, 0x19, 0, 0x02, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
    /* owner S-1-5-32-544 */
    1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0,
    /* group S-1-5-18 */
    1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};

const char *desc_path;
int desc_line;
static char *g_tmp; /* removed when mkhive fails */

void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "mkhive: ");
	if (desc_line)
		fprintf(stderr, "%s:%d: ", desc_path, desc_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (g_tmp)
		remove(g_tmp);
	exit(1);
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		die("out of memory");
	return p;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

/* ---- names ---------------------------------------------------------- */

/* Windows' upper case (RtlUpcaseUnicodeChar, tools/upcase_windows.txt) for
 * ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic and full-width Latin;
 * other units map to themselves. Enough to order and hash the fixtures'
 * names as Windows does. Windows folds neither µ, ı, ſ nor ς. */
static uint16_t upcase(uint16_t c)
{
	if (c < 0x80)
		return c >= 'a' && c <= 'z' ? (uint16_t)(c - 0x20) : c;
	if (c < 0x100) {
		if (c == 0xFF)
			return 0x178;
		return c >= 0xE0 && c != 0xF7 ? (uint16_t)(c - 0x20) : c;
	}
	if (c < 0x180) {
		if (c == 0x131)
			return c;
		if (c <= 0x137 || (c >= 0x14A && c <= 0x177))
			return c & 1 ? (uint16_t)(c - 1) : c;
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return c & 1 ? c : (uint16_t)(c - 1);
		return c;
	}
	if (c == 0x3AC)
		return 0x386;
	if (c >= 0x3AD && c <= 0x3AF)
		return (uint16_t)(c - 0x25);
	if ((c >= 0x3B1 && c <= 0x3C1) || (c >= 0x3C3 && c <= 0x3CB))
		return (uint16_t)(c - 0x20);
	if (c == 0x3CC)
		return 0x38C;
	if (c == 0x3CD || c == 0x3CE)
		return (uint16_t)(c - 0x3F);
	if (c >= 0x430 && c <= 0x44F)
		return (uint16_t)(c - 0x20);
	if (c >= 0x450 && c <= 0x45F)
		return (uint16_t)(c - 0x50);
	if (c >= 0xFF41 && c <= 0xFF5A)
		return (uint16_t)(c - 0x20);
	return c;
}

/* Windows' order of sibling names: unit by unit after upper-casing. */
int name_cmp(struct name a, struct name b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	for (size_t i = 0; i < n; i++) {
		uint16_t x = upcase(a.u[i]), y = upcase(b.u[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return a.n < b.n ? -1 : a.n > b.n;
}

/* The hash Windows keeps beside each entry of an lh subkey list. */
static uint32_t lh_hash(struct name a)
{
	uint32_t h = 0;
	for (size_t i = 0; i < a.n; i++)
		h = h * 37 + upcase(a.u[i]);
	return h;
}

static int is_latin1(struct name a)
{
	for (size_t i = 0; i < a.n; i++)
		if (a.u[i] > 0xFF)
			return 0;
	return 1;
}

/* Whether UTF-8 can carry the name through hivex's API: no NUL (it takes C
 * strings) and no unpaired surrogate. */
static int utf8_expressible(struct name a)
{
	for (size_t i = 0; i < a.n; i++) {
		uint16_t c = a.u[i];
		if (c == 0 || (c >= 0xDC00 && c <= 0xDFFF))
			return 0;
		if (c >= 0xD800 && c <= 0xDBFF) {
			if (i + 1 == a.n || a.u[i + 1] < 0xDC00 || a.u[i + 1] > 0xDFFF)
				return 0;
			i++;
		}
	}
	return 1;
}

/* UTF-8 for a name utf8_expressible() accepts. Caller frees. */
static char *to_utf8(struct name a)
{
	char *s = xcalloc(a.n * 3 + 1, 1), *o = s;
	for (size_t i = 0; i < a.n; i++) {
		uint32_t c = a.u[i];
		if (c >= 0xD800 && c <= 0xDBFF)
			c = 0x10000 + ((c - 0xD800) << 10) + (a.u[++i] - 0xDC00);
		if (c < 0x80) {
			*o++ = (char)c;
		} else if (c < 0x800) {
			*o++ = (char)(0xC0 | c >> 6);
			*o++ = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			*o++ = (char)(0xE0 | c >> 12);
			*o++ = (char)(0x80 | (c >> 6 & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		} else {
			*o++ = (char)(0xF0 | c >> 18);
			*o++ = (char)(0x80 | (c >> 12 & 0x3F));
			*o++ = (char)(0x80 | (c >> 6 & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		}
	}
	return s;
}

/* Stored form of a name: Latin-1 bytes when every unit fits (the
 * "compressed" flag), else UTF-16LE, as both Windows and hivex choose. */
size_t stored_len(struct name a)
{
	return is_latin1(a) ? a.n : a.n * 2;
}

static void store_name(uint8_t *p, struct name a)
{
	int latin1 = is_latin1(a);
	for (size_t i = 0; i < a.n; i++) {
		if (latin1)
			p[i] = (uint8_t)a.u[i];
		else
			put16(p + 2 * i, a.u[i]);
	}
}

/* The name hivex is given for a name it cannot take: as long, stored the
 * same way (so the cell fits the real name), and, for keys, different from
 * every sibling. Candidate k spells k in base 36 with digits and capitals,
 * or with CJK ideographs when the name must be stored as UTF-16. */
static struct name placeholder(struct name real, unsigned k)
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	struct name p = {xcalloc(real.n, sizeof(uint16_t)), real.n};
	int latin1 = is_latin1(real);
	for (size_t i = 0; i < p.n; i++) {
		unsigned d = k % 36;
		k /= 36;
		p.u[i] = latin1 ? (uint16_t)digits[d] : (uint16_t)(0x4E00 + d);
	}
	return p;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("%s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, got;
	do {
		buf = xrealloc(buf, n + 65536 + 1);
		got = fread(buf + n, 1, 65536, f);
		n += got;
	} while (got > 0);
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* ---- writing -------------------------------------------------------- */

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static uint32_t checksum(const uint8_t *rb)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < RB_CHECKSUM; i += 4)
		sum ^= get32(rb + i);
	return sum;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		die("%s: cannot write", path);
}

/* The empty hive: base block, then one hbin with the root nk, the one sk
 * cell and a free cell for the rest. */
static void write_empty_hive(const struct desc *d, const char *path)
{
	uint8_t *f = xcalloc(RB_SIZE + HBIN_SIZE, 1);
	uint8_t *bin = f + RB_SIZE;
	size_t nk = HBIN_HEADER, nk_len = align8(NK_NAME + stored_len(d->root.name));
	size_t sk = nk + nk_len, sk_len = align8(SK_DESC + sizeof root_sd);
	size_t free_at = sk + sk_len;
	if (free_at + 8 > HBIN_SIZE)
		die("root name too long");

	memcpy(f, "regf", 4);
	put32(f + RB_SEQ1, 1);
	put32(f + RB_SEQ2, 1);
	put64(f + RB_TIME, (uint64_t)d->time);
	put32(f + RB_MAJOR, 1);
	put32(f + RB_MINOR, d->minor);
	put32(f + RB_TYPE, 0);
	put32(f + RB_FORMAT, 1);
	put32(f + RB_ROOT, (uint32_t)nk);
	put32(f + RB_LENGTH, HBIN_SIZE);
	put32(f + RB_CLUSTER, 1);
	/* Like Windows, keep the tail of a long name: 31 units and a NUL. */
	size_t skip = d->filename.n > RB_NAME_UNITS - 1 ? d->filename.n - (RB_NAME_UNITS - 1) : 0;
	for (size_t i = skip; i < d->filename.n; i++)
		put16(f + RB_NAME + 2 * (i - skip), d->filename.u[i]);
	put32(f + RB_CHECKSUM, checksum(f));

	memcpy(bin, "hbin", 4);
	put32(bin + HBIN_OFFSET, 0);
	put32(bin + HBIN_LENGTH, HBIN_SIZE);
	put64(bin + HBIN_TIME, (uint64_t)d->time);

	uint8_t *c = bin + nk;
	put32(c, (uint32_t) - (int32_t)nk_len);
	memcpy(c + 4, "nk", 2);
	put16(c + NK_FLAGS,
	      NK_HIVE_ENTRY | NK_NO_DELETE | (is_latin1(d->root.name) ? NK_COMP_NAME : 0));
	put64(c + NK_TIME, (uint64_t)d->root.time);
	put32(c + NK_SUBKEYS, UINT32_MAX);
	put32(c + NK_VSUBKEYS, UINT32_MAX);
	put32(c + NK_VALUES, UINT32_MAX);
	put32(c + NK_SK, (uint32_t)sk);
	put32(c + NK_CLASS, UINT32_MAX);
	put16(c + NK_NAME_LEN, (uint16_t)stored_len(d->root.name));
	store_name(c + NK_NAME, d->root.name);

	c = bin + sk;
	put32(c, (uint32_t) - (int32_t)sk_len);
	memcpy(c + 4, "sk", 2);
	put32(c + SK_FLINK, (uint32_t)sk); /* the only sk: a list of one */
	put32(c + SK_BLINK, (uint32_t)sk);
	put32(c + SK_REFCOUNT, 1);
	put32(c + SK_DESC_LEN, sizeof root_sd);
	memcpy(c + SK_DESC, root_sd, sizeof root_sd);

	put32(bin + free_at, (uint32_t)(HBIN_SIZE - free_at));
	write_file(path, f, RB_SIZE + HBIN_SIZE);
	free(f);
}

/* Adds k's subkeys and values under node k->off with hivex. */
static void build(hive_h *h, struct key *k)
{
	for (size_t i = 0; i < k->nkids; i++) {
		struct key *kid = k->kids[i];
		if (utf8_expressible(kid->name)) {
			char *s = to_utf8(kid->name);
			kid->off = hivex_node_add_child(h, k->off, s);
			if (kid->off == 0)
				die("hivex_node_add_child(%s): %s", s, strerror(errno));
			free(s);
		}
		/* A placeholder must differ from every sibling: those hivex has
		 * (EEXIST) and those still to come. */
		for (unsigned cand = 0; kid->off == 0; cand++) {
			struct name hv = placeholder(kid->name, cand);
			int clash = 0;
			for (size_t j = 0; j < k->nkids && !clash; j++)
				clash = name_cmp(k->kids[j]->name, hv) == 0;
			if (!clash) {
				char *s = to_utf8(hv);
				kid->off = hivex_node_add_child(h, k->off, s);
				if (kid->off == 0 && errno != EEXIST)
					die("hivex_node_add_child(%s): %s", s, strerror(errno));
				free(s);
			}
			free(hv.u);
			if (cand > 100000)
				die("no placeholder for a key name");
		}
		build(h, kid);
	}
	if (k->nvals == 0)
		return;
	hive_set_value *sv = xcalloc(k->nvals, sizeof *sv);
	for (size_t i = 0; i < k->nvals; i++) {
		struct value *v = &k->vals[i];
		struct name hv = v->name;
		if (!utf8_expressible(hv))
			hv = placeholder(v->name, 0);
		sv[i].key = to_utf8(hv);
		if (hv.u != v->name.u)
			free(hv.u);
		sv[i].t = v->type;
		sv[i].len = v->len;
		sv[i].value = (char *)v->data;
	}
	if (hivex_node_set_values(h, k->off, k->nvals, sv, 0) != 0)
		die("hivex_node_set_values: %s", strerror(errno));
	hive_value_h *vh = hivex_node_values(h, k->off);
	if (!vh)
		die("hivex_node_values: %s", strerror(errno));
	for (size_t i = 0; i < k->nvals; i++) {
		if (!vh[i])
			die("hivex wrote fewer values than asked");
		k->vals[i].off = vh[i];
		free(sv[i].key);
	}
	free(vh);
	free(sv);
}

static int kid_cmp(const void *a, const void *b)
{
	return name_cmp((*(struct key *const *)a)->name, (*(struct key *const *)b)->name);
}

static uint8_t *cell(uint8_t *f, size_t size, size_t off, size_t need, const char *id)
{
	if (off < RB_SIZE || off + 4 > size)
		die("cell 0x%zx outside the file", off);
	int32_t len = (int32_t)get32(f + off);
	if (len >= 0 || (size_t) - (int64_t)len < need || off + (size_t) - (int64_t)len > size ||
	    (id && memcmp(f + off + 4, id, 2) != 0))
		die("cell 0x%zx is not the %s cell mkhive expects", off, id ? id : "data");
	return f + off;
}

/* Sets what hivex cannot: each key's time, names it could not be given, and
 * the subkey list in Windows order with Windows' hashes (hivex orders and
 * hashes by UTF-8 bytes). */
static void patch_key(uint8_t *f, size_t size, struct key *k)
{
	uint8_t *nk = cell(f, size, k->off, NK_NAME + stored_len(k->name), "nk");
	put64(nk + NK_TIME, (uint64_t)k->time);
	if (k->parent) {
		uint16_t flags = get16(nk + NK_FLAGS) & ~NK_COMP_NAME;
		put16(nk + NK_FLAGS, flags | (is_latin1(k->name) ? NK_COMP_NAME : 0));
		put16(nk + NK_NAME_LEN, (uint16_t)stored_len(k->name));
		store_name(nk + NK_NAME, k->name);
	}
	for (size_t i = 0; i < k->nvals; i++) {
		struct value *v = &k->vals[i];
		uint8_t *vk = cell(f, size, v->off, VK_NAME + stored_len(v->name), "vk");
		uint16_t flags = get16(vk + VK_FLAGS) & ~VK_COMP_NAME;
		put16(vk + VK_FLAGS, flags | (v->name.n && is_latin1(v->name) ? VK_COMP_NAME : 0));
		put16(vk + VK_NAME_LEN, (uint16_t)stored_len(v->name));
		store_name(vk + VK_NAME, v->name);
	}
	if (k->nkids == 0)
		return;
	if (get32(nk + NK_NSUBKEYS) != k->nkids)
		die("key 0x%zx has %u subkeys, expected %zu", k->off, get32(nk + NK_NSUBKEYS),
		    k->nkids);
	size_t lh_off = (size_t)get32(nk + NK_SUBKEYS) + RB_SIZE;
	uint8_t *lh = cell(f, size, lh_off, LH_ENTRIES + 8 * k->nkids, "lh");
	if (get16(lh + LH_COUNT) != k->nkids)
		die("lh list 0x%zx does not hold every subkey", lh_off);
	for (size_t i = 0; i < k->nkids; i++) {
		size_t j = 0;
		while (j < k->nkids && get32(lh + LH_ENTRIES + 8 * j) + RB_SIZE != k->kids[i]->off)
			j++;
		if (j == k->nkids)
			die("lh list 0x%zx misses subkey 0x%zx", lh_off, k->kids[i]->off);
	}
	qsort(k->kids, k->nkids, sizeof *k->kids, kid_cmp);
	for (size_t i = 0; i < k->nkids; i++) {
		put32(lh + LH_ENTRIES + 8 * i, (uint32_t)(k->kids[i]->off - RB_SIZE));
		put32(lh + LH_ENTRIES + 8 * i + 4, lh_hash(k->kids[i]->name));
		patch_key(f, size, k->kids[i]);
	}
}

static void patch(const char *path, struct desc *d)
{
	size_t size;
	uint8_t *f = (uint8_t *)read_file(path, &size);
	if (size < RB_SIZE + HBIN_SIZE || memcmp(f + RB_SIZE, "hbin", 4) != 0)
		die("hivex wrote an unexpected file");
	patch_key(f, size, &d->root);
	/* hivex leaves the base block's time alone today; set it anyway. */
	put64(f + RB_TIME, (uint64_t)d->time);
	put32(f + RB_CHECKSUM, checksum(f));
	write_file(path, f, size);
	free(f);
}

/* ---- checking ------------------------------------------------------- */

/* Whether the name stored at p (len bytes) is want. */
static int same_stored(const uint8_t *p, size_t len, int latin1, struct name want)
{
	if (want.n == 0)
		return len == 0;
	if (latin1 != is_latin1(want) || len != stored_len(want))
		return 0;
	for (size_t i = 0; i < want.n; i++)
		if ((latin1 ? p[i] : get16(p + 2 * i)) != want.u[i])
			return 0;
	return 1;
}

static void check_name(hive_h *h, size_t off, int is_key, struct name want)
{
	char *got = is_key ? hivex_node_name(h, off) : hivex_value_key(h, off);
	if (utf8_expressible(want)) {
		char *s = to_utf8(want);
		if (!got || strcmp(got, s) != 0)
			die("read back: name '%s' reads as '%s'", s, got ? got : "(error)");
		free(s);
	}
	free(got);
}

static void check_key(hive_h *h, const uint8_t *f, const struct key *k)
{
	const uint8_t *nk = f + k->off;
	if (k->parent)
		check_name(h, k->off, 1, k->name);
	if (!same_stored(nk + NK_NAME, get16(nk + NK_NAME_LEN),
			 !!(get16(nk + NK_FLAGS) & NK_COMP_NAME), k->name))
		die("read back: key 0x%zx has the wrong name", k->off);
	if (hivex_node_timestamp(h, k->off) != k->time)
		die("read back: key 0x%zx has the wrong time", k->off);

	hive_node_h *kids = hivex_node_children(h, k->off);
	size_t n = 0;
	if (!kids)
		die("read back: hivex_node_children: %s", strerror(errno));
	for (; kids[n]; n++)
		if (n >= k->nkids || kids[n] != k->kids[n]->off)
			die("read back: key 0x%zx has the wrong subkeys", k->off);
	if (n != k->nkids)
		die("read back: key 0x%zx has %zu subkeys, not %zu", k->off, n, k->nkids);
	free(kids);

	hive_value_h *vals = hivex_node_values(h, k->off);
	if (!vals)
		die("read back: hivex_node_values: %s", strerror(errno));
	for (n = 0; vals[n]; n++) {
		const struct value *v = &k->vals[n];
		if (n >= k->nvals || vals[n] != v->off)
			die("read back: key 0x%zx has the wrong values", k->off);
		const uint8_t *vk = f + v->off;
		check_name(h, v->off, 0, v->name);
		if (!same_stored(vk + VK_NAME, get16(vk + VK_NAME_LEN),
				 !!(get16(vk + VK_FLAGS) & VK_COMP_NAME), v->name))
			die("read back: value 0x%zx has the wrong name", v->off);
		hive_type type;
		size_t len;
		char *data = hivex_value_value(h, v->off, &type, &len);
		if (!data || (uint32_t)type != v->type || len != v->len ||
		    (len && memcmp(data, v->data, len) != 0))
			die("read back: value on line %d reads differently", v->line);
		free(data);
	}
	if (n != k->nvals)
		die("read back: key 0x%zx has %zu values, not %zu", k->off, n, k->nvals);
	free(vals);

	for (size_t i = 0; i < k->nkids; i++)
		check_key(h, f, k->kids[i]);
}

static void check(const char *path, const struct desc *d)
{
	size_t size;
	uint8_t *f = (uint8_t *)read_file(path, &size);
	hive_h *h = hivex_open(path, 0);
	if (!h)
		die("read back: hivex_open: %s", strerror(errno));
	if (hivex_root(h) != d->root.off || hivex_last_modified(h) != d->time)
		die("read back: wrong root or base block time");
	check_key(h, f, &d->root);
	hivex_close(h);
	free(f);
}

static void free_key(struct key *k)
{
	for (size_t i = 0; i < k->nkids; i++) {
		free_key(k->kids[i]);
		free(k->kids[i]);
	}
	for (size_t i = 0; i < k->nvals; i++) {
		free(k->vals[i].name.u);
		free(k->vals[i].data);
	}
	free(k->kids);
	free(k->vals);
	free(k->name.u);
}

int main(int argc, char **argv)
{
	static const uint16_t root_name[] = {'R', 'O', 'O', 'T'};
	struct desc d;
	if (argc != 3) {
		fprintf(stderr, "usage: mkhive DESCRIPTION.txt OUT.hiv\n");
		return 2;
	}
	memset(&d, 0, sizeof d);
	d.time = FILETIME_2020;
	d.minor = 3;
	d.root.time = FILETIME_2020;
	d.root.name.n = 4;
	d.root.name.u = xcalloc(4, sizeof(uint16_t));
	memcpy(d.root.name.u, root_name, sizeof root_name);
	parse_description(argv[1], &d);

	g_tmp = xcalloc(strlen(argv[2]) + 5, 1);
	strcat(strcpy(g_tmp, argv[2]), ".tmp");
	write_empty_hive(&d, g_tmp);
	hive_h *h = hivex_open(g_tmp, HIVEX_OPEN_WRITE);
	if (!h)
		die("hivex_open(%s): %s", g_tmp, strerror(errno));
	d.root.off = hivex_root(h);
	build(h, &d.root);
	if (hivex_commit(h, g_tmp, 0) != 0)
		die("hivex_commit: %s", strerror(errno));
	hivex_close(h);
	patch(g_tmp, &d);
	check(g_tmp, &d);
	if (rename(g_tmp, argv[2]) != 0)
		die("%s: %s", argv[2], strerror(errno));
	free(g_tmp);
	g_tmp = NULL;
	free_key(&d.root);
	free(d.filename.u);
	return 0;
}
