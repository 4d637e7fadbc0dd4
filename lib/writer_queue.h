/* The snapshot writer on a thread of its own during a shot: the walk's
 * calls are copied into a few reused chunks and replayed into the writer
 * by a consumer thread, so that the writer's digests and records are made
 * while the walk reads the hive. A writer error comes back, with its
 * message, at the producer's next call or at finish. Where there are no
 * threads (Windows builds) or none is wanted, the calls go straight to the
 * writer. One producer thread only. */
#ifndef REGDIFF_WRITER_QUEUE_H
#define REGDIFF_WRITER_QUEUE_H

#include "snapshot_internal.h"

typedef struct regdiff__wq regdiff__wq;

/* A queue feeding w (borrowed; the caller must not touch it until
 * regdiff__wq_finish returns). threaded: 0 calls w directly. */
int regdiff__wq_new(regdiff__wq **out, regdiff__writer *w, int threaded);

/* Whether a thread replays the calls (else they go straight to the
 * writer, and its errors come back at once). */
int regdiff__wq_threaded(const regdiff__wq *q);

/* As the regdiff__writer_* calls of the same names. */
int regdiff__wq_key_begin(regdiff__wq *q, const uint16_t *name, size_t len, int64_t time,
			  uint32_t nvalues, uint32_t nsubkeys, unsigned flags);
int regdiff__wq_value_sized(regdiff__wq *q, const uint16_t *name, size_t len, uint32_t type,
			    const uint8_t *data, size_t size, uint32_t declared, unsigned flags);
/* As regdiff__wq_value_sized, but data is only pointed to: owned, it is
 * the queue's (malloc'd; freed once written, or on failure); else it must
 * stay unchanged until regdiff__wq_free (a hive's map). */
int regdiff__wq_value_ref(regdiff__wq *q, const uint16_t *name, size_t len, uint32_t type,
			  const uint8_t *data, size_t size, uint32_t declared, unsigned flags,
			  int owned);
int regdiff__wq_key_end(regdiff__wq *q);
int regdiff__wq_problem(regdiff__wq *q, const char *path, const char *what);

/* Waits until every call queued has reached the writer; the first writer
 * error, if any. The writer is the caller's again after it (the thread,
 * idle, ends at regdiff__wq_free). */
int regdiff__wq_finish(regdiff__wq *q);

/* Ends the thread, without replaying what is left when regdiff__wq_finish
 * was not called (after an error or a cancel), and frees. Accepts NULL. */
void regdiff__wq_free(regdiff__wq *q);

#endif
