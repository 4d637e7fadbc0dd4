/* Spools: memory first, then an anonymous temporary file. */
#include <stdlib.h>
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

#include "osfile.h"
#include "spool.h"

/* Piece size for writing to the file and for replaying. */
#define CHUNK ((size_t)64 << 10)

struct regdiff__spool {
	regdiff__buf mem; /* all the data, or once spilled the unflushed tail */
	size_t limit;
	int fd;		    /* -1 until spilled */
	uint64_t file_size; /* bytes in the file */
	uint64_t total;
};

int regdiff__spool_new(regdiff__spool **out, size_t mem_limit)
{
	*out = regdiff__calloc(1, sizeof **out);
	if (!*out)
		return REGDIFF_ENOMEM;
	(*out)->limit = mem_limit ? mem_limit : REGDIFF__SPOOL_MEM_LIMIT;
	(*out)->fd = -1;
	return 0;
}

static int flush_tail(regdiff__spool *s)
{
	int rc = regdiff__os_write_all(s->fd, s->mem.data, s->mem.len);
	if (rc < 0)
		return regdiff__error_prefix(rc, "report spool temporary file");
	s->file_size += s->mem.len;
	s->mem.len = 0;
	return 0;
}

static int spill(regdiff__spool *s)
{
	int rc = regdiff__os_anon_tempfile(&s->fd);
	if (rc < 0)
		return rc;
	rc = flush_tail(s);
	/* Give back the big buffer: from now on only a CHUNK is kept. */
	regdiff__buf_free(&s->mem);
	return rc;
}

int regdiff__spool_write(regdiff__spool *s, const void *bytes, size_t n)
{
	int rc;
	if (s->fd < 0 && n > s->limit - s->mem.len) {
		rc = spill(s);
		if (rc < 0)
			return rc;
	}
	if (s->fd >= 0 && n > CHUNK - s->mem.len) {
		rc = flush_tail(s);
		if (rc == 0 && n >= CHUNK) {
			rc = regdiff__os_write_all(s->fd, bytes, n);
			if (rc < 0)
				return regdiff__error_prefix(rc, "report spool temporary file");
			s->file_size += n;
			s->total += n;
			return 0;
		}
		if (rc < 0)
			return rc;
	}
	rc = regdiff__buf_append(&s->mem, bytes, n);
	if (rc == 0)
		s->total += n;
	return rc;
}

uint64_t regdiff__spool_size(const regdiff__spool *s)
{
	return s->total;
}

bool regdiff__spool_spilled(const regdiff__spool *s)
{
	return s->fd >= 0;
}

static int emit(regdiff_write_fn write, void *ctx, const void *bytes, size_t n)
{
	if (write(ctx, bytes, n) != 0)
		return regdiff__error(REGDIFF_EIO, "writing the report failed");
	return 0;
}

int regdiff__spool_replay(regdiff__spool *s, regdiff_write_fn write, void *ctx)
{
	int rc = 0;
	if (s->fd < 0) {
		for (size_t off = 0; rc == 0 && off < s->mem.len; off += CHUNK) {
			size_t n = s->mem.len - off < CHUNK ? s->mem.len - off : CHUNK;
			rc = emit(write, ctx, s->mem.data + off, n);
		}
		return rc;
	}
	if (s->mem.len > 0)
		rc = flush_tail(s);
	if (rc == 0)
		rc = regdiff__buf_reserve(&s->mem, CHUNK);
	for (uint64_t off = 0; rc == 0 && off < s->file_size; off += CHUNK) {
		size_t n = s->file_size - off < CHUNK ? (size_t)(s->file_size - off) : CHUNK;
		rc = regdiff__os_pread_all(s->fd, s->mem.data, n, off,
					   "report spool temporary file");
		if (rc == 0)
			rc = emit(write, ctx, s->mem.data, n);
	}
	return rc;
}

void regdiff__spool_free(regdiff__spool *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	regdiff__buf_free(&s->mem);
	free(s);
}
