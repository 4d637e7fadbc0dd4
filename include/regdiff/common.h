/* regdiff - common definitions: version, export macro, error codes.
 *
 * Every function that can fail returns 0 on success or a negative
 * REGDIFF_E* code. The message of the last failure on the calling thread,
 * with its context (file, offset, key path), is kept until the next failing
 * call on that thread: read it with regdiff_error_message().
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
#define REGDIFF_VERSION_MINOR 1
#define REGDIFF_VERSION_PATCH 0
#define REGDIFF_VERSION_STRING "0.1.0"

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

/* The message of the last error on this thread, with its context, e.g.
 * "snap1.rds: block 3 checksum mismatch (corrupt file)". Borrowed: valid
 * until the next regdiff call on this thread. "" when there is none. */
REGDIFF_API const char *regdiff_error_message(void);

/* The library's version, "MAJOR.MINOR.PATCH". Static string. */
REGDIFF_API const char *regdiff_version(void);

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
