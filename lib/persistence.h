/* Persistence locations: the built-in table, user tables, and the matcher
 * that tags each change a diff yields (docs/persistence.md). */
#ifndef REGDIFF_PERSISTENCE_H
#define REGDIFF_PERSISTENCE_H

#include "internal.h"

/* One row of a locations table as text: the built-in table and user files
 * share this form. key is one key pattern ("{SW}\Microsoft\...\Run");
 * values is "*", "**", or value names and "new key", comma-separated. */
typedef struct regdiff__location_row {
	const char *category;
	const char *key;
	const char *values;
	const char *attack;
} regdiff__location_row;

/* The built-in table (persistence_table.c). */
extern const regdiff__location_row regdiff__location_table[];
extern const size_t regdiff__location_table_len;

/* A diff's persistence state: the set it tags with, and the built-in set
 * it made itself when the caller gave none. */
typedef struct regdiff__persistence {
	const regdiff_locations *locs;
	regdiff_locations *owned;
	/* Offline SYSTEM has no CurrentControlSet: the control set each
	 * snapshot's Select\Current names (0: unknown, any matches). */
	unsigned cs[2];
} regdiff__persistence;

/* Tags with locs (borrowed; it must outlive the diff), or with the
 * built-in table when locs is NULL. */
void regdiff__persistence_init(regdiff__persistence *p, const regdiff_locations *locs);

/* Sets c->persistence to the location c is at, or NULL. The first call
 * compiles the built-in table if it is the one: REGDIFF_ENOMEM. */
int regdiff__persistence_tag(regdiff__persistence *p, regdiff_change *c);

/* Gives found each location at the key (split at each '\\') or below
 * it, and one above it that takes in its subkeys: what a shot that skips
 * the key's subtree cannot see. */
void regdiff__locations_under(const regdiff_locations *L, const uint16_t *key, size_t len,
			      void (*found)(void *ctx, const regdiff_persistence *p), void *ctx);

/* Frees what init made. Accepts a zeroed p. */
void regdiff__persistence_fini(regdiff__persistence *p);

#endif
