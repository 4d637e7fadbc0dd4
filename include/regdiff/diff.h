/* regdiff - comparing two snapshots.
 *
 * A diff is one streaming merge of two snapshots in canonical order: it
 * yields changes one at a time, in key-path order, with memory bounded
 * whatever the registry's size. Subtrees whose hashes are equal are passed
 * over without comparing their content.
 */
#ifndef REGDIFF_DIFF_H
#define REGDIFF_DIFF_H

#include "common.h"
#include "name.h"
#include "snapshot.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct regdiff_diff regdiff_diff;

/* Kinds of change. Append only. */
typedef enum regdiff_op {
	REGDIFF_KEY_DELETED = 1,
	REGDIFF_KEY_ADDED = 2,
	REGDIFF_VALUE_DELETED = 3,
	REGDIFF_VALUE_ADDED = 4,
	REGDIFF_VALUE_MODIFIED = 5, /* data or type changed */
	REGDIFF_KEY_MODIFIED = 6,   /* only the last-write time changed */
	REGDIFF_NOT_COMPARED = 7    /* could not be read on one side or both:
				     * see not_read. Not a change: what it
				     * names was not seen, so neither "changed"
				     * nor "unchanged" can be claimed. */
} regdiff_op;
#define REGDIFF_OP_COUNT 8 /* for arrays indexed by regdiff_op */

/* What a REGDIFF_NOT_COMPARED change names, and on which side. */
enum regdiff_not_read {
	REGDIFF_NOT_READ_BEFORE = 1u << 0,  /* in the before snapshot */
	REGDIFF_NOT_READ_AFTER = 1u << 1,   /* in the after snapshot */
	REGDIFF_NOT_READ_VALUES = 1u << 2,  /* some values of the key */
	REGDIFF_NOT_READ_SUBKEYS = 1u << 3, /* some subkeys of the key */
	REGDIFF_NOT_READ_DATA = 1u << 4,    /* the data of the value named */
	REGDIFF_NOT_READ_OTHER = 1u << 5    /* something else of the key (its
					     * time, or a damaged hive read in
					     * libhivex's unsafe mode) */
};

/* Registry value types with names; any other uint32 is a valid type too. */
enum regdiff_value_type {
	REGDIFF_REG_NONE = 0,
	REGDIFF_REG_SZ = 1,
	REGDIFF_REG_EXPAND_SZ = 2,
	REGDIFF_REG_BINARY = 3,
	REGDIFF_REG_DWORD = 4,
	REGDIFF_REG_DWORD_BIG_ENDIAN = 5,
	REGDIFF_REG_LINK = 6,
	REGDIFF_REG_MULTI_SZ = 7,
	REGDIFF_REG_RESOURCE_LIST = 8,
	REGDIFF_REG_FULL_RESOURCE_DESCRIPTOR = 9,
	REGDIFF_REG_RESOURCE_REQUIREMENTS_LIST = 10,
	REGDIFF_REG_QWORD = 11
};

/* "REG_SZ" ... for types 0-11, NULL for any other. Static string. */
REGDIFF_API const char *regdiff_type_name(uint32_t type);

/* A value's type and exact bytes. */
typedef struct regdiff_data {
	uint32_t type;
	const uint8_t *bytes;
	size_t len;
} regdiff_data;

/* One change. Everything in it is borrowed from the diff and valid until
 * the next regdiff_diff_next() or regdiff_diff_free(). */
typedef struct regdiff_change {
	regdiff_op op;
	/* The key's full path from the mount, components joined by '\',
	 * e.g. HKLM\SOFTWARE\Microsoft. */
	regdiff_name key;
	/* Value ops: the value's name; length 0 for the default value. */
	regdiff_name value;
	/* VALUE_DELETED: old; VALUE_ADDED: new; VALUE_MODIFIED: both. */
	regdiff_data old_data;
	regdiff_data new_data;
	/* Key ops: last-write times (FILETIME), 0 on the side without the
	 * key. */
	int64_t old_time;
	int64_t new_time;
	/* REGDIFF_NOT_COMPARED: regdiff_not_read flags; 0 otherwise. */
	unsigned not_read;
} regdiff_change;

enum regdiff_diff_flags {
	/* Also report keys whose last-write time changed while none of their
	 * values and none of their direct subkeys did (REGDIFF_KEY_MODIFIED). */
	REGDIFF_DIFF_KEY_TIMES = 1u << 0
};

#define REGDIFF_DIFF_OPTIONS_VERSION 1
typedef struct regdiff_diff_options {
	unsigned version; /* REGDIFF_DIFF_OPTIONS_VERSION */
	unsigned flags;   /* regdiff_diff_flags */
	regdiff_progress_fn progress; /* keys compared so far; may be NULL */
	void *progress_ctx;
} regdiff_diff_options;
#define REGDIFF_DIFF_OPTIONS_INIT { REGDIFF_DIFF_OPTIONS_VERSION, 0, NULL, NULL }

/* Starts comparing before with after. Both snapshots are borrowed and must
 * outlive the diff; each may be in only one diff at a time. opts may be
 * NULL. The caller owns *out (regdiff_diff_free()). */
REGDIFF_API int regdiff_diff_new(regdiff_diff **out, regdiff_snapshot *before,
				 regdiff_snapshot *after,
				 const regdiff_diff_options *opts);

/* The next change into *out, or REGDIFF_ITEROVER when there are no more.
 * An error (a corrupt block, say) ends the diff. */
REGDIFF_API int regdiff_diff_next(regdiff_diff *diff,
				  const regdiff_change **out);

/* The two snapshots being compared. Borrowed. */
REGDIFF_API regdiff_snapshot *regdiff_diff_before(const regdiff_diff *diff);
REGDIFF_API regdiff_snapshot *regdiff_diff_after(const regdiff_diff *diff);

/* Frees the diff (not the snapshots). Accepts NULL. */
REGDIFF_API void regdiff_diff_free(regdiff_diff *diff);

#ifdef __cplusplus
}
#endif
#endif
