/* The deflater's queue (lib/deflater.h): blocks started one after another
 * without waiting, up to eight of them or fewer when large, come back in
 * the order started, each with what it was started with and bytes that
 * inflate (with zlib) to its raw bytes; the buffer given back for the next
 * block is empty. Blocks are made with libdeflate where the build has it,
 * and either library reads the other's. */
#include <string.h>
#include <zlib.h>
#ifdef REGDIFF_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include "deflater.h"
#include "snapshot_format.h"
#include "test_util.h"
#include "zraw.h"

/* Block i's raw bytes: n bytes of a pattern of its own. */
static void fill(regdiff__buf *b, unsigned i, size_t n)
{
	b->len = 0;
	CHECK_RC(regdiff__buf_reserve(b, n), 0);
	for (size_t k = 0; k < n; k++)
		b->data[k] = (uint8_t)(k % (7 + i) + i);
	b->len = n;
}

static void check_made(const regdiff__block_made *m, unsigned i, size_t n)
{
	CHECK_U64(m->records, i + 1);
	CHECK_U64(m->first, 1000 + i);
	CHECK(m->size > RDS_BLOCK_HEADER_SIZE);
	if (m->size <= RDS_BLOCK_HEADER_SIZE)
		return;
	CHECK_U64(regdiff__get_u32(m->data), RDS_BLOCK_MAGIC);
	CHECK_U64(regdiff__get_u32(m->data + 4), RDS_BLOCK_RECORDS);
	CHECK_U64(regdiff__get_u32(m->data + 8), m->size - RDS_BLOCK_HEADER_SIZE);
	CHECK_U64(regdiff__get_u32(m->data + 12), n);
	CHECK_U64(regdiff__get_u32(m->data + 16), i + 1);
	regdiff__buf want = {0}, got = {0};
	fill(&want, i, n);
	CHECK_RC(regdiff__buf_reserve(&got, n + 1), 0);
	z_stream z = {0};
	CHECK(inflateInit2(&z, -15) == Z_OK);
	z.next_in = (Bytef *)m->data + RDS_BLOCK_HEADER_SIZE;
	z.avail_in = (uInt)(m->size - RDS_BLOCK_HEADER_SIZE);
	z.next_out = got.data;
	z.avail_out = (uInt)n + 1;
	CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
	got.len = z.total_out;
	inflateEnd(&z);
	CHECK_BYTES("block", got.data, got.len, want.data, want.len);
	regdiff__buf_free(&want);
	regdiff__buf_free(&got);
}

static void test_queue(size_t n, unsigned depth)
{
	regdiff__deflater *d;
	CHECK_RC(regdiff__deflater_new(&d, 1), 0);
	if (!d)
		return;
	regdiff__buf raw = {0};
	regdiff__block_made m;
	CHECK(!regdiff__deflater_busy(d));
	CHECK_RC(regdiff__deflater_wait(d, "q", &m), REGDIFF_EINVAL);
	/* Three rounds: the slots and their buffers are reused. */
	for (unsigned round = 0, i = 0; round < 3; round++) {
		unsigned first = i;
		for (unsigned k = 0; k < depth; k++, i++) {
			CHECK(!regdiff__deflater_full(d));
			fill(&raw, i, n);
			regdiff__deflater_start(d, RDS_BLOCK_RECORDS, &raw, i + 1, 1000 + i);
			CHECK_U64(raw.len, 0);
			CHECK(regdiff__deflater_busy(d));
		}
		CHECK(regdiff__deflater_full(d));
		for (unsigned k = first; k < i; k++) {
			CHECK_RC(regdiff__deflater_wait(d, "q", &m), 0);
			check_made(&m, k, n);
		}
		CHECK(!regdiff__deflater_busy(d));
	}
	/* Freed with blocks underway. */
	fill(&raw, 1, n);
	regdiff__deflater_start(d, RDS_BLOCK_RECORDS, &raw, 1, 1);
	regdiff__deflater_free(d);
	regdiff__buf_free(&raw);
}

/* Whatever inflates a block (libdeflate, or zlib where it is not) takes it
 * only when the stream ends, fills the size the header gives exactly and
 * uses every byte: anything after the stream is covered by nothing but
 * the checksum. */
static void test_inflater(void)
{
	static const uint8_t text[] = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run "
				      "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run";
	const size_t n = sizeof text;
	regdiff__buf z = {0};
	CHECK_RC(regdiff__deflate_raw(&z, text, n, 1), 0);
	regdiff__inflater *inf = NULL;
	CHECK_RC(regdiff__inflater_new(&inf), 0);
	uint8_t out[sizeof text + 16];
	CHECK_RC(regdiff__inflater_run(inf, out, n, z.data, z.len), 0);
	CHECK(memcmp(out, text, n) == 0);
	/* Again with the same inflater: it is reused block after block. */
	CHECK_RC(regdiff__inflater_run(inf, out, n, z.data, z.len), 0);
	CHECK_RC(regdiff__inflater_run(inf, out, n + 1, z.data, z.len), 1); /* short */
	CHECK_RC(regdiff__inflater_run(inf, out, n - 1, z.data, z.len), 1); /* long */
	CHECK_RC(regdiff__inflater_run(inf, out, n, z.data, z.len - 1), 1); /* cut */
	CHECK_RC(regdiff__buf_append(&z, "\0", 1), 0);
	CHECK_RC(regdiff__inflater_run(inf, out, n, z.data, z.len), 1); /* trailing byte */
	static const uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	CHECK_RC(regdiff__inflater_run(inf, out, n, junk, sizeof junk), 1);
	/* An empty block: a stream of nothing. */
	z.len = 0;
	CHECK_RC(regdiff__deflate_raw(&z, text, 0, 1), 0);
	CHECK_RC(regdiff__inflater_run(inf, out, 0, z.data, z.len), 0);
	regdiff__inflater_free(inf);
	regdiff__buf_free(&z);
}

/* Child tables (digests: incompressible) are stored, not deflated: a
 * compare inflates them whole, and stored they cost it a copy. Record
 * blocks of the same bytes are deflated. */
static void test_tables_stored(void)
{
	regdiff__deflater *d = NULL;
	CHECK_RC(regdiff__deflater_new(&d, 1), 0);
	regdiff__buf raw = {0};
	regdiff__block_made m;
	size_t size[2];
	for (int i = 0; i < 2; i++) {
		fill(&raw, 3, 4096);
		regdiff__deflater_start(d, i ? RDS_BLOCK_TABLES : RDS_BLOCK_RECORDS, &raw, 1, 0);
		CHECK_RC(regdiff__deflater_wait(d, "test", &m), 0);
		size[i] = m.size - RDS_BLOCK_HEADER_SIZE;
		CHECK_U64(regdiff__get_u32(m.data + 4), i ? RDS_BLOCK_TABLES : RDS_BLOCK_RECORDS);
	}
	CHECK(size[0] < 200);
	/* One stored block: a 5-byte header before the 4096 bytes. */
	CHECK_U64(size[1], 4096 + 5);
	regdiff__deflater_free(d);
	regdiff__buf_free(&raw);
}

/* The stream the build's compressor makes of block i at level 1. */
static void compress_as_build(regdiff__buf *z, unsigned i, size_t n)
{
	regdiff__buf raw = {0};
	fill(&raw, i, n);
	z->len = 0;
#ifdef REGDIFF_HAVE_LIBDEFLATE
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
	CHECK(c != NULL);
	size_t cap = libdeflate_deflate_compress_bound(c, n);
	CHECK_RC(regdiff__buf_reserve(z, cap), 0);
	z->len = libdeflate_deflate_compress(c, raw.data, n, z->data, cap);
	libdeflate_free_compressor(c);
#else
	CHECK_RC(regdiff__deflate_raw(z, raw.data, n, 1), 0);
#endif
	regdiff__buf_free(&raw);
}

/* The deflater's streams are libdeflate's where the build has it (faster
 * than zlib's, and a little smaller), which zlib inflates (check_made):
 * Windows builds and older readers inflate with zlib. And the inflater,
 * libdeflate there, reads zlib's. */
static void test_interop(void)
{
	const size_t n = RDS_BLOCK_TARGET + 100;
	regdiff__deflater *d = NULL;
	CHECK_RC(regdiff__deflater_new(&d, 1), 0);
	if (!d)
		return;
	regdiff__buf raw = {0}, z = {0}, back = {0}, want = {0};
	regdiff__block_made m;
	fill(&raw, 5, n);
	regdiff__deflater_start(d, RDS_BLOCK_RECORDS, &raw, 6, 1005);
	CHECK_RC(regdiff__deflater_wait(d, "interop", &m), 0);
	check_made(&m, 5, n);
	compress_as_build(&z, 5, n);
	CHECK_BYTES("the deflater's stream", m.data + RDS_BLOCK_HEADER_SIZE,
		    m.size - RDS_BLOCK_HEADER_SIZE, z.data, z.len);

	z.len = 0;
	fill(&want, 5, n);
	CHECK_RC(regdiff__deflate_raw(&z, want.data, n, 1), 0); /* zlib's */
	regdiff__inflater *inf = NULL;
	CHECK_RC(regdiff__inflater_new(&inf), 0);
	CHECK_RC(regdiff__buf_reserve(&back, n), 0);
	CHECK_RC(regdiff__inflater_run(inf, back.data, n, z.data, z.len), 0);
	CHECK_BYTES("zlib's stream inflated", back.data, n, want.data, n);
	regdiff__inflater_free(inf);
	regdiff__deflater_free(d);
	regdiff__buf_free(&raw);
	regdiff__buf_free(&z);
	regdiff__buf_free(&back);
	regdiff__buf_free(&want);
}

/* Footers are written stored and read where they lie: a stream of
 * stored blocks only, from the build's compressor (as footers are made)
 * or zlib's level 0, becomes its bytes in place; anything else is left
 * untouched for the inflater. */
static void check_in_place(const regdiff__buf *z, const regdiff__buf *raw)
{
	regdiff__buf t = {0};
	CHECK_RC(regdiff__buf_append(&t, z->data, z->len), 0);
	CHECK_RC(regdiff__stored_inflate_in_place(t.data, t.len, raw->len), 0);
	CHECK_BYTES("in place", t.data, raw->len, raw->data, raw->len);
	regdiff__buf_free(&t);
}

/* Not a stream of stored blocks of dlen bytes ending at slen: refused,
 * every byte as it was. */
static void check_refused(const uint8_t *z, size_t slen, size_t dlen)
{
	regdiff__buf t = {0};
	CHECK_RC(regdiff__buf_append(&t, z, slen), 0);
	CHECK_RC(regdiff__stored_inflate_in_place(t.data, slen, dlen), 1);
	CHECK_BYTES("refused", t.data, slen, z, slen);
	regdiff__buf_free(&t);
}

static void test_stored_in_place(void)
{
	static const size_t sizes[] = {0, 1, 65535, 65536, 300000};
	regdiff__compressor *c = NULL;
	CHECK_RC(regdiff__compressor_new(&c, 1), 0);
	regdiff__buf raw = {0}, z = {0};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t n = sizes[i];
		fill(&raw, (unsigned)i, n);
		z.len = 0;
		CHECK_RC(regdiff__buf_reserve(&z, regdiff__compressor_bound(c, n)), 0);
		CHECK_RC(regdiff__compressor_run(c, z.data, z.cap, &z.len, raw.data, n, 1), 0);
		check_in_place(&z, &raw);
		check_refused(z.data, z.len, n + 1);
		if (n) {
			check_refused(z.data, z.len, n - 1);
			check_refused(z.data, z.len - 1, n);
		}
		z.len = 0;
		CHECK_RC(regdiff__deflate_raw(&z, raw.data, n, 0), 0);
		check_in_place(&z, &raw);
		/* A byte after the final block. */
		CHECK_RC(regdiff__buf_append(&z, "\0", 1), 0);
		check_refused(z.data, z.len, n);
	}
	/* Two stored blocks of 65,535 and 1 bytes, then the same with a
	 * wrong NLEN, with the first block's BFINAL set (the stream would end
	 * before its last byte), and without the last one's (no end). */
	fill(&raw, 9, 65536);
	z.len = 0;
	CHECK_RC(regdiff__deflate_raw(&z, raw.data, raw.len, 0), 0);
	uint8_t two[65536 + 10];
	two[0] = 0x00;
	two[1] = 0xff, two[2] = 0xff, two[3] = 0x00, two[4] = 0x00;
	memcpy(two + 5, raw.data, 65535);
	two[65540] = 0x01;
	two[65541] = 0x01, two[65542] = 0x00, two[65543] = 0xfe, two[65544] = 0xff;
	two[65545] = raw.data[65535];
	regdiff__buf t = {0};
	CHECK_RC(regdiff__buf_append(&t, two, sizeof two), 0);
	check_in_place(&t, &raw);
	two[65543] = 0xff;
	check_refused(two, sizeof two, 65536);
	two[65543] = 0xfe;
	two[0] = 0x01;
	check_refused(two, sizeof two, 65536);
	two[0] = 0x00;
	two[65540] = 0x00;
	check_refused(two, sizeof two, 65536);
	/* A deflated (not stored) stream of the same bytes. */
	z.len = 0;
	CHECK_RC(regdiff__deflate_raw(&z, raw.data, raw.len, 1), 0);
	check_refused(z.data, z.len, raw.len);
	regdiff__buf_free(&t);
	regdiff__buf_free(&raw);
	regdiff__buf_free(&z);
	regdiff__compressor_free(c);
}

int main(void)
{
	test_interop();
	test_inflater();
	test_stored_in_place();
	test_tables_stored();
	test_queue(RDS_BLOCK_TARGET, 8);
	/* Past the queue's byte budget: one at a time. */
	test_queue(2u << 20, 1);
	return tu_result("test_deflater");
}
