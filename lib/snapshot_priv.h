/* The snapshot object, shared by snapshot.c and the reader. */
#ifndef REGDIFF_SNAPSHOT_PRIV_H
#define REGDIFF_SNAPSHOT_PRIV_H

#include "snapshot_internal.h"

/* Entries each of the footer's index arrays has room for. */
typedef struct regdiff__index_cap {
	size_t blocks, late, key_index, tblocks, children;
} regdiff__index_cap;

struct regdiff_snapshot {
	char *name; /* for messages: the file's path or "(memory)" */
	int fd;	    /* -1 for a snapshot in memory */
	const uint8_t *mem;
	uint64_t size;

	uint32_t version;
	char *producer;
	char *computer;
	char *user;
	char *system;
	int elevated;
	int64_t time;
	uint64_t keys, values, value_bytes, problems, records;
	size_t nsources;
	char **mounts, **kinds, **locations;
	regdiff__logs *logs; /* per source, grown with the sources */
	size_t nlogs;
	/* A Windows installation's (snapshot_install.c). */
	char **user_sids, **user_names;
	size_t nusers;
	char **notes;
	size_t nnotes;
	regdiff__buf *images; /* RDS_TLV_IMAGE entries, checked */
	size_t nimages;
	unsigned control_set;
	struct regdiff__snap_excl *excl; /* shot exclusions (exclusion.c); NULL: none */
	size_t nkept;
	char **problem_paths, **problem_whats;
	regdiff__block_entry *blocks;
	size_t nblocks;
	uint64_t trailer_blocks; /* as the trailer says: bounds the index */
	regdiff__late_entry *late;
	size_t nlate;
	/* The inflated footer, kept: the key index's records are read from it. */
	regdiff__buf footer;
	/* The key index (RDS_TLV_KEY), in record order. */
	regdiff__key_entry *key_index;
	size_t nkey_index;
	/* Version 4: the blocks of child tables (records: tables in each) and
	 * where each indexed key's table lies, in record order. */
	regdiff__block_entry *tblocks;
	size_t ntblocks;
	struct regdiff__children_ref *children;
	size_t nchildren;
	regdiff__index_cap cap; /* what the index arrays were allocated for */
	/* Its subtree and times digests are not there to compare
	 * (regdiff__writer_skip_subtree_digests): set by whoever wrote it,
	 * never read from a file. */
	int undigested;
	int nameless; /* no child-names digests either (REGDIFF_SHOT_NO_KEY_TIMES) */
	/* A temporary snapshot (regdiff__snapshot_open_temp): its bytes, owned,
	 * are this process's own, so its checksums are not checked. */
	struct regdiff__tempsnap *temp;
};

/* Where a key's child table lies (RDS_TLV_CHILDREN). */
typedef struct regdiff__children_ref {
	uint64_t ordinal;
	uint32_t block;
	uint32_t offset;
	uint32_t count;
} regdiff__children_ref;

/* The child table entry of key number ordinal, or NULL. */
const regdiff__children_ref *regdiff__snapshot_children_ref(const regdiff_snapshot *s,
							    uint64_t ordinal);

/* Nothing in it changes after it is opened: readers only read it (with
 * positional reads), so that any number of them, in any threads, may read
 * one snapshot at once. */

/* Reads len bytes at off of the snapshot's file or memory. */
int regdiff__snapshot_pread(const regdiff_snapshot *s, void *buf, size_t len, uint64_t off);

/* The key index's record of key number ordinal (*len bytes), or NULL. */
const uint8_t *regdiff__snapshot_key_entry(const regdiff_snapshot *s, uint64_t ordinal,
					   size_t *len);
/* The late summary of key number ordinal, or NULL. */
const regdiff__late_entry *regdiff__snapshot_late(const regdiff_snapshot *s, uint64_t ordinal);

/* Checks block i's header and hash against the index: *z is its
 * compressed bytes (*csize of them), in place for a snapshot in memory,
 * else read into zbuf. */
int regdiff__snapshot_block_bytes(const regdiff_snapshot *s, size_t i, regdiff__buf *zbuf,
				  const uint8_t **z, uint32_t *csize, uint32_t *usize);
/* Table block i, the same, its bytes always in zbuf. */
int regdiff__snapshot_load_tables(const regdiff_snapshot *s, size_t i, regdiff__buf *zbuf,
				  uint32_t *usize);

#endif
