/* regdiff - snapshots: taking them, writing them, loading them.
 *
 * A snapshot holds every key (name, last-write time) and value (name, type
 * number, exact bytes) of its sources, in canonical order (see name.h), with
 * a cryptographic digest of every key's whole subtree. The file format is
 * specified in docs/snapshot-format.md; it is the same on every platform.
 *
 * Taking and reading stream: memory stays bounded whatever the registry's
 * size (a few MiB plus one key's values).
 *
 * Sources need not outlive the snapshots taken of them: a shot copies all
 * it reads, and a snapshot never refers to its sources.
 *
 * Temporary files: regdiff_shot_to_file() writes OUT.tmp-XXXXXX beside
 * OUT (renamed over it when complete); regdiff_shot_take() and reports
 * spool into anonymous files in $TMPDIR (else /tmp; on Windows the TMP or
 * TEMP folder), removed when done. A temporary file that cannot be made
 * fails with a message naming that folder.
 *
 * Threads: nothing in a snapshot changes once it is open, so one snapshot
 * may be read by any number of diffs at once, in any threads (each diff
 * reads through readers of its own). A diff, a source or a set of
 * locations is used by one thread at a time; distinct objects need no
 * locking. Error records are per thread. In POSIX builds a shot to a file
 * or to memory writes the snapshot on threads of its own while it reads
 * on the calling thread, which alone calls the progress callback.
 */
#ifndef REGDIFF_SNAPSHOT_H
#define REGDIFF_SNAPSHOT_H

#include "common.h"
#include "source.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct regdiff_snapshot regdiff_snapshot;

/* Flags for regdiff_shot_options.flags. */
enum regdiff_shot_flags {
	/* Write the file readable by its owner only (0600; on Windows a
	 * protected DACL for the process's account), whatever the file it
	 * replaces allowed. Implied when a source holds secrets: a live
	 * source opened with REGDIFF_LIVE_BACKUP, a hive mounted at or below
	 * HKLM\SAM or HKLM\SECURITY. */
	REGDIFF_SHOT_PRIVATE = 1u << 0,
	/* A snapshot read back at once (regdiff_shot_take, regdiff_side_shoot,
	 * regdiff_sides_shoot) that will not be compared with
	 * REGDIFF_DIFF_KEY_TIMES: the digests of each key's subkey names,
	 * which only that flag reads, are not made (BLAKE2b, a twentieth of
	 * a direct compare), and regdiff_diff_new refuses the flag with it
	 * (REGDIFF_EINVAL). Shots to a file or to memory make them all. */
	REGDIFF_SHOT_NO_KEY_TIMES = 1u << 1
};

struct regdiff_filters; /* filter.h */

#define REGDIFF_SHOT_OPTIONS_VERSION 3
typedef struct regdiff_shot_options {
	unsigned version;	      /* REGDIFF_SHOT_OPTIONS_VERSION */
	regdiff_progress_fn progress; /* may be NULL */
	void *progress_ctx;
	int compression_level; /* zlib level 1-9; 0 = default (1: shots are
				* bound by compression time) */
	/* Metadata to record instead of what the sources tell; NULL = derive
	 * (offline: the ComputerName of a SYSTEM hive and the user of a single
	 * NTUSER.DAT; live: the machine's). */
	const char *computer;
	const char *user;
	unsigned flags; /* version 2: regdiff_shot_flags */
	/* Version 3: subtrees not to read (borrowed for the shot; NULL:
	 * none). Exclude rules of keys only (no value rules, change kinds,
	 * include rules or noise profile: REGDIFF_EINVAL). A key a rule
	 * matches is written as a key not read, without its values and
	 * subkeys, and the snapshot records the rules
	 * (regdiff_snapshot_get_exclusion): a compare reports such subtrees
	 * as REGDIFF_NOT_READ_EXCLUDED, on either side, never as deleted or
	 * added. */
	const struct regdiff_filters *exclude;
} regdiff_shot_options;
#define REGDIFF_SHOT_OPTIONS_INIT                                                                  \
	{                                                                                          \
		REGDIFF_SHOT_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, 0, NULL                   \
	}

/* What a shot recorded (the counts regdiff_snapshot_get_info() reads back
 * from the file). */
#define REGDIFF_SHOT_STATS_VERSION 1
typedef struct regdiff_shot_stats {
	unsigned version; /* REGDIFF_SHOT_STATS_VERSION */
	uint64_t keys;	  /* keys captured, synthetic mount parents excluded */
	uint64_t values;
	uint64_t value_bytes; /* sum of value data sizes */
	/* Keys or values that could not be read (the first 10000 are kept
	 * with their paths: regdiff_snapshot_get_problem()). */
	uint64_t problems;
} regdiff_shot_stats;
#define REGDIFF_SHOT_STATS_INIT                                                                    \
	{                                                                                          \
		REGDIFF_SHOT_STATS_VERSION, 0, 0, 0, 0                                             \
	}

/* Takes a snapshot of the n sources into the file at path. A source may be
 * shot any number of times; each shot reads it afresh. The file is
 * written under a temporary name in the same folder and renamed over path
 * only when complete, so a failed shot leaves any earlier file intact.
 * opts may be NULL; stats (may be NULL) receives what was recorded. Fails
 * with REGDIFF_EINVAL when two mounts overlap. */
REGDIFF_API int regdiff_shot_to_file(regdiff_shot_stats *stats, const char *path,
				     regdiff_source *const *sources, size_t n,
				     const regdiff_shot_options *opts);

/* Takes a snapshot into memory. The caller owns *buf (regdiff_free()). */
REGDIFF_API int regdiff_shot_to_memory(void **buf, size_t *len, regdiff_source *const *sources,
				       size_t n, const regdiff_shot_options *opts);

/* Takes a snapshot into an anonymous temporary file (removed when the
 * snapshot is freed) and opens it. Its blocks are stored, not compressed
 * (compression_level is not used): it is read back at once and thrown
 * away. The caller owns *out. */
REGDIFF_API int regdiff_shot_take(regdiff_snapshot **out, regdiff_source *const *sources, size_t n,
				  const regdiff_shot_options *opts);

/* Opens a snapshot file. The header, index, trailer and every block's
 * checksum are verified here (so a truncated or damaged file is refused at
 * once, before any report on it begins). REGDIFF_EFOREIGN if the file is
 * not a snapshot, REGDIFF_EVERSION for an unknown format version,
 * REGDIFF_EFORMAT if it is corrupt. The caller owns *out. */
REGDIFF_API int regdiff_snapshot_open(regdiff_snapshot **out, const char *path);

/* The same for a snapshot in memory. buf is borrowed and must outlive the
 * snapshot. */
REGDIFF_API int regdiff_snapshot_open_memory(regdiff_snapshot **out, const void *buf, size_t len);

/* Reads every block and checks it: 0 if the whole file is intact. */
REGDIFF_API int regdiff_snapshot_verify(const regdiff_snapshot *snap);

/* Frees the snapshot. Accepts NULL. */
REGDIFF_API void regdiff_snapshot_free(regdiff_snapshot *snap);

/* A snapshot's metadata. Strings are borrowed from the snapshot, UTF-8,
 * "" when unknown. Times are FILETIME: 100 ns units since 1601-01-01 UTC. */
#define REGDIFF_SNAPSHOT_INFO_VERSION 1
typedef struct regdiff_snapshot_info {
	unsigned version; /* REGDIFF_SNAPSHOT_INFO_VERSION */
	uint32_t format_version;
	const char *producer; /* e.g. "regdiff 0.1.0 (linux)" */
	int64_t time;	      /* when the shot started */
	const char *computer;
	const char *user;
	uint64_t keys; /* keys captured, synthetic mount parents excluded */
	uint64_t values;
	uint64_t value_bytes; /* sum of value data sizes */
	uint64_t problems;    /* things that could not be read */
	size_t sources;
	/* Live shots: the Windows version read ("Windows 10.0.19045 x64";
	 * "" otherwise) and whether the shot ran elevated (1, 0; -1 unknown
	 * or not a live shot), which decides how much it could read. */
	const char *system;
	int elevated;
} regdiff_snapshot_info;
#define REGDIFF_SNAPSHOT_INFO_INIT                                                                 \
	{                                                                                          \
		REGDIFF_SNAPSHOT_INFO_VERSION, 0, NULL, 0, NULL, NULL, 0, 0, 0, 0, 0, NULL, -1     \
	}

REGDIFF_API int regdiff_snapshot_get_info(regdiff_snapshot_info *out, const regdiff_snapshot *snap);

/* One source of a snapshot. Strings are borrowed from the snapshot. */
#define REGDIFF_SNAPSHOT_SOURCE_VERSION 1
typedef struct regdiff_snapshot_source {
	unsigned version;      /* REGDIFF_SNAPSHOT_SOURCE_VERSION */
	const char *mount;     /* e.g. "HKLM\SOFTWARE" */
	regdiff_kind kind;     /* REGDIFF_KIND_UNKNOWN for a kind this library
				* does not know */
	const char *kind_name; /* as the snapshot names it, for display */
	const char *location;  /* the file or registry path read */
} regdiff_snapshot_source;
#define REGDIFF_SNAPSHOT_SOURCE_INIT                                                               \
	{                                                                                          \
		REGDIFF_SNAPSHOT_SOURCE_VERSION, NULL, REGDIFF_KIND_UNKNOWN, NULL, NULL            \
	}

/* Source i (0 <= i < info.sources). */
REGDIFF_API int regdiff_snapshot_get_source(regdiff_snapshot_source *out,
					    const regdiff_snapshot *snap, size_t i);

/* What was done about source i's transaction logs when the shot was taken
 * (see regdiff_logs_info in source.h; REGDIFF_LOGS_CLEAN when the
 * snapshot says nothing, as for clean hives and live sources). Strings are
 * borrowed from the snapshot. */
REGDIFF_API int regdiff_snapshot_get_source_logs(regdiff_logs_info *out,
						 const regdiff_snapshot *snap, size_t i);

/* Problem i (0 <= i < the number kept, at most info.problems: the first
 * 10000 are kept with their paths, all are counted): the key path (UTF-8,
 * terminal-safe) and what could not be read. Borrowed. */
REGDIFF_API size_t regdiff_snapshot_problems_kept(const regdiff_snapshot *snap);
REGDIFF_API int regdiff_snapshot_get_problem(const char **path, const char **what,
					     const regdiff_snapshot *snap, size_t i);

/* A shot exclusion the snapshot records (regdiff_shot_options.exclude).
 * Strings are borrowed from the snapshot, UTF-8. */
#define REGDIFF_SNAPSHOT_EXCLUSION_VERSION 1
typedef struct regdiff_snapshot_exclusion {
	unsigned version;   /* REGDIFF_SNAPSHOT_EXCLUSION_VERSION */
	const char *rule;   /* as written, e.g. "HKLM\SYSTEM\ControlSet001\Services\**" */
	const char *origin; /* "--exclude", "FILE:LINE" */
	uint64_t subtrees;  /* keys it matched: not shot, nor anything below them */
	/* Of those, the ones at, above or below a persistence location (a
	 * Run key, the services, ...): what the shot cannot show changed. */
	uint64_t persistence;
	const char *categories; /* their categories, ", " between ("service"); "" */
} regdiff_snapshot_exclusion;
#define REGDIFF_SNAPSHOT_EXCLUSION_INIT                                                            \
	{                                                                                          \
		REGDIFF_SNAPSHOT_EXCLUSION_VERSION, NULL, NULL, 0, 0, NULL                         \
	}

/* Exclusion i (from 0) of the snapshot; REGDIFF_ITEROVER past the last. */
REGDIFF_API int regdiff_snapshot_get_exclusion(regdiff_snapshot_exclusion *out,
					       const regdiff_snapshot *snap, size_t i);

/* Formats a FILETIME as "YYYY-MM-DD hh:mm:ss" (UTC) into buf (at least 20
 * bytes). Returns buf. */
REGDIFF_API char *regdiff_time_format(char buf[20], int64_t filetime);

#ifdef __cplusplus
}
#endif
#endif
