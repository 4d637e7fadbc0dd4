/* Child tables of snapshot format version 4 (docs/snapshot-format.md,
 * "Child tables"): for a key whose subtree spans blocks, each subkey's
 * record number, digests and flags, and the key's values digest. */
#ifndef REGDIFF_SNAPSHOT_CHILDREN_H
#define REGDIFF_SNAPSHOT_CHILDREN_H

#include "snapshot_priv.h"
#include "zraw.h"

typedef struct regdiff__child {
	uint64_t ordinal;
	regdiff__digest subtree;
	uint8_t flags;
} regdiff__child;

typedef struct regdiff__children {
	regdiff__digest values; /* the key's name and values */
	regdiff__child *child;
	size_t n;
} regdiff__children;

/* The last table block inflated, kept: a key's table and its subkeys'
 * are mostly in one. */
typedef struct regdiff__children_loader {
	regdiff__buf zbuf, raw;
	regdiff__inflater *inflater;
	uint32_t block;
	int have;
	uint64_t inflated; /* table blocks inflated */
} regdiff__children_loader;

int regdiff__children_loader_init(regdiff__children_loader *l);
void regdiff__children_loader_fini(regdiff__children_loader *l);

/* The child table of key (as read, its late summary applied) into *out:
 * 1 when it has one that takes at most budget bytes in memory, 0 when it
 * has none (or a larger one), negative on error: a table that is not the
 * one key's digests were made from is refused. */
int regdiff__children_load(regdiff__children *out, regdiff__children_loader *l,
			   const regdiff_snapshot *s, const regdiff__record *key, size_t budget);
void regdiff__children_free(regdiff__children *c);

#endif
