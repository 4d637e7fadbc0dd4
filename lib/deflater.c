/* Block compression, on a worker thread where there are threads: see
 * deflater.h. The worker touches only the deflater's own stream and
 * checksum state and the jobs it was handed, each with its own raw and
 * output buffers; the counters saying which jobs were started and made
 * are kept under the mutex. One thread serves every block: a thread per
 * 32 KiB block cost a twentieth of a shot in clone() alone. A queue of
 * blocks, not one at a time: with one, either thread waited for the other
 * at a third of the blocks, whenever the machine's other work delayed
 * one. A thread is woken only when it waits (a futex call per block
 * each way cost a few per cent of a shot). Errors are kept as a code and
 * worded on the caller's thread (messages are per thread).
 * Windows builds compress on the caller's thread: no winpthreads DLL to
 * ship for it. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#ifndef _WIN32
#include <pthread.h>
#define REGDIFF_THREADS 1
#endif

#include "deflater.h"
#include "snapshot_format.h"
#include "thread.h"
#include "zraw.h"

#define QUEUE 8u
/* Raw bytes queued at most, past the one block always allowed, and the
 * largest buffer kept for reuse: blocks holding large values (up to 64
 * MiB) are few, and must not stay held eight times over. */
#define QUEUE_BYTES (1u << 20)

typedef struct job {
	uint32_t kind, records;
	uint64_t first;
	regdiff__buf raw;
	regdiff__buf out; /* block header and compressed bytes */
	int status;	  /* 0, or what went wrong (a REGDIFF_E* code) */
	uint64_t hash;
} job;

struct regdiff__deflater {
	regdiff__compressor *c;
	XXH3_state_t *xxh;
	job jobs[QUEUE]; /* job i is jobs[i % QUEUE] */
	size_t started;	 /* jobs started (written under mu while threaded) */
	size_t made;	 /* jobs made (under mu while threaded) */
	size_t collected;
	size_t queued_bytes; /* raw bytes of the jobs started, not collected */
	int no_checksums;    /* regdiff__deflater_skip_checksums */
#ifdef REGDIFF_THREADS
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work; /* a job was started, or quit set */
	pthread_cond_t done; /* a job was made */
	int tried;	     /* starting the thread was tried */
	int threaded;	     /* thread, mu and the conditions exist */
	int idle;	     /* the thread waits for work (under mu) */
	int waiting;	     /* the caller waits for a job (under mu) */
	int quit;	     /* the thread is to end (under mu) */
#endif
};

int regdiff__deflater_new(regdiff__deflater **out, int level)
{
	*out = NULL;
	regdiff__deflater *d = regdiff__calloc(1, sizeof *d);
	if (!d)
		return REGDIFF_ENOMEM;
	/* Raw deflate (RFC 1951), as format version 3 has it: the block's
	 * XXH3 checksum does what zlib's adler32 would, so that goes. */
	int rc = regdiff__compressor_new(&d->c, level >= 0 && level <= 9 ? level : 1);
	if (!rc && !(d->xxh = XXH3_createState()))
		rc = regdiff__error(REGDIFF_ENOMEM, "out of memory");
	if (rc) {
		regdiff__deflater_free(d);
		return rc;
	}
#ifdef REGDIFF_THREADS
	/* A stored block is a copy: cheaper made at once than handed to a
	 * worker and waited for (two futex calls a block), and a direct
	 * compare, whose snapshots these are, shoots its two sides on two
	 * threads already. */
	d->tried = level == 0;
#endif
	*out = d;
	return 0;
}

void regdiff__deflater_skip_checksums(regdiff__deflater *d)
{
	d->no_checksums = 1;
}

/* Room for a usual block, raw or made (the block target and a record or
 * two): each buffer is allocated once at this size instead of doubling
 * up to it, since every realloc copies into pages never touched before,
 * and a first touch of a page costs more than compressing it on a
 * virtual machine (14 us). Pages never written cost nothing. */
#define BLOCK_ROOM (2u * RDS_BLOCK_TARGET)

/* Makes b, which is empty, hold n bytes: a fresh allocation, since
 * realloc would copy what is not needed. */
static int reserve_empty(regdiff__buf *b, size_t n)
{
	if (n <= b->cap)
		return 0;
	regdiff__buf_free(b);
	if (n < BLOCK_ROOM)
		n = BLOCK_ROOM;
	if (!(b->data = regdiff__malloc(n)))
		return REGDIFF_ENOMEM;
	b->cap = n;
	return 0;
}

static void make_block(regdiff__deflater *d, job *j)
{
	size_t bound = regdiff__compressor_bound(d->c, j->raw.len);
	j->out.len = 0;
	j->status = reserve_empty(&j->out, RDS_BLOCK_HEADER_SIZE + bound);
	if (j->status)
		return;
	uint8_t *hdr = j->out.data;
	size_t clen;
	/* Child tables are digests, which do not compress (deflate
	 * saved a fifth of them), and a compare inflates them whole: stored,
	 * they cost it a copy instead. So is the footer, which every open
	 * reads: mostly the late summaries' digests and the block index's
	 * checksums (SYSTEM_WIN_10_1709's, 225 KB, deflated to 86; stored, a
	 * snapshot 4.6% larger, a compare in one subtree a tenth cheaper). */
	int stored = j->kind == RDS_BLOCK_TABLES || j->kind == RDS_BLOCK_FOOTER;
	j->status = regdiff__compressor_run(d->c, hdr + RDS_BLOCK_HEADER_SIZE, bound, &clen,
					    j->raw.data, j->raw.len, stored);
	if (j->status)
		return;
	memset(hdr, 0, RDS_BLOCK_HEADER_SIZE);
	regdiff__put_u32(hdr, RDS_BLOCK_MAGIC);
	regdiff__put_u32(hdr + 4, j->kind);
	regdiff__put_u32(hdr + 8, (uint32_t)clen);
	regdiff__put_u32(hdr + 12, (uint32_t)j->raw.len);
	regdiff__put_u32(hdr + 16, j->records);
	j->hash = 0;
	if (!d->no_checksums) {
		XXH3_64bits_reset(d->xxh);
		XXH3_64bits_update(d->xxh, hdr, 24);
		XXH3_64bits_update(d->xxh, hdr + RDS_BLOCK_HEADER_SIZE, clen);
		j->hash = XXH3_64bits_digest(d->xxh);
	}
	regdiff__put_u64(hdr + 24, j->hash);
	j->out.len = RDS_BLOCK_HEADER_SIZE + clen;
}

#ifdef REGDIFF_THREADS
static void *worker(void *arg)
{
	regdiff__deflater *d = arg;
	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (d->made == d->started && !d->quit) {
			d->idle = 1;
			pthread_cond_wait(&d->work, &d->mu);
			d->idle = 0;
		}
		if (d->quit)
			break;
		job *j = &d->jobs[d->made % QUEUE];
		pthread_mutex_unlock(&d->mu);
		make_block(d, j);
		pthread_mutex_lock(&d->mu);
		d->made++;
		if (d->waiting)
			pthread_cond_signal(&d->done);
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

/* The worker, started with the first block; none if it cannot be had. */
static void start_worker(regdiff__deflater *d)
{
	d->tried = 1;
	d->threaded = regdiff__thread_start(&d->thread, &d->mu, &d->work, &d->done, worker, d);
}
#endif

/* Buffers grown by a block of large values are not kept for reuse. */
static void trim(regdiff__buf *b)
{
	if (b->cap > QUEUE_BYTES)
		regdiff__buf_free(b);
}

int regdiff__deflater_full(const regdiff__deflater *d)
{
	return d->started - d->collected == QUEUE ||
	       (d->started > d->collected && d->queued_bytes >= QUEUE_BYTES);
}

void regdiff__deflater_start(regdiff__deflater *d, uint32_t kind, regdiff__buf *raw,
			     uint32_t records, uint64_t first)
{
	/* The slot's job was collected: its buffers are free. */
	job *j = &d->jobs[d->started % QUEUE];
	trim(&j->out);
	regdiff__buf spare = j->raw;
	j->raw = *raw;
	*raw = spare;
	raw->len = 0;
	/* The caller fills it next: room for a block now saves it growing
	 * the buffer by realloc. Without the memory, it grows it itself. */
	(void)reserve_empty(raw, BLOCK_ROOM);
	j->kind = kind;
	j->records = records;
	j->first = first;
	d->queued_bytes += j->raw.len;
#ifdef REGDIFF_THREADS
	if (!d->tried)
		start_worker(d);
	if (d->threaded) {
		pthread_mutex_lock(&d->mu);
		d->started++;
		if (d->idle)
			pthread_cond_signal(&d->work);
		pthread_mutex_unlock(&d->mu);
		return;
	}
#endif
	make_block(d, j);
	d->started++;
	d->made++;
}

int regdiff__deflater_busy(const regdiff__deflater *d)
{
	return d->started > d->collected;
}

int regdiff__deflater_wait(regdiff__deflater *d, const char *name, regdiff__block_made *out)
{
	memset(out, 0, sizeof *out);
	if (d->started == d->collected)
		return regdiff__error(REGDIFF_EINVAL, "%s: no block underway", name);
	job *j = &d->jobs[d->collected % QUEUE];
#ifdef REGDIFF_THREADS
	if (d->threaded) {
		pthread_mutex_lock(&d->mu);
		while (d->made == d->collected) {
			d->waiting = 1;
			pthread_cond_wait(&d->done, &d->mu);
		}
		d->waiting = 0;
		pthread_mutex_unlock(&d->mu);
	}
#endif
	d->collected++;
	d->queued_bytes -= j->raw.len;
	j->raw.len = 0;
	trim(&j->raw);
	if (j->status == REGDIFF_ENOMEM)
		return regdiff__error(REGDIFF_ENOMEM, "%s: out of memory compressing a block",
				      name);
	if (j->status)
		return regdiff__error(REGDIFF_EIO, "%s: compression failed", name);
	if (j->out.len - RDS_BLOCK_HEADER_SIZE > 0xffffffffu)
		return regdiff__error(REGDIFF_ELIMIT, "%s: block too large", name);
	out->data = j->out.data;
	out->size = j->out.len;
	out->hash = j->hash;
	out->records = j->records;
	out->first = j->first;
	return 0;
}

void regdiff__deflater_free(regdiff__deflater *d)
{
	if (!d)
		return;
#ifdef REGDIFF_THREADS
	/* The thread ends after the block it is making: the jobs' buffers
	 * are the deflater's own, nobody else's to wait for. */
	if (d->threaded)
		regdiff__thread_stop(d->thread, &d->mu, &d->work, &d->done, &d->quit);
#endif
	regdiff__compressor_free(d->c);
	XXH3_freeState(d->xxh);
	for (size_t i = 0; i < QUEUE; i++) {
		regdiff__buf_free(&d->jobs[i].raw);
		regdiff__buf_free(&d->jobs[i].out);
	}
	free(d);
}
