/* Filters: what the set, the noise profile and the report layer share. */
#ifndef REGDIFF_FILTER_INTERNAL_H
#define REGDIFF_FILTER_INTERNAL_H

#include "internal.h"

/* Adds a profile entry to f, its strings borrowed (they are static). */
int regdiff__filters_add_profile(regdiff_filters *f, const regdiff_filter_info *e);

/* 0 when every rule of f can skip keys while shooting (exclude rules of
 * keys, no kinds, no noise profile); else REGDIFF_EINVAL saying which
 * rule cannot and why. */
int regdiff__filters_shot_check(const regdiff_filters *f);

/* The exclude rule of f that matches the key (names ending at ends[i],
 * as regdiff_change.key_ends; count 0: split at every '\\'), or
 * SIZE_MAX. Clears the error record. */
size_t regdiff__filters_match_key(const regdiff_filters *f, const uint16_t *units, size_t len,
				  const size_t *ends, size_t count);

#endif
