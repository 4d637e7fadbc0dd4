/* Reading snapshots record by record: blocks are checked against their
 * hash before they are inflated, and every record is checked against the
 * block it sits in and the structure of the tree. */
#include <stdlib.h>
#include <string.h>
#include "snapshot_format.h"
#include "snapshot_priv.h"
#include "zraw.h"

struct regdiff__reader {
	const regdiff_snapshot *s;
	size_t next_block; /* index of the block to load next */
	regdiff__buf zbuf;
	regdiff__buf raw;
	regdiff__inflater *inflater;
	/* raw holds the records of block next_block - 1 from pos on, left of
	 * them. With none left (left 0, raw empty), the next record is read
	 * from the key index when it is there, and its block is loaded only
	 * when it is not. */
	size_t pos;	  /* offset of the next record in raw */
	uint32_t left;	  /* records left in raw */
	uint64_t ordinal; /* number of the next record */
	int have_key;	  /* a key has been read: values may follow */
	int skipping;	  /* stepping over a subtree whose parents were not read */
	unsigned depth;	  /* depth of the last key read */
	regdiff__record rec;
	uint16_t *name; /* aligned copy of the current record's name */
	size_t name_cap;
	uint16_t *path; /* path of the last key read */
	size_t path_len;
	size_t path_cap;
	size_t depth_len[RDS_MAX_DEPTH + 2]; /* path length up to depth d */
	uint16_t *prev_value;		     /* name of the last value of the current key */
	size_t prev_value_len, prev_value_cap;
	int have_value;			  /* the current key has had a value */
	uint64_t ends[RDS_MAX_DEPTH + 2]; /* subtree ends of the open keys */
	uint64_t inflated;		  /* blocks inflated: regdiff__reader_inflated */
};

static int corrupt(regdiff__reader *r, const char *what)
{
	return regdiff__error(REGDIFF_EFORMAT, "%s: corrupt snapshot (%s at record %llu)",
			      r->s->name, what, (unsigned long long)r->ordinal);
}

int regdiff__reader_new(regdiff__reader **out, const regdiff_snapshot *s)
{
	*out = NULL;
	regdiff__reader *r = regdiff__calloc(1, sizeof *r);
	if (!r)
		return REGDIFF_ENOMEM;
	/* Empty names and paths must still point somewhere. */
	r->name_cap = r->path_cap = 64;
	r->name = regdiff__malloc(r->name_cap * sizeof *r->name);
	r->path = regdiff__malloc(r->path_cap * sizeof *r->path);
	if (!r->name || !r->path || regdiff__inflater_new(&r->inflater)) {
		free(r->name);
		free(r->path);
		free(r);
		return REGDIFF_ENOMEM;
	}
	r->s = s;
	*out = r;
	return 0;
}

void regdiff__reader_free(regdiff__reader *r)
{
	if (!r)
		return;
	regdiff__buf_free(&r->zbuf);
	regdiff__buf_free(&r->raw);
	regdiff__inflater_free(r->inflater);
	free(r->name);
	free(r->path);
	free(r->prev_value);
	free(r);
}

static int load_block(regdiff__reader *r)
{
	const regdiff_snapshot *s = r->s;
	uint32_t csize, usize;
	const uint8_t *z;
	int rc = regdiff__snapshot_block_bytes(s, r->next_block, &r->zbuf, &z, &csize, &usize);
	if (rc)
		return rc;
	/* Its sizes were checked against the format's limits and zlib's
	 * bounds on loading. */
	r->raw.len = 0;
	if ((rc = regdiff__buf_reserve(&r->raw, usize)))
		return rc;
	rc = regdiff__inflater_run(r->inflater, r->raw.data, usize, z, csize);
	if (rc)
		return rc < 0 ? rc : corrupt(r, "block does not inflate");
	r->raw.len = usize;
	r->inflated++;
	r->pos = 0;
	r->left = s->blocks[r->next_block].records;
	r->next_block++;
	return 0;
}

static int block_record(regdiff__reader *r);
static int check(regdiff__reader *r);

/* Loads the block of the next record and steps to it: records before it
 * in the block are checked as skipped ones are. */
static int load_and_step(regdiff__reader *r)
{
	uint64_t want = r->ordinal;
	r->ordinal = r->s->blocks[r->next_block].first;
	int rc = load_block(r);
	int skipping = r->skipping;
	r->skipping = 1;
	while (!rc && r->ordinal < want)
		if (!(rc = block_record(r)) && !(rc = check(r)))
			r->ordinal++;
	r->skipping = skipping;
	return rc;
}

static int copy_name(regdiff__reader *r, const uint8_t *p, size_t n)
{
	int rc = regdiff__grow(&r->name, &r->name_cap, n, sizeof *r->name);
	if (rc)
		return rc;
	regdiff__get_units(r->name, p, n);
	r->rec.name = r->name;
	r->rec.name_len = n;
	return 0;
}

static int set_path(regdiff__reader *r, unsigned depth)
{
	size_t base = depth == 0 ? 0 : r->depth_len[depth - 1] + 1;
	size_t need = base + r->rec.name_len;
	int rc = regdiff__grow(&r->path, &r->path_cap, need, sizeof *r->path);
	if (rc)
		return rc;
	if (depth > 0)
		r->path[base - 1] = '\\';
	if (r->rec.name_len) /* an empty name leaves both pointers NULL */
		memcpy(r->path + base, r->rec.name, r->rec.name_len * sizeof *r->path);
	r->path_len = need;
	r->depth_len[depth] = need;
	return 0;
}

/* Decodes the record at p (avail bytes there); *size gets its length. */
static int parse(regdiff__reader *r, const uint8_t *p, size_t avail, size_t *size)
{
	regdiff__record *rec = &r->rec;
	if (avail < 1)
		return corrupt(r, "record runs past its block");
	rec->tag = p[0];
	rec->ordinal = r->ordinal;
	if (rec->tag == RDS_REC_KEY) {
		if (avail < RDS_KEY_FIXED)
			return corrupt(r, "record runs past its block");
		size_t n = regdiff__get_u16(p + 4);
		if (avail - RDS_KEY_FIXED < 2 * n)
			return corrupt(r, "record runs past its block");
		rec->flags = p[1];
		rec->depth = regdiff__get_u16(p + 2);
		rec->time = (int64_t)regdiff__get_u64(p + 8);
		rec->nvalues = regdiff__get_u32(p + 16);
		rec->nsubkeys = regdiff__get_u32(p + 20);
		rec->end = regdiff__get_u64(p + RDS_KEY_END);
		memcpy(rec->subtree_hash.b, p + RDS_KEY_DIGESTS, RDS_DIGEST_SIZE);
		memcpy(rec->times_hash.b, p + RDS_KEY_DIGESTS + RDS_DIGEST_SIZE, RDS_DIGEST_SIZE);
		memcpy(rec->names_hash.b, p + RDS_KEY_DIGESTS + 2 * RDS_DIGEST_SIZE,
		       RDS_DIGEST_SIZE);
		*size = RDS_KEY_FIXED + 2 * n;
		return copy_name(r, p + RDS_KEY_FIXED, n);
	}
	if (rec->tag == RDS_REC_VALUE) {
		if (avail < RDS_VALUE_FIXED)
			return corrupt(r, "record runs past its block");
		size_t n = regdiff__get_u16(p + 2);
		rec->flags = p[1];
		rec->type = regdiff__get_u32(p + 4);
		rec->size = regdiff__get_u32(p + 8);
		rec->declared = regdiff__get_u32(p + 12);
		if ((avail - RDS_VALUE_FIXED) / 2 < n ||
		    avail - RDS_VALUE_FIXED - 2 * n < rec->size)
			return corrupt(r, "record runs past its block");
		rec->data = p + RDS_VALUE_FIXED + 2 * n;
		*size = RDS_VALUE_FIXED + 2 * n + rec->size;
		return copy_name(r, p + RDS_VALUE_FIXED, n);
	}
	return corrupt(r, "unknown record type");
}

/* Applies a summary from the footer to the key just read, if it has one. */
static void apply_late(regdiff__reader *r)
{
	const regdiff__late_entry *e = regdiff__snapshot_late(r->s, r->rec.ordinal);
	if (e) {
		r->rec.subtree_hash = e->subtree_hash;
		r->rec.times_hash = e->times_hash;
		r->rec.names_hash = e->names_hash;
		r->rec.end = e->end;
		r->rec.flags = e->flags;
	}
}

/* Values of a key in strictly increasing canonical order: two names equal
 * but for case (which regdiff never writes) would make the diff report one
 * path both added and modified. */
static int check_value_order(regdiff__reader *r)
{
	const regdiff__record *rec = &r->rec;
	if (r->have_value && regdiff_name_compare((regdiff_name){r->prev_value, r->prev_value_len},
						  (regdiff_name){rec->name, rec->name_len}) >= 0)
		return corrupt(r, "values out of order or equal but for case");
	int rc = regdiff__grow(&r->prev_value, &r->prev_value_cap, rec->name_len + 1,
			       sizeof *r->prev_value);
	if (rc)
		return rc;
	if (rec->name_len)
		memcpy(r->prev_value, rec->name, rec->name_len * sizeof *r->prev_value);
	r->prev_value_len = rec->name_len;
	r->have_value = 1;
	return 0;
}

/* The tree must be well formed: whatever a crafted file says, the diff
 * can rely on depths, ends, value ownership and sibling order. */
static int check(regdiff__reader *r)
{
	regdiff__record *rec = &r->rec;
	if (rec->tag == RDS_REC_VALUE) {
		if (!r->have_key)
			return corrupt(r, "value before any key");
		if (!r->skipping && r->ends[r->depth] <= rec->ordinal)
			return corrupt(r, "value after the end of its key");
		if (rec->flags & ~RDS_VALUE_FLAGS_KNOWN)
			return corrupt(r, "unknown value flags");
		rec->depth = r->depth;
		return r->skipping ? 0 : check_value_order(r);
	}
	r->have_value = 0;
	if (rec->flags & ~RDS_KEY_FLAGS_KNOWN)
		return corrupt(r, "unknown key flags");
	if (rec->depth > RDS_MAX_DEPTH ||
	    (!r->skipping && (r->have_key ? rec->depth > r->depth + 1 : rec->depth != 0)))
		return corrupt(r, "key out of place");
	if (rec->end <= rec->ordinal || rec->end > r->s->records)
		return corrupt(r, "bad subtree end");
	/* A skip that crossed blocks steps over keys whose parents were never
	 * read: their paths would be built on stale lengths and overwrite the
	 * path of the keys still open. The target is read normally. */
	if (r->skipping)
		return 0;
	/* Open keys at this depth or deeper end here; those above go on past
	 * this key's subtree. */
	if (r->have_key) {
		for (unsigned d = 0; d <= r->depth; d++)
			if (d < rec->depth ? r->ends[d] <= rec->ordinal || r->ends[d] < rec->end
					   : r->ends[d] != rec->ordinal)
				return corrupt(r, "subtree end does not match the tree");
	}
	if (r->have_key && r->depth >= rec->depth) {
		/* The path still holds the previous sibling at this depth. */
		size_t base = rec->depth == 0 ? 0 : r->depth_len[rec->depth - 1] + 1;
		regdiff_name prev = {r->path + base, r->depth_len[rec->depth] - base};
		if (regdiff_name_compare(prev, (regdiff_name){rec->name, rec->name_len}) >= 0)
			return corrupt(r, "sibling keys out of order or equal but for case");
	}
	r->have_key = 1;
	r->depth = rec->depth;
	r->ends[rec->depth] = rec->end;
	return set_path(r, rec->depth);
}

/* The record at r->pos of the block, which a key index entry of the
 * same number must repeat byte for byte. */
static int block_record(regdiff__reader *r)
{
	const uint8_t *p = r->raw.data + r->pos, *entry;
	size_t size = 0, entry_len;
	int rc = parse(r, p, r->raw.len - r->pos, &size);
	if (rc)
		return rc;
	if (r->rec.tag == RDS_REC_KEY) {
		entry = regdiff__snapshot_key_entry(r->s, r->ordinal, &entry_len);
		if (entry && (entry_len != size || memcmp(entry, p, size) != 0))
			return corrupt(r, "key index entry does not match its record");
		apply_late(r);
	}
	r->pos += size;
	r->left--;
	return 0;
}

int regdiff__reader_next(regdiff__reader *r, const regdiff__record **out)
{
	const regdiff_snapshot *s = r->s;
	const uint8_t *entry = NULL;
	size_t size = 0, entry_len = 0;
	int rc;
	if (r->left == 0) {
		if (r->raw.len && r->pos != r->raw.len)
			return corrupt(r, "bytes after the last record of a block");
		r->raw.len = r->pos = 0;
		while (r->next_block < s->nblocks &&
		       s->blocks[r->next_block].first + s->blocks[r->next_block].records <=
			   r->ordinal)
			r->next_block++;
		if (r->next_block == s->nblocks) {
			for (unsigned d = 0; r->have_key && d <= r->depth; d++)
				if (r->ends[d] != r->ordinal)
					return corrupt(r, "subtree end does not match the tree");
			return REGDIFF_ITEROVER;
		}
		entry = regdiff__snapshot_key_entry(s, r->ordinal, &entry_len);
		if (!entry && (rc = load_and_step(r)))
			return rc;
	}
	if (entry) {
		/* From the key index: its block stays where it is. */
		if ((rc = parse(r, entry, entry_len, &size)))
			return rc;
		apply_late(r);
	} else if ((rc = block_record(r))) {
		return rc;
	}
	if ((rc = check(r)))
		return rc;
	r->ordinal++;
	*out = &r->rec;
	return 0;
}

int regdiff__reader_skip_to(regdiff__reader *r, uint64_t ordinal)
{
	if (ordinal < r->ordinal || ordinal > r->s->records)
		return corrupt(r, "skip out of range");
	/* Past the records at hand: nothing is read now (the blocks' checksums
	 * were checked when the snapshot was opened); the next record comes
	 * from the key index or its block. */
	if (ordinal >= r->ordinal + r->left) {
		r->left = 0;
		r->raw.len = r->pos = 0;
		r->ordinal = ordinal;
		return 0;
	}
	/* Within the block: step over the records. */
	r->skipping = 1;
	int rc = 0;
	while (!rc && r->ordinal < ordinal) {
		const regdiff__record *rec;
		rc = regdiff__reader_next(r, &rec);
		if (rc == REGDIFF_ITEROVER)
			rc = corrupt(r, "skip past the end");
	}
	r->skipping = 0;
	return rc;
}

int regdiff__reader_skip_siblings(regdiff__reader *r, unsigned depth, uint64_t ordinal)
{
	/* The keys still open at depth or deeper end where the sibling
	 * passed over begins, as reading it would have checked; they now end
	 * where the next one read begins, so that it is checked the same. */
	for (unsigned d = depth; r->have_key && d <= r->depth; d++) {
		if (r->ends[d] != r->ordinal)
			return corrupt(r, "subtree end does not match the tree");
		r->ends[d] = ordinal;
	}
	return regdiff__reader_skip_to(r, ordinal);
}

uint64_t regdiff__reader_ordinal(const regdiff__reader *r)
{
	return r->ordinal;
}

uint64_t regdiff__reader_inflated(const regdiff__reader *r)
{
	return r->inflated;
}

const uint16_t *regdiff__reader_path(const regdiff__reader *r, size_t *len)
{
	*len = r->path_len;
	return r->path;
}

size_t regdiff__reader_path_len_at(const regdiff__reader *r, unsigned depth)
{
	return r->depth_len[depth];
}

const size_t *regdiff__reader_path_ends(const regdiff__reader *r, size_t *count)
{
	*count = r->path_len ? r->depth + 1 : 0;
	return r->depth_len;
}
