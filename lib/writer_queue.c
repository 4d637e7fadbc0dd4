/* The writer's own thread during a shot: see writer_queue.h. The walk
 * (producer) copies each call into the chunk it fills; a full chunk is
 * handed to the consumer, which replays it into the writer and gives the
 * chunk back. The chunks are allocated once and reused, since a first
 * touch of a page costs more than most calls (14 us on these machines).
 * A call too large for a chunk (a value of over 64 KiB, rare) waits until
 * the consumer has replayed everything before it, then goes to the writer
 * from the producer's thread, which saves copying it. As in deflater.c,
 * a thread is woken only when it waits. Error messages are kept per
 * thread (error.c): the consumer's is copied here and raised again on the
 * producer's thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <pthread.h>
#include <stdatomic.h>
#define REGDIFF_THREADS 1
#endif

#include "thread.h"
#include "writer_queue.h"

#define CHUNK (64u << 10)
#define NCHUNKS 8u

/* A value's data is in the op (OP_VALUE), or only its address: kept by
 * the caller, or owned by the queue, freed once replayed or given up. */
enum { OP_KEY_BEGIN, OP_VALUE, OP_VALUE_KEPT, OP_VALUE_OWNED, OP_KEY_END, OP_PROBLEM };

/* A call as queued: this header, then the name's units and the value's
 * data or, for data kept by the caller, its address (a problem: its path
 * and what, each with its NUL), padded to 8 bytes so that the next header
 * and name are aligned. */
typedef struct op {
	uint32_t tag;
	uint32_t next; /* bytes from this header to the next */
	uint32_t len;  /* name units; a problem: the path's bytes with its NUL */
	uint32_t a, b; /* nvalues and nsubkeys, or type and declared */
	uint32_t flags;
	uint32_t size; /* the value's data bytes */
	uint32_t pad;
	int64_t time;
} op;

struct regdiff__wq {
	regdiff__writer *w;
	int threaded; /* the consumer runs */
#ifdef REGDIFF_THREADS
	uint8_t *chunks;      /* NCHUNKS of CHUNK bytes */
	size_t fill[NCHUNKS]; /* bytes of each chunk handed over */
	size_t pos;	      /* bytes in the chunk being filled */
	size_t published;     /* chunks handed over (under mu) */
	size_t consumed;      /* chunks replayed (under mu) */
	int idle, waiting;    /* consumer, producer wait (under mu) */
	size_t wake_at;	      /* chunks in use to wake the producer at (under mu) */
	int quit;	      /* stop now (under mu) */
	atomic_int failed;    /* rc is set: read without mu at each call */
	int rc;		      /* the first writer error (under mu) */
	char message[1024];   /* its message, from the consumer's thread */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;  /* a chunk was handed over, or quit */
	pthread_cond_t space; /* a chunk was replayed */
#endif
};

#ifdef REGDIFF_THREADS
/* The address of a value's data that the op o at p holds instead of it. */
static const uint8_t *data_ref(const uint8_t *p, const op *o)
{
	const uint8_t *data;
	memcpy(&data, p + sizeof *o + (size_t)o->len * 2, sizeof data);
	return data;
}

/* Replays the n bytes of calls at p into w, up to the first error; the
 * data the queue owns is freed all the same, replayed or not (w NULL:
 * only freed). */
static int replay(regdiff__writer *w, const uint8_t *p, size_t n)
{
	int rc = 0;
	for (size_t off = 0; off < n;) {
		op o;
		memcpy(&o, p + off, sizeof o);
		const uint8_t *at = p + off, *body = at + sizeof o;
		const uint16_t *name = (const uint16_t *)(const void *)body;
		off += o.next;
		if (o.tag == OP_VALUE_OWNED && (rc || !w)) {
			free((void *)data_ref(at, &o));
			continue;
		}
		if (rc || !w)
			continue;
		switch (o.tag) {
		case OP_KEY_BEGIN:
			rc = regdiff__writer_key_begin(w, name, o.len, o.time, o.a, o.b, o.flags);
			break;
		case OP_VALUE:
			rc = regdiff__writer_value_sized(
			    w, name, o.len, o.a, body + (size_t)o.len * 2, o.size, o.b, o.flags);
			break;
		case OP_VALUE_KEPT:
		case OP_VALUE_OWNED: {
			const uint8_t *data = data_ref(at, &o);
			rc = regdiff__writer_value_sized(w, name, o.len, o.a, data, o.size, o.b,
							 o.flags);
			if (o.tag == OP_VALUE_OWNED)
				free((void *)data);
			break;
		}
		case OP_KEY_END:
			rc = regdiff__writer_key_end(w);
			break;
		default:
			rc = regdiff__writer_problem(w, (const char *)body,
						     (const char *)body + o.len);
			break;
		}
	}
	return rc;
}

static void *consume(void *arg)
{
	regdiff__wq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (q->consumed == q->published && !q->quit) {
			q->idle = 1;
			pthread_cond_wait(&q->work, &q->mu);
			q->idle = 0;
		}
		if (q->quit)
			break;
		size_t i = q->consumed % NCHUNKS;
		int skip = q->rc != 0; /* after an error, chunks are only given back */
		pthread_mutex_unlock(&q->mu);
		int rc = replay(skip ? NULL : q->w, q->chunks + i * CHUNK, q->fill[i]);
		pthread_mutex_lock(&q->mu);
		if (rc) {
			q->rc = rc;
			snprintf(q->message, sizeof q->message, "%s", regdiff_error_message());
			atomic_store_explicit(&q->failed, 1, memory_order_release);
		}
		q->consumed++;
		if (q->waiting && (q->published - q->consumed <= q->wake_at || q->rc))
			pthread_cond_signal(&q->space);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

static int start(regdiff__wq *q)
{
	if (!(q->chunks = regdiff__malloc((size_t)NCHUNKS * CHUNK)))
		return 0;
	return regdiff__thread_start(&q->thread, &q->mu, &q->work, &q->space, consume, q);
}

/* The consumer's error, raised again on this thread. */
static int failure(regdiff__wq *q)
{
	pthread_mutex_lock(&q->mu);
	int rc = q->rc;
	pthread_mutex_unlock(&q->mu);
	/* A code without a message (out of memory) stays without one. */
	return q->message[0] ? regdiff__error(rc, "%s", q->message) : rc;
}

/* Hands the chunk being filled over, if it holds anything; then waits
 * until all are replayed (all) or one is free to fill. */
static int hand_over(regdiff__wq *q, int all)
{
	pthread_mutex_lock(&q->mu);
	if (q->pos) {
		q->fill[q->published % NCHUNKS] = q->pos;
		q->published++;
		q->pos = 0;
		if (q->idle)
			pthread_cond_signal(&q->work);
	}
	/* Once it has to wait for a chunk, the producer sleeps until half of
	 * them are free: woken at each chunk, it would switch threads twice
	 * as often for the same work. */
	size_t busy = all ? 0 : NCHUNKS - 1;
	q->wake_at = all ? 0 : NCHUNKS / 2;
	while (q->published - q->consumed > busy && !q->rc) {
		q->waiting = 1;
		pthread_cond_wait(&q->space, &q->mu);
		q->waiting = 0;
	}
	int failed = q->rc != 0;
	pthread_mutex_unlock(&q->mu);
	return failed ? failure(q) : 0;
}

/* Room for a call of n bytes (header included) in a chunk, or NULL with
 * *rc 0 when it is larger than a chunk (everything before it replayed:
 * the caller calls the writer itself). */
static uint8_t *room(regdiff__wq *q, size_t n, int *rc)
{
	*rc = 0;
	if (atomic_load_explicit(&q->failed, memory_order_acquire)) {
		*rc = failure(q);
		return NULL;
	}
	if (n > CHUNK) {
		*rc = hand_over(q, 1);
		return NULL;
	}
	n = (n + 7) & ~(size_t)7; /* CHUNK is a multiple of 8 */
	if (q->pos + n > CHUNK && (*rc = hand_over(q, 0)) != 0)
		return NULL;
	uint8_t *p = q->chunks + (q->published % NCHUNKS) * CHUNK + q->pos;
	q->pos += n;
	((op *)(void *)p)->next = (uint32_t)n;
	return p;
}

/* Fills in the header's fields other than next (set by room). */
static void put_op(uint8_t *p, uint32_t tag, size_t len, uint32_t a, uint32_t b, unsigned flags,
		   size_t size, int64_t time)
{
	op *o = (op *)(void *)p;
	o->tag = tag;
	o->len = (uint32_t)len;
	o->a = a;
	o->b = b;
	o->flags = flags;
	o->size = (uint32_t)size;
	o->pad = 0;
	o->time = time;
}

/* Bytes a call of these parts takes, SIZE_MAX when over a chunk anyway. */
static size_t op_bytes(size_t units, size_t bytes)
{
	return units > CHUNK || bytes > CHUNK ? SIZE_MAX : sizeof(op) + units * 2 + bytes;
}
#endif

int regdiff__wq_new(regdiff__wq **out, regdiff__writer *w, int threaded)
{
	*out = NULL;
	regdiff__wq *q = regdiff__calloc(1, sizeof *q);
	if (!q)
		return REGDIFF_ENOMEM;
	q->w = w;
#ifdef REGDIFF_THREADS
	/* Without a thread (or the memory for its chunks), calls go
	 * straight to the writer. */
	q->threaded = threaded && start(q);
#else
	(void)threaded;
#endif
	*out = q;
	return 0;
}

int regdiff__wq_threaded(const regdiff__wq *q)
{
	return q->threaded;
}

int regdiff__wq_key_begin(regdiff__wq *q, const uint16_t *name, size_t len, int64_t time,
			  uint32_t nvalues, uint32_t nsubkeys, unsigned flags)
{
#ifdef REGDIFF_THREADS
	if (q->threaded) {
		int rc;
		uint8_t *p = room(q, op_bytes(len, 0), &rc);
		if (p) {
			put_op(p, OP_KEY_BEGIN, len, nvalues, nsubkeys, flags, 0, time);
			if (len)
				memcpy(p + sizeof(op), name, len * 2);
			return 0;
		}
		if (rc)
			return rc;
	}
#endif
	return regdiff__writer_key_begin(q->w, name, len, time, nvalues, nsubkeys, flags);
}

/* A value, its data copied into the chunk (tag OP_VALUE) or only its
 * address (OP_VALUE_KEPT, OP_VALUE_OWNED). */
static int value(regdiff__wq *q, const uint16_t *name, size_t len, uint32_t type,
		 const uint8_t *data, size_t size, uint32_t declared, unsigned flags, uint32_t tag)
{
	int rc = 0;
#ifdef REGDIFF_THREADS
	if (q->threaded) {
		uint8_t *p = room(q, op_bytes(len, tag == OP_VALUE ? size : sizeof data), &rc);
		if (p) {
			put_op(p, tag, len, type, declared, flags, size, 0);
			if (len)
				memcpy(p + sizeof(op), name, len * 2);
			if (tag != OP_VALUE)
				memcpy(p + sizeof(op) + len * 2, &data, sizeof data);
			else if (size)
				memcpy(p + sizeof(op) + len * 2, data, size);
			return 0;
		}
	}
#endif
	if (!rc)
		rc =
		    regdiff__writer_value_sized(q->w, name, len, type, data, size, declared, flags);
	if (tag == OP_VALUE_OWNED)
		free((void *)data);
	return rc;
}

int regdiff__wq_value_sized(regdiff__wq *q, const uint16_t *name, size_t len, uint32_t type,
			    const uint8_t *data, size_t size, uint32_t declared, unsigned flags)
{
	return value(q, name, len, type, data, size, declared, flags, OP_VALUE);
}

int regdiff__wq_value_ref(regdiff__wq *q, const uint16_t *name, size_t len, uint32_t type,
			  const uint8_t *data, size_t size, uint32_t declared, unsigned flags,
			  int owned)
{
	return value(q, name, len, type, data, size, declared, flags,
		     owned ? OP_VALUE_OWNED : OP_VALUE_KEPT);
}

int regdiff__wq_key_end(regdiff__wq *q)
{
#ifdef REGDIFF_THREADS
	if (q->threaded) {
		int rc;
		uint8_t *p = room(q, sizeof(op), &rc);
		if (p) {
			put_op(p, OP_KEY_END, 0, 0, 0, 0, 0, 0);
			return 0;
		}
		if (rc)
			return rc;
	}
#endif
	return regdiff__writer_key_end(q->w);
}

int regdiff__wq_problem(regdiff__wq *q, const char *path, const char *what)
{
#ifdef REGDIFF_THREADS
	if (q->threaded) {
		size_t np = strlen(path) + 1, nw = strlen(what) + 1;
		int rc;
		uint8_t *p = room(q, op_bytes(0, np + nw), &rc);
		if (p) {
			put_op(p, OP_PROBLEM, np, 0, 0, 0, 0, 0);
			memcpy(p + sizeof(op), path, np);
			memcpy(p + sizeof(op) + np, what, nw);
			return 0;
		}
		if (rc)
			return rc;
	}
#endif
	return regdiff__writer_problem(q->w, path, what);
}

int regdiff__wq_finish(regdiff__wq *q)
{
#ifdef REGDIFF_THREADS
	/* Everything handed over is replayed (or given back after an
	 * error): the consumer, idle until freed, touches the writer no
	 * more. */
	if (q->threaded)
		return hand_over(q, 1);
#else
	(void)q;
#endif
	return 0;
}

void regdiff__wq_free(regdiff__wq *q)
{
	if (!q)
		return;
#ifdef REGDIFF_THREADS
	/* Stops after the chunk being replayed: what is left unreplayed
	 * (no finish) is of a shot given up. */
	if (q->threaded) {
		regdiff__thread_stop(q->thread, &q->mu, &q->work, &q->space, &q->quit);
		/* The data it owns in what is left (after finish: nothing). */
		for (size_t c = q->consumed; c < q->published; c++)
			replay(NULL, q->chunks + (c % NCHUNKS) * CHUNK, q->fill[c % NCHUNKS]);
		replay(NULL, q->chunks + (q->published % NCHUNKS) * CHUNK, q->pos);
	}
	free(q->chunks);
#endif
	free(q);
}
