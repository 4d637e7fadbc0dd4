/* Pairing children from child tables (format version 4), so that a
 * compare reads only the children of a changed key that differ.
 *
 * When the diff matches two keys whose subtrees differ and both have a
 * child table, a frame holds both tables. Child i of one side and child i
 * of the other with equal subtree digests and flags have the same name
 * (the digest takes in the
 * exact name), so they are a pair the merge would match and pass over:
 * each side passes over the same such positions, on its own, when its
 * reader reaches them, and the merge of what is left gives what the merge
 * of everything gave. Every child record read is checked against its
 * table entry. */
#include <stdlib.h>
#include <string.h>

#include "diff_children.h"
#include "snapshot_children.h"
#include "snapshot_format.h"

/* The tables a compare holds at once, both sides: past it, children are
 * read instead (a crafted file cannot make it hold more). */
#define HELD_MAX ((size_t)64 << 20)

typedef struct frame {
	unsigned depth; /* of the children */
	regdiff__children t[2];
	uint64_t end[2];
	size_t next[2]; /* the next child each side reads or passes over */
	int done[2];
} frame;

struct regdiff__pairing {
	const regdiff_snapshot *snap[2];
	regdiff__children_loader loader[2];
	frame *frames;
	size_t nframes, cap;
	size_t held;
};

int regdiff__pairing_new(regdiff__pairing **out, const regdiff_snapshot *a,
			 const regdiff_snapshot *b, int times)
{
	*out = NULL;
	if (a->version < 4 || b->version < 4)
		return 0; /* version 3's digests are not the tables' */
	if (times)
		return 0; /* tables hold no times digests: each one costs 16 bytes a child */
	regdiff__pairing *p = regdiff__calloc(1, sizeof *p);
	if (!p)
		return REGDIFF_ENOMEM;
	p->snap[0] = a;
	p->snap[1] = b;
	int rc = regdiff__children_loader_init(&p->loader[0]);
	if (!rc)
		rc = regdiff__children_loader_init(&p->loader[1]);
	if (rc) {
		regdiff__pairing_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void pop(regdiff__pairing *p)
{
	frame *f = &p->frames[--p->nframes];
	for (int s = 0; s < 2; s++) {
		p->held -= f->t[s].n * sizeof *f->t[s].child;
		regdiff__children_free(&f->t[s]);
	}
}

void regdiff__pairing_free(regdiff__pairing *p)
{
	if (!p)
		return;
	while (p->nframes)
		pop(p);
	free(p->frames);
	regdiff__children_loader_fini(&p->loader[0]);
	regdiff__children_loader_fini(&p->loader[1]);
	free(p);
}

uint64_t regdiff__pairing_inflated(const regdiff__pairing *p)
{
	return p ? p->loader[0].inflated + p->loader[1].inflated : 0;
}

int regdiff__pairing_push(regdiff__pairing *p, const regdiff__record *a, const regdiff__record *b,
			  uint64_t first[2])
{
	first[0] = first[1] = 0;
	if (!p || !regdiff__snapshot_children_ref(p->snap[0], a->ordinal) ||
	    !regdiff__snapshot_children_ref(p->snap[1], b->ordinal))
		return 0;
	int rc = regdiff__grow(&p->frames, &p->cap, p->nframes + 1, sizeof *p->frames);
	if (rc)
		return rc;
	frame *f = &p->frames[p->nframes];
	memset(f, 0, sizeof *f);
	const regdiff__record *k[2] = {a, b};
	size_t held = p->held;
	for (int s = 0; s < 2; s++) {
		rc = regdiff__children_load(&f->t[s], &p->loader[s], p->snap[s], k[s],
					    HELD_MAX - held);
		if (rc <= 0) {
			regdiff__children_free(&f->t[0]);
			return rc;
		}
		held += f->t[s].n * sizeof *f->t[s].child;
		f->end[s] = k[s]->end;
	}
	p->held = held;
	f->depth = a->depth + 1;
	p->nframes++;
	/* The values are passed over too when they are the same and all
	 * were read (the diff counts values not read alike). */
	unsigned unread = RDS_KEY_UNREAD | RDS_KEY_SUBTREE_INCOMPLETE;
	if (regdiff__digest_eq(&f->t[0].values, &f->t[1].values) &&
	    !((a->flags | b->flags) & unread)) {
		first[0] = f->t[0].child[0].ordinal;
		first[1] = f->t[1].child[0].ordinal;
	}
	return 0;
}

static int pair_equal(const frame *f, size_t i)
{
	if (i >= f->t[0].n || i >= f->t[1].n)
		return 0;
	const regdiff__child *a = &f->t[0].child[i], *b = &f->t[1].child[i];
	return a->flags == b->flags &&
	       !(a->flags & (RDS_KEY_UNREAD | RDS_KEY_SUBTREE_INCOMPLETE)) &&
	       regdiff__digest_eq(&a->subtree, &b->subtree);
}

static int mismatch(const regdiff__pairing *p, int s, uint64_t ordinal)
{
	return regdiff__error(REGDIFF_EFORMAT,
			      "%s: corrupt snapshot (child table does not match its records at "
			      "record %llu)",
			      p->snap[s]->name, (unsigned long long)ordinal);
}

/* The innermost frame side s is still in, or NULL. */
static frame *active(regdiff__pairing *p, int s)
{
	for (size_t i = p->nframes; i-- > 0;)
		if (!p->frames[i].done[s])
			return &p->frames[i];
	return NULL;
}

int regdiff__pairing_guide(regdiff__pairing *p, int s, regdiff__reader *r)
{
	if (!p)
		return 0;
	frame *f;
	while ((f = active(p, s))) {
		uint64_t pos = regdiff__reader_ordinal(r);
		const regdiff__children *t = &f->t[s];
		if (pos >= f->end[s]) {
			if (f->next[s] != t->n)
				return mismatch(p, s, pos);
			f->done[s] = 1;
			continue; /* the frame around it may pass over more */
		}
		if (f->next[s] < t->n && pos == t->child[f->next[s]].ordinal) {
			size_t j = f->next[s];
			while (pair_equal(f, j))
				j++;
			if (j > f->next[s]) {
				uint64_t to = j < t->n ? t->child[j].ordinal : f->end[s];
				int rc = regdiff__reader_skip_siblings(r, f->depth, to);
				if (rc)
					return rc;
				f->next[s] = j;
				if (j == t->n) {
					f->done[s] = 1;
					continue;
				}
			}
		}
		break;
	}
	while (p->nframes && p->frames[p->nframes - 1].done[0] && p->frames[p->nframes - 1].done[1])
		pop(p);
	return 0;
}

int regdiff__pairing_check(regdiff__pairing *p, int s, const regdiff__record *rec)
{
	frame *f = p ? active(p, s) : NULL;
	if (!f)
		return 0;
	const regdiff__children *t = &f->t[s];
	const regdiff__child *c = f->next[s] < t->n ? &t->child[f->next[s]] : NULL;
	if (c && rec->ordinal == c->ordinal) {
		if (rec->tag != RDS_REC_KEY || rec->depth != f->depth || rec->flags != c->flags ||
		    !regdiff__digest_eq(&rec->subtree_hash, &c->subtree))
			return mismatch(p, s, rec->ordinal);
		f->next[s]++;
		return 0;
	}
	if ((rec->tag == RDS_REC_KEY && rec->depth == f->depth) || (c && rec->ordinal > c->ordinal))
		return mismatch(p, s, rec->ordinal);
	return 0;
}
