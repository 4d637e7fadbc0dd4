/* Growable byte buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int regdiff__buf_reserve(regdiff__buf *b, size_t extra)
{
	if (extra <= b->cap - b->len)
		return 0;
	if (extra > SIZE_MAX / 2 - b->len)
		return regdiff__error(REGDIFF_ENOMEM, "buffer too large");
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < extra)
		cap *= 2;
	uint8_t *p = regdiff__realloc(b->data, cap);
	if (!p)
		return REGDIFF_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int regdiff__buf_append(regdiff__buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	int rc = regdiff__buf_reserve(b, n);
	if (rc)
		return rc;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int regdiff__buf_putc(regdiff__buf *b, uint8_t c)
{
	if (b->len == b->cap) {
		int rc = regdiff__buf_reserve(b, 1);
		if (rc)
			return rc;
	}
	b->data[b->len++] = c;
	return 0;
}

int regdiff__buf_printf(regdiff__buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return regdiff__error(REGDIFF_EINVAL, "bad format string");
	int rc = regdiff__buf_reserve(b, (size_t)n + 1);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void regdiff__buf_free(regdiff__buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int regdiff__grow(void *pp, size_t *cap, size_t need, size_t size)
{
	if (need == 0)
		need = 1;
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < need) {
		if (c > SIZE_MAX / 2 / size)
			return regdiff__error(REGDIFF_ENOMEM, "array too large");
		c *= 2;
	}
	void *old;
	memcpy(&old, pp, sizeof old);
	void *p = regdiff__realloc(old, c * size);
	if (!p)
		return REGDIFF_ENOMEM;
	memcpy(pp, &p, sizeof p);
	*cap = c;
	return 0;
}
