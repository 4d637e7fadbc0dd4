/* Raw deflate (RFC 1951) for snapshot blocks, format version 3: no zlib
 * header or adler32, whose work the blocks' XXH3 checksums already do. */
#ifndef REGDIFF_ZRAW_H
#define REGDIFF_ZRAW_H

#include "internal.h"

/* zlib's window bits for snapshot blocks: negative asks for a raw stream
 * (RFC 1951), 2^15 bytes of window. */
#define REGDIFF__RAW_WINDOW (-15)

/* An inflate stream reused from block to block: a fresh one per block
 * would allocate and clear its window each time. */
typedef struct regdiff__inflater regdiff__inflater;

int regdiff__inflater_new(regdiff__inflater **out);

/* Inflates src (slen bytes, one whole raw deflate stream) into dst, which
 * it must fill exactly (dlen bytes). 0 on success, 1 when the bytes are
 * not such a stream (the caller words the error: it knows the file),
 * REGDIFF_ENOMEM. */
int regdiff__inflater_run(regdiff__inflater *z, uint8_t *dst, size_t dlen, const uint8_t *src,
			  size_t slen);

/* Accepts NULL. */
void regdiff__inflater_free(regdiff__inflater *z);

/* Appends the raw deflate stream of src to out, at zlib level (0 stored,
 * 1-9): for tools and tests that make blocks one at a time. */
int regdiff__deflate_raw(regdiff__buf *out, const uint8_t *src, size_t len, int level);

#endif
