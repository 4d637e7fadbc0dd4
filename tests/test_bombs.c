/* Snapshot bombs (issue 8 item 6): small files that claim huge content.
 * Each is made here, every checksum right so that it passes the integrity
 * checks, and `regdiff info` and `regdiff compare` are run on it as child
 * processes: they must exit 2 with one clear line, and their peak memory
 * (getrusage) must stay far below the bound docs/snapshot-format.md
 * states. Outside sanitizer builds the children also run under a 1 GiB
 * address-space limit, so a reader that still allocated what a file
 * claims fails here, not on the machine of whoever runs the test.
 *
 * It works in the current folder; $REGDIFF_CLI names the regdiff to run. */
/* wait4, for the peak memory of each child on its own. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#include "snapshot_format.h"
#include "test_util.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* Far below the documented bound (300 MiB for info): a refusal must come
 * before anything large is allocated. */
#define REFUSAL_RSS_MAX (64u << 20)

static const char *regdiff_path;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void put(regdiff__buf *b, const void *p, size_t n)
{
	if (regdiff__buf_append(b, p, n))
		die("out of memory");
}

static void put_tlv(regdiff__buf *b, uint16_t tag, const void *p, uint32_t n)
{
	uint8_t h[6];
	regdiff__put_u16(h, tag);
	regdiff__put_u32(h + 2, n);
	put(b, h, 6);
	put(b, p, n);
}

/* Content made piece by piece, so that hundreds of megabytes are never
 * held: gen(ctx, i, buf) writes piece i into buf and returns its size. */
typedef size_t (*gen_fn)(void *ctx, uint64_t i, uint8_t *buf);

/* Deflates count pieces of gen into z (raw deflate, as blocks are). */
static uint64_t deflate_pieces(regdiff__buf *z, gen_fn gen, void *ctx, uint64_t count)
{
	z_stream s;
	memset(&s, 0, sizeof s);
	if (deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		die("deflateInit2");
	uint8_t in[1 << 16], out[1 << 16];
	uint64_t total = 0, i = 0;
	int flush;
	do {
		size_t n = 0;
		while (i < count && n + 4096 <= sizeof in)
			n += gen(ctx, i++, in + n);
		total += n;
		flush = i == count ? Z_FINISH : Z_NO_FLUSH;
		s.next_in = in;
		s.avail_in = (uInt)n;
		do {
			s.next_out = out;
			s.avail_out = sizeof out;
			deflate(&s, flush);
			put(z, out, sizeof out - s.avail_out);
		} while (s.avail_out == 0);
	} while (flush != Z_FINISH);
	deflateEnd(&s);
	return total;
}

/* Appends a block: header (claiming usize), then the compressed bytes;
 * returns its hash for the index. */
static uint64_t put_block(regdiff__buf *file, uint32_t kind, const regdiff__buf *z, uint32_t usize,
			  uint32_t records)
{
	uint8_t h[RDS_BLOCK_HEADER_SIZE] = {0};
	regdiff__put_u32(h, RDS_BLOCK_MAGIC);
	regdiff__put_u32(h + 4, kind);
	regdiff__put_u32(h + 8, (uint32_t)z->len);
	regdiff__put_u32(h + 12, usize);
	regdiff__put_u32(h + 16, records);
	XXH3_state_t *st = XXH3_createState();
	XXH3_64bits_reset(st);
	XXH3_64bits_update(st, h, 24);
	XXH3_64bits_update(st, z->data, z->len);
	uint64_t hash = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	regdiff__put_u64(h + 24, hash);
	put(file, h, sizeof h);
	put(file, z->data, z->len);
	return hash;
}

typedef struct bomb {
	/* The record block: real content (one key), or claimed. */
	const regdiff__buf *block_z; /* NULL: the one key, compressed */
	uint32_t block_usize;
	/* Extra footer entries: count pieces of gen, after the metadata. */
	gen_fn extra;
	void *extra_ctx;
	uint64_t extra_count;
} bomb;

/* One key "R", no values: a whole, valid tree. */
static void one_key(regdiff__buf *raw)
{
	uint8_t k[RDS_KEY_FIXED + 2] = {0};
	k[0] = RDS_REC_KEY;
	regdiff__put_u16(k + 4, 1);
	regdiff__put_u64(k + RDS_KEY_END, 1);
	regdiff__put_u16(k + RDS_KEY_FIXED, 'R');
	put(raw, k, sizeof k);
}

static size_t gen_bytes(void *ctx, uint64_t i, uint8_t *buf)
{
	const regdiff__buf *b = ctx;
	(void)i;
	memcpy(buf, b->data, b->len);
	return b->len;
}

typedef struct footer_ctx {
	const regdiff__buf *meta;
	const bomb *b;
} footer_ctx;

/* Piece 0 of the footer is its metadata and index; then the extras. */
static size_t footer_piece(void *ctx, uint64_t i, uint8_t *buf)
{
	const footer_ctx *f = ctx;
	if (i == 0)
		return gen_bytes((void *)f->meta, 0, buf);
	return f->b->extra(f->b->extra_ctx, i - 1, buf);
}

static void write_bomb(const char *path, const bomb *b)
{
	regdiff__buf file = {0}, raw = {0}, z = {0}, meta = {0}, footer_z = {0};
	uint8_t h[RDS_HEADER_SIZE] = {0};
	memcpy(h, RDS_MAGIC, RDS_MAGIC_LEN);
	regdiff__put_u32(h + 8, RDS_FORMAT_VERSION);
	regdiff__put_u32(h + 12, RDS_HEADER_SIZE);
	regdiff__put_u64(h + 56, XXH3_64bits(h, 56));
	put(&file, h, sizeof h);

	one_key(&raw);
	uint32_t usize = (uint32_t)raw.len;
	if (!b->block_z) {
		deflate_pieces(&z, gen_bytes, &raw, 1);
	} else {
		put(&z, b->block_z->data, b->block_z->len);
		usize = b->block_usize;
	}
	uint64_t block_hash = put_block(&file, RDS_BLOCK_RECORDS, &z, usize, 1);

	/* Footer: producer, counts, index, then the extra entries. */
	put_tlv(&meta, RDS_TLV_PRODUCER, "bomb", 4);
	uint8_t c[40] = {0};
	regdiff__put_u64(c, 1);
	regdiff__put_u64(c + 32, 1);
	put_tlv(&meta, RDS_TLV_COUNTS, c, sizeof c);
	uint8_t e[RDS_TLV_BLOCK_SIZE];
	regdiff__put_u64(e, RDS_HEADER_SIZE);
	regdiff__put_u64(e + 8, 0);
	regdiff__put_u32(e + 16, 1);
	regdiff__put_u32(e + 20, (uint32_t)z.len);
	regdiff__put_u64(e + 24, block_hash);
	put_tlv(&meta, RDS_TLV_BLOCK, e, sizeof e);
	/* Deflate the metadata then the extras as one stream: piece 0 is
	 * the metadata. */
	footer_ctx fctx = {&meta, b};
	uint64_t footer_size = deflate_pieces(&footer_z, footer_piece, &fctx, 1 + b->extra_count);
	uint64_t footer_off = file.len;
	put_block(&file, RDS_BLOCK_FOOTER, &footer_z, (uint32_t)footer_size, 0);

	uint8_t t[RDS_TRAILER_SIZE] = {0};
	memcpy(t, RDS_TRAILER_MAGIC, 8);
	regdiff__put_u64(t + 8, footer_off);
	regdiff__put_u64(t + 16, file.len + RDS_TRAILER_SIZE);
	regdiff__put_u64(t + 24, 1);
	regdiff__put_u64(t + 40, XXH3_64bits(t, 40));
	put(&file, t, sizeof t);

	FILE *f = fopen(path, "wb");
	if (!f || fwrite(file.data, 1, file.len, f) != file.len || fclose(f) != 0)
		die(path);
	regdiff__buf_free(&file);
	regdiff__buf_free(&raw);
	regdiff__buf_free(&z);
	regdiff__buf_free(&meta);
	regdiff__buf_free(&footer_z);
}

/* An empty source entry (mount, kind and location all ""): 8 bytes. */
static size_t gen_source(void *ctx, uint64_t i, uint8_t *buf)
{
	(void)ctx;
	(void)i;
	static const uint8_t e[8] = {RDS_TLV_SOURCE, 0, 2, 0, 0, 0, 0, 0};
	memcpy(buf, e, sizeof e);
	return sizeof e;
}

static size_t gen_zeros(void *ctx, uint64_t i, uint8_t *buf)
{
	(void)ctx;
	(void)i;
	memset(buf, 0, 4096);
	return 4096;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die(path);
	regdiff__buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		put(&b, chunk, n);
	fclose(f);
	put(&b, "", 1);
	return (char *)b.data;
}

/* Runs regdiff with args; checks exit status 2, nothing on stdout, the one
 * line want on stderr, and peak memory under rss_max. */
static void expect_refused(const char *cmd, const char *a, const char *b, const char *want,
			   unsigned long long rss_max)
{
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int out = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open("err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(126);
		if (!SANITIZED) {
			struct rlimit lim = {1ull << 30, 1ull << 30};
			setrlimit(RLIMIT_AS, &lim);
		}
		execl(regdiff_path, regdiff_path, cmd, a, b, (char *)NULL);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid)
		die("wait4");
	char *out = slurp("out"), *err = slurp("err");
	unsigned long long rss = (unsigned long long)ru.ru_maxrss * 1024;
	printf("regdiff %s %s%s%s: status %d, peak RSS %.1f MiB\n", cmd, a, b ? " " : "",
	       b ? b : "", WIFEXITED(status) ? WEXITSTATUS(status) : -1, rss / 1048576.0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	CHECK(out[0] == '\0');
	regdiff__buf got = {(uint8_t *)err, strlen(err), 0};
	CHECK_STR(cmd, &got, want);
	if (!SANITIZED && rss > rss_max) {
		fprintf(stderr, "FAILED: peak RSS %llu bytes, over %llu\n", rss, rss_max);
		tu_failures++;
	}
	free(out);
	free(err);
}

int main(void)
{
	regdiff_path = getenv("REGDIFF_CLI");
	if (!regdiff_path) {
		fprintf(stderr, "test_bombs: REGDIFF_CLI must name the regdiff to run\n");
		return 2;
	}

	/* A good snapshot to compare the bombs with. */
	write_bomb("good.rds", &(bomb){0});

	/* 391 KB with 33 million source entries: its footer claims 264 MB. */
	write_bomb("sources.rds", &(bomb){NULL, 0, gen_source, NULL, 33000000});
	expect_refused("info", "sources.rds", NULL,
		       "regdiff: sources.rds: corrupt snapshot (block at offset 111 claims "
		       "264000094 bytes, over the format's limit of 33554432)\n",
		       REFUSAL_RSS_MAX);
	/* Within the footer's limit, too many for any writer: refused by
	 * count before each is allocated. */
	write_bomb("sources2.rds", &(bomb){NULL, 0, gen_source, NULL, 4000000});
	expect_refused("info", "sources2.rds", NULL,
		       "regdiff: sources2.rds: corrupt snapshot (too many sources)\n",
		       REFUSAL_RSS_MAX);

	/* 4 MB of compressed bytes whose block claims 4 GiB. */
	regdiff__buf junk = {0};
	uint64_t x = 88172645463325252ull;
	for (size_t i = 0; i < (4200000 / 8); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		put(&junk, &x, 8);
	}
	write_bomb("block4g.rds", &(bomb){&junk, 0xffffffffu, NULL, NULL, 0});
	expect_refused("info", "block4g.rds", NULL,
		       "regdiff: block4g.rds: corrupt snapshot (block at offset 64 claims "
		       "4294967295 bytes, over the format's limit of 67108864)\n",
		       REFUSAL_RSS_MAX);
	expect_refused("compare", "good.rds", "block4g.rds",
		       "regdiff: block4g.rds: corrupt snapshot (block at offset 64 claims "
		       "4294967295 bytes, over the format's limit of 67108864)\n",
		       REFUSAL_RSS_MAX);

	/* A block of the largest size allowed, which really inflates (to
	 * zeros): read within the bound, then refused for its content. */
	regdiff__buf zeros = {0};
	deflate_pieces(&zeros, gen_zeros, NULL, RDS_BLOCK_MAX_UNCOMPRESSED / 4096);
	write_bomb("zeros.rds", &(bomb){&zeros, RDS_BLOCK_MAX_UNCOMPRESSED, NULL, NULL, 0});
	expect_refused("info", "zeros.rds", NULL,
		       "regdiff: zeros.rds: corrupt snapshot (unknown record type at record 0)\n",
		       200ull << 20);
	expect_refused("compare", "good.rds", "zeros.rds",
		       "regdiff: zeros.rds: corrupt snapshot (unknown record type at record 0)\n",
		       300ull << 20);
	regdiff__buf_free(&junk);
	regdiff__buf_free(&zeros);
	return tu_result("test_bombs");
}
