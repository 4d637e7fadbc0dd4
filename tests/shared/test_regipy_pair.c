/* Diffs two real hives with regdiff and checks the result against a
 * change set computed here, independently, by walking both hives with
 * libhivex and comparing the walks (Regshot's rules: every key and value
 * under an added or deleted key is listed too).
 *
 * Usage: shared_regipy_pair [BEFORE AFTER], the paths relative to the hive
 * folder REGDIFF_SHARED_HIVES; by default regipy's NTUSER.DAT pair. Exits
 * 77 (a ctest skip) when that folder does not exist: the hives are used in
 * place, never copied into the project (their licenses differ).
 *
 * Names: hivex gives key and value names as UTF-8 recoded from the hive
 * (Latin-1 for compressed names, UTF-16LE otherwise, which is what Windows
 * reads too); with hivex_node_name_len / hivex_value_key_len an embedded NUL
 * survives, so 'zero\0key' in hivex/images/special comes back whole. This
 * test decodes that UTF-8 back to UTF-16 itself. The one thing the recoding
 * cannot carry is an unpaired surrogate (iconv refuses it): neither pair
 * has one, and such a name would make hivex fail, which fails this test
 * loudly rather than dropping the entry.
 */
#include <errno.h>
#include <hivex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "regdiff.h"

#ifndef REGDIFF_SHARED_HIVES
#error "define REGDIFF_SHARED_HIVES (the hive folder)"
#endif

#define EXIT_SKIP 77
#define MAX_DEPTH 512 /* deeper than any real hive: a loop */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	return p;
}

/* ------------------------------------------------------------------ */
/* UTF-16 strings */

typedef struct u16 {
	uint16_t *u;
	size_t len, cap;
} u16;

static void u16_push(u16 *s, uint16_t unit)
{
	if (s->len == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 32;
		s->u = xrealloc(s->u, s->cap * sizeof *s->u);
	}
	s->u[s->len++] = unit;
}

static void u16_append(u16 *s, const uint16_t *units, size_t n)
{
	for (size_t i = 0; i < n; i++)
		u16_push(s, units[i]);
}

static u16 u16_copy(const uint16_t *units, size_t n)
{
	u16 s = {0};
	u16_append(&s, units, n);
	return s;
}

static u16 u16_upper(const u16 *s)
{
	u16 up = {0};
	for (size_t i = 0; i < s->len; i++)
		u16_push(&up, regdiff_name_upcase(s->u[i]));
	return up;
}

static int u16_cmp(const u16 *a, const u16 *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	for (size_t i = 0; i < n; i++)
		if (a->u[i] != b->u[i])
			return a->u[i] < b->u[i] ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

static bool u16_eq(const u16 *a, const u16 *b)
{
	return u16_cmp(a, b) == 0;
}

/* Strict UTF-8 to UTF-16; hivex's iconv output is always valid, so any
 * failure here is worth stopping for. */
static int utf8_to_u16(const char *str, size_t n, u16 *out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		uint32_t c = s[i];
		size_t more = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 9;
		if (more == 9 || c > 0xF4 || more >= n - i)
			return -1;
		if (more)
			c &= 0x3Fu >> more;
		for (size_t k = 1; k <= more; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return -1;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if ((more == 2 && c < 0x800) || (more == 3 && (c < 0x10000 || c > 0x10FFFF)) ||
		    (c >= 0xD800 && c <= 0xDFFF))
			return -1;
		i += more + 1;
		if (c >= 0x10000) {
			u16_push(out, (uint16_t)(0xD800 + ((c - 0x10000) >> 10)));
			u16_push(out, (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF)));
		} else {
			u16_push(out, (uint16_t)c);
		}
	}
	return 0;
}

/* Prints printable ASCII as is and every other unit as \uXXXX, so names
 * with NUL, controls or non-ASCII read unambiguously in a failure. */
static void print_u16(FILE *f, const u16 *s)
{
	for (size_t i = 0; i < s->len; i++) {
		if (s->u[i] >= 0x20 && s->u[i] < 0x7F && s->u[i] != '"')
			fputc(s->u[i], f);
		else
			fprintf(f, "\\u%04X", s->u[i]);
	}
}

/* ------------------------------------------------------------------ */
/* The independent walk */

struct hkey {
	u16 path, upath; /* below the root, components joined by '\' */
	int64_t time;
};

struct hval {
	u16 path, upath, name, uname;
	uint32_t type;
	uint8_t *data;
	size_t len;
};

struct walk {
	const char *file;
	hive_h *h;
	struct hkey *keys;
	size_t nkeys, capk;
	struct hval *vals;
	size_t nvals, capv;
};

static int hive_fail(const struct walk *w, const char *what, const u16 *path)
{
	fprintf(stderr, "FAIL: %s: %s at \"", w->file, what);
	print_u16(stderr, path);
	fprintf(stderr, "\": %s\n", strerror(errno));
	return -1;
}

static int node_name(struct walk *w, hive_node_h node, u16 *out)
{
	errno = 0;
	size_t len = hivex_node_name_len(w->h, node);
	if (len == 0 && errno)
		return -1;
	char *s = hivex_node_name(w->h, node);
	if (!s)
		return -1;
	int r = utf8_to_u16(s, len, out);
	free(s);
	if (r)
		errno = EILSEQ;
	return r;
}

static int read_values(struct walk *w, hive_node_h node, const u16 *path)
{
	hive_value_h *vs = hivex_node_values(w->h, node);
	if (!vs)
		return hive_fail(w, "hivex_node_values", path);
	int r = 0;
	for (size_t i = 0; vs[i] && r == 0; i++) {
		struct hval v = {0};
		errno = 0;
		size_t nlen = hivex_value_key_len(w->h, vs[i]);
		char *name = nlen == 0 && errno ? NULL : hivex_value_key(w->h, vs[i]);
		if (!name) {
			r = hive_fail(w, "hivex_value_key", path);
			break;
		}
		if (utf8_to_u16(name, nlen, &v.name)) {
			errno = EILSEQ;
			r = hive_fail(w, "value name not UTF-8", path);
		}
		free(name);
		hive_type t = 0;
		v.data = (uint8_t *)hivex_value_value(w->h, vs[i], &t, &v.len);
		if (!v.data && r == 0)
			r = hive_fail(w, "hivex_value_value", path);
		v.type = (uint32_t)t;
		v.path = u16_copy(path->u, path->len);
		v.upath = u16_upper(path);
		v.uname = u16_upper(&v.name);
		if (w->nvals == w->capv) {
			w->capv = w->capv ? 2 * w->capv : 256;
			w->vals = xrealloc(w->vals, w->capv * sizeof *w->vals);
		}
		w->vals[w->nvals++] = v;
	}
	free(vs);
	return r;
}

static int walk_node(struct walk *w, hive_node_h node, u16 *path, unsigned depth)
{
	if (depth > MAX_DEPTH) {
		errno = ELOOP;
		return hive_fail(w, "key tree too deep", path);
	}
	struct hkey k = {u16_copy(path->u, path->len), u16_upper(path), 0};
	errno = 0;
	k.time = hivex_node_timestamp(w->h, node);
	if (w->nkeys == w->capk) {
		w->capk = w->capk ? 2 * w->capk : 256;
		w->keys = xrealloc(w->keys, w->capk * sizeof *w->keys);
	}
	w->keys[w->nkeys++] = k;
	if (k.time == -1 && errno)
		return hive_fail(w, "hivex_node_timestamp", path);
	if (read_values(w, node, path))
		return -1;
	hive_node_h *kids = hivex_node_children(w->h, node);
	if (!kids)
		return hive_fail(w, "hivex_node_children", path);
	int r = 0;
	for (size_t i = 0; kids[i] && r == 0; i++) {
		size_t keep = path->len;
		if (keep)
			u16_push(path, '\\');
		if (node_name(w, kids[i], path))
			r = hive_fail(w, "hivex_node_name", path);
		else
			r = walk_node(w, kids[i], path, depth + 1);
		path->len = keep;
	}
	free(kids);
	return r;
}

/* qsort, which must not be given NULL even for no elements. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n)
		qsort(base, n, size, cmp);
}

static int key_cmp(const void *a, const void *b)
{
	return u16_cmp(&((const struct hkey *)a)->upath, &((const struct hkey *)b)->upath);
}

static int val_cmp(const void *a, const void *b)
{
	const struct hval *x = a, *y = b;
	int c = u16_cmp(&x->upath, &y->upath);
	return c ? c : u16_cmp(&x->uname, &y->uname);
}

/* Walks the hive at file into w, sorted by upper-cased path (and name). */
static int walk_hive(struct walk *w, const char *file)
{
	memset(w, 0, sizeof *w);
	w->file = file;
	w->h = hivex_open(file, 0);
	if (!w->h) {
		fprintf(stderr, "FAIL: hivex_open %s: %s\n", file, strerror(errno));
		return -1;
	}
	u16 path = {0};
	int r = walk_node(w, hivex_root(w->h), &path, 0);
	free(path.u);
	hivex_close(w->h);
	w->h = NULL;
	if (r)
		return r;
	sort(w->keys, w->nkeys, sizeof *w->keys, key_cmp);
	sort(w->vals, w->nvals, sizeof *w->vals, val_cmp);
	/* Two keys or values one name apart but for case would make "the
	 * change" ambiguous; real Windows hives have none. */
	for (size_t i = 1; i < w->nkeys; i++)
		if (key_cmp(&w->keys[i - 1], &w->keys[i]) == 0)
			return hive_fail(w, "duplicate key", &w->keys[i].path);
	for (size_t i = 1; i < w->nvals; i++)
		if (val_cmp(&w->vals[i - 1], &w->vals[i]) == 0)
			return hive_fail(w, "duplicate value", &w->vals[i].path);
	return 0;
}

static void walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->nkeys; i++) {
		free(w->keys[i].path.u);
		free(w->keys[i].upath.u);
	}
	for (size_t i = 0; i < w->nvals; i++) {
		free(w->vals[i].path.u);
		free(w->vals[i].upath.u);
		free(w->vals[i].name.u);
		free(w->vals[i].uname.u);
		free(w->vals[i].data);
	}
	free(w->keys);
	free(w->vals);
}

/* ------------------------------------------------------------------ */
/* Change sets */

/* One change, expected or seen. Expected items borrow from the walks;
 * items seen own their strings and bytes. */
struct item {
	regdiff_op op;
	u16 key, ukey, value, uvalue;
	/* An expected VALUE_MODIFIED's value name may be spelt as in either
	 * hive: the before hive's spelling (value holds the after hive's). */
	u16 value_before;
	uint32_t old_type, new_type;
	const uint8_t *old_bytes, *new_bytes;
	size_t old_len, new_len;
	int64_t old_time, new_time;
};

struct items {
	struct item *v;
	size_t n, cap;
};

static struct item *items_add(struct items *s, regdiff_op op)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	struct item *it = &s->v[s->n++];
	memset(it, 0, sizeof *it);
	it->op = op;
	return it;
}

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	int c = u16_cmp(&x->ukey, &y->ukey);
	return c ? c : u16_cmp(&x->uvalue, &y->uvalue);
}

static void key_item(struct items *s, regdiff_op op, const struct hkey *k)
{
	struct item *it = items_add(s, op);
	it->key = k->path;
	it->ukey = k->upath;
	if (op == REGDIFF_KEY_ADDED)
		it->new_time = k->time;
	else
		it->old_time = k->time;
}

static void value_item(struct items *s, regdiff_op op, const struct hval *before,
		       const struct hval *after)
{
	struct item *it = items_add(s, op);
	const struct hval *v = after ? after : before;
	it->key = v->path;
	it->ukey = v->upath;
	it->value = v->name;
	it->uvalue = v->uname;
	if (before) {
		it->value_before = before->name;
		it->old_type = before->type;
		it->old_bytes = before->data;
		it->old_len = before->len;
	}
	if (after) {
		it->new_type = after->type;
		it->new_bytes = after->data;
		it->new_len = after->len;
	}
}

/* The changes from a to b by merging the two sorted walks. */
static void expected_changes(const struct walk *a, const struct walk *b, struct items *out)
{
	size_t i = 0, j = 0;
	while (i < a->nkeys || j < b->nkeys) {
		int c = i == a->nkeys ? 1 : j == b->nkeys ? -1 : key_cmp(&a->keys[i], &b->keys[j]);
		if (c < 0)
			key_item(out, REGDIFF_KEY_DELETED, &a->keys[i++]);
		else if (c > 0)
			key_item(out, REGDIFF_KEY_ADDED, &b->keys[j++]);
		else
			i++, j++;
	}
	i = j = 0;
	while (i < a->nvals || j < b->nvals) {
		int c = i == a->nvals ? 1 : j == b->nvals ? -1 : val_cmp(&a->vals[i], &b->vals[j]);
		if (c < 0) {
			value_item(out, REGDIFF_VALUE_DELETED, &a->vals[i++], NULL);
		} else if (c > 0) {
			value_item(out, REGDIFF_VALUE_ADDED, NULL, &b->vals[j++]);
		} else {
			const struct hval *x = &a->vals[i++], *y = &b->vals[j++];
			if (x->type != y->type || x->len != y->len ||
			    (x->len && memcmp(x->data, y->data, x->len)))
				value_item(out, REGDIFF_VALUE_MODIFIED, x, y);
		}
	}
	sort(out->v, out->n, sizeof *out->v, item_cmp);
}

static const char *op_name(regdiff_op op)
{
	switch (op) {
	case REGDIFF_KEY_DELETED:
		return "key deleted";
	case REGDIFF_KEY_ADDED:
		return "key added";
	case REGDIFF_VALUE_DELETED:
		return "value deleted";
	case REGDIFF_VALUE_ADDED:
		return "value added";
	case REGDIFF_VALUE_MODIFIED:
		return "value modified";
	case REGDIFF_NOT_COMPARED:
		return "not compared";
	case REGDIFF_KEY_MODIFIED:
		return "key modified";
	}
	return "unknown op";
}

static void print_bytes(FILE *f, uint32_t type, const uint8_t *p, size_t n)
{
	fprintf(f, "type 0x%X, %zu bytes", (unsigned)type, n);
	if (n) {
		fputs(":", f);
		for (size_t i = 0; i < n && i < 32; i++)
			fprintf(f, " %02X", p[i]);
		if (n > 32)
			fputs(" ...", f);
	}
}

static void print_item(FILE *f, const char *prefix, const struct item *it)
{
	fprintf(f, "%s%s \"", prefix, op_name(it->op));
	print_u16(f, &it->key);
	fputs("\"", f);
	switch (it->op) {
	case REGDIFF_KEY_ADDED:
	case REGDIFF_KEY_DELETED:
	case REGDIFF_KEY_MODIFIED:
		fprintf(f, " (times %lld -> %lld)\n", (long long)it->old_time,
			(long long)it->new_time);
		return;
	default:
		break;
	}
	fputs(" value \"", f);
	print_u16(f, &it->value);
	fputs("\" (", f);
	if (it->op != REGDIFF_VALUE_ADDED)
		print_bytes(f, it->old_type, it->old_bytes, it->old_len);
	if (it->op == REGDIFF_VALUE_MODIFIED)
		fputs(" -> ", f);
	if (it->op != REGDIFF_VALUE_DELETED)
		print_bytes(f, it->new_type, it->new_bytes, it->new_len);
	fputs(")\n", f);
}

static bool same_bytes(uint32_t ta, const uint8_t *a, size_t na, uint32_t tb, const uint8_t *b,
		       size_t nb)
{
	return ta == tb && na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

/* Whether every component of key is spelt exactly (case included) as the
 * key at that path in hive a or in hive b. A key present in both hives may
 * differ in case between them (NTUSER.DAT's "Software" is "SOFTWARE" in
 * other user hives), and which of the two a change shows for such a parent
 * is regdiff's choice; it must still be one the hives hold. */
static bool spelt_as_in_hives(const u16 *key, const struct walk *a, const struct walk *b)
{
	size_t start = 0;
	for (size_t end = 0; end <= key->len; end++) {
		if (end < key->len && key->u[end] != '\\')
			continue;
		u16 prefix = {key->u, end, end};
		struct hkey probe = {.upath = u16_upper(&prefix)};
		bool found = false;
		for (int side = 0; side < 2 && !found; side++) {
			const struct walk *w = side ? b : a;
			const struct hkey *k =
			    w->nkeys ? bsearch(&probe, w->keys, w->nkeys, sizeof *w->keys, key_cmp)
				     : NULL;
			found = k && (end == start || memcmp(k->path.u + start, key->u + start,
							     (end - start) * sizeof *key->u) == 0);
		}
		free(probe.upath.u);
		if (!found)
			return false;
		start = end + 1;
	}
	return true;
}

/* Whether seen (from regdiff) says exactly what want (from the walks a and
 * b) says, once they are known to be the same change. */
static bool item_details_match(const struct item *want, const struct item *seen,
			       const struct walk *a, const struct walk *b)
{
	bool spelt = spelt_as_in_hives(&seen->key, a, b);
	bool named =
	    u16_eq(&seen->value, &want->value) ||
	    (want->op == REGDIFF_VALUE_MODIFIED && u16_eq(&seen->value, &want->value_before));
	if (!spelt || !named)
		return false;
	switch (want->op) {
	case REGDIFF_KEY_ADDED:
	case REGDIFF_KEY_DELETED:
		return seen->old_time == want->old_time && seen->new_time == want->new_time;
	case REGDIFF_VALUE_DELETED:
		return same_bytes(seen->old_type, seen->old_bytes, seen->old_len, want->old_type,
				  want->old_bytes, want->old_len);
	case REGDIFF_VALUE_ADDED:
		return same_bytes(seen->new_type, seen->new_bytes, seen->new_len, want->new_type,
				  want->new_bytes, want->new_len);
	case REGDIFF_VALUE_MODIFIED:
		return same_bytes(seen->old_type, seen->old_bytes, seen->old_len, want->old_type,
				  want->old_bytes, want->old_len) &&
		       same_bytes(seen->new_type, seen->new_bytes, seen->new_len, want->new_type,
				  want->new_bytes, want->new_len);
	case REGDIFF_KEY_MODIFIED:
	case REGDIFF_NOT_COMPARED:
		break;
	}
	return false;
}

/* Compares the two sorted sets, printing every difference. Returns the
 * number of differences. a and b are the walks want was computed from. */
static size_t compare_sets(const struct items *want, const struct items *seen, const struct walk *a,
			   const struct walk *b)
{
	size_t bad = 0, i = 0, j = 0;
	while (i < want->n || j < seen->n) {
		int c = i == want->n ? 1 : j == seen->n ? -1 : item_cmp(&want->v[i], &seen->v[j]);
		if (c < 0) {
			print_item(stderr, "MISSING (walk has, regdiff lacks): ", &want->v[i++]);
			bad++;
		} else if (c > 0) {
			print_item(stderr, "EXTRA (regdiff has, walk lacks): ", &seen->v[j++]);
			bad++;
		} else {
			if (!item_details_match(&want->v[i], &seen->v[j], a, b)) {
				print_item(stderr, "DIFFERS: walk:    ", &want->v[i]);
				print_item(stderr, "DIFFERS: regdiff: ", &seen->v[j]);
				bad++;
			}
			i++;
			j++;
			/* The same change reported twice. */
			while (j < seen->n && item_cmp(&seen->v[j - 1], &seen->v[j]) == 0) {
				print_item(stderr, "DUPLICATE from regdiff: ", &seen->v[j++]);
				bad++;
			}
		}
	}
	return bad;
}

/* ------------------------------------------------------------------ */
/* regdiff's side */

static int api_fail(const char *what, int rc)
{
	fprintf(stderr, "FAIL: %s: %s (%s)\n", what, regdiff_strerror(rc), regdiff_error_message());
	return -1;
}

static uint8_t *copy_bytes(const regdiff_data *d)
{
	uint8_t *p = xrealloc(NULL, d->len);
	if (d->len)
		memcpy(p, d->bytes, d->len);
	return p;
}

/* Adds one change from regdiff to seen, its key made relative to mount.
 * Returns -1 (after saying why) for a change this test cannot place. */
static int add_seen(struct items *seen, const regdiff_change *ch, const u16 *umount)
{
	u16 key = u16_copy(ch->key.units, ch->key.len);
	u16 ukey = u16_upper(&key);
	size_t m = umount->len;
	bool under = ukey.len >= m && memcmp(ukey.u, umount->u, m * sizeof *ukey.u) == 0 &&
		     (ukey.len == m || ukey.u[m] == '\\');
	if (!under) {
		fprintf(stderr, "FAIL: regdiff reported a %s outside the mount: \"",
			op_name(ch->op));
		print_u16(stderr, &key);
		fputs("\"\n", stderr);
		free(key.u);
		free(ukey.u);
		return -1;
	}
	size_t skip = ukey.len == m ? m : m + 1;
	struct item *it = items_add(seen, ch->op);
	it->key = u16_copy(key.u + skip, key.len - skip);
	it->ukey = u16_upper(&it->key);
	free(key.u);
	free(ukey.u);
	it->value = u16_copy(ch->value.units, ch->value.len);
	it->uvalue = u16_upper(&it->value);
	it->old_time = ch->old_time;
	it->new_time = ch->new_time;
	if (ch->op == REGDIFF_VALUE_DELETED || ch->op == REGDIFF_VALUE_MODIFIED) {
		it->old_type = ch->old_data.type;
		it->old_len = ch->old_data.len;
		it->old_bytes = copy_bytes(&ch->old_data);
	}
	if (ch->op == REGDIFF_VALUE_ADDED || ch->op == REGDIFF_VALUE_MODIFIED) {
		it->new_type = ch->new_data.type;
		it->new_len = ch->new_data.len;
		it->new_bytes = copy_bytes(&ch->new_data);
	}
	return 0;
}

static void seen_free(struct items *seen)
{
	for (size_t i = 0; i < seen->n; i++) {
		struct item *it = &seen->v[i];
		free(it->key.u);
		free(it->ukey.u);
		free(it->value.u);
		free(it->uvalue.u);
		free((void *)it->old_bytes);
		free((void *)it->new_bytes);
	}
	free(seen->v);
}

/* A snapshot's key and value counts must be the walk's: a dropped key
 * whose twin is dropped on the other side would not show in the diff. */
static int check_counts(regdiff_snapshot *snap, const struct walk *w)
{
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	int rc = regdiff_snapshot_get_info(&info, snap);
	if (rc < 0)
		return api_fail("regdiff_snapshot_get_info", rc);
	if (info.keys != w->nkeys || info.values != w->nvals || info.problems != 0) {
		fprintf(stderr,
			"FAIL: snapshot of %s: %llu keys, %llu values, %llu problems; "
			"walk: %zu keys, %zu values\n",
			w->file, (unsigned long long)info.keys, (unsigned long long)info.values,
			(unsigned long long)info.problems, w->nkeys, w->nvals);
		return -1;
	}
	return 0;
}

/* Opens before and after, both mounted where before's name puts it, and
 * takes a snapshot of each into sa, sb. Sets *umount to the upper-cased
 * mount. */
static int take_shots(const char *before, const char *after, regdiff_snapshot **sa,
		      regdiff_snapshot **sb, u16 *umount)
{
	regdiff_source *a = NULL, *b = NULL;
	u16 raw = {0};
	int r = -1, rc;
	const char *mount;
	if ((rc = regdiff_source_open_hive(&a, before, NULL)) < 0)
		api_fail("regdiff_source_open_hive (before)", rc);
	else if ((rc = regdiff_source_open_hive(&b, after, NULL)) < 0)
		api_fail("regdiff_source_open_hive (after)", rc);
	else if ((rc = regdiff_source_set_mount(b, (mount = regdiff_source_mount(a)))) < 0)
		api_fail("regdiff_source_set_mount", rc);
	else if (utf8_to_u16(mount, strlen(mount), &raw))
		fprintf(stderr, "FAIL: mount \"%s\" is not UTF-8\n", mount);
	else if ((rc = regdiff_shot_take(sa, &a, 1, NULL)) < 0)
		api_fail("regdiff_shot_take (before)", rc);
	else if ((rc = regdiff_shot_take(sb, &b, 1, NULL)) < 0)
		api_fail("regdiff_shot_take (after)", rc);
	else
		r = 0;
	*umount = u16_upper(&raw);
	free(raw.u);
	regdiff_source_free(a);
	regdiff_source_free(b);
	return r;
}

/* Runs regdiff on before/after through the public API into seen (sorted). */
static int regdiff_changes(const char *before, const char *after, const struct walk *wa,
			   const struct walk *wb, struct items *seen)
{
	regdiff_snapshot *sa = NULL, *sb = NULL;
	regdiff_diff *d = NULL;
	const regdiff_change *ch;
	u16 umount = {0};
	int r = -1, rc;
	if (take_shots(before, after, &sa, &sb, &umount))
		goto out;
	r = check_counts(sa, wa) | check_counts(sb, wb);
	if ((rc = regdiff_diff_new(&d, sa, sb, NULL)) < 0) {
		r = api_fail("regdiff_diff_new", rc);
		goto out;
	}
	while ((rc = regdiff_diff_next(&ch, d)) == 0) {
		if (ch->op == REGDIFF_KEY_MODIFIED) {
			fputs("FAIL: REGDIFF_KEY_MODIFIED without REGDIFF_DIFF_KEY_TIMES\n",
			      stderr);
			r = -1;
		} else if (ch->op < REGDIFF_KEY_DELETED || ch->op > REGDIFF_VALUE_MODIFIED) {
			fprintf(stderr, "FAIL: unknown op %d\n", (int)ch->op);
			r = -1;
			continue;
		}
		r |= add_seen(seen, ch, &umount);
	}
	if (rc != REGDIFF_ITEROVER)
		r = api_fail("regdiff_diff_next", rc);
	sort(seen->v, seen->n, sizeof *seen->v, item_cmp);
out:
	free(umount.u);
	regdiff_diff_free(d);
	regdiff_snapshot_free(sa);
	regdiff_snapshot_free(sb);
	return r;
}

/* ------------------------------------------------------------------ */

static void count_ops(const struct items *s, size_t by_op[REGDIFF_OP_COUNT])
{
	memset(by_op, 0, REGDIFF_OP_COUNT * sizeof *by_op);
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].op > 0 && s->v[i].op < REGDIFF_OP_COUNT)
			by_op[s->v[i].op]++;
}

static char *join(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = xrealloc(NULL, n);
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

int main(int argc, char **argv)
{
	const char *dir = REGDIFF_SHARED_HIVES;
	const char *rel_before = "regipy/regipy_tests/data/NTUSER.DAT";
	const char *rel_after = "regipy/regipy_tests/data/NTUSER_modified.DAT";
	if (argc == 3) {
		rel_before = argv[1];
		rel_after = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [BEFORE AFTER]  (paths relative to %s)\n", argv[0], dir);
		return 2;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("SKIP: the shared hive folder %s is absent\n", dir);
		return EXIT_SKIP;
	}
	char *before = join(dir, rel_before), *after = join(dir, rel_after);
	struct walk wa, wb;
	struct items want = {0}, seen = {0};
	int failed = 1;
	if (walk_hive(&wa, before) | walk_hive(&wb, after))
		goto out;
	printf("walk: %s: %zu keys, %zu values; %s: %zu keys, %zu values\n", rel_before, wa.nkeys,
	       wa.nvals, rel_after, wb.nkeys, wb.nvals);
	expected_changes(&wa, &wb, &want);
	/* Listed for review when short enough to read. */
	for (size_t i = 0; i < want.n && want.n <= 100; i++)
		print_item(stdout, "expected: ", &want.v[i]);

	int rc = regdiff_changes(before, after, &wa, &wb, &seen);
	size_t bad = compare_sets(&want, &seen, &wa, &wb);
	size_t n[REGDIFF_OP_COUNT];
	count_ops(&seen, n);
	printf("regdiff: %zu changes: %zu keys deleted, %zu keys added, %zu values deleted, "
	       "%zu values added, %zu values modified\n",
	       seen.n, n[REGDIFF_KEY_DELETED], n[REGDIFF_KEY_ADDED], n[REGDIFF_VALUE_DELETED],
	       n[REGDIFF_VALUE_ADDED], n[REGDIFF_VALUE_MODIFIED]);
	if (rc == 0 && bad == 0) {
		printf("OK: regdiff gives exactly the walk's %zu changes\n", want.n);
		failed = 0;
	} else {
		fprintf(stderr,
			"FAIL: %zu differences between regdiff and the walk (%zu expected)\n", bad,
			want.n);
	}
out:
	free(want.v);
	seen_free(&seen);
	walk_free(&wa);
	walk_free(&wb);
	free(before);
	free(after);
	return failed;
}
