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
	REGDIFF_NOT_READ_OTHER = 1u << 5,   /* something else of the key (its
					     * time, or a damaged hive read in
					     * libhivex's unsafe mode) */
	/* The key is the root of a hive a live shot found loaded on the
	 * other side only (a user logged on or off, servicing loaded
	 * COMPONENTS): the side named had no such hive, and the subtree is
	 * one entry, not every key added or deleted. */
	REGDIFF_NOT_READ_HIVE = 1u << 6,
	/* The key and its subtree were not shot on the sides named: an
	 * exclusion rule of that snapshot matched it
	 * (regdiff_snapshot_get_exclusion). One entry for the subtree; what
	 * the other side holds there is neither added nor deleted. */
	REGDIFF_NOT_READ_EXCLUDED = 1u << 7
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

/* A value's type and exact bytes. bytes may be unaligned (it points into a
 * snapshot's block): read UTF-16 and numbers from it byte by byte, or use
 * what the reports use. */
typedef struct regdiff_data {
	uint32_t type;
	const uint8_t *bytes;
	size_t len;
	/* 1 when the data could not be read (len is then 0): stated_len is
	 * the size the source states for it, which still compares. */
	int not_read;
	uint64_t stated_len;
} regdiff_data;

/* A persistence location (an autostart extensibility point: a Run key, a
 * service, Winlogon, ...; docs/persistence.md) that a change is at. The
 * strings are ASCII. */
typedef struct regdiff_persistence {
	const char *category; /* e.g. "run", "service", "winlogon" */
	const char *attack;   /* its MITRE ATT&CK technique, e.g. "T1547.001" */
	const char *pattern;  /* the location as its table writes it, e.g.
			       * "{U}\Software\Microsoft\Windows\CurrentVersion\Run" */
} regdiff_persistence;

/* A set of persistence locations (see regdiff_locations_new()). */
typedef struct regdiff_locations regdiff_locations;

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
	/* The persistence location the change is at, or NULL. Borrowed from
	 * the diff's locations: valid as long as they are (the built-in ones
	 * as long as the diff). REGDIFF_NOT_COMPARED is never tagged. */
	const regdiff_persistence *persistence;
	/* Where key's names end, since a name may itself hold a '': key
	 * holds key_count names, name i being key.units[s .. key_ends[i])
	 * with s = 0 for i = 0, else key_ends[i - 1] + 1; a '' anywhere
	 * else is part of a name. Borrowed like key. regdiff_diff_next()
	 * always sets them; a change made elsewhere may leave key_count 0
	 * ("split key at every ''"). */
	const size_t *key_ends;
	size_t key_count;
} regdiff_change;

enum regdiff_diff_flags {
	/* Also report keys whose last-write time changed while their values
	 * and the set of their direct subkeys stayed the same
	 * (REGDIFF_KEY_MODIFIED): nothing else explains the new time. */
	REGDIFF_DIFF_KEY_TIMES = 1u << 0,
	/* Also list keys and values not read alike on both sides (the same
	 * parts of a key, a value's data of the same type and stated size)
	 * as REGDIFF_NOT_COMPARED; by default they are only counted
	 * (regdiff_diff_unread_both()), since their readability did not
	 * change: a live registry holds thousands of keys no shot may
	 * read. */
	REGDIFF_DIFF_ALL_NOT_COMPARED = 1u << 1
};

#define REGDIFF_DIFF_OPTIONS_VERSION 2
typedef struct regdiff_diff_options {
	unsigned version;	      /* REGDIFF_DIFF_OPTIONS_VERSION (1 is read too) */
	unsigned flags;		      /* regdiff_diff_flags */
	regdiff_progress_fn progress; /* keys compared so far; may be NULL */
	void *progress_ctx;
	/* Version 2: the persistence locations to tag changes with
	 * (borrowed; must outlive the diff and not change while it runs).
	 * NULL: the built-in ones. */
	const regdiff_locations *locations;
} regdiff_diff_options;
#define REGDIFF_DIFF_OPTIONS_INIT                                                                  \
	{                                                                                          \
		REGDIFF_DIFF_OPTIONS_VERSION, 0, NULL, NULL, NULL                                  \
	}

/* Starts comparing before with after. Both snapshots are borrowed and must
 * outlive the diff. Each diff reads the snapshots through readers of its
 * own: a snapshot may be in any number of diffs at once, in one thread or
 * several (see "Threads" in snapshot.h). opts may be NULL. The caller owns
 * *out (regdiff_diff_free()). */
REGDIFF_API int regdiff_diff_new(regdiff_diff **out, const regdiff_snapshot *before,
				 const regdiff_snapshot *after, const regdiff_diff_options *opts);

/* The next change into *out, or REGDIFF_ITEROVER (with *out NULL) when there
 * are no more. An error (a corrupt block, say) ends the diff: every later
 * call returns it again. A diff is used by one thread at a time. */
REGDIFF_API int regdiff_diff_next(const regdiff_change **out, regdiff_diff *diff);

/* The two snapshots being compared. Borrowed. */
REGDIFF_API const regdiff_snapshot *regdiff_diff_before(const regdiff_diff *diff);
REGDIFF_API const regdiff_snapshot *regdiff_diff_after(const regdiff_diff *diff);

/* How many keys and values not read alike on both sides the diff has
 * passed over so far without listing them (see
 * REGDIFF_DIFF_ALL_NOT_COMPARED); 0 for NULL. */
REGDIFF_API uint64_t regdiff_diff_unread_both(const regdiff_diff *diff);

/* Frees the diff (not the snapshots). Accepts NULL. */
REGDIFF_API void regdiff_diff_free(regdiff_diff *diff);

/* ---- Persistence locations ----
 *
 * Every change a diff yields (but REGDIFF_NOT_COMPARED) at a persistence
 * location carries it in regdiff_change.persistence. The built-in table
 * holds the autostart locations listed in docs/persistence.md; a set may
 * add its user's own, in the same form, from a file. */

enum regdiff_locations_flags {
	REGDIFF_LOCATIONS_NO_BUILTIN = 1u << 0 /* start empty */
};

/* A new set of locations: the built-in ones, or none with
 * REGDIFF_LOCATIONS_NO_BUILTIN. The caller owns *out
 * (regdiff_locations_free()). */
REGDIFF_API int regdiff_locations_new(regdiff_locations **out, unsigned flags);

/* Adds the locations listed in the file at path (format in
 * docs/persistence.md). A bad row fails with REGDIFF_EINVAL and a message
 * naming the file and line; then nothing of the file is added. */
REGDIFF_API int regdiff_locations_load(regdiff_locations *locs, const char *path);

/* The same from len bytes of text; name is for error messages. */
REGDIFF_API int regdiff_locations_parse(regdiff_locations *locs, const char *text, size_t len,
					const char *name);

/* The number of locations in the set (one per key pattern of each row). */
REGDIFF_API size_t regdiff_locations_count(const regdiff_locations *locs);

/* The location change c is at, or NULL: what regdiff_diff_next() puts in
 * c->persistence, for changes made elsewhere. Borrowed from locs. */
REGDIFF_API const regdiff_persistence *regdiff_locations_match(const regdiff_locations *locs,
							       const regdiff_change *c);

/* Frees the set. Accepts NULL. */
REGDIFF_API void regdiff_locations_free(regdiff_locations *locs);

/* Like regdiff_diff_next(), but passes over every change that is not at a
 * persistence location. */
REGDIFF_API int regdiff_diff_next_persistence(const regdiff_change **out, regdiff_diff *diff);

#ifdef __cplusplus
}
#endif
#endif
