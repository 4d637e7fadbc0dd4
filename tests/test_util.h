/* Helpers shared by the C unit tests: checks that count failures and say
 * where they failed, the exit status, byte-exact comparisons, data built
 * from literals, a report output that records what it is given, a list of
 * changes to report, and whole files read and written.
 *
 * A test program calls the CHECK* macros, frees what it built with
 * tu_arena_free, and returns tu_result from main. */
#ifndef REGDIFF_TEST_UTIL_H
#define REGDIFF_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <uchar.h>

#include "internal.h"

/* Failed checks so far; a test may also count its own. */
extern int tu_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);         \
			tu_failures++;                                                             \
		}                                                                                  \
	} while (0)

#define CHECK_U64(a, b)                                                                            \
	do {                                                                                       \
		unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);     \
		if (a_ != b_) {                                                                    \
			fprintf(stderr, "%s:%d: FAILED: %s == %s (%llu != %llu)\n", __FILE__,      \
				__LINE__, #a, #b, a_, b_);                                         \
			tu_failures++;                                                             \
		}                                                                                  \
	} while (0)

#define CHECK_RC(expr, want)                                                                       \
	do {                                                                                       \
		int rc_ = (expr);                                                                  \
		if (rc_ != (want)) {                                                               \
			fprintf(stderr, "%s:%d: FAILED: %s returned %d, expected %d (%s)\n",       \
				__FILE__, __LINE__, #expr, rc_, (int)(want),                       \
				regdiff_error_message());                                          \
			tu_failures++;                                                             \
		}                                                                                  \
	} while (0)

/* CHECK_BYTES(what, got, got_len, want, want_len): exactly want_len bytes
 * equal to want; a mismatch shows where they first differ, with what
 * comes before and after on both sides. */
#define CHECK_BYTES(...) tu_check_bytes(__FILE__, __LINE__, __VA_ARGS__)
void tu_check_bytes(const char *file, int line, const char *what, const void *got, size_t got_len,
		    const void *want, size_t want_len);

/* CHECK_STR(what, got, want): the regdiff__buf got holds exactly the
 * string want (without its NUL). (Variadic, so that an argument may be a
 * compound literal.) */
#define CHECK_STR(...) tu_check_str(__FILE__, __LINE__, __VA_ARGS__)
void tu_check_str(const char *file, int line, const char *what, const regdiff__buf *got,
		  const char *want);

/* Prints a summary and gives the exit status for main. */
int tu_result(const char *test);

/* ---- Data from literals ---- */

/* Keeps p (from malloc) until tu_arena_free; ends the program if p is
 * NULL or the arena is full. */
void *tu_keep(void *p);
void tu_arena_free(void);

/* Data of type holding the first n units of s as UTF-16LE (kept). */
regdiff_data tu_units(uint32_t type, const char16_t *s, size_t n);

/* A string literal as UTF-16LE data with (Z) or without (NZ) its
 * terminator; bytes spelled out (RAW); a name from a literal (NM) or an
 * array of code units (NMA). */
#define Z(type, lit) tu_units(type, lit, sizeof(lit) / sizeof(char16_t))
#define NZ(type, lit) tu_units(type, lit, sizeof(lit) / sizeof(char16_t) - 1)
#define RAW(t, lit) ((regdiff_data){.type = (t), .bytes = (const uint8_t *)(lit), .len = sizeof(lit) - 1})
#define NM(lit) ((regdiff_name){(const uint16_t *)(lit), sizeof(lit) / sizeof(char16_t) - 1})
#define NMA(arr) ((regdiff_name){(arr), sizeof(arr) / sizeof((arr)[0])})

/* ---- Reports ---- */

/* A report's output (the regdiff_write_fn tu_sink_write): every byte kept
 * in got, unless keep_nothing (then only counted in got.len). */
typedef struct tu_sink {
	regdiff__buf got;
	size_t calls;
	size_t largest;	   /* the longest single write */
	int fail;	   /* non-zero: writes fail with this ... */
	size_t fail_after; /* ... from the one that would take more than this
			    * many bytes (0: from the first) */
	bool keep_nothing;
} tu_sink;

int tu_sink_write(void *ctx, const void *buf, size_t len);

/* A regdiff_write_fn appending to the regdiff__buf ctx. */
int tu_buf_write(void *ctx, const void *buf, size_t len);

/* The changes v[0..n) one by one (the iterator tu_iter_next); with
 * fail_rc, that error instead of change fail_at (fail_at == n: instead of
 * the end). */
typedef struct tu_iter {
	const regdiff_change *v;
	size_t n, i;
	size_t fail_at;
	int fail_rc;
} tu_iter;

int tu_iter_next(void *ctx, const regdiff_change **out);

/* ---- Files ---- */

/* Appends the whole file to out; false if it cannot be read. */
bool tu_read_file(const char *path, regdiff__buf *out);

/* Writes n bytes to path; false if that fails. */
bool tu_write_file(const char *path, const void *p, size_t n);

#endif
