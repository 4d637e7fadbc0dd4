/* The interface every source implements, and the walker that turns any
 * source into snapshot records in canonical order. */
#ifndef REGDIFF_SOURCE_INTERNAL_H
#define REGDIFF_SOURCE_INTERNAL_H

#include "hive_log.h"
#include "internal.h"
#include "snapshot_internal.h"

/* A named item of a key: a value or a subkey. The name is pool[off..off+len). */
typedef struct regdiff__item {
	size_t off;
	size_t len;
	uint64_t id;
} regdiff__item;

/* What a source tells of one key. Reused from key to key. */
typedef struct regdiff__listing {
	int64_t time;
	regdiff__item *values;
	size_t nvalues, values_cap;
	regdiff__item *children;
	size_t nchildren, children_cap;
	uint16_t *pool;
	size_t pool_len, pool_cap;
} regdiff__listing;

int regdiff__listing_add(regdiff__listing *l, int child, const uint16_t *name, size_t len,
			 uint64_t id);
/* The same in two steps, for a source that writes the name in place: room
 * for len units at the end of the pool (NULL when out of memory), then,
 * once written there, the item (a value, or a subkey if child). */
uint16_t *regdiff__listing_room(regdiff__listing *l, size_t len);
int regdiff__listing_push(regdiff__listing *l, int child, size_t len, uint64_t id);
void regdiff__listing_free(regdiff__listing *l);

/* What a source says of a key, in its own terms: the walker maps them to
 * the snapshot format's RDS_KEY_* flags, which sources do not use. */
enum regdiff__src_flags {
	REGDIFF__SRC_VALUES_UNREAD = 1u << 0,  /* some values were not read */
	REGDIFF__SRC_SUBKEYS_UNREAD = 1u << 1, /* some subkeys were not read */
	REGDIFF__SRC_HIVE_ROOT = 1u << 2       /* the key is a loaded hive's root */
};

/* Sources report what they could not read through this; the walker adds
 * the key's path. unread: REGDIFF__SRC_VALUES_UNREAD when values are
 * missing, REGDIFF__SRC_SUBKEYS_UNREAD when subkeys are, 0 for anything
 * else. */
typedef void (*regdiff__problem_fn)(void *ctx, unsigned unread, const char *what);

/* A value's data not copied into a buffer (see value_ref): size bytes at
 * kept or at given, or neither. */
typedef struct regdiff__data_ref {
	const uint8_t *kept;
	uint8_t *given;
	size_t size;
} regdiff__data_ref;

typedef struct regdiff__source_ops {
	regdiff_kind kind; /* its name goes into snapshots */
	/* Called before each walk, so that a source shot twice reads the same
	 * both times: what a walk remembers (cells seen, say) is forgotten.
	 * May be NULL. */
	int (*begin)(void *impl);
	int (*root)(void *impl, uint64_t *node);
	/* Fills l (already emptied) with node's time, values and subkeys.
	 * What cannot be read is reported and left out; a negative return is
	 * a failure of the whole shot (out of memory, say). */
	int (*list)(void *impl, uint64_t node, regdiff__listing *l, regdiff__problem_fn problem,
		    void *pctx);
	/* Reads a value's type and data into data (emptied first), and may
	 * set *declared to the size the source states for the data (else it
	 * is the data's). A value that cannot be read returns REGDIFF_EHIVE
	 * with a message, *type and *declared set if they are known. */
	int (*value)(void *impl, uint64_t node, uint64_t id, uint32_t *type, uint64_t *declared,
		     regdiff__buf *data);
	/* As value, but may instead leave data empty and give the data in
	 * ref: kept where the source holds it, in memory left unchanged
	 * until the source is freed, or given, malloc'd, for the caller to
	 * free; the walk then copies nothing. May be NULL. */
	int (*value_ref)(void *impl, uint64_t node, uint64_t id, uint32_t *type, uint64_t *declared,
			 regdiff__buf *data, regdiff__data_ref *ref);
	/* Opens subkey id of parent. REGDIFF_EACCESS / REGDIFF_EHIVE with a
	 * message when it cannot be: the key is kept as not read. */
	int (*open_child)(void *impl, uint64_t parent, uint64_t id, uint64_t *child);
	void (*close)(void *impl, uint64_t node);
	/* The computer and user names the source knows of (malloc'd; NULL if
	 * none). May be NULL. */
	int (*meta)(void *impl, char **computer, char **user);
	void (*free)(void *impl);
	/* Key flags (REGDIFF__SRC_HIVE_ROOT) of subkey id of parent, known
	 * without opening it (it may be denied). May be NULL: none. */
	unsigned (*child_flags)(void *impl, uint64_t parent, uint64_t id);
} regdiff__source_ops;

struct regdiff_source {
	const regdiff__source_ops *ops;
	void *impl;
	char *mount;	    /* canonical, UTF-8 */
	char *location;	    /* file or registry path */
	regdiff__logs logs; /* what was done about a hive's transaction logs */
	/* It reads what a backup privilege opens (SAM, SECURITY): its
	 * snapshot is written private. */
	bool secrets;
	/* A source read out of a disk image: its RDS_TLV_IMAGE footer entry
	 * (lib/image_entry.c); empty otherwise. */
	regdiff__buf image;
	int mount_derived; /* the mount was derived from the file's name */
};

/* Makes a source object around impl (freed with it on failure). */
int regdiff__source_new(regdiff_source **out, const regdiff__source_ops *ops, void *impl,
			const char *mount, const char *location);

int regdiff__source_open_hive_impl(regdiff_source **out, const char *file, const char *mount,
				   int logs_mode);
/* A disk image spec ("IMAGE", "IMAGE@N", "IMAGE@N:/path", lib/source_image.c).
 * *handled is 0 when s names no image: then nothing was done. */
int regdiff__source_open_image(regdiff_source **out, const char *s,
			       const regdiff_source_options *opts, int *handled);
int regdiff__source_open_live_impl(regdiff_source **out, const char *path, unsigned flags);

#ifdef _WIN32
/* In source_win32.c: the Windows version ("Windows 10.0.19045 x64") into
 * buf and whether the process is elevated (1, 0, -1 unknown), which
 * decides how much of the registry a shot can read. */
int regdiff__win32_host(char *buf, size_t size, int *elevated);
#endif

/* Walks src into w, its root named by the last component of its mount. */
typedef struct regdiff__walk_progress {
	regdiff_progress_fn fn;
	void *ctx;
	uint64_t keys, values;
} regdiff__walk_progress;
/* excl (may be NULL): the subtrees not to read (exclusion.h). */
struct regdiff__exclusions;
struct regdiff__wq;
int regdiff__walk(struct regdiff__wq *w, regdiff_source *src, const uint16_t *root_name,
		  size_t root_len, unsigned depth, regdiff__walk_progress *progress,
		  struct regdiff__exclusions *excl);

/* Whether path names something that exists and is not a folder. */
int regdiff__is_file(const char *path);

/* Mount paths. */
int regdiff__path_split(const char *path, char ***parts, size_t *n);
void regdiff__path_parts_free(char **parts, size_t n);

#endif
