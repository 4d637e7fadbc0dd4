/* Making a snapshot's blocks: the raw bytes compressed and hashed into a
 * block (header and deflate stream), on a worker thread where there are
 * threads, so that the walk goes on meanwhile. One block at a time. */
#ifndef REGDIFF_DEFLATER_H
#define REGDIFF_DEFLATER_H

#include "internal.h"

typedef struct regdiff__deflater regdiff__deflater;

/* level: zlib's 1-9, or 0 for stored blocks (a snapshot read back at once
 * and thrown away: compressing it would be wasted). */
int regdiff__deflater_new(regdiff__deflater **out, int level);

/* Starts making a block of kind from raw (len bytes, records records);
 * raw is borrowed until regdiff__deflater_wait. Fails only when the
 * thread cannot start, and then the block is made at once instead. */
void regdiff__deflater_start(regdiff__deflater *d, uint32_t kind, const uint8_t *raw, size_t len,
			     uint32_t records);

/* Whether a block was started and not yet waited for. */
int regdiff__deflater_busy(const regdiff__deflater *d);

/* Waits for the block started last: *block is its header and compressed
 * bytes (*size in all, borrowed until the next start), *hash its
 * checksum. name is for messages. */
int regdiff__deflater_wait(regdiff__deflater *d, const char *name, const uint8_t **block,
			   size_t *size, uint64_t *hash);

/* Waits for any block underway, then frees. Accepts NULL. */
void regdiff__deflater_free(regdiff__deflater *d);

#endif
