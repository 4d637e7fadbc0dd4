/* Shot exclusions (regdiff_shot_options.exclude): subtrees a shot does
 * not read, recorded in the snapshot (footer tag 34) so that a compare
 * says they were not shot rather than calling them deleted or added. */
#ifndef REGDIFF_EXCLUSION_H
#define REGDIFF_EXCLUSION_H

#include "internal.h"

/* ---- Taking a shot ---- */

typedef struct regdiff__exclusions {
	const regdiff_filters *f; /* NULL: nothing is excluded */
	size_t n;
	uint64_t *subtrees;	  /* per rule: keys it matched, not shot */
	uint64_t *persist;	  /* ... of them at or above persistence locations */
	regdiff__buf *categories; /* per rule: those locations' categories */
	regdiff_locations *locs;
	size_t rule; /* the rule that matched the key being skipped */
	bool hit;    /* ... and whether persistence locations are in its way */
} regdiff__exclusions;

/* Starts the exclusions of f (borrowed; NULL for none), refusing rules a
 * shot cannot apply (REGDIFF_EINVAL saying which). */
int regdiff__exclusions_init(regdiff__exclusions *x, const regdiff_filters *f);

/* Whether the key at path (its full path, names split at each '\\') is
 * excluded: then it is counted, and the caller writes it as a key not
 * read, without its values and subkeys. */
bool regdiff__exclusions_skip(regdiff__exclusions *x, const uint16_t *path, size_t len);

/* The footer entries recording the exclusions, appended to out. */
int regdiff__exclusions_footer(const regdiff__exclusions *x, regdiff__buf *out);

void regdiff__exclusions_fini(regdiff__exclusions *x);

/* ---- Reading a snapshot ---- */

typedef struct regdiff__snap_excl regdiff__snap_excl;

/* Reads one footer entry (RDS_TLV_EXCLUSION) into *x (made on first use). */
int regdiff__snap_excl_read(regdiff__snap_excl **x, const char *name, const uint8_t *p, size_t len);
void regdiff__snap_excl_free(regdiff__snap_excl *x);

/* The sides, as REGDIFF_NOT_READ_BEFORE and _AFTER, whose snapshot
 * excluded the key at path (split at each '\\') from its shot. */
unsigned regdiff__excluded_sides(const regdiff_snapshot *before, const regdiff_snapshot *after,
				 const uint16_t *path, size_t len);

/* Whether either snapshot excluded anything. */
bool regdiff__excludes(const regdiff_snapshot *before, const regdiff_snapshot *after);

#endif
