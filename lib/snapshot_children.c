/* Child tables (format version 4): loaded from their block when a compare
 * reaches a changed key that has one, and checked against that key's own
 * digests before anything in them is used. */
#include <stdlib.h>
#include <string.h>

#include "snapshot_children.h"
#include "snapshot_format.h"
#include "zraw.h"

int regdiff__children_loader_init(regdiff__children_loader *l)
{
	memset(l, 0, sizeof *l);
	return regdiff__inflater_new(&l->inflater);
}

void regdiff__children_loader_fini(regdiff__children_loader *l)
{
	regdiff__buf_free(&l->zbuf);
	regdiff__buf_free(&l->raw);
	regdiff__inflater_free(l->inflater);
}

void regdiff__children_free(regdiff__children *c)
{
	free(c->child);
	memset(c, 0, sizeof *c);
}

static int mismatch(const regdiff_snapshot *s, uint64_t ordinal)
{
	return regdiff__error(REGDIFF_EFORMAT,
			      "%s: corrupt snapshot (child table does not match its key at "
			      "record %llu)",
			      s->name, (unsigned long long)ordinal);
}

/* Its block, inflated into l->raw, unless it is there already. */
static int load_block(regdiff__children_loader *l, const regdiff_snapshot *s, uint32_t block)
{
	if (l->have && l->block == block)
		return 0;
	l->have = 0;
	uint32_t usize;
	int rc = regdiff__snapshot_load_tables(s, block, &l->zbuf, &usize);
	if (!rc) {
		l->raw.len = 0;
		rc = regdiff__buf_reserve(&l->raw, usize);
	}
	if (!rc && (rc = regdiff__inflater_run(l->inflater, l->raw.data, usize, l->zbuf.data,
					       l->zbuf.len)) > 0)
		rc = regdiff__error(REGDIFF_EFORMAT,
				    "%s: corrupt snapshot (table block %lu does not inflate)",
				    s->name, (unsigned long)block);
	if (rc)
		return rc;
	l->raw.len = usize;
	l->block = block;
	l->have = 1;
	l->inflated++;
	return 0;
}

/* The key's subtree digest, made again from the table as the writer
 * made it: a table that differs from what the key was hashed from is
 * refused, so it can hide nothing the key's digest did not. */
static int check_digest(const regdiff__children *c, const regdiff__record *key, unsigned version)
{
	regdiff__hash *st = NULL;
	int rc = regdiff__hash_new(&st, regdiff__subtree_alg(version));
	if (rc)
		return rc;
	uint8_t u64[8];
	regdiff__put_u64(u64, RDS_DIGEST_PARENT_MARK);
	regdiff__hash_update(st, u64, 8);
	regdiff__hash_update(st, c->values.b, RDS_DIGEST_SIZE);
	for (size_t i = 0; i < c->n; i++)
		regdiff__hash_update(st, c->child[i].subtree.b, RDS_DIGEST_SIZE);
	regdiff__put_u64(u64, key->flags & (RDS_KEY_UNREAD | RDS_KEY_SUBTREE_INCOMPLETE));
	regdiff__hash_update(st, u64, 8);
	regdiff__digest ds;
	regdiff__hash_final(st, ds.b);
	regdiff__hash_free(st);
	return regdiff__digest_eq(&ds, &key->subtree_hash) ? 0 : 1;
}

int regdiff__children_load(regdiff__children *out, regdiff__children_loader *l,
			   const regdiff_snapshot *s, const regdiff__record *key, size_t budget)
{
	memset(out, 0, sizeof *out);
	const regdiff__children_ref *ref = regdiff__snapshot_children_ref(s, key->ordinal);
	if (!ref || (uint64_t)ref->count * sizeof *out->child > budget)
		return 0; /* none, or over what the compare may hold: read them */
	int rc = load_block(l, s, ref->block);
	if (rc)
		return rc;
	size_t size = RDS_DIGEST_SIZE + (size_t)ref->count * RDS_CHILD_ENTRY;
	if (ref->offset > l->raw.len || l->raw.len - ref->offset < size)
		return mismatch(s, key->ordinal);
	out->child = regdiff__malloc(ref->count * sizeof *out->child);
	if (!out->child)
		return REGDIFF_ENOMEM;
	out->n = ref->count;
	const uint8_t *p = l->raw.data + ref->offset;
	memcpy(out->values.b, p, RDS_DIGEST_SIZE);
	p += RDS_DIGEST_SIZE;
	uint64_t prev = key->ordinal;
	for (size_t i = 0; i < out->n; i++, p += RDS_CHILD_ENTRY) {
		regdiff__child *c = &out->child[i];
		c->ordinal = regdiff__get_u64(p);
		memcpy(c->subtree.b, p + 8, RDS_DIGEST_SIZE);
		c->flags = p[8 + RDS_DIGEST_SIZE];
		if (c->ordinal <= prev || c->ordinal >= key->end ||
		    (c->flags & ~RDS_KEY_FLAGS_KNOWN)) {
			regdiff__children_free(out);
			return mismatch(s, key->ordinal);
		}
		prev = c->ordinal;
	}
	if ((rc = check_digest(out, key, s->version))) {
		regdiff__children_free(out);
		return rc < 0 ? rc : mismatch(s, key->ordinal);
	}
	return 1;
}
