/* Making a snapshot's blocks: the raw bytes compressed and hashed into a
 * block (header and deflate stream), on a worker thread where there are
 * threads, so that the walk goes on meanwhile. Blocks queue up, made and
 * collected in the order they were started. */
#ifndef REGDIFF_DEFLATER_H
#define REGDIFF_DEFLATER_H

#include "internal.h"

typedef struct regdiff__deflater regdiff__deflater;

/* A block made: its header and compressed bytes (borrowed until the next
 * start), its checksum, and the records and first it was started with. */
typedef struct regdiff__block_made {
	const uint8_t *data;
	size_t size;
	uint64_t hash;
	uint32_t records;
	uint64_t first;
} regdiff__block_made;

/* level: zlib's 1-9, or 0 for stored blocks (a snapshot read back at once
 * and thrown away: compressing it would be wasted). */
int regdiff__deflater_new(regdiff__deflater **out, int level);

/* Blocks get no checksum (0), for a snapshot only the process that wrote
 * it reads (regdiff__writer_skip_checksums). Before the first start. */
void regdiff__deflater_skip_checksums(regdiff__deflater *d);

/* Whether a block must be collected (regdiff__deflater_wait) before
 * another is started: the queue holds a few blocks, fewer when large. */
int regdiff__deflater_full(const regdiff__deflater *d);

/* Starts making a block of kind from raw's bytes (records records, first
 * kept for the caller); the deflater takes raw's storage and gives back
 * in *raw an empty buffer in its place. Never fails: when no thread can
 * start, the block is made at once instead. The queue must not be full. */
void regdiff__deflater_start(regdiff__deflater *d, uint32_t kind, regdiff__buf *raw,
			     uint32_t records, uint64_t first);

/* Whether a block was started and not yet collected. */
int regdiff__deflater_busy(const regdiff__deflater *d);

/* Waits for the oldest block not yet collected and gives it in *out. name
 * is for messages. */
int regdiff__deflater_wait(regdiff__deflater *d, const char *name, regdiff__block_made *out);

/* Stops the worker after the block it is making, then frees. Accepts NULL. */
void regdiff__deflater_free(regdiff__deflater *d);

#endif
