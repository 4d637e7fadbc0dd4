/* The walker: asks a source for each key's values and subkeys, puts them
 * in canonical order and feeds them to the snapshot writer. What cannot be
 * read is recorded as a problem at its path, never dropped silently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exclusion.h"
#include "name_internal.h"
#include "snapshot_format.h"
#include "source_internal.h"
#include "writer_queue.h"

#define PROGRESS_EVERY 1024u
#define PROBLEM_PATH_MAX 1024u /* UTF-16 units of a problem's path kept whole */

typedef struct walk {
	regdiff__wq *w;
	regdiff_source *src;
	regdiff__walk_progress *progress;
	regdiff__exclusions *excl;
	regdiff__listing **levels; /* one listing per depth, stable addresses */
	size_t nlevels;
	regdiff__buf data;
	regdiff__buf text;
	uint16_t *path;
	size_t path_len, path_cap;
	unsigned pending;	 /* flags for the key being listed, from its problems */
	regdiff__item *sort_tmp; /* merge_sort's room */
	size_t sort_tmp_cap;
	int fatal;
} walk;

uint16_t *regdiff__listing_room(regdiff__listing *l, size_t len)
{
	if (l->pool && l->pool_len + len <= l->pool_cap)
		return l->pool + l->pool_len;
	/* Allocated even for an empty name: pool + off must point somewhere. */
	if (regdiff__grow(&l->pool, &l->pool_cap, l->pool_len + len, sizeof *l->pool))
		return NULL;
	return l->pool + l->pool_len;
}

int regdiff__listing_push(regdiff__listing *l, int child, size_t len, uint64_t id)
{
	regdiff__item **items = child ? &l->children : &l->values;
	size_t *n = child ? &l->nchildren : &l->nvalues;
	size_t *cap = child ? &l->children_cap : &l->values_cap;
	if (*n == *cap && regdiff__grow(items, cap, *n + 1, sizeof **items))
		return REGDIFF_ENOMEM;
	(*items)[(*n)++] = (regdiff__item){l->pool_len, len, id};
	l->pool_len += len;
	return 0;
}

int regdiff__listing_add(regdiff__listing *l, int child, const uint16_t *name, size_t len,
			 uint64_t id)
{
	uint16_t *units = regdiff__listing_room(l, len);
	if (!units)
		return REGDIFF_ENOMEM;
	if (len)
		memcpy(units, name, len * sizeof *name);
	return regdiff__listing_push(l, child, len, id);
}

void regdiff__listing_free(regdiff__listing *l)
{
	free(l->values);
	free(l->children);
	free(l->pool);
}

static _Thread_local const uint16_t *sort_pool;

/* Canonical order: case-insensitive, then exact units, then the source's
 * own order, so equal names in a corrupt hive still sort the same way. */
static int cmp_items(const void *pa, const void *pb)
{
	const regdiff__item *a = pa, *b = pb;
	regdiff_name x = {sort_pool + a->off, a->len}, y = {sort_pool + b->off, b->len};
	int c = regdiff_name_compare(x, y);
	if (c)
		return c;
	size_t n = a->len < b->len ? a->len : b->len;
	for (size_t i = 0; i < n; i++)
		if (x.units[i] != y.units[i])
			return x.units[i] < y.units[i] ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Sorts n items by insertion, the first `from` in order already. */
static void insertion_sort(regdiff__item *items, size_t from, size_t n)
{
	for (size_t i = from ? from : 1; i < n; i++) {
		regdiff__item x = items[i];
		size_t j = i;
		for (; j > 0 && cmp_items(&items[j - 1], &x) > 0; j--)
			items[j] = items[j - 1];
		items[j] = x;
	}
}

/* Merge sort through tmp (room for n), with insertion sort for short
 * runs: qsort's calls through a pointer and byte-wise moves of 24-byte
 * items cost more. Halves already in order are not merged. */
static void merge_sort(regdiff__item *items, size_t n, regdiff__item *tmp)
{
	if (n <= 16) {
		insertion_sort(items, 0, n);
		return;
	}
	size_t h = n / 2;
	merge_sort(items, h, tmp);
	merge_sort(items + h, n - h, tmp);
	if (cmp_items(&items[h - 1], &items[h]) < 0)
		return;
	size_t i = 0, j = h, o = 0;
	while (i < h && j < n)
		tmp[o++] = cmp_items(&items[j], &items[i]) < 0 ? items[j++] : items[i++];
	while (i < h)
		tmp[o++] = items[i++];
	memcpy(items, tmp, o * sizeof *items); /* the rest of the right half is in place */
}

/* Hives keep subkeys in this order already (their lists are sorted by
 * upper-case name) and often values too: one pass over a sorted listing
 * costs less than any sort. The order is total (ids differ), so any sort
 * gives the same. Returns 0 when the listing was found in order with no
 * two names equal but for case, so that drop_duplicates has nothing to
 * do, else 1. */
static int sort_items(walk *k, regdiff__item *items, size_t n)
{
	size_t i = 1;
	for (; i < n; i++) {
		const regdiff__item *a = &items[i - 1], *b = &items[i];
		int c = regdiff_name_compare((regdiff_name){sort_pool + a->off, a->len},
					     (regdiff_name){sort_pool + b->off, b->len});
		if (c >= 0)
			break;
	}
	if (i >= n)
		return 0;
	if (n <= 16)
		insertion_sort(items, i, n);
	else if (regdiff__grow(&k->sort_tmp, &k->sort_tmp_cap, n, sizeof *k->sort_tmp) == 0)
		merge_sort(items, n, k->sort_tmp);
	else
		qsort(items, n, sizeof *items, cmp_items);
	return 1;
}

/* Sorts l's values and subkeys; bit 0 (values) and bit 1 (subkeys) say
 * which may hold names equal but for case (see sort_items). */
static unsigned sort_listing(walk *k, regdiff__listing *l)
{
	sort_pool = l->pool;
	unsigned v = (unsigned)sort_items(k, l->values, l->nvalues);
	return v | (unsigned)sort_items(k, l->children, l->nchildren) << 1;
}

static int path_push(walk *k, const uint16_t *name, size_t len, size_t *saved)
{
	*saved = k->path_len;
	int rc = regdiff__grow(&k->path, &k->path_cap, k->path_len + 1 + len, sizeof *k->path);
	if (rc)
		return rc;
	if (k->path_len)
		k->path[k->path_len++] = '\\';
	memcpy(k->path + k->path_len, name, len * sizeof *name);
	k->path_len += len;
	return 0;
}

/* Appends units [from, to) of the problem's path: the key's path, then
 * '\\' and extra if there is one. */
static int path_part(walk *k, const uint16_t *extra, size_t from, size_t to)
{
	int rc = 0;
	if (from < k->path_len)
		rc = regdiff__utf16_to_utf8_buf(&k->text, k->path + from,
						(to < k->path_len ? to : k->path_len) - from,
						REGDIFF_TEXT_SAFE);
	if (!rc && extra && from <= k->path_len && to > k->path_len)
		rc = regdiff__buf_putc(&k->text, '\\');
	size_t start = k->path_len + 1;
	if (!rc && extra && to > start)
		rc = regdiff__utf16_to_utf8_buf(&k->text, extra + (from > start ? from - start : 0),
						to - (from > start ? from : start),
						REGDIFF_TEXT_SAFE);
	return rc;
}

/* Unit i of the problem's path (see path_part). */
static uint16_t path_unit(const walk *k, const uint16_t *extra, size_t i)
{
	return i < k->path_len ? k->path[i] : i == k->path_len ? '\\' : extra[i - k->path_len - 1];
}

static void problem_at(walk *k, const uint16_t *extra, size_t extra_len, const char *what)
{
	/* A path is kept whole up to PROBLEM_PATH_MAX units; a longer one
	 * (keys may have names of 65,535 characters and nest 512 deep) keeps
	 * its start and its end, so that 10,000 problems stay a few MB. */
	size_t total = k->path_len + (extra ? 1 + extra_len : 0);
	size_t head = total, from = total;
	if (total > PROBLEM_PATH_MAX) {
		head = PROBLEM_PATH_MAX / 4;
		from = total - (PROBLEM_PATH_MAX - head);
		/* No half of a surrogate pair at either cut. */
		if ((path_unit(k, extra, head - 1) & 0xfc00) == 0xd800)
			head--;
		if ((path_unit(k, extra, from) & 0xfc00) == 0xdc00)
			from++;
	}
	k->text.len = 0;
	int rc = path_part(k, extra, 0, head);
	if (!rc && from > head)
		rc =
		    regdiff__buf_printf(&k->text, "[... %zu characters left out ...]", from - head);
	if (!rc && from > head)
		rc = path_part(k, extra, from, total);
	if (!rc)
		rc = regdiff__buf_putc(&k->text, 0);
	if (!rc)
		rc = regdiff__wq_problem(k->w, (const char *)k->text.data, what);
	if (rc && !k->fatal)
		k->fatal = rc;
}

/* A source's flags (regdiff__src_flags) as the snapshot writes them. */
static unsigned rds_flags(unsigned src)
{
	return (src & REGDIFF__SRC_VALUES_UNREAD ? RDS_KEY_VALUES_UNREAD : 0) |
	       (src & REGDIFF__SRC_SUBKEYS_UNREAD ? RDS_KEY_SUBKEYS_UNREAD : 0) |
	       (src & REGDIFF__SRC_HIVE_ROOT ? RDS_KEY_HIVE_ROOT : 0);
}

/* A problem met while listing a key: the key is flagged when written. */
static void problem_cb(void *ctx, unsigned unread, const char *what)
{
	walk *k = ctx;
	k->pending |= RDS_KEY_INCOMPLETE | rds_flags(unread);
	problem_at(k, NULL, 0, what);
}

/* Siblings whose names are equal ignoring case cannot be made on Windows
 * (they come from corrupt or hostile hives), and a path must name one key,
 * a value name one value: the first of them in canonical order is kept,
 * the others are recorded as not read, and the key is flagged so that the
 * diff says "not compared" instead of "added" or "deleted". */
static void drop_duplicates(walk *k, regdiff__listing *l, int child)
{
	regdiff__item *items = child ? l->children : l->values;
	size_t *n = child ? &l->nchildren : &l->nvalues;
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		const regdiff__item *prev = kept ? &items[kept - 1] : NULL;
		if (prev && regdiff_name_compare(
				(regdiff_name){l->pool + prev->off, prev->len},
				(regdiff_name){l->pool + items[i].off, items[i].len}) == 0) {
			k->pending |= RDS_KEY_INCOMPLETE |
				      (child ? RDS_KEY_SUBKEYS_UNREAD : RDS_KEY_VALUES_UNREAD);
			problem_at(k, l->pool + items[i].off, items[i].len,
				   child ? "key not read: its name equals a sibling's but for case "
					   "(the sibling is read)"
					 : "value not read: its name equals another value's of the "
					   "key but for case (the other is read)");
			continue;
		}
		items[kept++] = items[i];
	}
	*n = kept;
}

static int is_soft(int rc)
{
	return rc == REGDIFF_EHIVE || rc == REGDIFF_EACCESS || rc == REGDIFF_ENOTFOUND;
}

static regdiff__listing *level(walk *k, size_t depth)
{
	while (depth >= k->nlevels) {
		regdiff__listing **p = regdiff__realloc(k->levels, (k->nlevels + 1) * sizeof *p);
		if (!p)
			return NULL;
		k->levels = p;
		if (!(p[k->nlevels] = regdiff__calloc(1, sizeof **p)))
			return NULL;
		k->nlevels++;
	}
	regdiff__listing *l = k->levels[depth];
	l->time = 0;
	l->nvalues = l->nchildren = l->pool_len = 0;
	return l;
}

static int tick(walk *k, int key)
{
	regdiff__walk_progress *p = k->progress;
	if (!p)
		return 0;
	if (key)
		p->keys++;
	else
		p->values++;
	if (p->fn && key && p->keys % PROGRESS_EVERY == 0 && p->fn(p->ctx, p->keys, p->values))
		return regdiff__error(REGDIFF_ECANCELED, "canceled");
	return 0;
}

/* Value id's type and data: in ref where the source can give it so (see
 * value_ref), else in k->data. */
static int read_value(walk *k, uint64_t node, uint64_t id, uint32_t *type, uint64_t *declared,
		      regdiff__data_ref *ref)
{
	const regdiff__source_ops *ops = k->src->ops;
	k->data.len = 0;
	*ref = (regdiff__data_ref){0};
	if (ops->value_ref)
		return ops->value_ref(k->src->impl, node, id, type, declared, &k->data, ref);
	return ops->value(k->src->impl, node, id, type, declared, &k->data);
}

static int write_values(walk *k, uint64_t node, const regdiff__listing *l)
{
	for (size_t i = 0; i < l->nvalues; i++) {
		const regdiff__item *v = &l->values[i];
		const uint16_t *name = l->pool + v->off;
		uint32_t type = 0;
		uint64_t declared = UINT64_MAX;
		regdiff__data_ref ref;
		int rc = read_value(k, node, v->id, &type, &declared, &ref);
		int by_ref = ref.kept || ref.given;
		const uint8_t *data = ref.kept ? ref.kept : ref.given ? ref.given : k->data.data;
		size_t size = by_ref ? ref.size : k->data.len;
		unsigned flags = 0;
		if (is_soft(rc)) {
			char what[1100];
			snprintf(what, sizeof what, "value data not read: %s",
				 regdiff_error_message());
			problem_at(k, name, v->len, what);
			size = 0;
			flags = RDS_VALUE_UNREADABLE;
			if (declared == UINT64_MAX)
				declared = 0;
		} else if (rc) {
			free(ref.given);
			return rc;
		} else if (size > RDS_VALUE_DATA_MAX) {
			/* A snapshot block bounds what a reader must hold; a
			 * larger value is kept by type and size, not compared. */
			char what[160];
			snprintf(what, sizeof what,
				 "value data not read: %zu bytes, over the snapshot format's "
				 "limit of %u",
				 size, RDS_VALUE_DATA_MAX);
			problem_at(k, name, v->len, what);
			declared = size;
			size = 0;
			flags = RDS_VALUE_UNREADABLE;
		}
		if (declared == UINT64_MAX)
			declared = size;
		if (k->fatal || !size) {
			free(ref.given);
			ref.given = NULL;
			by_ref = 0;
			data = NULL;
		}
		if (k->fatal)
			return k->fatal;
		uint32_t stated = declared > UINT32_MAX ? UINT32_MAX : (uint32_t)declared;
		/* Data not in k->data goes to the writer's thread by address. */
		rc = by_ref ? regdiff__wq_value_ref(k->w, name, v->len, type, data, size, stated,
						    flags, ref.given != NULL)
			    : regdiff__wq_value_sized(k->w, name, v->len, type, data, size, stated,
						      flags);
		if (rc)
			return rc;
		if ((rc = tick(k, 0)))
			return rc;
	}
	return 0;
}

static int walk_key(walk *k, uint64_t node, const uint16_t *name, size_t len, unsigned depth,
		    unsigned flags);

static int walk_children(walk *k, uint64_t node, const regdiff__listing *l, unsigned depth)
{
	const regdiff__source_ops *ops = k->src->ops;
	for (size_t i = 0; i < l->nchildren; i++) {
		const regdiff__item *c = &l->children[i];
		const uint16_t *name = l->pool + c->off;
		uint64_t child;
		unsigned cflags =
		    ops->child_flags ? rds_flags(ops->child_flags(k->src->impl, node, c->id)) : 0;
		int rc = ops->open_child(k->src->impl, node, c->id, &child);
		if (is_soft(rc)) {
			char what[1100];
			snprintf(what, sizeof what, "key not read: %s", regdiff_error_message());
			problem_at(k, name, c->len, what);
			if (k->fatal)
				return k->fatal;
			rc = regdiff__wq_key_begin(k->w, name, c->len, 0, 0, 0,
						   RDS_KEY_UNREAD | cflags);
			if (!rc)
				rc = regdiff__wq_key_end(k->w);
			if (rc)
				return rc;
			continue;
		}
		if (rc)
			return rc;
		rc = walk_key(k, child, name, c->len, depth + 1, cflags);
		ops->close(k->src->impl, child);
		if (rc)
			return rc;
	}
	return 0;
}

static int walk_key(walk *k, uint64_t node, const uint16_t *name, size_t len, unsigned depth,
		    unsigned flags)
{
	size_t saved;
	int rc = path_push(k, name, len, &saved);
	if (rc)
		return rc;
	if (regdiff__exclusions_skip(k->excl, k->path, k->path_len)) {
		/* Excluded: a key not read, which a diff reports as not shot. */
		rc = regdiff__wq_key_begin(k->w, name, len, 0, 0, 0, flags | RDS_KEY_UNREAD);
		k->path_len = saved;
		return rc ? rc : regdiff__wq_key_end(k->w);
	}
	regdiff__listing *l = level(k, depth);
	if (!l)
		return REGDIFF_ENOMEM;
	k->pending = 0;
	rc = k->src->ops->list(k->src->impl, node, l, problem_cb, k);
	if (rc)
		return rc;
	if (k->fatal)
		return k->fatal;
	int too_deep = depth + 1 >= RDS_MAX_DEPTH && l->nchildren > 0;
	if (too_deep) {
		char what[128];
		snprintf(what, sizeof what, "%zu subkeys not read: keys nested deeper than %u",
			 l->nchildren, RDS_MAX_DEPTH);
		problem_cb(k, REGDIFF__SRC_SUBKEYS_UNREAD, what);
		l->nchildren = 0;
	}
	unsigned maybe_twice = sort_listing(k, l);
	if (maybe_twice & 1)
		drop_duplicates(k, l, 0);
	if (maybe_twice & 2)
		drop_duplicates(k, l, 1);
	flags |= k->pending;
	rc = regdiff__wq_key_begin(k->w, name, len, l->time, (uint32_t)l->nvalues,
				   (uint32_t)l->nchildren, flags);
	if (!rc)
		rc = tick(k, 1);
	if (!rc)
		rc = write_values(k, node, l);
	if (!rc)
		rc = walk_children(k, node, l, depth);
	if (!rc)
		rc = regdiff__wq_key_end(k->w);
	k->path_len = saved;
	return rc ? rc : k->fatal;
}

int regdiff__walk(regdiff__wq *w, regdiff_source *src, const uint16_t *root_name, size_t root_len,
		  unsigned depth, regdiff__walk_progress *progress, regdiff__exclusions *excl)
{
	walk k = {.w = w, .src = src, .progress = progress, .excl = excl};
	/* Problems are reported with full paths: start from the mount's
	 * parents, since walk_key adds the root's own name. */
	size_t n;
	int rc = regdiff_name_from_utf8(&k.path, &n, src->mount, strlen(src->mount));
	if (rc)
		return rc;
	k.path_cap = n + 1;
	k.path_len = 0;
	for (size_t i = 0; i < n; i++)
		if (k.path[i] == '\\')
			k.path_len = i;
	uint64_t root;
	rc = src->ops->begin ? src->ops->begin(src->impl) : 0;
	if (!rc)
		rc = src->ops->root(src->impl, &root);
	if (!rc) {
		rc = walk_key(&k, root, root_name, root_len, depth, RDS_KEY_MOUNT);
		src->ops->close(src->impl, root);
	}
	for (size_t i = 0; i < k.nlevels; i++) {
		regdiff__listing_free(k.levels[i]);
		free(k.levels[i]);
	}
	free(k.levels);
	free(k.sort_tmp);
	free(k.path);
	regdiff__buf_free(&k.data);
	regdiff__buf_free(&k.text);
	return rc;
}
