/* Writing snapshots: records gathered into blocks, each compressed and
 * hashed, then a footer with the metadata and index, then the trailer.
 * Memory stays bounded: one block, one open-key entry per level of depth,
 * and the summaries of keys whose subtree outgrew their block. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include <zlib.h>

#include "deflater.h"
#include "internal.h"
#include "name_internal.h"
#include "snapshot_format.h"
#include "snapshot_internal.h"

typedef struct open_key {
	uint64_t ordinal;
	uint64_t block_seq; /* the block whose buffer holds its record */
	size_t offset;	    /* the record's offset in that buffer */
	uint8_t flags;
	regdiff__buf record; /* its record, once its block is flushed (keep_open_records) */
	regdiff__hash *content;
	regdiff__hash *times;
	regdiff__hash *names;
	/* Version 4: whether a subkey has begun (content then holds the
	 * parent form of the subtree digest), the values digest, and the
	 * child table entries made so far (nkids; too many: none kept). */
	int has_child;
	uint8_t values_digest[RDS_DIGEST_SIZE];
	regdiff__buf kids;
	size_t nkids;
	int kids_over;
} open_key;

struct regdiff__writer {
	regdiff_write_fn sink;
	void *ctx;
	char *name;
	const regdiff__buf *const *images; /* regdiff__writer_set_images */
	size_t nimages;
	const regdiff__buf *extra; /* regdiff__writer_set_extra */
	int level;
	unsigned version;	/* RDS_FORMAT_VERSION, or 3 for tests */
	size_t block_target;	/* RDS_BLOCK_TARGET, or less for tests */
	int no_subtree_digests; /* regdiff__writer_skip_subtree_digests */
	int no_names_digests;	/* regdiff__writer_skip_names_digests */
	uint64_t offset;
	regdiff__buf block;
	regdiff__deflater *deflater;
	uint32_t block_records;
	uint64_t block_seq;
	uint64_t block_first;
	uint64_t ordinal;
	uint64_t nblocks;
	regdiff__buf index;
	regdiff__buf late;
	regdiff__buf keys_index; /* RDS_TLV_KEY entries, in the order made */
	uint64_t *keys_at;	 /* each one's ordinal and offset, for sorting */
	size_t nkeys_index, keys_at_cap;
	/* Version 4's child tables: the table block being filled (tables in
	 * it), the table blocks written, their index entries and the
	 * tables' entries (post-order). */
	regdiff__buf tables;
	uint32_t tables_count;
	uint64_t ntblocks;
	regdiff__buf tindex;
	regdiff__buf children_dir;
	regdiff__buf problems;
	uint64_t nproblems;
	uint64_t nkept;
	open_key *stack;
	size_t depth;
	size_t stack_cap;
	uint64_t keys;
	uint64_t values;
	uint64_t value_bytes;
};

#define FOOTER_ROOM (256u << 10)

/* The sink sets its own error message. */
static int emit(regdiff__writer *w, const void *p, size_t n)
{
	int rc = w->sink(w->ctx, p, n);
	if (rc != 0)
		return rc < 0 ? rc : REGDIFF_EIO;
	w->offset += n;
	return 0;
}

int regdiff__writer_new(regdiff__writer **out, regdiff_write_fn sink, void *ctx, const char *name,
			int level)
{
	return regdiff__writer_new_version(out, sink, ctx, name, level, RDS_FORMAT_VERSION);
}

int regdiff__writer_new_version(regdiff__writer **out, regdiff_write_fn sink, void *ctx,
				const char *name, int level, unsigned version)
{
	*out = NULL;
	if (version < RDS_FORMAT_VERSION_MIN || version > RDS_FORMAT_VERSION)
		return regdiff__error(REGDIFF_EINVAL, "snapshot format version %u", version);
	regdiff__writer *w = regdiff__calloc(1, sizeof *w);
	if (!w)
		return REGDIFF_ENOMEM;
	w->sink = sink;
	w->ctx = ctx;
	w->version = version;
	w->block_target = RDS_BLOCK_TARGET;
	w->level = level > 0 && level <= 9 ? level : level < 0 ? 0 : 1;
	w->name = regdiff__strdup(name);
	if (!w->name) {
		regdiff__writer_free(w);
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	}
	/* The late summaries and the key index grow all through a shot (70
	 * and 130 KB for SYSTEM_WIN_10_1709): reserved large at once, they
	 * are mapped memory that realloc moves without copying, and a page
	 * is touched only when written. Grown from small, each doubling
	 * copied them into fresh pages: 100 page faults. */
	int rc = regdiff__buf_reserve(&w->late, FOOTER_ROOM);
	if (!rc)
		rc = regdiff__buf_reserve(&w->keys_index, FOOTER_ROOM);
	if (!rc)
		rc = regdiff__deflater_new(&w->deflater, w->level);
	if (rc) {
		regdiff__writer_free(w);
		return rc;
	}
	uint8_t header[RDS_HEADER_SIZE] = {0};
	memcpy(header, RDS_MAGIC, RDS_MAGIC_LEN);
	regdiff__put_u32(header + 8, version);
	regdiff__put_u32(header + 12, RDS_HEADER_SIZE);
	regdiff__put_u64(header + 56, XXH3_64bits(header, 56));
	rc = emit(w, header, sizeof header);
	if (rc) {
		regdiff__writer_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

void regdiff__writer_skip_subtree_digests(regdiff__writer *w)
{
	w->no_subtree_digests = 1;
}

void regdiff__writer_skip_checksums(regdiff__writer *w)
{
	regdiff__deflater_skip_checksums(w->deflater);
}

void regdiff__writer_skip_names_digests(regdiff__writer *w)
{
	w->no_names_digests = 1;
}

void regdiff__writer_set_block_target(regdiff__writer *w, size_t bytes)
{
	if (bytes > 0 && bytes < RDS_BLOCK_TARGET)
		w->block_target = bytes;
}

/* What a reader accepts (record blocks are within it by the static
 * assertion below). */
static int check_block(const regdiff__writer *w, uint32_t kind, size_t len)
{
	if (kind == RDS_BLOCK_FOOTER && len > RDS_FOOTER_MAX)
		return regdiff__error(REGDIFF_ELIMIT,
				      "%s: the snapshot's index and metadata take %zu bytes, over "
				      "the format's limit of %u",
				      w->name, len, RDS_FOOTER_MAX);
	if (len > RDS_BLOCK_MAX_UNCOMPRESSED)
		return regdiff__error(REGDIFF_ELIMIT, "%s: block of %zu bytes", w->name, len);
	return 0;
}

/* Waits for the oldest block the deflater is making and writes it; *offset
 * is where it went, *made the block. */
static int emit_pending(regdiff__writer *w, uint64_t *offset, regdiff__block_made *made)
{
	int rc = regdiff__deflater_wait(w->deflater, w->name, made);
	if (rc)
		return rc;
	*offset = w->offset;
	return emit(w, made->data, made->size);
}
static int put_tlv(regdiff__buf *b, uint16_t tag, const void *p, size_t n)
{
	uint8_t h[6];
	regdiff__put_u16(h, tag);
	regdiff__put_u32(h + 2, (uint32_t)n);
	int rc = regdiff__buf_append(b, h, sizeof h);
	return rc ? rc : regdiff__buf_append(b, p, n);
}

/* Writes the oldest record block the deflater has made, with its index
 * entry. */
static int write_pending(regdiff__writer *w)
{
	if (!regdiff__deflater_busy(w->deflater))
		return 0;
	uint64_t offset;
	regdiff__block_made made;
	int rc = emit_pending(w, &offset, &made);
	if (rc)
		return rc;
	uint8_t e[RDS_TLV_BLOCK_SIZE];
	regdiff__put_u64(e, offset);
	regdiff__put_u64(e + 8, made.first);
	regdiff__put_u32(e + 16, made.records);
	regdiff__put_u32(e + 20, (uint32_t)(made.size - RDS_BLOCK_HEADER_SIZE));
	regdiff__put_u64(e + 24, made.hash);
	rc = put_tlv(&w->index, RDS_TLV_BLOCK, e, sizeof e);
	if (rc)
		return rc;
	w->nblocks++;
	return 0;
}

/* Keeps the records of the keys still open whose records leave with the
 * block now: the key index repeats them (put_key_index). Taken here rather
 * than at every key's beginning, since most keys end in their block; the
 * bytes are still as key_begin wrote them, which only key_end changes.
 * Those keys are the top of the stack, as blocks go in order. */
static int keep_open_records(regdiff__writer *w)
{
	for (size_t i = w->depth; i > 0 && w->stack[i - 1].block_seq == w->block_seq; i--) {
		open_key *k = &w->stack[i - 1];
		const uint8_t *r = w->block.data + k->offset;
		k->record.len = 0;
		int rc = regdiff__buf_append(&k->record, r,
					     RDS_KEY_FIXED + 2 * (size_t)regdiff__get_u16(r + 4));
		if (rc)
			return rc;
	}
	return 0;
}

/* Hands the block to the deflater (after writing the oldest it has, when
 * its queue is full) and goes on in a buffer it gives back meanwhile. */
static int flush_block(regdiff__writer *w)
{
	if (w->block_records == 0)
		return 0;
	int rc = check_block(w, RDS_BLOCK_RECORDS, w->block.len);
	if (!rc && regdiff__deflater_full(w->deflater))
		rc = write_pending(w);
	if (rc)
		return rc;
	if ((rc = keep_open_records(w)))
		return rc;
	regdiff__deflater_start(w->deflater, RDS_BLOCK_RECORDS, &w->block, w->block_records,
				w->block_first);
	w->block_seq++;
	w->block_records = 0;
	w->block_first = w->ordinal;
	return 0;
}

/* A block is flushed once it reaches RDS_BLOCK_TARGET: with the largest
 * key record and the largest value record after that, it still holds no
 * more than readers accept. */
_Static_assert((uint64_t)RDS_BLOCK_TARGET + RDS_KEY_FIXED + 2 * 0xffffu + RDS_VALUE_FIXED +
		       2 * 0xffffu + RDS_VALUE_DATA_MAX <=
		   RDS_BLOCK_MAX_UNCOMPRESSED,
	       "a block can outgrow what readers accept");

/* Called after each whole record, so a block never splits a record. A key
 * whose record leaves with a block before its subtree ends gets its summary
 * in the footer's late table instead (see key_end). */
static int record_done(regdiff__writer *w)
{
	w->ordinal++;
	w->block_records++;
	return w->block.len >= w->block_target ? flush_block(w) : 0;
}

static int push_level(regdiff__writer *w)
{
	if (w->depth == w->stack_cap) {
		size_t cap = w->stack_cap ? w->stack_cap * 2 : 16;
		open_key *s = regdiff__realloc(w->stack, cap * sizeof *s);
		if (!s)
			return REGDIFF_ENOMEM;
		memset(s + w->stack_cap, 0, (cap - w->stack_cap) * sizeof *s);
		w->stack = s;
		w->stack_cap = cap;
	}
	open_key *k = &w->stack[w->depth];
	int rc = 0;
	regdiff__hash_alg alg = regdiff__subtree_alg(w->version);
	if (!k->content)
		rc = regdiff__hash_new(&k->content, alg);
	if (!rc && !k->times)
		rc = regdiff__hash_new(&k->times, alg);
	if (!rc && !k->names)
		rc = regdiff__hash_new(&k->names, REGDIFF__HASH_BLAKE2B);
	if (rc)
		return rc;
	regdiff__hash_set_off(k->content, w->no_subtree_digests);
	regdiff__hash_set_off(k->times, w->no_subtree_digests);
	regdiff__hash_set_off(k->names, w->no_names_digests);
	k->has_child = 0;
	k->kids.len = 0;
	k->nkids = 0;
	k->kids_over = 0;
	w->depth++;
	return 0;
}

static void hash_u64(regdiff__hash *s, uint64_t v)
{
	uint8_t b[8];
	regdiff__put_u64(b, v);
	regdiff__hash_update(s, b, 8);
}

/* Hashes a name as its length then its units, little-endian. */
static void hash_name(regdiff__hash *s, const uint16_t *name, size_t len, int upcase)
{
	if (regdiff__hash_is_off(s))
		return;
	hash_u64(s, len);
	uint8_t b[128];
	for (size_t i = 0; i < len;) {
		size_t n = len - i < sizeof b / 2 ? len - i : sizeof b / 2;
		if (upcase)
			for (size_t j = 0; j < n; j++)
				regdiff__put_u16(b + 2 * j, regdiff__upcase(name[i + j]));
		else
			regdiff__put_units(b, name + i, n);
		regdiff__hash_update(s, b, n * 2);
		i += n;
	}
}

static int append_name(regdiff__buf *b, const uint16_t *name, size_t len)
{
	int rc = regdiff__buf_reserve(b, len * 2);
	if (rc)
		return rc;
	regdiff__put_units(b->data + b->len, name, len);
	b->len += len * 2;
	return 0;
}

int regdiff__writer_key_begin(regdiff__writer *w, const uint16_t *name, size_t len, int64_t time,
			      uint32_t nvalues, uint32_t nsubkeys, unsigned flags)
{
	if (len > 0xffff)
		return regdiff__error(REGDIFF_ELIMIT, "%s: key name of %zu characters", w->name,
				      len);
	if (w->depth >= RDS_MAX_DEPTH + 1)
		return regdiff__error(REGDIFF_ELIMIT, "%s: keys nested deeper than %u", w->name,
				      RDS_MAX_DEPTH);
	if (w->depth > 0) {
		open_key *p = &w->stack[w->depth - 1];
		hash_name(p->names, name, len, 1);
		if (w->version >= 4 && !p->has_child) {
			/* Its name and values are done: their digest goes into
			 * the child table, and the subtree digest goes on from
			 * it, so the table can be checked against the key. */
			regdiff__hash_final(p->content, p->values_digest);
			hash_u64(p->content, RDS_DIGEST_PARENT_MARK);
			regdiff__hash_update(p->content, p->values_digest, RDS_DIGEST_SIZE);
			p->has_child = 1;
		}
	}
	int rc = push_level(w);
	if (rc)
		return rc;
	open_key *k = &w->stack[w->depth - 1];
	k->ordinal = w->ordinal;
	k->block_seq = w->block_seq;
	k->offset = w->block.len;
	k->flags = (uint8_t)(flags & (RDS_KEY_SYNTHETIC | RDS_KEY_MOUNT | RDS_KEY_HIVE_ROOT |
				      RDS_KEY_UNREAD));
	hash_name(k->content, name, len, 0);
	hash_u64(k->times, (uint64_t)time);

	rc = regdiff__buf_reserve(&w->block, RDS_KEY_FIXED + len * 2);
	if (rc)
		return rc;
	uint8_t *r = w->block.data + w->block.len;
	memset(r, 0, RDS_KEY_FIXED);
	r[0] = RDS_REC_KEY;
	r[1] = k->flags;
	regdiff__put_u16(r + 2, (uint16_t)(w->depth - 1));
	regdiff__put_u16(r + 4, (uint16_t)len);
	regdiff__put_u64(r + 8, (uint64_t)time);
	regdiff__put_u32(r + 16, nvalues);
	regdiff__put_u32(r + 20, nsubkeys);
	w->block.len += RDS_KEY_FIXED;
	append_name(&w->block, name, len);
	if (!(flags & RDS_KEY_SYNTHETIC))
		w->keys++;
	return record_done(w);
}

int regdiff__writer_value(regdiff__writer *w, const uint16_t *name, size_t len, uint32_t type,
			  const uint8_t *data, size_t size, unsigned flags)
{
	return regdiff__writer_value_sized(w, name, len, type, data, size,
					   size > 0xffffffffu ? 0xffffffffu : (uint32_t)size,
					   flags);
}

int regdiff__writer_value_sized(regdiff__writer *w, const uint16_t *name, size_t len, uint32_t type,
				const uint8_t *data, size_t size, uint32_t declared, unsigned flags)
{
	if (w->depth == 0)
		return regdiff__error(REGDIFF_EINVAL, "%s: value outside a key", w->name);
	if (len > 0xffff)
		return regdiff__error(REGDIFF_ELIMIT, "%s: value name of %zu characters", w->name,
				      len);
	if (size > RDS_VALUE_DATA_MAX)
		return regdiff__error(
		    REGDIFF_ELIMIT,
		    "%s: a value of %zu bytes, over the snapshot format's limit of "
		    "%u bytes of data",
		    w->name, size, RDS_VALUE_DATA_MAX);
	int rc = regdiff__buf_reserve(&w->block, RDS_VALUE_FIXED + len * 2 + size);
	if (rc)
		return rc;
	uint8_t *r = w->block.data + w->block.len;
	memset(r, 0, RDS_VALUE_FIXED);
	r[0] = RDS_REC_VALUE;
	r[1] = (uint8_t)(flags & RDS_VALUE_FLAGS_KNOWN);
	regdiff__put_u16(r + 2, (uint16_t)len);
	regdiff__put_u32(r + 4, type);
	regdiff__put_u32(r + 8, (uint32_t)size);
	regdiff__put_u32(r + 12, declared);
	w->block.len += RDS_VALUE_FIXED;
	append_name(&w->block, name, len);
	if (size)
		memcpy(w->block.data + w->block.len, data, size);
	w->block.len += size;

	open_key *k = &w->stack[w->depth - 1];
	/* The data itself, not a digest of it: one stream per key, and
	 * nothing for a forger to aim at but the hash. */
	hash_name(k->content, name, len, 0);
	uint8_t f[24];
	regdiff__put_u64(f, type);
	regdiff__put_u64(f + 8, flags & RDS_VALUE_FLAGS_KNOWN);
	regdiff__put_u64(f + 16, size);
	regdiff__hash_update(k->content, f, sizeof f);
	regdiff__hash_update(k->content, data, size);
	if (flags & RDS_VALUE_UNREADABLE)
		k->flags |= RDS_KEY_SUBTREE_INCOMPLETE;
	w->values++;
	w->value_bytes += size;
	return record_done(w);
}

void regdiff__writer_mark_incomplete(regdiff__writer *w)
{
	if (w->depth > 0)
		w->stack[w->depth - 1].flags |= RDS_KEY_INCOMPLETE;
}

/* A key whose subtree outgrew its block goes into the key index: a
 * compare can then read it, and pass over its subtree, without inflating
 * the block its record is in. */
static int put_key_index(regdiff__writer *w, const open_key *k)
{
	int rc = regdiff__grow(&w->keys_at, &w->keys_at_cap, 2 * (w->nkeys_index + 1),
			       sizeof *w->keys_at);
	if (rc)
		return rc;
	w->keys_at[2 * w->nkeys_index] = k->ordinal;
	w->keys_at[2 * w->nkeys_index + 1] = w->keys_index.len;
	uint8_t h[6 + 8];
	regdiff__put_u16(h, RDS_TLV_KEY);
	regdiff__put_u32(h + 2, (uint32_t)(8 + k->record.len));
	regdiff__put_u64(h + 6, k->ordinal);
	rc = regdiff__buf_append(&w->keys_index, h, sizeof h);
	if (!rc)
		rc = regdiff__buf_append(&w->keys_index, k->record.data, k->record.len);
	if (!rc)
		w->nkeys_index++;
	return rc;
}

/* The key index in record order (it is made in post-order). */
static int cmp_keys_at(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int append_key_index(regdiff__writer *w, regdiff__buf *f)
{
	if (w->nkeys_index > 1) /* keys_at is NULL with none */
		qsort(w->keys_at, w->nkeys_index, 2 * sizeof *w->keys_at, cmp_keys_at);
	for (size_t i = 0; i < w->nkeys_index; i++) {
		const uint8_t *e = w->keys_index.data + w->keys_at[2 * i + 1];
		int rc = regdiff__buf_append(f, e, 6 + (size_t)regdiff__get_u32(e + 2));
		if (rc)
			return rc;
	}
	return 0;
}

/* The child table entry of key k, just ended (digests dg), in its
 * parent's table. */
static int put_kid(open_key *parent, const open_key *k, const uint8_t *dg)
{
	if (parent->kids_over)
		return 0;
	if (parent->nkids == RDS_CHILDREN_MAX) {
		parent->kids_over = 1;
		regdiff__buf_free(&parent->kids);
		return 0;
	}
	uint8_t e[RDS_CHILD_ENTRY];
	regdiff__put_u64(e, k->ordinal);
	memcpy(e + 8, dg, RDS_DIGEST_SIZE);
	e[8 + RDS_DIGEST_SIZE] = k->flags;
	parent->nkids++;
	return regdiff__buf_append(&parent->kids, e, sizeof e);
}

/* Writes the table block being filled, after the record block the
 * deflater has (file order), at once. */
static int write_tables(regdiff__writer *w)
{
	int rc = check_block(w, RDS_BLOCK_TABLES, w->tables.len);
	/* The record blocks queued before it go first: file order is the
	 * order blocks were started in, and their index entries say where. */
	while (!rc && regdiff__deflater_busy(w->deflater))
		rc = write_pending(w);
	if (rc)
		return rc;
	uint64_t offset;
	regdiff__block_made made;
	regdiff__deflater_start(w->deflater, RDS_BLOCK_TABLES, &w->tables, w->tables_count, 0);
	if ((rc = emit_pending(w, &offset, &made)))
		return rc;
	uint8_t e[RDS_TLV_TABLE_BLOCK_SIZE];
	regdiff__put_u64(e, offset);
	regdiff__put_u32(e + 8, (uint32_t)(made.size - RDS_BLOCK_HEADER_SIZE));
	regdiff__put_u32(e + 12, w->tables_count);
	regdiff__put_u64(e + 16, made.hash);
	w->ntblocks++;
	w->tables.len = 0;
	w->tables_count = 0;
	return put_tlv(&w->tindex, RDS_TLV_TABLE_BLOCK, e, sizeof e);
}

/* The child table of key k, whose subtree outgrew its block: a compare
 * that finds k changed pairs up its children from it, reading only those
 * whose digests differ. */
static int put_table(regdiff__writer *w, const open_key *k)
{
	size_t need = RDS_DIGEST_SIZE + k->kids.len;
	int rc = 0;
	if (w->tables.len && w->tables.len + need > RDS_BLOCK_MAX_UNCOMPRESSED)
		rc = write_tables(w);
	if (rc)
		return rc;
	uint8_t e[RDS_TLV_CHILDREN_SIZE];
	regdiff__put_u64(e, k->ordinal);
	regdiff__put_u32(e + 8, (uint32_t)w->ntblocks);
	regdiff__put_u32(e + 12, (uint32_t)w->tables.len);
	regdiff__put_u32(e + 16, (uint32_t)k->nkids);
	rc = put_tlv(&w->children_dir, RDS_TLV_CHILDREN, e, sizeof e);
	if (!rc)
		rc = regdiff__buf_append(&w->tables, k->values_digest, RDS_DIGEST_SIZE);
	if (!rc)
		rc = regdiff__buf_append(&w->tables, k->kids.data, k->kids.len);
	if (rc)
		return rc;
	w->tables_count++;
	return w->tables.len >= w->block_target ? write_tables(w) : 0;
}

int regdiff__writer_key_end(regdiff__writer *w)
{
	if (w->depth == 0)
		return regdiff__error(REGDIFF_EINVAL, "%s: key_end without key", w->name);
	open_key *k = &w->stack[w->depth - 1];
	if (k->flags & RDS_KEY_UNREAD)
		k->flags |= RDS_KEY_SUBTREE_INCOMPLETE;
	hash_u64(k->content, k->flags & (RDS_KEY_UNREAD | RDS_KEY_SUBTREE_INCOMPLETE));
	/* subtree | times | child names, as both the record and the late
	 * entry hold them. */
	uint8_t dg[3 * RDS_DIGEST_SIZE];
	regdiff__hash_final(k->content, dg);
	regdiff__hash_final(k->times, dg + RDS_DIGEST_SIZE);
	regdiff__hash_final(k->names, dg + 2 * RDS_DIGEST_SIZE);
	uint64_t end = w->ordinal;
	int rc = 0;
	if (w->version >= 4 && w->depth > 1 && !w->no_subtree_digests)
		rc = put_kid(&w->stack[w->depth - 2], k, dg);
	if (rc)
		return rc;
	if (k->block_seq == w->block_seq) {
		uint8_t *r = w->block.data + k->offset;
		r[1] = k->flags;
		regdiff__put_u64(r + RDS_KEY_END, end);
		memcpy(r + RDS_KEY_DIGESTS, dg, sizeof dg);
	} else {
		uint8_t e[RDS_TLV_LATE_SIZE];
		regdiff__put_u64(e, k->ordinal);
		memcpy(e + 8, dg, sizeof dg);
		regdiff__put_u64(e + 8 + sizeof dg, end);
		e[16 + sizeof dg] = k->flags;
		rc = put_tlv(&w->late, RDS_TLV_LATE, e, sizeof e);
		if (!rc)
			rc = put_key_index(w, k);
		if (!rc && k->nkids && !k->kids_over &&
		    w->block_seq - k->block_seq + 1 >= RDS_TABLE_MIN_SPAN)
			rc = put_table(w, k);
		if (rc)
			return rc;
	}
	w->depth--;
	if (w->depth > 0) {
		open_key *p = &w->stack[w->depth - 1];
		regdiff__hash_update(p->content, dg, RDS_DIGEST_SIZE);
		regdiff__hash_update(p->times, dg + RDS_DIGEST_SIZE, RDS_DIGEST_SIZE);
		if (k->flags & RDS_KEY_SUBTREE_INCOMPLETE)
			p->flags |= RDS_KEY_SUBTREE_INCOMPLETE;
	}
	return 0;
}

/* Appends s cut to at most max bytes: a longer s loses its end at a UTF-8
 * boundary and ends in U+2026 instead, so that a cut shows. */
static int append_cut(regdiff__buf *b, const char *s, size_t max)
{
	static const char ellipsis[] = "\xe2\x80\xa6";
	size_t n = strlen(s);
	if (n <= max)
		return regdiff__buf_append(b, s, n);
	n = max - (sizeof ellipsis - 1);
	while (n > 0 && ((uint8_t)s[n] & 0xc0) == 0x80)
		n--;
	int rc = regdiff__buf_append(b, s, n);
	return rc ? rc : regdiff__buf_append(b, ellipsis, sizeof ellipsis - 1);
}

static int put_logs(regdiff__buf *b, size_t i, const regdiff__logs *l)
{
	regdiff__buf v = {0};
	uint8_t fixed[RDS_TLV_LOGS_FIXED];
	regdiff__put_u32(fixed, (uint32_t)i);
	fixed[4] = (uint8_t)l->state;
	regdiff__put_u32(fixed + 5, l->entries);
	regdiff__put_u32(fixed + 9, l->pages);
	regdiff__put_u32(fixed + 13, l->sequence);
	int rc = regdiff__buf_append(&v, fixed, sizeof fixed);
	/* Log names and reasons come from the hive's folder and the logs'
	 * bytes: cut like problems, so readers always accept the entry. */
	if (!rc)
		rc = append_cut(&v, l->files ? l->files : "", RDS_PROBLEM_WHAT_MAX);
	if (!rc)
		rc = regdiff__buf_putc(&v, 0);
	if (!rc)
		rc = append_cut(&v, l->reason ? l->reason : "", RDS_PROBLEM_WHAT_MAX);
	if (!rc)
		rc = put_tlv(b, RDS_TLV_LOGS, v.data, v.len);
	regdiff__buf_free(&v);
	return rc;
}

int regdiff__writer_problem(regdiff__writer *w, const char *path, const char *what)
{
	/* All are counted; the first are kept, each cut to a bounded size
	 * and within a budget, so a hive of hostile names cannot grow the
	 * footer past what readers accept. */
	w->nproblems++;
	if (w->nkept >= RDS_PROBLEMS_KEPT ||
	    w->problems.len + 6 + RDS_PROBLEM_PATH_MAX + 1 + RDS_PROBLEM_WHAT_MAX >
		RDS_PROBLEM_BYTES_MAX)
		return 0;
	w->nkept++;
	size_t start = w->problems.len;
	uint8_t h[6] = {0};
	regdiff__put_u16(h, RDS_TLV_PROBLEM);
	int rc = regdiff__buf_append(&w->problems, h, sizeof h);
	if (!rc)
		rc = append_cut(&w->problems, path, RDS_PROBLEM_PATH_MAX);
	if (!rc)
		rc = regdiff__buf_putc(&w->problems, 0);
	if (!rc)
		rc = append_cut(&w->problems, what, RDS_PROBLEM_WHAT_MAX);
	if (rc)
		return rc;
	regdiff__put_u32(w->problems.data + start + 2, (uint32_t)(w->problems.len - start - 6));
	return 0;
}

/* Metadata strings within what readers accept. */
static int check_meta(const regdiff__writer *w, const char *what, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > RDS_META_MAX)
		return regdiff__error(REGDIFF_ELIMIT,
				      "%s: %s of %zu bytes, over the snapshot format's limit of %u",
				      w->name, what, n, RDS_META_MAX);
	return 0;
}

static int put_string(const regdiff__writer *w, regdiff__buf *b, uint16_t tag, const char *what,
		      const char *s)
{
	int rc = check_meta(w, what, s);
	return rc ? rc : put_tlv(b, tag, s ? s : "", s ? strlen(s) : 0);
}

static int cmp_late(const void *a, const void *b)
{
	uint64_t x = regdiff__get_u64((const uint8_t *)a + 6);
	uint64_t y = regdiff__get_u64((const uint8_t *)b + 6);
	return x < y ? -1 : x > y;
}

void regdiff__writer_set_images(regdiff__writer *w, const regdiff__buf *const *images, size_t n)
{
	w->images = images;
	w->nimages = n;
}

void regdiff__writer_set_extra(regdiff__writer *w, const regdiff__buf *tlvs)
{
	w->extra = tlvs;
}

int regdiff__writer_finish(regdiff__writer *w, const regdiff__meta *m)
{
	return regdiff__writer_finish_install(w, m, NULL);
}

int regdiff__writer_finish_install(regdiff__writer *w, const regdiff__meta *m,
				   const regdiff__install_footer *in)
{
	static const regdiff__install_footer none = {0};
	if (!in)
		in = &none;
	if (w->depth != 0)
		return regdiff__error(REGDIFF_EINVAL, "%s: %zu keys left open", w->name, w->depth);
	int rc = flush_block(w);
	while (!rc && regdiff__deflater_busy(w->deflater))
		rc = write_pending(w);
	if (!rc && w->tables.len)
		rc = write_tables(w);
	if (rc)
		return rc;
	/* Late summaries and child tables were made in post-order; readers
	 * want them by record. */
	size_t nlate = w->late.len / (6 + RDS_TLV_LATE_SIZE);
	if (nlate > 1)
		qsort(w->late.data, nlate, 6 + RDS_TLV_LATE_SIZE, cmp_late);
	size_t ntables = w->children_dir.len / (6 + RDS_TLV_CHILDREN_SIZE);
	if (ntables > 1)
		qsort(w->children_dir.data, ntables, 6 + RDS_TLV_CHILDREN_SIZE, cmp_late);

	regdiff__buf f = {0};
	uint8_t b[40];
	if (m->nsources > RDS_SOURCES_MAX)
		return regdiff__error(REGDIFF_ELIMIT,
				      "%s: %zu sources, over the snapshot format's limit of %u",
				      w->name, m->nsources, RDS_SOURCES_MAX);
	rc = put_string(w, &f, RDS_TLV_PRODUCER, "producer", m->producer);
	regdiff__put_u64(b, (uint64_t)m->time);
	if (!rc)
		rc = put_tlv(&f, RDS_TLV_TIME, b, 8);
	if (!rc)
		rc = put_string(w, &f, RDS_TLV_COMPUTER, "computer name", m->computer);
	if (!rc)
		rc = put_string(w, &f, RDS_TLV_USER, "user name", m->user);
	if (!rc && m->system)
		rc = put_string(w, &f, RDS_TLV_SYSTEM, "system name", m->system);
	if (!rc && m->elevated >= 0) {
		uint8_t e = m->elevated ? 1 : 0;
		rc = put_tlv(&f, RDS_TLV_ELEVATED, &e, 1);
	}
	regdiff__put_u64(b, w->keys);
	regdiff__put_u64(b + 8, w->values);
	regdiff__put_u64(b + 16, w->value_bytes);
	regdiff__put_u64(b + 24, w->nproblems);
	regdiff__put_u64(b + 32, w->ordinal);
	if (!rc)
		rc = put_tlv(&f, RDS_TLV_COUNTS, b, 40);
	for (size_t i = 0; !rc && i < m->nsources; i++) {
		regdiff__buf s = {0};
		if ((rc = check_meta(w, "mount", m->mounts[i])) ||
		    (rc = check_meta(w, "source kind", m->kinds[i])) ||
		    (rc = check_meta(w, "source location", m->locations[i])))
			break;
		rc = regdiff__buf_printf(&s, "%s%c%s%c%s", m->mounts[i], 0, m->kinds[i], 0,
					 m->locations[i]);
		if (!rc)
			rc = put_tlv(&f, RDS_TLV_SOURCE, s.data, s.len);
		regdiff__buf_free(&s);
	}
	for (size_t i = 0; !rc && m->logs && i < m->nsources; i++)
		if (m->logs[i] && m->logs[i]->state != REGDIFF_LOGS_CLEAN)
			rc = put_logs(&f, i, m->logs[i]);
	if (!rc && (in->nusers > RDS_SOURCES_MAX || in->nnotes > RDS_SOURCES_MAX))
		rc = regdiff__error(REGDIFF_ELIMIT,
				    "%s: %zu users and %zu notes, over the snapshot format's "
				    "limit of %u each",
				    w->name, in->nusers, in->nnotes, RDS_SOURCES_MAX);
	for (size_t i = 0; !rc && i < in->nusers; i++) {
		regdiff__buf s = {0};
		if ((rc = check_meta(w, "user SID", in->sids[i])) ||
		    (rc = check_meta(w, "user name", in->user_names[i])))
			break;
		rc = regdiff__buf_printf(&s, "%s%c%s", in->sids[i], 0, in->user_names[i]);
		if (!rc)
			rc = put_tlv(&f, RDS_TLV_USER_SID, s.data, s.len);
		regdiff__buf_free(&s);
	}
	for (size_t i = 0; !rc && i < in->nnotes; i++)
		rc = put_string(w, &f, RDS_TLV_NOTE, "note", in->notes[i]);
	for (size_t i = 0; !rc && i < w->nimages; i++)
		rc = w->images[i]->len > 4 * RDS_META_MAX
			 ? regdiff__error(REGDIFF_ELIMIT, "%s: disk image path too long", w->name)
			 : put_tlv(&f, RDS_TLV_IMAGE, w->images[i]->data, w->images[i]->len);
	if (!rc && w->extra)
		rc = regdiff__buf_append(&f, w->extra->data, w->extra->len);
	if (!rc && in->control_set) {
		regdiff__put_u32(b, in->control_set);
		rc = put_tlv(&f, RDS_TLV_CONTROL_SET, b, 4);
	}
	if (!rc)
		rc = regdiff__buf_append(&f, w->problems.data, w->problems.len);
	if (!rc)
		rc = regdiff__buf_append(&f, w->index.data, w->index.len);
	if (!rc)
		rc = regdiff__buf_append(&f, w->late.data, w->late.len);
	if (!rc)
		rc = append_key_index(w, &f);
	if (!rc)
		rc = regdiff__buf_append(&f, w->tindex.data, w->tindex.len);
	if (!rc)
		rc = regdiff__buf_append(&f, w->children_dir.data, w->children_dir.len);
	uint64_t footer_offset = w->offset, offset;
	regdiff__block_made made;
	if (!rc)
		rc = check_block(w, RDS_BLOCK_FOOTER, f.len);
	if (!rc) {
		regdiff__deflater_start(w->deflater, RDS_BLOCK_FOOTER, &f, 0, 0);
		rc = emit_pending(w, &offset, &made);
	}
	regdiff__buf_free(&f);
	if (rc)
		return rc;

	uint8_t t[RDS_TRAILER_SIZE] = {0};
	memcpy(t, RDS_TRAILER_MAGIC, 8);
	regdiff__put_u64(t + 8, footer_offset);
	regdiff__put_u64(t + 16, w->offset + RDS_TRAILER_SIZE);
	regdiff__put_u64(t + 24, w->nblocks);
	regdiff__put_u64(t + 40, XXH3_64bits(t, 40));
	return emit(w, t, sizeof t);
}

void regdiff__writer_stats(const regdiff__writer *w, regdiff_shot_stats *out)
{
	out->keys = w->keys;
	out->values = w->values;
	out->value_bytes = w->value_bytes;
	out->problems = w->nproblems;
}

uint64_t regdiff__writer_keys(const regdiff__writer *w)
{
	return w->keys;
}

uint64_t regdiff__writer_values(const regdiff__writer *w)
{
	return w->values;
}

void regdiff__writer_free(regdiff__writer *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->stack_cap; i++) {
		regdiff__hash_free(w->stack[i].content);
		regdiff__hash_free(w->stack[i].times);
		regdiff__hash_free(w->stack[i].names);
		regdiff__buf_free(&w->stack[i].record);
		regdiff__buf_free(&w->stack[i].kids);
	}
	free(w->stack);
	regdiff__deflater_free(w->deflater);
	regdiff__buf_free(&w->block);
	regdiff__buf_free(&w->index);
	regdiff__buf_free(&w->late);
	regdiff__buf_free(&w->keys_index);
	free(w->keys_at);
	regdiff__buf_free(&w->tables);
	regdiff__buf_free(&w->tindex);
	regdiff__buf_free(&w->children_dir);
	regdiff__buf_free(&w->problems);
	free(w->name);
	free(w);
}
