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

/* Inflates in place a stream made of stored blocks only (how footers are
 * written): buf (slen bytes) then begins with its dlen bytes, each
 * block's bytes moved down over the block headers before them, with no
 * second buffer to allocate and fill. 0 done; 1 when buf is not such a
 * stream ending at slen with exactly dlen bytes, and is left untouched
 * (the inflater reads it then). */
int regdiff__stored_inflate_in_place(uint8_t *buf, size_t slen, size_t dlen);

/* A compressor of whole blocks, reused block after block: libdeflate where
 * the build has it, zlib elsewhere. Either makes standard raw deflate,
 * which the other inflates (Windows builds and older readers use zlib). */
typedef struct regdiff__compressor regdiff__compressor;

/* level: zlib's 0 (stored) to 9. */
int regdiff__compressor_new(regdiff__compressor **out, int level);

/* The most bytes a stream of len bytes takes, stored or at any level. */
size_t regdiff__compressor_bound(const regdiff__compressor *c, size_t len);

/* Compresses src (slen bytes) into dst (cap bytes, at least the bound) at
 * the compressor's level, or stored when stored is set (a block that
 * would not compress); *dlen gets the stream's size. 0, REGDIFF_ENOMEM or
 * REGDIFF_EIO, with no message set: it runs on the deflater's worker
 * thread, whose messages nobody reads. */
int regdiff__compressor_run(regdiff__compressor *c, uint8_t *dst, size_t cap, size_t *dlen,
			    const uint8_t *src, size_t slen, int stored);

/* Accepts NULL. */
void regdiff__compressor_free(regdiff__compressor *c);

/* Appends the raw deflate stream of src to out, at zlib level (0 stored,
 * 1-9), always with zlib: for tools and tests that make blocks one at a
 * time, and so that tests check that zlib's streams read where
 * libdeflate inflates. */
int regdiff__deflate_raw(regdiff__buf *out, const uint8_t *src, size_t len, int level);

#endif
