/* regdiff - common definitions: version, export macro, errors, freeing.
 *
 * Every function that can fail returns 0 on success or a negative
 * REGDIFF_E* code, and records the failure on the calling thread (its code
 * and a message with its context: file, offset, key path) for
 * regdiff_error_last(). Each such function clears that record when it
 * starts, so after a success there is no stale message.
 *
 * Output parameters come first. After a failure a function leaves every
 * pointer it returns through an output parameter (*out) NULL. A
 * caller-allocated output struct carries a version field, set with its
 * _INIT macro; the library checks it and fills in only what that version
 * holds, so a program built against older headers keeps working.
 * Temporary files and threads: see snapshot.h.
 */
#ifndef REGDIFF_COMMON_H
#define REGDIFF_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version lives here; CMake reads it from these three lines. */
#define REGDIFF_VERSION_MAJOR 0
#define REGDIFF_VERSION_MINOR 2
#define REGDIFF_VERSION_PATCH 0
#define REGDIFF_VERSION_STRING "0.2.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for #if comparisons: 0.2.0 is 200. */
#define REGDIFF_VERSION_NUMBER                                                                     \
	(REGDIFF_VERSION_MAJOR * 10000 + REGDIFF_VERSION_MINOR * 100 + REGDIFF_VERSION_PATCH)

#if defined(_WIN32) && !defined(REGDIFF_STATIC)
#if defined(REGDIFF_BUILDING)
#define REGDIFF_API __declspec(dllexport)
#else
#define REGDIFF_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define REGDIFF_API __attribute__((visibility("default")))
#else
#define REGDIFF_API
#endif

/* Error codes. Append only: the numbers are part of the ABI. */
enum regdiff_error {
	REGDIFF_OK = 0,
	REGDIFF_ENOMEM = -1,	   /* out of memory */
	REGDIFF_EIO = -2,	   /* reading or writing a file failed */
	REGDIFF_EINVAL = -3,	   /* bad argument or option */
	REGDIFF_EFORMAT = -4,	   /* a snapshot file is corrupt or truncated */
	REGDIFF_EVERSION = -5,	   /* a snapshot of a format version we cannot read */
	REGDIFF_EFOREIGN = -6,	   /* not a snapshot file at all */
	REGDIFF_EHIVE = -7,	   /* a hive file cannot be opened or read */
	REGDIFF_ENOTFOUND = -8,	   /* a file or registry key does not exist */
	REGDIFF_EUNSUPPORTED = -9, /* not built in on this platform */
	REGDIFF_ELIMIT = -10,	   /* a documented limit was exceeded */
	REGDIFF_ECANCELED = -11,   /* a progress callback asked to stop */
	REGDIFF_EACCESS = -12,	   /* permission denied */
	REGDIFF_ITEROVER = -13	   /* not an error: an iteration has ended */
};

/* A static English description of an error code. Never NULL. */
REGDIFF_API const char *regdiff_strerror(int code);

/* The last failure on this thread. */
typedef struct regdiff_error_info {
	int code;	     /* a REGDIFF_E* code; REGDIFF_OK when there is none */
	const char *message; /* with its context, e.g. "snap1.rds: block 3
			      * checksum mismatch (corrupt file)"; "" when
			      * there is none; never NULL */
} regdiff_error_info;

/* The last failure on this thread, never NULL. Borrowed, and so is its
 * message: valid until the next regdiff call on this thread (the next call
 * that can fail clears or replaces it). */
REGDIFF_API const regdiff_error_info *regdiff_error_last(void);

/* regdiff_error_last()->message: the same lifetime. */
REGDIFF_API const char *regdiff_error_message(void);

/* Forgets the last failure on this thread. */
REGDIFF_API void regdiff_error_clear(void);

/* The library's version, "MAJOR.MINOR.PATCH". Static string. The headers'
 * REGDIFF_VERSION_STRING may differ when the program was built against
 * other headers than the library it runs with. */
REGDIFF_API const char *regdiff_version(void);

/* The same as a number (REGDIFF_VERSION_NUMBER of the library). */
REGDIFF_API unsigned regdiff_version_number(void);

/* Frees memory the library handed to the caller (strings, buffers).
 * Accepts NULL. */
REGDIFF_API void regdiff_free(void *p);

/* Features built into this copy of the library. */
enum regdiff_feature {
	REGDIFF_FEATURE_HIVE = 1u << 0,	 /* offline hive files (libhivex) */
	REGDIFF_FEATURE_LIVE = 1u << 1,	 /* the live Windows registry */
	REGDIFF_FEATURE_HTML = 1u << 2,	 /* HTML reports (libxml2) */
	REGDIFF_FEATURE_IMAGES = 1u << 3 /* disk images (libtsk) */
};
REGDIFF_API unsigned regdiff_features(void);

/* Progress callback: called now and then during long work with the counts
 * so far. Return non-zero to cancel; the call then fails with
 * REGDIFF_ECANCELED. */
typedef int (*regdiff_progress_fn)(void *ctx, uint64_t keys, uint64_t values);

/* Output callback: write len bytes; return 0, or non-zero on failure. */
typedef int (*regdiff_write_fn)(void *ctx, const void *buf, size_t len);

/* Removes the temporary files of the outputs being written at this moment
 * (regdiff_shot_to_file(), regdiff_report_to_file(): OUT.tmp-XXXXXX), which
 * a process ended by a signal would otherwise leave behind. Meant for a
 * SIGINT or SIGTERM handler that then ends the process: on POSIX it calls
 * only unlink(), which is async-signal-safe. The outputs' targets are not
 * touched (FIFOs and devices, written in place, have no temporary file). */
REGDIFF_API void regdiff_remove_partial_outputs(void);

#ifdef __cplusplus
}
#endif
#endif
