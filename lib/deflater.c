/* Block compression, on a worker thread where there are threads: see
 * deflater.h. The worker touches only the deflater's own stream, output
 * buffer and checksum state, and the raw bytes it was lent; a job is
 * handed over and back under the mutex. One thread serves every block: a
 * thread per 32 KiB block cost a twentieth of a shot in clone() alone. Errors are kept as a zlib
 * status and worded on the caller's thread (messages are per thread). Windows builds compress on
 * the caller's thread: no winpthreads DLL to ship for it. */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include <zlib.h>
#ifndef _WIN32
#include <pthread.h>
#define REGDIFF_THREADS 1
#endif

#include "deflater.h"
#include "snapshot_format.h"

struct regdiff__deflater {
	z_stream z; /* reused: a fresh one per block zeroes its window each time */
	int z_ready;
	int level;
	XXH3_state_t *xxh;
	regdiff__buf out; /* block header and compressed bytes */
	/* The job. */
	uint32_t kind, records;
	const uint8_t *raw;
	size_t len;
	int status; /* Z_OK, or what went wrong */
	uint64_t hash;
	int busy;
#ifdef REGDIFF_THREADS
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int started;  /* thread, mu and cv exist */
	int threaded; /* the job runs on thread */
	int job;      /* a job waits for the thread (under mu) */
	int done;     /* the thread finished it (under mu) */
	int quit;     /* the thread is to end (under mu) */
#endif
};

int regdiff__deflater_new(regdiff__deflater **out, int level)
{
	*out = NULL;
	regdiff__deflater *d = regdiff__calloc(1, sizeof *d);
	if (!d)
		return REGDIFF_ENOMEM;
	d->level = level >= 0 && level <= 9 ? level : 1;
	if (!(d->xxh = XXH3_createState())) {
		free(d);
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	}
	/* Raw deflate (RFC 1951), as format version 3 has it: the block's
	 * XXH3 checksum does what zlib's adler32 would, so that goes. */
	if (deflateInit2(&d->z, d->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		XXH3_freeState(d->xxh);
		free(d);
		return regdiff__error(REGDIFF_ENOMEM, "out of memory");
	}
	d->z_ready = 1;
	*out = d;
	return 0;
}

static void make_block(regdiff__deflater *d)
{
	uLong bound = deflateBound(&d->z, (uLong)d->len);
	d->out.len = 0;
	if (regdiff__buf_reserve(&d->out, RDS_BLOCK_HEADER_SIZE + bound)) {
		d->status = Z_MEM_ERROR;
		return;
	}
	uint8_t *hdr = d->out.data;
	deflateReset(&d->z);
	d->z.next_in = (Bytef *)d->raw;
	d->z.avail_in = (uInt)d->len;
	d->z.next_out = hdr + RDS_BLOCK_HEADER_SIZE;
	d->z.avail_out = (uInt)bound;
	int zrc = deflate(&d->z, Z_FINISH);
	if (zrc != Z_STREAM_END) {
		d->status = zrc == Z_OK ? Z_BUF_ERROR : zrc;
		return;
	}
	uLong clen = d->z.total_out;
	memset(hdr, 0, RDS_BLOCK_HEADER_SIZE);
	regdiff__put_u32(hdr, RDS_BLOCK_MAGIC);
	regdiff__put_u32(hdr + 4, d->kind);
	regdiff__put_u32(hdr + 8, (uint32_t)clen);
	regdiff__put_u32(hdr + 12, (uint32_t)d->len);
	regdiff__put_u32(hdr + 16, d->records);
	XXH3_64bits_reset(d->xxh);
	XXH3_64bits_update(d->xxh, hdr, 24);
	XXH3_64bits_update(d->xxh, hdr + RDS_BLOCK_HEADER_SIZE, clen);
	d->hash = XXH3_64bits_digest(d->xxh);
	regdiff__put_u64(hdr + 24, d->hash);
	d->out.len = RDS_BLOCK_HEADER_SIZE + clen;
	d->status = Z_OK;
}

#ifdef REGDIFF_THREADS
static void *worker(void *arg)
{
	regdiff__deflater *d = arg;
	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (!d->job && !d->quit)
			pthread_cond_wait(&d->cv, &d->mu);
		if (d->quit)
			break;
		pthread_mutex_unlock(&d->mu);
		make_block(d);
		pthread_mutex_lock(&d->mu);
		d->job = 0;
		d->done = 1;
		pthread_cond_broadcast(&d->cv);
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

/* The worker, started on the first block; 0 if there is none to be had. */
static int start_worker(regdiff__deflater *d)
{
	if (d->started)
		return 1;
	if (pthread_mutex_init(&d->mu, NULL) != 0)
		return 0;
	if (pthread_cond_init(&d->cv, NULL) != 0) {
		pthread_mutex_destroy(&d->mu);
		return 0;
	}
	if (pthread_create(&d->thread, NULL, worker, d) != 0) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		return 0;
	}
	d->started = 1;
	return 1;
}
#endif

void regdiff__deflater_start(regdiff__deflater *d, uint32_t kind, const uint8_t *raw, size_t len,
			     uint32_t records)
{
	d->kind = kind;
	d->raw = raw;
	d->len = len;
	d->records = records;
	d->busy = 1;
#ifdef REGDIFF_THREADS
	d->threaded = start_worker(d);
	if (d->threaded) {
		pthread_mutex_lock(&d->mu);
		d->job = 1;
		d->done = 0;
		pthread_cond_broadcast(&d->cv);
		pthread_mutex_unlock(&d->mu);
		return;
	}
#endif
	make_block(d);
}

int regdiff__deflater_busy(const regdiff__deflater *d)
{
	return d->busy;
}

int regdiff__deflater_wait(regdiff__deflater *d, const char *name, const uint8_t **block,
			   size_t *size, uint64_t *hash)
{
	*block = NULL;
	*size = 0;
	if (!d->busy)
		return regdiff__error(REGDIFF_EINVAL, "%s: no block underway", name);
#ifdef REGDIFF_THREADS
	if (d->threaded) {
		pthread_mutex_lock(&d->mu);
		while (!d->done)
			pthread_cond_wait(&d->cv, &d->mu);
		pthread_mutex_unlock(&d->mu);
	}
	d->threaded = 0;
#endif
	d->busy = 0;
	d->raw = NULL;
	if (d->status == Z_MEM_ERROR)
		return regdiff__error(REGDIFF_ENOMEM, "%s: out of memory compressing a block",
				      name);
	if (d->status != Z_OK)
		return regdiff__error(REGDIFF_EIO, "%s: compression failed (zlib %d)", name,
				      d->status);
	if (d->out.len - RDS_BLOCK_HEADER_SIZE > 0xffffffffu)
		return regdiff__error(REGDIFF_ELIMIT, "%s: block too large", name);
	*block = d->out.data;
	*size = d->out.len;
	*hash = d->hash;
	return 0;
}

void regdiff__deflater_free(regdiff__deflater *d)
{
	if (!d)
		return;
#ifdef REGDIFF_THREADS
	/* The thread finishes the block it has (which may still be reading
	 * the writer's spare buffer) before it sees quit. */
	if (d->started) {
		pthread_mutex_lock(&d->mu);
		while (d->job)
			pthread_cond_wait(&d->cv, &d->mu);
		d->quit = 1;
		pthread_cond_broadcast(&d->cv);
		pthread_mutex_unlock(&d->mu);
		pthread_join(d->thread, NULL);
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
	}
#endif
	if (d->z_ready)
		deflateEnd(&d->z);
	XXH3_freeState(d->xxh);
	regdiff__buf_free(&d->out);
	free(d);
}
