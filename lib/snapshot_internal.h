/* Internal interfaces of the snapshot writer and reader. */
#ifndef REGDIFF_SNAPSHOT_INTERNAL_H
#define REGDIFF_SNAPSHOT_INTERNAL_H

#include <string.h>

#include "hash.h"
#include "hive_log.h"
#include "internal.h"

/* A 16-byte digest as the format stores it (lib/hash.h). */
typedef struct regdiff__digest {
	uint8_t b[REGDIFF__DIGEST_SIZE];
} regdiff__digest;

static inline int regdiff__digest_eq(const regdiff__digest *a, const regdiff__digest *b)
{
	return memcmp(a->b, b->b, sizeof a->b) == 0;
}

/* The hash of a snapshot's subtree and times digests, by its format
 * version: two snapshots whose digests come from different hashes are
 * compared by reading both (their child-names digests are BLAKE2b in
 * every version, and compare). */
static inline regdiff__hash_alg regdiff__subtree_alg(unsigned version)
{
	return version >= 5 ? REGDIFF__HASH_SHA256 : REGDIFF__HASH_BLAKE2B;
}

/* ---- writer ---- */

typedef struct regdiff__writer regdiff__writer;

/* Metadata written into the footer. */
typedef struct regdiff__meta {
	const char *producer;
	int64_t time;
	const char *computer;
	const char *user;
	const char *system; /* NULL: not a live shot */
	int elevated;	    /* 1 elevated, 0 not, -1 unknown (or not live) */
	size_t nsources;
	const char *const *mounts;
	const char *const *kinds;
	const char *const *locations;
	const regdiff__logs *const *logs; /* per source, NULL: nothing to say */
} regdiff__meta;

/* The disk images sources were read out of, RDS_TLV_IMAGE entries for
 * the footer: borrowed until the writer finishes. */
void regdiff__writer_set_images(regdiff__writer *w, const regdiff__buf *const *images, size_t n);
/* More footer entries, made by their own module (exclusion.c): borrowed
 * until the writer finishes. */
void regdiff__writer_set_extra(regdiff__writer *w, const regdiff__buf *tlvs);

/* A disk image's footer entry (lib/image_entry.c): checked, and read into
 * strings borrowed from p. */
int regdiff__image_entry_make(regdiff__buf *b, const char *path, const char *format, uint64_t size,
			      unsigned partition, const char *md5, const char *sha1);
int regdiff__image_entry_check(const uint8_t *p, size_t n);
void regdiff__image_entry_read(const uint8_t *p, size_t n, regdiff_snapshot_image *out);

/* A Windows installation's metadata, for the footer. */
typedef struct regdiff__install_footer {
	size_t nusers;
	const char *const *sids, *const *user_names;
	size_t nnotes;
	const char *const *notes;
	unsigned control_set; /* 0: none */
} regdiff__install_footer;

/* Writes a snapshot through sink(ctx, ...); name is used in messages.
 * level: zlib's 1-9, 0 for the default (1), negative for stored blocks. */
int regdiff__writer_new(regdiff__writer **out, regdiff_write_fn sink, void *ctx, const char *name,
			int level);
/* The same in an older format version (RDS_FORMAT_VERSION_MIN on): for
 * tests that check older snapshots still compare. */
int regdiff__writer_new_version(regdiff__writer **out, regdiff_write_fn sink, void *ctx,
				const char *name, int level, unsigned version);
/* Tests and fuzz seeds only: blocks of about bytes (less than
 * RDS_BLOCK_TARGET) rather than RDS_BLOCK_TARGET, so that a small tree
 * spans blocks as a registry does, with late summaries, the key index and
 * child tables. Before the first record. */
void regdiff__writer_set_block_target(regdiff__writer *w, size_t bytes);
/* A snapshot read once and thrown away (regdiff_shot_take): no subtree
 * or times digests (each holds the digest of nothing) and no child
 * tables, which only let a compare pass over what is equal unread. The
 * snapshot must then be marked (regdiff__snapshot_mark_undigested) so
 * that a compare reads it whole. Before the first record. */
void regdiff__writer_skip_subtree_digests(regdiff__writer *w);
/* The same snapshot, read back only by the process that wrote it
 * (regdiff__snapshot_open_temp checks no checksum): blocks get none, each
 * 0. Before the first record. */
void regdiff__writer_skip_checksums(regdiff__writer *w);
/* The same snapshot, for a compare without key times
 * (REGDIFF_SHOT_NO_KEY_TIMES): no child-names digests either. */
void regdiff__writer_skip_names_digests(regdiff__writer *w);
/* A key; its values follow, then its subkeys, then key_end. Keys and values
 * must come in canonical order. flags: RDS_KEY_SYNTHETIC, RDS_KEY_MOUNT and
 * the RDS_KEY_UNREAD ones. */
int regdiff__writer_key_begin(regdiff__writer *w, const uint16_t *name, size_t len, int64_t time,
			      uint32_t nvalues, uint32_t nsubkeys, unsigned flags);
int regdiff__writer_value(regdiff__writer *w, const uint16_t *name, size_t len, uint32_t type,
			  const uint8_t *data, size_t size, unsigned flags);
/* The same, with the size the source states for the data (declared), which
 * is kept when the data could not be read (RDS_VALUE_UNREADABLE). */
int regdiff__writer_value_sized(regdiff__writer *w, const uint16_t *name, size_t len, uint32_t type,
				const uint8_t *data, size_t size, uint32_t declared,
				unsigned flags);
/* Marks the open key as not fully read (something found after key_begin). */
void regdiff__writer_mark_incomplete(regdiff__writer *w);
int regdiff__writer_key_end(regdiff__writer *w);
/* Records that something at path (UTF-8) could not be read (the caller
 * also flags the key concerned). */
int regdiff__writer_problem(regdiff__writer *w, const char *path, const char *what);
int regdiff__writer_finish(regdiff__writer *w, const regdiff__meta *meta);
/* The same, with a Windows installation's metadata (NULL: none). */
int regdiff__writer_finish_install(regdiff__writer *w, const regdiff__meta *meta,
				   const regdiff__install_footer *install);
/* What has been written so far (version untouched). */
void regdiff__writer_stats(const regdiff__writer *w, regdiff_shot_stats *out);
uint64_t regdiff__writer_keys(const regdiff__writer *w);
uint64_t regdiff__writer_values(const regdiff__writer *w);
void regdiff__writer_free(regdiff__writer *w);

/* ---- snapshot and reader ---- */

typedef struct regdiff__block_entry {
	uint64_t offset;
	uint64_t first;
	uint32_t records;
	uint32_t csize;
	uint64_t hash;
} regdiff__block_entry;

typedef struct regdiff__late_entry {
	uint64_t ordinal;
	regdiff__digest subtree_hash;
	regdiff__digest times_hash;
	regdiff__digest names_hash;
	uint64_t end;
	uint8_t flags;
} regdiff__late_entry;

/* A key index entry: its record is len bytes at offset. */
typedef struct regdiff__key_entry {
	uint64_t ordinal;
	size_t offset;
	size_t len;
} regdiff__key_entry;

/* One record as read. Pointers borrow the reader's block buffer: valid
 * until the next reader call. */
typedef struct regdiff__record {
	int tag; /* RDS_REC_KEY or RDS_REC_VALUE */
	unsigned flags;
	uint64_t ordinal;
	const uint16_t *name; /* aligned copy of the name */
	size_t name_len;
	/* keys */
	unsigned depth;
	int64_t time;
	uint32_t nvalues;
	uint32_t nsubkeys;
	regdiff__digest subtree_hash;
	regdiff__digest times_hash;
	regdiff__digest names_hash;
	uint64_t end;
	/* values */
	uint32_t type;
	const uint8_t *data;
	uint32_t size;
	uint32_t declared; /* the size the source states (RDS_VALUE_FIXED) */
} regdiff__record;

typedef struct regdiff__reader regdiff__reader;

int regdiff__reader_new(regdiff__reader **out, const regdiff_snapshot *snap);

/* The snapshot's name for messages (its file's path, "(memory)"). */
const char *regdiff__snapshot_name(const regdiff_snapshot *snap);
/* See regdiff__writer_skip_subtree_digests; nameless: and
 * regdiff__writer_skip_names_digests. */
void regdiff__snapshot_mark_undigested(regdiff_snapshot *snap, int nameless);
/* Whether the snapshot has its child-names digests. */
int regdiff__snapshot_has_names(const regdiff_snapshot *snap);
/* Whether a diff may take a and b's subtrees as equal by their digests:
 * both have them, made by the same hash. */
int regdiff__snapshot_digests_comparable(const regdiff_snapshot *a, const regdiff_snapshot *b);
/* The next record, or REGDIFF_ITEROVER after the last. */
int regdiff__reader_next(regdiff__reader *r, const regdiff__record **out);
/* Moves so that the next record read is number ordinal (>= the current
 * position); whole blocks in between are checked but not inflated. */
int regdiff__reader_skip_to(regdiff__reader *r, uint64_t ordinal);
/* The same, passing over whole sibling subtrees of the keys at depth
 * (child tables): ordinal is where the next sibling read begins. */
int regdiff__reader_skip_siblings(regdiff__reader *r, unsigned depth, uint64_t ordinal);
/* The number of the next record. */
uint64_t regdiff__reader_ordinal(const regdiff__reader *r);
/* How many blocks it has inflated (tests of what a compare reads). */
uint64_t regdiff__reader_inflated(const regdiff__reader *r);
/* The path of the last key read, components joined by '\'; for depth d
 * the first path_len(d) units are the path of its ancestor at depth d. */
const uint16_t *regdiff__reader_path(const regdiff__reader *r, size_t *len);
size_t regdiff__reader_path_len_at(const regdiff__reader *r, unsigned depth);
/* The ends of the path's names (path_len_at of each depth), *count of
 * them: a name may hold a '\'. */
const size_t *regdiff__reader_path_ends(const regdiff__reader *r, size_t *count);
void regdiff__reader_free(regdiff__reader *r);

#endif
