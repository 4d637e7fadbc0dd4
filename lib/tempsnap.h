/* The temporary snapshot of a direct compare (regdiff_shot_take): written
 * once by this process, read back at once and thrown away. Up to a bound
 * it is kept in memory, so that it is neither written to a file nor read
 * back through system calls; a larger one moves to an anonymous temporary
 * file, as the bound must hold however large the registry. */
#ifndef REGDIFF_TEMPSNAP_H
#define REGDIFF_TEMPSNAP_H

#include "internal.h"

typedef struct regdiff__tempsnap regdiff__tempsnap;

/* What one temporary snapshot keeps in memory at most: a snapshot of a
 * 15 MB hive takes 11 MB, and a direct compare of two hives must stay
 * within their sizes and 64 MiB more. */
#define REGDIFF__TEMPSNAP_MEM_LIMIT ((size_t)24 << 20)

/* What a temporary snapshot of sources may keep in memory:
 * REGDIFF__TEMPSNAP_MEM_LIMIT when they are hive files whose sizes add up
 * to no more (a snapshot usually takes less than its hives, 74% of
 * SYSTEM_WIN_10_1709; one that takes more moves to its file), else 0. */
size_t regdiff__tempsnap_limit(regdiff_source *const *sources, size_t n);

/* A new empty temporary snapshot keeping up to mem_limit bytes in memory
 * (0: none, everything goes to the file). The caller owns *out. */
int regdiff__tempsnap_new(regdiff__tempsnap **out, size_t mem_limit);

/* A regdiff_write_fn: ctx is the regdiff__tempsnap. */
int regdiff__tempsnap_write(void *ctx, const void *p, size_t n);

/* Bytes held in memory, and whether it moved to its file. */
size_t regdiff__tempsnap_in_memory(const regdiff__tempsnap *t);
bool regdiff__tempsnap_spilled(const regdiff__tempsnap *t);

/* Where the bytes written are: the file (fd, -1 while in memory) or
 * memory (mem), and how many (size). Borrowed from t. */
void regdiff__tempsnap_bytes(const regdiff__tempsnap *t, int *fd, const uint8_t **mem,
			     uint64_t *size);

/* Opens the snapshot written into t, which the snapshot then owns (freed
 * with it, or here on failure). Its blocks' checksums are not checked:
 * the bytes are this process's own, read back unchanged (snapshot.c). */
int regdiff__snapshot_open_temp(regdiff_snapshot **out, regdiff__tempsnap *t, const char *name);

/* Frees t: its memory, and its file when the snapshot did not take it.
 * Accepts NULL. */
void regdiff__tempsnap_free(regdiff__tempsnap *t);

#endif
