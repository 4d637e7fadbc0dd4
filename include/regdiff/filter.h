/* regdiff - filters: leaving noise out of a report, never persistence.
 *
 * A filter set holds exclude and include rules, and optionally the
 * built-in noise profile (what Windows itself changes while a sample
 * runs: BAM, TaskCache, MUICache, UserAssist, shell bags, ...). A change
 * that an include rule matches is kept; else one that an exclude rule
 * matches is removed, unless it is at a persistence location
 * (regdiff_change.persistence): such a change is never removed, only
 * marked with the rule it matched, so that a too-broad rule shows.
 * REGDIFF_NOT_COMPARED entries are never filtered: they are not changes.
 *
 * Rule grammar (docs/filters.md):  KEY[:VALUE][ KINDS]
 *   KEY    names joined by '\', starting with a root written out
 *          (HKLM, HKU, HKCC, or their long forms; HKCU stands for HKU\*).
 *          A name "*" is any one name, "**" any number of names (none
 *          too); "*" inside a name is any run of characters in it.
 *          Names compare case-insensitively, as Windows compares them.
 *          A ':' inside a name is written "\:"; "\\:" is a separator
 *          and then a name starting with ':'.
 *   VALUE  after the first ':' not written "\:", a value name pattern
 *          (taken as it is; "*" any run of
 *          characters; "(default)" the unnamed value): the rule then
 *          matches value changes only.
 *   KINDS  after the last space, a comma-separated list of added,
 *          deleted, modified, key-added, key-deleted, key-modified,
 *          value-added, value-deleted, value-modified.
 * Refused (REGDIFF_EINVAL, saying why): a rule whose first name is not a
 * root written out (e.g. "**\Run", "*\Software"), and one with "**"
 * right after its root followed by more names (e.g. "HKLM\**\Foo"):
 * both would match a name wherever it is. "HKLM\**" (a whole root) is
 * allowed.
 */
#ifndef REGDIFF_FILTER_H
#define REGDIFF_FILTER_H

#include "common.h"
#include "diff.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct regdiff_filters regdiff_filters;

typedef enum regdiff_filter_action {
	REGDIFF_FILTER_EXCLUDE = 0,
	REGDIFF_FILTER_INCLUDE = 1
} regdiff_filter_action;

/* One rule of a set or of the noise profile. Strings are ASCII or UTF-8,
 * "" when there is nothing to say. */
typedef struct regdiff_filter_info {
	regdiff_filter_action action;
	const char *rule;    /* as written, e.g. "HKU\*\...\UserAssist\**" */
	const char *reason;  /* why it is noise, e.g. "Explorer's run counts" */
	const char *windows; /* the versions it was seen on, e.g. "7, 8.1, 10, 11" */
	const char *origin;  /* "noise", "regdiff's own", "--exclude", "FILE:LINE" */
} regdiff_filter_info;

enum regdiff_filters_flags {
	/* Start with the built-in noise profile (and regdiff's own traces). */
	REGDIFF_FILTERS_NOISE = 1u << 0
};

/* A new set: empty, or the noise profile with REGDIFF_FILTERS_NOISE. The
 * caller owns *out (regdiff_filters_free()); *out is NULL on failure. */
REGDIFF_API int regdiff_filters_new(regdiff_filters **out, unsigned flags);

/* Adds one rule; origin (may be NULL: "") says where it came from in
 * reports. A bad rule fails with REGDIFF_EINVAL and a message saying
 * why; the set is then unchanged. */
REGDIFF_API int regdiff_filters_add(regdiff_filters *f, regdiff_filter_action action,
				    const char *rule, const char *origin);

/* Adds the rules of a file: one per line, "exclude RULE" or "include
 * RULE"; blank lines and lines starting with '#' are skipped. A bad line
 * fails with REGDIFF_EINVAL and "FILE:LINE: why"; then nothing of the
 * file is added. */
REGDIFF_API int regdiff_filters_load(regdiff_filters *f, const char *path);

/* The same from len bytes of text; name is for messages. */
REGDIFF_API int regdiff_filters_parse(regdiff_filters *f, const char *text, size_t len,
				      const char *name);

/* The number of rules in the set, and rule i (0 <= i < count), borrowed
 * from the set; NULL when i is out of range. */
REGDIFF_API size_t regdiff_filters_count(const regdiff_filters *f);
REGDIFF_API const regdiff_filter_info *regdiff_filters_get(const regdiff_filters *f, size_t i);

/* Whether the set holds the noise profile. */
REGDIFF_API int regdiff_filters_noise(const regdiff_filters *f);

/* What to do with a change. */
typedef enum regdiff_filter_verdict {
	REGDIFF_FILTER_KEEP = 0,       /* no exclude rule matched, or an include did */
	REGDIFF_FILTER_REMOVE = 1,     /* an exclude rule matched */
	REGDIFF_FILTER_KEEP_MARKED = 2 /* an exclude rule matched a change at a
					* persistence location: kept, marked */
} regdiff_filter_verdict;

/* The verdict for c (>= 0), with *rule (may be NULL) the index of the
 * exclude rule that matched, else SIZE_MAX. The persistence guard reads
 * c->persistence, which regdiff_diff_next() sets; tag changes made
 * elsewhere with regdiff_locations_match() first. */
REGDIFF_API int regdiff_filters_match(size_t *rule, const regdiff_filters *f,
				      const regdiff_change *c);

/* Frees the set. Accepts NULL. */
REGDIFF_API void regdiff_filters_free(regdiff_filters *f);

/* ---- The built-in noise profile ---- */

/* Its version, e.g. "2026.11" (static string). */
REGDIFF_API const char *regdiff_noise_profile_version(void);

/* Its number of entries, and entry i (static, NULL when out of range). */
REGDIFF_API size_t regdiff_noise_profile_count(void);
REGDIFF_API const regdiff_filter_info *regdiff_noise_profile_get(size_t i);

#ifdef __cplusplus
}
#endif
#endif
