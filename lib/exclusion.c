/* Shot exclusions: the walker's test, the footer entries that record
 * them (docs/snapshot-format.md, tag 34), and what a diff asks of them.
 *
 * The rules are matched with the filters' own matcher, the key's names
 * split at each '\\' on both sides (shot and diff), so that what a shot
 * skipped and what a diff calls "not shot" are the same keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exclusion.h"
#include "filter_internal.h"
#include "persistence.h"
#include "snapshot_format.h"
#include "snapshot_priv.h"

#define CATEGORIES_MAX 512 /* bytes of one rule's category list */

int regdiff__exclusions_init(regdiff__exclusions *x, const regdiff_filters *f)
{
	memset(x, 0, sizeof *x);
	size_t n = regdiff_filters_count(f);
	if (n == 0)
		return 0;
	int rc = regdiff__filters_shot_check(f);
	if (rc)
		return rc;
	if (n > RDS_SOURCES_MAX)
		return regdiff__error(REGDIFF_ELIMIT,
				      "%zu shot exclusions, over the snapshot format's limit of %u",
				      n, RDS_SOURCES_MAX);
	for (size_t i = 0; i < n; i++) {
		const regdiff_filter_info *r = regdiff_filters_get(f, i);
		if (strlen(r->rule) > RDS_META_MAX || strlen(r->origin) > RDS_META_MAX)
			return regdiff__error(REGDIFF_ELIMIT, "shot exclusion '%.60s...': too long",
					      r->rule);
	}
	x->subtrees = regdiff__calloc(n, sizeof *x->subtrees);
	x->persist = regdiff__calloc(n, sizeof *x->persist);
	x->categories = regdiff__calloc(n, sizeof *x->categories);
	if (!x->subtrees || !x->persist || !x->categories) {
		regdiff__exclusions_fini(x);
		return REGDIFF_ENOMEM;
	}
	rc = regdiff_locations_new(&x->locs, 0);
	if (rc) {
		regdiff__exclusions_fini(x);
		return rc;
	}
	x->f = f;
	x->n = n;
	return 0;
}

/* Adds category to a rule's ", "-separated list unless it is there. */
static void add_category(regdiff__buf *b, const char *category)
{
	size_t n = strlen(category);
	for (size_t i = 0; i + n <= b->len; i++)
		if ((i == 0 || b->data[i - 1] == ' ') && memcmp(b->data + i, category, n) == 0 &&
		    (i + n == b->len || b->data[i + n] == ','))
			return;
	if (b->len + n + 2 > CATEGORIES_MAX)
		return; /* a long list says enough */
	if ((b->len && regdiff__buf_append(b, ", ", 2)) || regdiff__buf_append(b, category, n))
		return; /* out of memory: the count still tells */
}

static void found(void *ctx, const regdiff_persistence *p)
{
	regdiff__exclusions *x = ctx;
	x->hit = true;
	add_category(&x->categories[x->rule], p->category);
}

bool regdiff__exclusions_skip(regdiff__exclusions *x, const uint16_t *path, size_t len)
{
	if (!x || !x->f)
		return false;
	size_t i = regdiff__filters_match_key(x->f, path, len, NULL, 0);
	if (i == SIZE_MAX)
		return false;
	x->subtrees[i]++;
	x->rule = i;
	x->hit = false;
	regdiff__locations_under(x->locs, path, len, found, x);
	if (x->hit)
		x->persist[i]++;
	return true;
}

int regdiff__exclusions_footer(const regdiff__exclusions *x, regdiff__buf *out)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < x->n; i++) {
		const regdiff_filter_info *r = regdiff_filters_get(x->f, i);
		size_t lr = strlen(r->rule), lo = strlen(r->origin), lc = x->categories[i].len;
		uint8_t h[6 + RDS_TLV_EXCLUSION_FIXED];
		regdiff__put_u16(h, RDS_TLV_EXCLUSION);
		regdiff__put_u32(h + 2, (uint32_t)(RDS_TLV_EXCLUSION_FIXED + lr + lo + lc + 2));
		regdiff__put_u64(h + 6, x->subtrees[i]);
		regdiff__put_u64(h + 14, x->persist[i]);
		rc = regdiff__buf_append(out, h, sizeof h);
		if (!rc)
			rc = regdiff__buf_append(out, r->rule, lr + 1);
		if (!rc)
			rc = regdiff__buf_append(out, r->origin, lo + 1);
		if (!rc && lc)
			rc = regdiff__buf_append(out, x->categories[i].data, lc);
	}
	return rc;
}

void regdiff__exclusions_fini(regdiff__exclusions *x)
{
	for (size_t i = 0; x->categories && i < x->n; i++)
		regdiff__buf_free(&x->categories[i]);
	free(x->categories);
	free(x->subtrees);
	free(x->persist);
	regdiff_locations_free(x->locs);
	memset(x, 0, sizeof *x);
}

/* ---- Reading a snapshot ---- */

typedef struct entry {
	uint64_t subtrees, persist;
	char *categories;
} entry;

struct regdiff__snap_excl {
	regdiff_filters *f; /* the rules, compiled; their text and origin */
	entry *e;
	size_t n, cap;
};

void regdiff__snap_excl_free(regdiff__snap_excl *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++)
		free(x->e[i].categories);
	free(x->e);
	regdiff_filters_free(x->f);
	free(x);
}

/* s[0..n) as a string; NULL when it holds a NUL, or, for ascii, any
 * byte but printable ASCII (categories come from the locations table). */
static char *text(const uint8_t *s, size_t n, bool ascii)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || (ascii && (s[i] < 0x20 || s[i] > 0x7e)))
			return NULL;
	char *t = regdiff__malloc(n + 1);
	if (t) {
		memcpy(t, s, n);
		t[n] = 0;
	}
	return t;
}

int regdiff__snap_excl_read(regdiff__snap_excl **px, const char *name, const uint8_t *p, size_t len)
{
	regdiff__snap_excl *x = *px;
	if (!x) {
		x = *px = regdiff__calloc(1, sizeof *x);
		if (!x || regdiff_filters_new(&x->f, 0))
			return REGDIFF_ENOMEM;
	}
	const uint8_t *z1 = len > RDS_TLV_EXCLUSION_FIXED ? memchr(p + RDS_TLV_EXCLUSION_FIXED, 0,
								   len - RDS_TLV_EXCLUSION_FIXED)
							  : NULL;
	const uint8_t *z2 = z1 ? memchr(z1 + 1, 0, (size_t)(p + len - z1 - 1)) : NULL;
	if (x->n >= RDS_SOURCES_MAX || !z2 || len > 3 * RDS_META_MAX)
		return regdiff__error(REGDIFF_EFORMAT, "%s: corrupt snapshot (bad exclusion entry)",
				      name);
	const uint8_t *r = p + RDS_TLV_EXCLUSION_FIXED;
	char *rule = text(r, (size_t)(z1 - r), false);
	char *origin = text(z1 + 1, (size_t)(z2 - z1 - 1), false);
	entry e = {regdiff__get_u64(p), regdiff__get_u64(p + 8),
		   text(z2 + 1, (size_t)(p + len - z2 - 1), true)};
	int rc = rule && origin && e.categories
		     ? 0
		     : regdiff__error(REGDIFF_EFORMAT, "%s: corrupt snapshot (bad exclusion entry)",
				      name);
	if (!rc)
		rc = regdiff__grow(&x->e, &x->cap, x->n + 1, sizeof *x->e);
	/* A rule this version cannot read would decide nothing: refuse the
	 * snapshot rather than call what it skipped deleted. */
	if (!rc && regdiff_filters_add(x->f, REGDIFF_FILTER_EXCLUDE, rule, origin) < 0) {
		char why[512]; /* the message is rewritten in place */
		snprintf(why, sizeof why, "%s", regdiff_error_message());
		rc = regdiff__error(REGDIFF_EFORMAT, "%s: exclusion rule not understood: %s", name,
				    why);
	}
	free(rule);
	free(origin);
	if (rc) {
		free(e.categories);
		return rc;
	}
	x->e[x->n++] = e;
	return 0;
}

int regdiff_snapshot_get_exclusion(regdiff_snapshot_exclusion *out, const regdiff_snapshot *snap,
				   size_t i)
{
	regdiff_error_clear();
	if (!out || !snap || out->version != REGDIFF_SNAPSHOT_EXCLUSION_VERSION)
		return regdiff__error(
		    REGDIFF_EINVAL, "regdiff_snapshot_get_exclusion: NULL argument or bad version");
	const regdiff__snap_excl *x = snap->excl;
	if (!x || i >= x->n)
		return REGDIFF_ITEROVER;
	const regdiff_filter_info *r = regdiff_filters_get(x->f, i);
	out->rule = r->rule;
	out->origin = r->origin;
	out->subtrees = x->e[i].subtrees;
	out->persistence = x->e[i].persist;
	out->categories = x->e[i].categories;
	return 0;
}

static bool excluded(const regdiff_snapshot *s, const uint16_t *path, size_t len)
{
	return s->excl && regdiff__filters_match_key(s->excl->f, path, len, NULL, 0) != SIZE_MAX;
}

unsigned regdiff__excluded_sides(const regdiff_snapshot *before, const regdiff_snapshot *after,
				 const uint16_t *path, size_t len)
{
	return (excluded(before, path, len) ? REGDIFF_NOT_READ_BEFORE : 0) |
	       (excluded(after, path, len) ? REGDIFF_NOT_READ_AFTER : 0);
}

bool regdiff__excludes(const regdiff_snapshot *before, const regdiff_snapshot *after)
{
	return before->excl || after->excl;
}
