/* Internal helpers shared by the library's files. Not installed. */
#ifndef REGDIFF_INTERNAL_H
#define REGDIFF_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "regdiff.h"

#if defined(__MINGW32__)
/* mingw takes "printf" for msvcrt's, which lacks %zu; the build uses
 * the C99 one (__USE_MINGW_ANSI_STDIO). */
#define REGDIFF__PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define REGDIFF__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define REGDIFF__PRINTF(f, a)
#endif

/* Records code and a printf-style message as this thread's last error and
 * returns code, so failures read: return regdiff__error(REGDIFF_EIO, ...). */
int regdiff__error(int code, const char *fmt, ...) REGDIFF__PRINTF(2, 3);

/* 0 when a caller-allocated struct's version field is one this library
 * knows (1 .. newest); else REGDIFF_EINVAL with a message naming type. */
int regdiff__check_version(unsigned version, unsigned newest, const char *type);

/* Prefixes the current message with "prefix: " (e.g. a file name). Returns
 * code. */
int regdiff__error_prefix(int code, const char *prefix);

/* malloc that records REGDIFF_ENOMEM on failure. */
void *regdiff__malloc(size_t n);
void *regdiff__calloc(size_t n, size_t size);
void *regdiff__realloc(void *p, size_t n);
char *regdiff__strdup(const char *s);

/* A growable byte buffer. Zero-initialise to start. */
typedef struct regdiff__buf {
	uint8_t *data;
	size_t len;
	size_t cap;
} regdiff__buf;

int regdiff__buf_reserve(regdiff__buf *b, size_t extra);

/* Makes the array at *pp (a T **, of *cap elements of size bytes) hold at
 * least need elements (at least 1), doubling its capacity. */
int regdiff__grow(void *pp, size_t *cap, size_t need, size_t size);
int regdiff__buf_append(regdiff__buf *b, const void *p, size_t n);
int regdiff__buf_putc(regdiff__buf *b, uint8_t c);
int regdiff__buf_printf(regdiff__buf *b, const char *fmt, ...) REGDIFF__PRINTF(2, 3);
void regdiff__buf_free(regdiff__buf *b);

/* Little-endian encoding. */
/* Equality of n bytes ignoring ASCII case, as Windows compares file and
 * hive names. */
static inline int regdiff__ascii_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = a[i] >= 'a' && a[i] <= 'z' ? (char)(a[i] - 32) : a[i];
		char y = b[i] >= 'a' && b[i] <= 'z' ? (char)(b[i] - 32) : b[i];
		if (x != y)
			return 0;
	}
	return 1;
}

/* Spaces and tabs, the blanks that rule and location lines may hold. */
static inline bool regdiff__is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Drops blanks at both ends of s[0..*n). */
static inline void regdiff__trim_blanks(const char **s, size_t *n)
{
	while (*n && regdiff__is_blank(**s))
		(*s)++, (*n)--;
	while (*n && regdiff__is_blank((*s)[*n - 1]))
		(*n)--;
}

static inline void regdiff__put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static inline void regdiff__put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static inline void regdiff__put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
/* n UTF-16 units as little-endian bytes at p: a copy on little-endian
 * hosts (every build target), byte by byte elsewhere. */
static inline void regdiff__put_units(uint8_t *p, const uint16_t *units, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n)
		memcpy(p, units, n * 2);
#else
	for (size_t i = 0; i < n; i++)
		regdiff__put_u16(p + 2 * i, units[i]);
#endif
}
static inline uint16_t regdiff__get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}
/* n UTF-16 units from little-endian bytes at p (see regdiff__put_units). */
static inline void regdiff__get_units(uint16_t *units, const uint8_t *p, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n)
		memcpy(units, p, n * 2);
#else
	for (size_t i = 0; i < n; i++)
		units[i] = regdiff__get_u16(p + 2 * i);
#endif
}
static inline uint32_t regdiff__get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}
static inline uint64_t regdiff__get_u64(const uint8_t *p)
{
	return (uint64_t)regdiff__get_u32(p) | ((uint64_t)regdiff__get_u32(p + 4) << 32);
}

/* Whether regdiff_diff_next has been called on d (a report needs a diff
 * that has not been advanced). */
int regdiff__diff_started(const regdiff_diff *d);

/* Makes d own what release(ctx) frees, when d is freed (the sides of
 * regdiff_diff_open). */
void regdiff__diff_own(regdiff_diff *d, void (*release)(void *), void *ctx);

/* How many blocks d has inflated so far, both sides: tests of what a
 * compare reads. */
uint64_t regdiff__diff_inflated(const regdiff_diff *d);

/* An output file written under a temporary name in the target's folder,
 * flushed and renamed over the target by commit; abort (or a crash)
 * leaves the target untouched. */
typedef struct regdiff__outfile regdiff__outfile;
int regdiff__outfile_open(regdiff__outfile **out, const char *path);
int regdiff__outfile_write(void *outfile, const void *buf, size_t len); /* a regdiff_write_fn */
int regdiff__outfile_commit(regdiff__outfile *f);			/* frees f */
void regdiff__outfile_abort(regdiff__outfile *f);			/* frees f; accepts NULL */
/* Before anything is written: the file is to be its owner's only (what is
 * written in place, a FIFO or a device, is left as it is). */
int regdiff__outfile_make_private(regdiff__outfile *f);

#endif
