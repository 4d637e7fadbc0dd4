/* The diff's use of child tables (diff_children.c): which children of a
 * changed key it passes over without reading them. */
#ifndef REGDIFF_DIFF_CHILDREN_H
#define REGDIFF_DIFF_CHILDREN_H

#include "snapshot_internal.h"

typedef struct regdiff__pairing regdiff__pairing;

/* *out stays NULL when either snapshot has no child tables (version 3).
 * Nor when times are compared (times: REGDIFF_DIFF_KEY_TIMES), which the
 * tables have no digests of. */
int regdiff__pairing_new(regdiff__pairing **out, const regdiff_snapshot *a,
			 const regdiff_snapshot *b, int times);
void regdiff__pairing_free(regdiff__pairing *p); /* accepts NULL */

/* The diff matched keys a and b, whose subtrees differ, and will read on
 * below them. first[s] is where side s may go on from when their values
 * are the same (their first subkey), else 0. */
int regdiff__pairing_push(regdiff__pairing *p, const regdiff__record *a, const regdiff__record *b,
			  uint64_t first[2]);
/* Before side s reads its next record with r: passes over the children
 * that are equal on both sides. */
int regdiff__pairing_guide(regdiff__pairing *p, int s, regdiff__reader *r);
/* After side s read rec: refuses a record its table does not list. */
int regdiff__pairing_check(regdiff__pairing *p, int s, const regdiff__record *rec);
/* Table blocks inflated. */
uint64_t regdiff__pairing_inflated(const regdiff__pairing *p);

#endif
