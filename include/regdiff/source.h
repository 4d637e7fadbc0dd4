/* regdiff - sources: where a snapshot's keys come from.
 *
 * A source is one registry tree mounted at a path such as "HKLM\SOFTWARE"
 * or "HKU\alice": an offline hive file read with libhivex, or (on Windows)
 * a subtree of the live registry. A snapshot is taken of one or more
 * sources whose mounts do not overlap.
 *
 * Mount paths are UTF-8, backslash-separated. The root names
 * HKEY_LOCAL_MACHINE, HKEY_USERS, HKEY_CURRENT_USER, HKEY_CLASSES_ROOT and
 * HKEY_CURRENT_CONFIG are accepted and written short: HKLM, HKU, HKCU, HKCR,
 * HKCC.
 */
#ifndef REGDIFF_SOURCE_H
#define REGDIFF_SOURCE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct regdiff_source regdiff_source;

/* What a source reads. Append only. */
typedef enum regdiff_kind {
	REGDIFF_KIND_UNKNOWN = 0, /* a kind this library does not know (a
				   * snapshot from a newer one) */
	REGDIFF_KIND_HIVE = 1,	  /* an offline hive file */
	REGDIFF_KIND_LIVE = 2,	  /* the live Windows registry */
	REGDIFF_KIND_INSTALL = 3  /* a folder or disk image holding a Windows
				   * installation (regdiff/install.h) */
} regdiff_kind;

/* "hive", "live", "install"; "unknown" for any other. Static string, for display. */
REGDIFF_API const char *regdiff_kind_name(regdiff_kind kind);

/* Opens a source from a command-line style SPEC:
 *  - "MOUNT=FILE": the hive FILE mounted at MOUNT (split at the first '=');
 *  - "FILE": a hive whose mount is derived from its name (see
 *    regdiff_source_open_hive);
 *  - a registry path ("HKLM", "HKCU\Software", ...) that is not an existing
 *    file: the live registry (REGDIFF_EUNSUPPORTED where not built in);
 *  - a folder: the Windows installation in it, every hive it holds as one
 *    source (regdiff/install.h); REGDIFF_ENOTFOUND when it holds none.
 * The caller owns *out (regdiff_source_free()). */
REGDIFF_API int regdiff_source_open(regdiff_source **out, const char *spec);

/* Opens the hive FILE. mount may be NULL to derive it: SYSTEM, SOFTWARE,
 * SAM, SECURITY -> HKLM\<NAME>; DEFAULT -> HKU\.DEFAULT; NTUSER.DAT ->
 * HKU\<user> and UsrClass.dat -> HKU\<user>_Classes, the user taken from a
 * ".../Users/<user>/..." path or else the hive's embedded file name;
 * anything else -> the file's base name. Fails with REGDIFF_EHIVE (or
 * REGDIFF_ENOTFOUND, REGDIFF_EACCESS) and a message naming the file.
 * The file is read here into a private copy in memory, which shots read:
 * the file may change or be cut short afterwards without harm.
 * The caller owns *out. */
REGDIFF_API int regdiff_source_open_hive(regdiff_source **out, const char *file, const char *mount);

/* Dirty hives and transaction logs. A hive copied from a disk image is
 * often "dirty": its newest changes are still in NAME.LOG1/NAME.LOG2
 * (Windows 8.1 and later) or NAME.LOG (Vista/7) beside it. Opening such a
 * hive replays the logs found beside it (names matched case-insensitively)
 * into a private copy in memory; the files themselves are only read. */
enum regdiff_logs_mode {
	REGDIFF_LOGS_AUTO = 0,	  /* apply what is valid, record what is not */
	REGDIFF_LOGS_REQUIRE = 1, /* refuse (REGDIFF_EHIVE) a dirty hive whose
				   * logs are missing or cannot be applied */
	REGDIFF_LOGS_OFF = 2	  /* read the primary file as it is */
};

#define REGDIFF_SOURCE_OPTIONS_VERSION 2
typedef struct regdiff_source_options {
	unsigned version; /* REGDIFF_SOURCE_OPTIONS_VERSION (1 is read too) */
	int logs;	  /* enum regdiff_logs_mode */
	/* Version 2: regdiff_live_flags for a live registry path. */
	unsigned live_flags;
} regdiff_source_options;
#define REGDIFF_SOURCE_OPTIONS_INIT                                                                \
	{                                                                                          \
		REGDIFF_SOURCE_OPTIONS_VERSION, REGDIFF_LOGS_AUTO, 0                               \
	}

/* regdiff_source_open and regdiff_source_open_hive with options (NULL:
 * the defaults). The caller owns *out. */
REGDIFF_API int regdiff_source_open_ext(regdiff_source **out, const char *spec,
					const regdiff_source_options *opts);
REGDIFF_API int regdiff_source_open_hive_ext(regdiff_source **out, const char *file,
					     const char *mount, const regdiff_source_options *opts);

/* What was done about a hive's transaction logs. */
enum regdiff_logs_state {
	REGDIFF_LOGS_CLEAN = 0,	      /* not dirty (or not a hive): nothing to do */
	REGDIFF_LOGS_APPLIED = 1,     /* dirty; log entries or pages were applied */
	REGDIFF_LOGS_NOT_APPLIED = 2, /* dirty; logs found, none applicable: the
				       * primary was read as it is */
	REGDIFF_LOGS_NONE = 3,	      /* dirty; no logs beside it: read as it is */
	REGDIFF_LOGS_IGNORED = 4      /* dirty; replay turned off: read as it is */
};

#define REGDIFF_LOGS_INFO_VERSION 1
typedef struct regdiff_logs_info {
	unsigned version;   /* REGDIFF_LOGS_INFO_VERSION */
	int state;	    /* enum regdiff_logs_state */
	uint32_t entries;   /* new-format log entries applied (1 for an old-format log) */
	uint32_t pages;	    /* dirty pages written */
	uint32_t sequence;  /* the hive's sequence number after replay (as found
			     * when nothing was applied) */
	const char *files;  /* the logs applied (or, if none was, found), ", "
			     * between; "" for none */
	const char *reason; /* why replay stopped early or could not be done;
			     * "" when it ran to the end of the logs */
} regdiff_logs_info;
#define REGDIFF_LOGS_INFO_INIT                                                                     \
	{                                                                                          \
		REGDIFF_LOGS_INFO_VERSION, 0, 0, 0, 0, NULL, NULL                                  \
	}

/* The log replay of a source (state REGDIFF_LOGS_CLEAN for clean hives and
 * live sources). Strings are borrowed from the source. */
REGDIFF_API int regdiff_source_get_logs(regdiff_logs_info *out, const regdiff_source *src);

/* A one-line English description of info for reports ("logs applied: 4
 * entries, 7 pages from X.LOG1, X.LOG2; sequence 5", ...) into buf (size
 * bytes, always terminated); "" for REGDIFF_LOGS_CLEAN. Returns buf. */
REGDIFF_API char *regdiff_logs_describe(char *buf, size_t size, const regdiff_logs_info *info);

/* Flags for regdiff_source_open_live. */
enum regdiff_live_flags {
	REGDIFF_LIVE_32BIT_VIEW = 1u << 0, /* KEY_WOW64_32KEY instead of 64 */
	/* Also read HKLM\COMPONENTS, which a shot of HKLM leaves out:
	 * servicing loads and unloads that hive of hundreds of thousands of
	 * keys at will. */
	REGDIFF_LIVE_COMPONENTS = 1u << 1,
	/* Enable SeBackupPrivilege (REGDIFF_EACCESS when the account lacks
	 * it) and open keys with REG_OPTION_BACKUP_RESTORE, so that keys
	 * every ACL denies (HKLM\SAM\SAM, HKLM\SECURITY) are read. The
	 * snapshot then holds password hashes and secrets, and
	 * regdiff_shot_to_file writes it private (REGDIFF_SHOT_PRIVATE). */
	REGDIFF_LIVE_BACKUP = 1u << 2
};

/* Opens a live registry path ("HKLM", "HKU\S-1-5-18\Software", ...).
 * REGDIFF_EUNSUPPORTED where the live registry is not built in.
 * The caller owns *out. */
REGDIFF_API int regdiff_source_open_live(regdiff_source **out, const char *path, unsigned flags);

/* The source's mount path, canonical form (short root names). Borrowed:
 * valid while the source lives. */
REGDIFF_API const char *regdiff_source_mount(const regdiff_source *src);

/* Re-mounts the source at another path (canonicalised). */
REGDIFF_API int regdiff_source_set_mount(regdiff_source *src, const char *mount);

/* What the source reads (REGDIFF_KIND_INSTALL: a folder holding a
 * Windows installation, regdiff/install.h), and the file, registry path or
 * folder it was opened from (borrowed). */
REGDIFF_API regdiff_kind regdiff_source_kind(const regdiff_source *src);
REGDIFF_API const char *regdiff_source_location(const regdiff_source *src);

/* Frees the source. Accepts NULL. */
REGDIFF_API void regdiff_source_free(regdiff_source *src);

/* Writes the canonical form of a registry path into a new string: short
 * root names, no empty components. REGDIFF_EINVAL for an empty path or
 * empty component. The caller owns *out (regdiff_free()). */
REGDIFF_API int regdiff_path_canonical(char **out, const char *path);

#ifdef __cplusplus
}
#endif
#endif
