/* The least a shot can cost on two cores, measured part by part.
 *
 * A shot does what the bare walk does (open the hive with libhivex, read
 * every key and value) and, besides, what no faster code would take away
 * under the project's rules:
 *   - copy: the hive read into a private anonymous file first (a mapped
 *     file cut short underneath raises SIGBUS, and a crash is not allowed);
 *   - deflate: the snapshot's record blocks compressed, libdeflate level 1,
 *     raw deflate, timed on the very blocks the shot made;
 *   - digest: SHA-256 over the same bytes, once (the subtree digests hash
 *     at least every name and every value's data, so that forged data
 *     cannot hide a change);
 *   - commit: the snapshot flushed to disk and renamed (what the user had
 *     is never left half-written). A shot writes its blocks as they are
 *     made and starts each MiB on its way to the disk, so only the end is
 *     timed here: the bytes after the last whole MiB written, the fsync
 *     and the rename, with everything before already on the disk.
 * The walk is timed here too, with the parts, so that all of them see
 * the machine alike. Its traversal T (the walk less libhivex's open) runs
 * in order on one core; deflate and digest can run beside it, and on
 * both cores after it; the copy and the open come before, the commit
 * after:
 *
 *     floor = copy + open + max(T, (T + deflate + digest) / 2) + commit
 *
 * Nothing is counted for making the records, handing them between
 * threads or waiting for one another: a real shot costs more. The ratio
 * is given to the walk timed here, and as whole processes (what the
 * goals are stated in): the walk's process took longer than the walk
 * here (starting, fresh memory), and that difference is added to both. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <hivex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef REGDIFF_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#include "clock.h"
#include "floor.h"
#include "internal.h"
#include "median.h"
#include "snapshot_format.h"
#include "walk.h"

#define MAX_REPEATS 99

typedef struct block {
	uint8_t *p;
	size_t n;
} block;

typedef struct records {
	block *b;
	size_t n, bytes, largest;
} records;

static int fail(const char *what, const char *why)
{
	printf("  floor not measured: %s: %s\n", what, why);
	return -1;
}

static int read_whole(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0) {
		if (f)
			fclose(f);
		return -1;
	}
	*len = (size_t)st.st_size;
	*out = malloc(*len ? *len : 1);
	int rc = *out && fread(*out, 1, *len, f) == *len ? 0 : -1;
	fclose(f);
	return rc;
}

static void records_free(records *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->b[i].p);
	free(r->b);
}

#ifdef REGDIFF_HAVE_LIBDEFLATE
/* The record blocks of snapshot file s (len bytes), inflated: the blocks
 * from the header on, up to the footer (docs/snapshot-format.md). */
static int inflate_records(const uint8_t *s, size_t len, records *r)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t off = RDS_HEADER_SIZE;
	int rc = d ? 0 : -1;
	while (!rc && len - off >= RDS_BLOCK_HEADER_SIZE &&
	       regdiff__get_u32(s + off) == RDS_BLOCK_MAGIC) {
		uint32_t kind = regdiff__get_u32(s + off + 4), c = regdiff__get_u32(s + off + 8),
			 u = regdiff__get_u32(s + off + 12);
		if (c > len - off - RDS_BLOCK_HEADER_SIZE)
			rc = -1;
		else if (kind == RDS_BLOCK_RECORDS) {
			block *b = realloc(r->b, (r->n + 1) * sizeof *b);
			uint8_t *p = b ? malloc(u ? u : 1) : NULL;
			if (b)
				r->b = b;
			if (!p ||
			    libdeflate_deflate_decompress(d, s + off + RDS_BLOCK_HEADER_SIZE, c, p,
							  u, NULL) != LIBDEFLATE_SUCCESS) {
				free(p);
				rc = -1;
			} else {
				r->b[r->n++] = (block){p, u};
				r->bytes += u;
				r->largest = u > r->largest ? u : r->largest;
			}
		}
		off += RDS_BLOCK_HEADER_SIZE + c;
	}
	libdeflate_free_decompressor(d);
	return rc || !r->n ? -1 : 0;
}

static double time_deflate(const records *r)
{
	struct libdeflate_compressor *z = libdeflate_alloc_compressor(1);
	size_t cap = z ? libdeflate_deflate_compress_bound(z, r->largest) : 0;
	uint8_t *out = z ? malloc(cap) : NULL;
	if (!out) {
		libdeflate_free_compressor(z);
		return -1;
	}
	double t = bench_now();
	for (size_t i = 0; i < r->n; i++)
		libdeflate_deflate_compress(z, r->b[i].p, r->b[i].n, out, cap);
	t = bench_now() - t;
	free(out);
	libdeflate_free_compressor(z);
	return t;
}
#else
static int inflate_records(const uint8_t *s, size_t len, records *r)
{
	(void)s;
	(void)len;
	(void)r;
	return -1;
}

static double time_deflate(const records *r)
{
	(void)r;
	return -1;
}
#endif

static double time_digest(const records *r)
{
	uint8_t d[32];
	double t = bench_now();
	for (size_t i = 0; i < r->n; i++)
		gcry_md_hash_buffer(GCRY_MD_SHA256, d, r->b[i].p, r->b[i].n);
	return bench_now() - t;
}

/* The hive into a new anonymous file, as the shot's private copy. */
static double time_copy(const char *hive)
{
	double t = bench_now();
	int in = open(hive, O_RDONLY), out = memfd_create("floor", 0);
	struct stat st;
	int ok = in >= 0 && out >= 0 && fstat(in, &st) == 0;
	for (off_t at = 0; ok && at < st.st_size;) {
		ssize_t n = sendfile(out, in, &at, (size_t)(st.st_size - at));
		ok = n > 0 || (n < 0 && errno == EINTR);
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ok ? bench_now() - t : -1;
}

static double time_open(const char *hive)
{
	double t = bench_now();
	hive_h *h = hivex_open(hive, 0);
	if (!h)
		return -1;
	hivex_close(h);
	return bench_now() - t;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* The end of committing the snapshot's bytes to tmp, renamed over target:
 * its whole MiBs written and on the disk first (not timed), then the rest
 * written, flushed and the file renamed. */
static double time_commit(const uint8_t *s, size_t len, const char *tmp, const char *target)
{
	size_t head = len & ~(size_t)((1u << 20) - 1);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ok = fd >= 0 && write_all(fd, s, head) == 0 && fdatasync(fd) == 0;
	double t = bench_now();
	ok = ok && write_all(fd, s + head, len - head) == 0 && fsync(fd) == 0;
	if (fd >= 0)
		ok = close(fd) == 0 && ok;
	ok = ok && rename(tmp, target) == 0;
	return ok ? bench_now() - t : -1;
}

typedef struct parts {
	const char *hive, *tmp, *target;
	const uint8_t *snap;
	size_t snap_len;
	const records *rec;
} parts;

enum { WALK, COPY, OPEN, DEFLATE, DIGEST, COMMIT, NPARTS };

static double time_walk(const parts *p)
{
	double t = bench_now();
	return bench_bare_walk(p->hive) == 0 ? bench_now() - t : -1;
}

static double time_part(const parts *p, int which)
{
	switch (which) {
	case WALK:
		return time_walk(p);
	case COPY:
		return time_copy(p->hive);
	case OPEN:
		return time_open(p->hive);
	case DEFLATE:
		return time_deflate(p->rec);
	case DIGEST:
		return time_digest(p->rec);
	default:
		return time_commit(p->snap, p->snap_len, p->tmp, p->target);
	}
}

static void print_floor(const double m[NPARTS], const records *r, double walk_process)
{
	double walk_wall = m[WALK], t = walk_wall - m[OPEN];
	double beside = (t + m[DEFLATE] + m[DIGEST]) / 2;
	double middle = t > beside ? t : beside;
	double least = m[COPY] + m[OPEN] + middle + m[COMMIT];
	double bare = m[OPEN] + middle;
	printf("  floor of a shot on two cores (each part alone in this process, median; see "
	       "floor.c):\n");
	printf("    bare walk %.1f ms: libhivex open %.1f ms, the rest %.1f ms;", walk_wall * 1e3,
	       m[OPEN] * 1e3, t * 1e3);
	printf(" private copy %.1f ms,\n", m[COPY] * 1e3);
	printf(
	    "    deflate of the records %.1f ms (%.1f MB in %zu blocks), SHA-256 of them %.1f ms, "
	    "commit %.1f ms\n",
	    m[DEFLATE] * 1e3, (double)r->bytes / 1e6, r->n, m[DIGEST] * 1e3, m[COMMIT] * 1e3);
	/* The same start of a process added to both: the walk's process
	 * less the walk here. */
	double start = walk_process > walk_wall ? walk_process - walk_wall : 0;
	printf("    floor %.1f ms = %.2fx the walk here; as whole processes (%.1f ms of the walk's "
	       "process added to both)\n",
	       least * 1e3, least / walk_wall, start * 1e3);
	printf("    %.2fx (goal 1.5x), and %.2fx without the private copy and the commit\n",
	       (least + start) / (walk_wall + start), (bare + start) / (walk_wall + start));
}

int bench_floor(const char *hive, const char *snapshot, const char *work, int repeats,
		double walk_process)
{
	if (repeats > MAX_REPEATS)
		repeats = MAX_REPEATS;
	if (!gcry_check_version(NULL))
		return fail("libgcrypt", "cannot be initialised");
	uint8_t *snap = NULL;
	size_t len = 0;
	if (read_whole(snapshot, &snap, &len) || len < RDS_HEADER_SIZE) {
		free(snap);
		return fail(snapshot, "cannot be read");
	}
	records rec = {0};
	if (inflate_records(snap, len, &rec)) {
		free(snap);
		records_free(&rec);
#ifdef REGDIFF_HAVE_LIBDEFLATE
		return fail(snapshot, "its record blocks do not inflate");
#else
		return fail("deflate", "this build has no libdeflate");
#endif
	}
	char tmp[4096], target[4096];
	snprintf(tmp, sizeof tmp, "%s/floor.tmp", work);
	snprintf(target, sizeof target, "%s/floor.rds", work);
	parts p = {hive, tmp, target, snap, len, &rec};
	double v[NPARTS][MAX_REPEATS], m[NPARTS];
	int rc = 0;
	/* Interleaved, so that a burst of load falls on every part alike. */
	for (int i = 0; i < repeats && !rc; i++)
		for (int k = 0; k < NPARTS && !rc; k++)
			if ((v[k][i] = time_part(&p, k)) < 0)
				rc = fail(hive, "a part of the floor failed");
	for (int k = 0; k < NPARTS && !rc; k++)
		m[k] = median_of(v[k], repeats);
	if (!rc)
		print_floor(m, &rec, walk_process);
	remove(target);
	remove(tmp);
	records_free(&rec);
	free(snap);
	return rc;
}
