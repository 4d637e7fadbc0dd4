/* The writer's queue (lib/writer_queue.h): a snapshot fed through the
 * queue on its thread is byte for byte the one fed to the writer directly
 * (calls in order, over many chunks, with values larger than a chunk,
 * values handed over by address, kept or given, and problems); a writer error on the consumer's
 * thread comes back to the producer with its code and message, and stays; a queue given up midway
 * (a canceled shot) stops its thread. Data given to the queue is freed
 * on every path (ASan's leak check). Windows builds have no thread for
 * it: there the calls go to the writer, and errors come back at once. */
#include <string.h>

#include "snapshot_format.h"
#include "test_util.h"
#include "writer_queue.h"

#define NKEYS 2000u
#define BIG_KEY 7u
#define BIG_SIZE 200000u /* over a chunk (64 KiB) */

#define CHECK_MSG(want)                                                                            \
	CHECK_BYTES("message", regdiff_error_message(), strlen(regdiff_error_message()), want,     \
		    strlen(want))

#ifdef _WIN32
#define THREADED 0
#else
#define THREADED 1
#endif

static const regdiff__meta meta = {"test", 0, "", "", NULL, -1, 0, NULL, NULL, NULL, NULL};

/* Feeds a tree of NKEYS keys under T, five values each (key BIG_KEY's
 * third of BIG_SIZE bytes), a problem every hundred keys; up to `keys`
 * keys. The first error is returned; the tree is left open after one. */
static int feed(regdiff__wq *q, unsigned keys, int close)
{
	static uint8_t data[BIG_SIZE + 97]; /* values start at key % 97 */
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7 + i / 251);
	const uint16_t root[] = {'T'};
	int rc = regdiff__wq_key_begin(q, root, 1, 5, 0, NKEYS, RDS_KEY_MOUNT);
	for (unsigned k = 0; k < keys && !rc; k++) {
		uint16_t name[5] = {'K', (uint16_t)('0' + k / 1000), (uint16_t)('0' + k / 100 % 10),
				    (uint16_t)('0' + k / 10 % 10), (uint16_t)('0' + k % 10)};
		rc = regdiff__wq_key_begin(q, name, 5, 1000 + k, 5, 0, 0);
		for (unsigned v = 0; v < 5 && !rc; v++) {
			uint16_t vname[2] = {'v', (uint16_t)('0' + v)};
			size_t size = (k == BIG_KEY && v == 2) || (k == BIG_KEY + 1 && v == 4)
					  ? BIG_SIZE
					  : (k * 31 + v * 17) % 300;
			const uint8_t *at = data + k % 97;
			if (v < 3) {
				rc = regdiff__wq_value_sized(q, vname, 2, REGDIFF_REG_BINARY, at,
							     size, (uint32_t)size, 0);
			} else if (v == 3) { /* kept: the caller's, by address */
				rc = regdiff__wq_value_ref(q, vname, 2, REGDIFF_REG_BINARY, at,
							   size, (uint32_t)size, 0, 0);
			} else { /* given: the queue's to free, whatever happens */
				uint8_t *own = regdiff__malloc(size ? size : 1);
				CHECK(own != NULL);
				memcpy(own, at, size);
				rc = regdiff__wq_value_ref(q, vname, 2, REGDIFF_REG_BINARY, own,
							   size, (uint32_t)size, 0, 1);
			}
		}
		if (!rc && k % 100 == 0)
			rc = regdiff__wq_problem(q, "HKLM\\T\\K", "value data not read: a test");
		if (!rc)
			rc = regdiff__wq_key_end(q);
	}
	if (!rc && close)
		rc = regdiff__wq_key_end(q);
	return rc;
}

static void shoot(regdiff__buf *out, int threaded)
{
	regdiff__writer *w;
	regdiff__wq *q;
	CHECK_RC(regdiff__writer_new(&w, tu_buf_write, out, "(q)", 1), 0);
	CHECK_RC(regdiff__wq_new(&q, w, threaded), 0);
	CHECK_U64(regdiff__wq_threaded(q), threaded && THREADED);
	CHECK_RC(feed(q, NKEYS, 1), 0);
	CHECK_RC(regdiff__wq_finish(q), 0);
	regdiff__wq_free(q);
	CHECK_RC(regdiff__writer_finish(w, &meta), 0);
	CHECK_U64(regdiff__writer_keys(w), NKEYS + 1);
	CHECK_U64(regdiff__writer_values(w), NKEYS * 5);
	regdiff__writer_free(w);
}

static void test_same_bytes(void)
{
	regdiff__buf direct = {0}, queued = {0};
	shoot(&direct, 0);
	shoot(&queued, 1);
	CHECK(direct.len > 10000); /* compressible: over 2 MB through the queue */
	CHECK_BYTES("snapshot", queued.data, queued.len, direct.data, direct.len);
	regdiff__buf_free(&direct);
	regdiff__buf_free(&queued);
}

/* A writer error raised on the consumer's thread (a call out of order). */
static void test_writer_error(void)
{
	regdiff__buf out = {0};
	regdiff__writer *w;
	regdiff__wq *q;
	const uint16_t name[] = {'v'};
	CHECK_RC(regdiff__writer_new(&w, tu_buf_write, &out, "(q)", 1), 0);
	CHECK_RC(regdiff__wq_new(&q, w, 1), 0);
	int rc = regdiff__wq_value_sized(q, name, 1, 1, NULL, 0, 0, 0);
	CHECK_RC(rc, THREADED ? 0 : REGDIFF_EINVAL);
	if (!rc) {
		regdiff_error_clear();
		rc = regdiff__wq_finish(q);
	}
	CHECK_RC(rc, REGDIFF_EINVAL);
	CHECK_MSG("(q): value outside a key");
	regdiff__wq_free(q);
	regdiff__writer_free(w);
	regdiff__buf_free(&out);
}

static int failing;

static int full_sink(void *ctx, const void *p, size_t n)
{
	if (failing)
		return regdiff__error(REGDIFF_EIO, "disk full (test)");
	return tu_buf_write(ctx, p, n);
}

/* The sink failing mid-stream, in the writer's own calls on the
 * consumer's thread: the producer gets it back at a call or at finish,
 * and every call after it fails the same way. */
static void test_sink_error(void)
{
	regdiff__buf out = {0};
	regdiff__writer *w;
	regdiff__wq *q;
	failing = 0;
	CHECK_RC(regdiff__writer_new(&w, full_sink, &out, "(q)", 1), 0);
	CHECK_RC(regdiff__wq_new(&q, w, 1), 0);
	failing = 1;
	int rc = feed(q, NKEYS, 1);
	if (!rc)
		rc = regdiff__wq_finish(q);
	CHECK_RC(rc, REGDIFF_EIO);
	CHECK_MSG("disk full (test)");
	if (THREADED) {
		regdiff_error_clear();
		CHECK_RC(regdiff__wq_key_end(q), REGDIFF_EIO);
		CHECK_MSG("disk full (test)");
	}
	regdiff__wq_free(q);
	regdiff__writer_free(w);
	regdiff__buf_free(&out);
	failing = 0;
}

/* A shot canceled midway: the queue is freed without finish, with chunks
 * still queued, and the writer after it. */
static void test_cancel(void)
{
	for (unsigned keys = 0; keys <= NKEYS; keys += NKEYS / 4) {
		regdiff__buf out = {0};
		regdiff__writer *w;
		regdiff__wq *q;
		CHECK_RC(regdiff__writer_new(&w, tu_buf_write, &out, "(q)", 1), 0);
		CHECK_RC(regdiff__wq_new(&q, w, 1), 0);
		CHECK_RC(feed(q, keys, 0), 0);
		regdiff__wq_free(q);
		regdiff__writer_free(w);
		regdiff__buf_free(&out);
	}
}

int main(void)
{
	test_same_bytes();
	test_writer_error();
	test_sink_error();
	test_cancel();
	return tu_result("test_writer_queue");
}
