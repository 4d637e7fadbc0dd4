/* The diff: one streaming merge of two snapshots in canonical order.
 *
 * Each side has one record of lookahead. A key found on one side only is
 * drained with its whole subtree as added or deleted; keys found on both
 * are passed over whole when their subtree hashes agree, else their values
 * are merged by name and the merge goes on into their subkeys. A change's
 * borrowed pointers point into the readers, so the readers move on only at
 * the next call. */
#include <stdlib.h>
#include <string.h>

#include "diff_children.h"
#include "exclusion.h"
#include "name_internal.h"
#include "persistence.h"
#include "snapshot_format.h"
#include "snapshot_internal.h"

#define PROGRESS_EVERY 1024u

enum { A = 0, B = 1 };
enum state { MERGE, DRAIN, VALUES, DONE };

struct regdiff_diff {
	const regdiff_snapshot *snap[2];
	regdiff__reader *r[2];
	const regdiff__record *cur[2]; /* lookahead; NULL at the end */
	int advance[2];		       /* move this side on at the next call */
	enum state state;
	int error;
	int started;		 /* regdiff_diff_next has been called */
	void (*release)(void *); /* frees what the diff owns (regdiff__diff_own) */
	void *owned;
	unsigned flags;
	regdiff_progress_fn progress;
	void *progress_ctx;
	uint64_t keys_seen;
	/* DRAIN */
	int drain_side;
	uint64_t drain_end;
	/* A subtree to pass over once the change queued on it is handed out
	 * (-1: none). */
	int skip_side;
	uint64_t skip_end;
	/* VALUES: the matched key */
	uint16_t *key;
	size_t key_len, key_cap;
	size_t key_ends[RDS_MAX_DEPTH + 2], key_count;
	int64_t time[2];
	int names_equal;
	int value_changed;
	unsigned values_unread; /* sides whose list of the key's values is short */
	/* Sides whose subkey list of the matched key at each depth is short. */
	uint8_t subkeys_unread[RDS_MAX_DEPTH + 1];
	/* A NOT_COMPARED change to hand out before the readers move on. */
	int has_queued;
	regdiff_change queued;
	uint64_t unread_both; /* passed over: see regdiff_diff_unread_both() */
	bool excludes;	      /* either shot excluded subtrees (exclusion.h) */
	/* Both sides have subtree digests: equal subtrees can be passed
	 * over. A snapshot taken to be compared at once has none and is
	 * read whole (regdiff__writer_skip_subtree_digests). */
	bool digests;
	regdiff_change change;
	regdiff__persistence persist; /* tags changes at persistence locations */
	regdiff__pairing *pairing;    /* child tables; NULL: none (diff_children.c) */
};

/* A key path with the ends of its names (regdiff_change.key_ends). */
typedef struct key_ref {
	const uint16_t *units;
	size_t len;
	const size_t *ends;
	size_t count;
} key_ref;

/* The matched key (VALUES). */
static key_ref remembered(const regdiff_diff *d)
{
	return (key_ref){d->key, d->key_len, d->key_ends, d->key_count};
}

/* The path of the last key side s read. */
static key_ref reader_key(const regdiff_diff *d, int s)
{
	key_ref k;
	k.units = regdiff__reader_path(d->r[s], &k.len);
	k.ends = regdiff__reader_path_ends(d->r[s], &k.count);
	return k;
}

static void set_key(regdiff_change *c, key_ref k)
{
	c->key.units = k.units;
	c->key.len = k.len;
	c->key_ends = k.ends;
	c->key_count = k.count;
}

static unsigned side_bits(const regdiff__record *a, const regdiff__record *b, unsigned flag)
{
	return ((a && (a->flags & flag)) ? REGDIFF_NOT_READ_BEFORE : 0) |
	       ((b && (b->flags & flag)) ? REGDIFF_NOT_READ_AFTER : 0);
}

/* Queues a NOT_COMPARED change naming key (and value, if any). */
static void queue_not_compared(regdiff_diff *d, key_ref key, const regdiff__record *value,
			       unsigned not_read)
{
	regdiff_change *c = &d->queued;
	memset(c, 0, sizeof *c);
	c->op = REGDIFF_NOT_COMPARED;
	set_key(c, key);
	if (value)
		c->value = (regdiff_name){value->name, value->name_len};
	c->not_read = not_read;
	d->has_queued = 1;
}

/* What of a key (flags of both sides) could not be read, as not_read
 * flags; 0 if everything was. */
static unsigned key_not_read(const regdiff__record *a, const regdiff__record *b)
{
	unsigned values = side_bits(a, b, RDS_KEY_VALUES_UNREAD);
	unsigned subkeys = side_bits(a, b, RDS_KEY_SUBKEYS_UNREAD);
	unsigned other = side_bits(a, b, RDS_KEY_INCOMPLETE) & ~(values | subkeys);
	unsigned r = values | subkeys | other;
	if (values)
		r |= REGDIFF_NOT_READ_VALUES;
	if (subkeys)
		r |= REGDIFF_NOT_READ_SUBKEYS;
	if (other)
		r |= REGDIFF_NOT_READ_OTHER;
	return r;
}

#define BOTH_SIDES (REGDIFF_NOT_READ_BEFORE | REGDIFF_NOT_READ_AFTER)
#define KEY_UNREAD_FLAGS (RDS_KEY_VALUES_UNREAD | RDS_KEY_SUBKEYS_UNREAD | RDS_KEY_INCOMPLETE)

/* Whether a key found on both sides, some of which was not read, was not
 * read alike on both (the same parts): then its readability did not
 * change, and it is counted rather than listed (a live registry holds
 * thousands of keys no shot may read), unless every one is asked for. */
static int unread_alike(const regdiff_diff *d, const regdiff__record *a, const regdiff__record *b)
{
	return !(d->flags & REGDIFF_DIFF_ALL_NOT_COMPARED) &&
	       (a->flags & KEY_UNREAD_FLAGS) == (b->flags & KEY_UNREAD_FLAGS);
}

static int advance(regdiff_diff *d, int s)
{
	const regdiff__record *rec;
	int rc = regdiff__pairing_guide(d->pairing, s, d->r[s]);
	if (!rc)
		rc = regdiff__reader_next(d->r[s], &rec);
	if (rc == REGDIFF_ITEROVER) {
		d->cur[s] = NULL;
		return 0;
	}
	if (!rc)
		rc = regdiff__pairing_check(d->pairing, s, rec);
	if (rc)
		return rc;
	d->cur[s] = rec;
	if (rec->tag == RDS_REC_KEY && d->progress && ++d->keys_seen % PROGRESS_EVERY == 0 &&
	    d->progress(d->progress_ctx, d->keys_seen, 0))
		return regdiff__error(REGDIFF_ECANCELED, "canceled");
	return 0;
}

static int advance_both(regdiff_diff *d)
{
	int rc = advance(d, A);
	return rc ? rc : advance(d, B);
}

int regdiff_diff_new(regdiff_diff **out, const regdiff_snapshot *before,
		     const regdiff_snapshot *after, const regdiff_diff_options *o)
{
	regdiff_error_clear();
	if (!out || !before || !after)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_diff_new: NULL argument");
	*out = NULL;
	if (o && (o->version < 1 || o->version > REGDIFF_DIFF_OPTIONS_VERSION))
		return regdiff__error(REGDIFF_EINVAL, "diff options of unknown version %u",
				      o->version);
	if (o && (o->flags & REGDIFF_DIFF_KEY_TIMES) &&
	    !(regdiff__snapshot_has_names(before) && regdiff__snapshot_has_names(after)))
		return regdiff__error(
		    REGDIFF_EINVAL,
		    "%s: shot without key times "
		    "(REGDIFF_SHOT_NO_KEY_TIMES): cannot compare them",
		    regdiff__snapshot_name(regdiff__snapshot_has_names(before) ? after : before));
	regdiff_diff *d = regdiff__calloc(1, sizeof *d);
	if (!d)
		return REGDIFF_ENOMEM;
	d->snap[A] = before;
	d->snap[B] = after;
	d->skip_side = -1;
	d->excludes = regdiff__excludes(before, after);
	d->digests = regdiff__snapshot_digests_comparable(before, after);
	if (o) {
		d->flags = o->flags;
		d->progress = o->progress;
		d->progress_ctx = o->progress_ctx;
	}
	regdiff__persistence_init(&d->persist, o && o->version >= 2 ? o->locations : NULL);
	d->persist.cs[A] = regdiff_snapshot_control_set(before);
	d->persist.cs[B] = regdiff_snapshot_control_set(after);
	int rc = 0;
	/* Shot exclusions are matched on keys as they are read: none may be
	 * passed over unread. */
	if (!d->excludes && d->digests)
		rc = regdiff__pairing_new(&d->pairing, before, after,
					  (d->flags & REGDIFF_DIFF_KEY_TIMES) != 0);
	if (!rc)
		rc = regdiff__reader_new(&d->r[A], before);
	if (!rc)
		rc = regdiff__reader_new(&d->r[B], after);
	if (!rc)
		rc = advance_both(d);
	if (rc) {
		regdiff_diff_free(d);
		return rc;
	}
	d->state = MERGE;
	*out = d;
	return 0;
}

void regdiff_diff_free(regdiff_diff *d)
{
	if (!d)
		return;
	regdiff__reader_free(d->r[A]);
	regdiff__reader_free(d->r[B]);
	regdiff__pairing_free(d->pairing);
	free(d->key);
	regdiff__persistence_fini(&d->persist);
	if (d->release)
		d->release(d->owned);
	free(d);
}

uint64_t regdiff__diff_inflated(const regdiff_diff *d)
{
	return regdiff__reader_inflated(d->r[A]) + regdiff__reader_inflated(d->r[B]) +
	       regdiff__pairing_inflated(d->pairing);
}

uint64_t regdiff_diff_unread_both(const regdiff_diff *d)
{
	return d ? d->unread_both : 0;
}

const regdiff_snapshot *regdiff_diff_before(const regdiff_diff *d)
{
	return d ? d->snap[A] : NULL;
}

const regdiff_snapshot *regdiff_diff_after(const regdiff_diff *d)
{
	return d ? d->snap[B] : NULL;
}

/* Compares the current keys' paths component by component. */
static int path_cmp(const regdiff_diff *d)
{
	size_t la, lb;
	const uint16_t *pa = regdiff__reader_path(d->r[A], &la);
	const uint16_t *pb = regdiff__reader_path(d->r[B], &lb);
	unsigned da = d->cur[A]->depth, db = d->cur[B]->depth;
	for (unsigned i = 0; i <= da && i <= db; i++) {
		size_t sa = i ? regdiff__reader_path_len_at(d->r[A], i - 1) + 1 : 0;
		size_t sb = i ? regdiff__reader_path_len_at(d->r[B], i - 1) + 1 : 0;
		size_t ea = regdiff__reader_path_len_at(d->r[A], i);
		size_t eb = regdiff__reader_path_len_at(d->r[B], i);
		int c = regdiff_name_compare((regdiff_name){pa + sa, ea - sa},
					     (regdiff_name){pb + sb, eb - sb});
		if (c)
			return c;
	}
	return da < db ? -1 : da > db;
}

static void set_data(regdiff_data *dst, const regdiff__record *v)
{
	dst->type = v->type;
	dst->bytes = v->data;
	dst->len = v->size;
	dst->not_read = (v->flags & RDS_VALUE_UNREADABLE) != 0;
	dst->stated_len = v->declared;
}

static const regdiff_change *emit(regdiff_diff *d, regdiff_op op, key_ref key)
{
	regdiff_change *c = &d->change;
	memset(c, 0, sizeof *c);
	c->op = op;
	set_key(c, key);
	return c;
}

/* One record of a subtree found on one side only. NULL when the record is
 * not reported (a synthetic parent of mounts). */
static const regdiff_change *drain_one(regdiff_diff *d)
{
	int s = d->drain_side;
	const regdiff__record *rec = d->cur[s];
	key_ref path = reader_key(d, s);
	d->advance[s] = 1;
	if (rec->tag == RDS_REC_KEY) {
		if (rec->flags & RDS_KEY_SYNTHETIC)
			return NULL;
		const regdiff_change *c =
		    emit(d, s == A ? REGDIFF_KEY_DELETED : REGDIFF_KEY_ADDED, path);
		d->change.old_time = s == A ? rec->time : 0;
		d->change.new_time = s == B ? rec->time : 0;
		unsigned nr = key_not_read(s == A ? rec : NULL, s == B ? rec : NULL);
		if (nr)
			queue_not_compared(d, path, NULL, nr);
		return c;
	}
	const regdiff_change *c =
	    emit(d, s == A ? REGDIFF_VALUE_DELETED : REGDIFF_VALUE_ADDED, path);
	d->change.value = (regdiff_name){rec->name, rec->name_len};
	set_data(s == A ? &d->change.old_data : &d->change.new_data, rec);
	if (rec->flags & RDS_VALUE_UNREADABLE)
		queue_not_compared(d, path, rec,
				   REGDIFF_NOT_READ_DATA |
				       (s == A ? REGDIFF_NOT_READ_BEFORE : REGDIFF_NOT_READ_AFTER));
	return c;
}

static int remember_key(regdiff_diff *d)
{
	key_ref k = reader_key(d, B);
	int rc = regdiff__grow(&d->key, &d->key_cap, k.len, sizeof *d->key);
	if (rc)
		return rc;
	if (k.len)
		memcpy(d->key, k.units, k.len * sizeof *k.units);
	d->key_len = k.len;
	memcpy(d->key_ends, k.ends, k.count * sizeof *k.ends);
	d->key_count = k.count;
	return 0;
}

static int same_value(const regdiff__record *a, const regdiff__record *b)
{
	/* Both sides' bytes are at hand: compare them, not only their
	 * digests. */
	return a->type == b->type && a->size == b->size && a->flags == b->flags &&
	       memcmp(a->data, b->data, a->size) == 0;
}

/* The next change among the matched key's values into *out, or NULL when
 * they are done (then the state is MERGE again). */
static int values_step(regdiff_diff *d, const regdiff_change **out)
{
	*out = NULL;
	for (;;) {
		const regdiff__record *a = d->cur[A], *b = d->cur[B];
		int va = a && a->tag == RDS_REC_VALUE, vb = b && b->tag == RDS_REC_VALUE;
		if (!va && !vb) {
			d->state = MERGE;
			if ((d->flags & REGDIFF_DIFF_KEY_TIMES) && d->time[A] != d->time[B] &&
			    d->names_equal && !d->value_changed) {
				*out = emit(d, REGDIFF_KEY_MODIFIED, remembered(d));
				d->change.old_time = d->time[A];
				d->change.new_time = d->time[B];
			}
			return 0;
		}
		int c = !va   ? 1
			: !vb ? -1
			      : regdiff_name_compare((regdiff_name){a->name, a->name_len},
						     (regdiff_name){b->name, b->name_len});
		const regdiff_change *ch;
		/* A value on one side only, where the other side's list of
		 * values is short, may simply not have been seen there. */
		if ((c < 0 && (d->values_unread & REGDIFF_NOT_READ_AFTER)) ||
		    (c > 0 && (d->values_unread & REGDIFF_NOT_READ_BEFORE))) {
			int rc = advance(d, c < 0 ? A : B);
			if (rc)
				return rc;
			continue;
		}
		if (c < 0) {
			ch = emit(d, REGDIFF_VALUE_DELETED, remembered(d));
			d->change.value = (regdiff_name){a->name, a->name_len};
			set_data(&d->change.old_data, a);
			d->advance[A] = 1;
			if (a->flags & RDS_VALUE_UNREADABLE)
				queue_not_compared(d, remembered(d), a,
						   REGDIFF_NOT_READ_DATA | REGDIFF_NOT_READ_BEFORE);
		} else if (c > 0) {
			ch = emit(d, REGDIFF_VALUE_ADDED, remembered(d));
			d->change.value = (regdiff_name){b->name, b->name_len};
			set_data(&d->change.new_data, b);
			d->advance[B] = 1;
			if (b->flags & RDS_VALUE_UNREADABLE)
				queue_not_compared(d, remembered(d), b,
						   REGDIFF_NOT_READ_DATA | REGDIFF_NOT_READ_AFTER);
		} else {
			unsigned unread = side_bits(a, b, RDS_VALUE_UNREADABLE);
			if (unread) {
				/* Data not read on a side: neither equal nor
				 * changed can be said of it, but a type or a
				 * stated size that differs is a change. */
				d->advance[A] = d->advance[B] = 1;
				queue_not_compared(d, remembered(d), b,
						   REGDIFF_NOT_READ_DATA | unread);
				if (a->type == b->type && a->declared == b->declared) {
					d->has_queued = 0;
					if (unread == BOTH_SIDES &&
					    !(d->flags & REGDIFF_DIFF_ALL_NOT_COMPARED)) {
						/* Unread alike in both: counted, not
						 * listed; nothing handed out, so the
						 * readers move on now. */
						d->unread_both++;
						d->advance[A] = d->advance[B] = 0;
						int rc = advance_both(d);
						if (rc)
							return rc;
						continue;
					}
					d->change = d->queued;
					*out = &d->change;
					return 0;
				}
				ch = emit(d, REGDIFF_VALUE_MODIFIED, remembered(d));
				d->change.value = (regdiff_name){b->name, b->name_len};
				set_data(&d->change.old_data, a);
				set_data(&d->change.new_data, b);
				d->value_changed = 1;
				*out = ch;
				return 0;
			}
			if (same_value(a, b)) {
				/* Nothing handed out: safe to move on now. */
				int rc = advance_both(d);
				if (rc)
					return rc;
				continue;
			}
			d->advance[A] = d->advance[B] = 1;
			ch = emit(d, REGDIFF_VALUE_MODIFIED, remembered(d));
			d->change.value = (regdiff_name){b->name, b->name_len};
			set_data(&d->change.old_data, a);
			set_data(&d->change.new_data, b);
		}
		d->value_changed = 1;
		*out = ch;
		return 0;
	}
}

/* A key (c: path_cmp's, of the current keys) that a side's shot
 * excluded: one entry for it, and both sides' subtrees passed over. */
static bool not_shot(regdiff_diff *d, int c, int *rc)
{
	int s = c <= 0 ? A : B;
	if (d->cur[s]->flags & RDS_KEY_SYNTHETIC)
		return false; /* shots exclude registry keys, not mount parents */
	key_ref k = reader_key(d, s);
	unsigned sides = regdiff__excluded_sides(d->snap[A], d->snap[B], k.units, k.len);
	if (!sides)
		return false;
	if (c != 0) {
		queue_not_compared(d, k, NULL, REGDIFF_NOT_READ_EXCLUDED | sides);
		d->skip_side = s;
		d->skip_end = d->cur[s]->end;
		return true;
	}
	/* Both readers move now: the entry names a copy of the path. */
	if ((*rc = remember_key(d)))
		return true;
	queue_not_compared(d, remembered(d), NULL, REGDIFF_NOT_READ_EXCLUDED | sides);
	*rc = regdiff__reader_skip_to(d->r[A], d->cur[A]->end);
	if (!*rc)
		*rc = regdiff__reader_skip_to(d->r[B], d->cur[B]->end);
	if (!*rc)
		*rc = advance_both(d);
	return true;
}

/* Decides what to do with the two current keys. */
static int merge_step(regdiff_diff *d)
{
	const regdiff__record *a = d->cur[A], *b = d->cur[B];
	if (!a && !b) {
		d->state = DONE;
		return 0;
	}
	if ((a && a->tag != RDS_REC_KEY) || (b && b->tag != RDS_REC_KEY))
		return regdiff__error(
		    REGDIFF_EFORMAT, "%s: corrupt snapshot (value outside a key)",
		    regdiff__snapshot_name(d->snap[a && a->tag != RDS_REC_KEY ? A : B]));
	int c = !a ? 1 : !b ? -1 : path_cmp(d);
	if (d->excludes) {
		int rc = 0;
		if (not_shot(d, c, &rc) || rc)
			return rc;
	}
	if (c != 0) {
		int s = c < 0 ? A : B;
		const regdiff__record *k = d->cur[s];
		unsigned other = s == A ? REGDIFF_NOT_READ_AFTER : REGDIFF_NOT_READ_BEFORE;
		if (k->depth > 0 && (d->subkeys_unread[k->depth - 1] & other)) {
			/* The other side could not list all its subkeys here
			 * (reported as not compared at the parent): this key
			 * may exist there unseen. */
			int rc = regdiff__reader_skip_to(d->r[s], k->end);
			return rc ? rc : advance(d, s);
		}
		if (k->flags & RDS_KEY_HIVE_ROOT) {
			/* A hive loaded or unloaded between the shots: one
			 * entry, its subtree passed over. */
			queue_not_compared(d, reader_key(d, s), NULL,
					   REGDIFF_NOT_READ_HIVE | other);
			d->skip_side = s;
			d->skip_end = k->end;
			return 0;
		}
		d->drain_side = s;
		d->drain_end = k->end;
		d->state = DRAIN;
		return 0;
	}
	unsigned incomplete = (a->flags | b->flags) & RDS_KEY_SUBTREE_INCOMPLETE;
	int times_ok = !(d->flags & REGDIFF_DIFF_KEY_TIMES) ||
		       regdiff__digest_eq(&a->times_hash, &b->times_hash);
	if (d->digests && !incomplete && times_ok &&
	    regdiff__digest_eq(&a->subtree_hash, &b->subtree_hash) &&
	    !(a->flags & RDS_KEY_SYNTHETIC) == !(b->flags & RDS_KEY_SYNTHETIC)) {
		/* Equal subtrees: pass over both without reading them. */
		int rc = regdiff__reader_skip_to(d->r[A], a->end);
		if (!rc)
			rc = regdiff__reader_skip_to(d->r[B], b->end);
		return rc ? rc : advance_both(d);
	}
	int rc = remember_key(d);
	if (rc)
		return rc;
	d->values_unread = side_bits(a, b, RDS_KEY_VALUES_UNREAD);
	d->subkeys_unread[a->depth] = (uint8_t)side_bits(a, b, RDS_KEY_SUBKEYS_UNREAD);
	unsigned nr = key_not_read(a, b);
	if (nr && unread_alike(d, a, b))
		d->unread_both++;
	else if (nr)
		queue_not_compared(d, remembered(d), NULL, nr);
	d->time[A] = a->time;
	d->time[B] = b->time;
	d->names_equal = regdiff__digest_eq(&a->names_hash, &b->names_hash);
	d->value_changed = 0;
	d->state = VALUES;
	uint64_t first[2];
	if ((rc = regdiff__pairing_push(d->pairing, a, b, first)))
		return rc;
	if (first[A] && first[B]) {
		/* Their values are the same: on to their subkeys. */
		if ((rc = regdiff__reader_skip_to(d->r[A], first[A])) ||
		    (rc = regdiff__reader_skip_to(d->r[B], first[B])))
			return rc;
	}
	return advance_both(d);
}

static int next_change(regdiff_diff *d, const regdiff_change **out)
{
	if (!d || !out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_diff_next: NULL argument");
	*out = NULL;
	if (d->error)
		return d->error;
	int rc = 0;
	for (;;) {
		if (d->has_queued) {
			/* Before the readers move: it may point into them. */
			d->has_queued = 0;
			d->change = d->queued;
			*out = &d->change;
			return 0;
		}
		if (d->skip_side >= 0) {
			int s = d->skip_side;
			d->skip_side = -1;
			rc = regdiff__reader_skip_to(d->r[s], d->skip_end);
			if (!rc)
				rc = advance(d, s);
			if (rc)
				break;
		}
		for (int s = A; s <= B && !rc; s++) {
			if (d->advance[s]) {
				d->advance[s] = 0;
				rc = advance(d, s);
			}
		}
		if (rc)
			break;
		if (d->state == DONE)
			return REGDIFF_ITEROVER;
		if (d->state == DRAIN) {
			const regdiff__record *rec = d->cur[d->drain_side];
			if (!rec || rec->ordinal >= d->drain_end) {
				d->state = MERGE;
				continue;
			}
			const regdiff_change *c = drain_one(d);
			if (c) {
				*out = c;
				return 0;
			}
			continue;
		}
		if (d->state == VALUES) {
			if ((rc = values_step(d, out)))
				break;
			if (*out)
				return 0;
			continue;
		}
		if ((rc = merge_step(d)))
			break;
	}
	d->error = rc;
	return rc;
}

void regdiff__diff_own(regdiff_diff *d, void (*release)(void *), void *ctx)
{
	d->release = release;
	d->owned = ctx;
}

int regdiff__diff_started(const regdiff_diff *d)
{
	return d->started;
}

int regdiff_diff_next(const regdiff_change **out, regdiff_diff *d)
{
	/* A diff that failed keeps returning its error: its message stays
	 * too. */
	if (!d || !d->error)
		regdiff_error_clear();
	if (d && out)
		d->started = 1;
	int rc = next_change(d, out);
	if (rc == 0 && (rc = regdiff__persistence_tag(&d->persist, &d->change)) < 0) {
		d->error = rc;
		*out = NULL;
	}
	return rc;
}
