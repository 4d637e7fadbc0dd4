/* Helpers shared by the C unit tests; see test_util.h. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

int tu_failures;

void tu_check_bytes(const char *file, int line, const char *what, const void *got_, size_t got_len,
		    const void *want_, size_t want_len)
{
	const char *got = got_, *want = want_;
	if (got_len == want_len && (got_len == 0 || memcmp(got, want, got_len) == 0))
		return;
	size_t i = 0;
	while (i < got_len && i < want_len && got[i] == want[i])
		i++;
	size_t from = i > 300 ? i - 300 : 0;
	fprintf(stderr,
		"%s:%d: FAILED: %s: differs at byte %zu (got %zu bytes, want %zu)\n--- got:\n%.*s\n"
		"--- want:\n%.*s\n",
		file, line, what, i, got_len, want_len,
		(int)(got_len - from > 600 ? 600 : got_len - from), got + from,
		(int)(want_len - from > 600 ? 600 : want_len - from), want + from);
	tu_failures++;
}

void tu_check_str(const char *file, int line, const char *what, const regdiff__buf *got,
		  const char *want)
{
	tu_check_bytes(file, line, what, got->data, got->len, want, strlen(want));
}

int tu_result(const char *test)
{
	if (tu_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", test, tu_failures);
		return 1;
	}
	printf("%s: all checks passed\n", test);
	return 0;
}

/* ---- Data from literals ---- */

static void *arena[1024];
static size_t arena_n;

void *tu_keep(void *p)
{
	if (!p || arena_n == sizeof arena / sizeof arena[0]) {
		fprintf(stderr, "test arena exhausted\n");
		exit(2);
	}
	return arena[arena_n++] = p;
}

void tu_arena_free(void)
{
	while (arena_n > 0)
		free(arena[--arena_n]);
}

regdiff_data tu_units(uint32_t type, const char16_t *s, size_t n)
{
	uint8_t *b = tu_keep(malloc(2 * n + 1));
	for (size_t i = 0; i < n; i++)
		regdiff__put_u16(b + 2 * i, (uint16_t)s[i]);
	return (regdiff_data){.type = type, .bytes = b, .len = 2 * n};
}

/* ---- Reports ---- */

int tu_sink_write(void *ctx, const void *buf, size_t len)
{
	tu_sink *s = ctx;
	s->calls++;
	if (len > s->largest)
		s->largest = len;
	if (s->fail && (s->fail_after == 0 || s->got.len + len > s->fail_after))
		return s->fail;
	if (s->keep_nothing) {
		s->got.len += len;
		return 0;
	}
	return regdiff__buf_append(&s->got, buf, len);
}

int tu_buf_write(void *ctx, const void *buf, size_t len)
{
	return regdiff__buf_append(ctx, buf, len);
}

int tu_iter_next(void *ctx, const regdiff_change **out)
{
	tu_iter *it = ctx;
	if (it->fail_rc && it->i == it->fail_at)
		return regdiff__error(it->fail_rc, "iterator failed on purpose");
	if (it->i == it->n)
		return REGDIFF_ITEROVER;
	*out = &it->v[it->i++];
	return 0;
}

/* ---- Files ---- */

bool tu_read_file(const char *path, regdiff__buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	uint8_t chunk[65536];
	size_t n;
	bool ok = true;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ok &= regdiff__buf_append(out, chunk, n) == 0;
	ok &= !ferror(f);
	fclose(f);
	return ok;
}

bool tu_write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = n == 0 || fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}
