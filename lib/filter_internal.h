/* Filters: what the set, the noise profile and the report layer share. */
#ifndef REGDIFF_FILTER_INTERNAL_H
#define REGDIFF_FILTER_INTERNAL_H

#include "internal.h"

/* Adds a profile entry to f, its strings borrowed (they are static). */
int regdiff__filters_add_profile(regdiff_filters *f, const regdiff_filter_info *e);

#endif
