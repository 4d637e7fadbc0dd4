/* A spool: bytes written now and replayed later, in order, with memory
 * bounded however many are written. The first mem_limit bytes stay in
 * memory; past that, everything moves to an anonymous temporary file
 * (removed when the spool is freed) written through a small buffer. */
#ifndef REGDIFF_SPOOL_H
#define REGDIFF_SPOOL_H

#include "internal.h"

typedef struct regdiff__spool regdiff__spool;

/* What a spool keeps in memory unless told otherwise. */
#define REGDIFF__SPOOL_MEM_LIMIT ((size_t)1 << 20)

/* A new empty spool keeping up to mem_limit bytes in memory (0: the
 * default). The caller owns *out (regdiff__spool_free()). */
int regdiff__spool_new(regdiff__spool **out, size_t mem_limit);

int regdiff__spool_write(regdiff__spool *s, const void *bytes, size_t n);

/* Bytes written so far. */
uint64_t regdiff__spool_size(const regdiff__spool *s);

/* True once the spool has moved to its temporary file. */
bool regdiff__spool_spilled(const regdiff__spool *s);

/* Passes everything written, in order, to write(ctx, ...) in pieces of at
 * most 64 KiB. A write failure gives REGDIFF_EIO. The spool may be
 * replayed again, or written to further. */
int regdiff__spool_replay(regdiff__spool *s, regdiff_write_fn write, void *ctx);

/* Frees the spool and removes its file. Accepts NULL. */
void regdiff__spool_free(regdiff__spool *s);

#endif
