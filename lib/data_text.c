/* Value data as text: the TXT report's rendering (render.c's cursor),
 * written by the report through regdiff__data_text and handed to callers
 * by regdiff_data_to_text(), so that both show data alike. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define ELLIPSIS "\xE2\x80\xA6" /* U+2026 */

#define ALL_FLAGS                                                                                  \
	(REGDIFF_DATA_TEXT_SAFE | REGDIFF_DATA_TEXT_HEX | REGDIFF_DATA_TEXT_LINK |                 \
	 REGDIFF_DATA_TEXT_STRICT)

int regdiff__data_text(regdiff__buf *out, const regdiff_data *d, unsigned flags,
		       int (*piece)(void *ctx), void *ctx)
{
	regdiff__txt_cursor cur;
	int rc = 0;
	if (d->not_read)
		return regdiff__buf_printf(out, "(data not read: %" PRIu64 " bytes)",
					   d->stated_len);
	regdiff__txt_cursor_init(&cur, d, flags);
	while (rc == 0 && !cur.done) {
		rc = regdiff__txt_cursor_next(out, &cur, REGDIFF__PIECE);
		if (rc == 0 && piece)
			rc = piece(ctx);
	}
	return rc < 0 ? rc : 0;
}

typedef struct capped {
	const regdiff__buf *out;
	size_t max;
} capped;

/* Stops once the text is longer than wanted: what follows would be cut. */
static int stop_past_max(void *ctx)
{
	const capped *c = ctx;
	return c->out->len > c->max;
}

/* Cuts the text in b (longer than max) to end in "…(N bytes)" within max. */
static int shorten(regdiff__buf *b, const regdiff_data *d, unsigned flags, size_t max)
{
	char tail[48];
	int n = snprintf(tail, sizeof tail, ELLIPSIS "(%zu bytes)", d->len);
	size_t keep = max - (size_t)n;
	if (regdiff__data_text_hex(d, flags)) {
		keep -= keep % 3; /* whole " XX" bytes */
	} else {
		/* Back to the first byte of a UTF-8 sequence (the text is
		 * UTF-8, so one is at most 3 bytes back). */
		while (keep > 0 && (b->data[keep] & 0xC0) == 0x80)
			keep--;
	}
	b->len = keep;
	return regdiff__buf_append(b, tail, (size_t)n);
}

/* The NUL-terminated text of data into b; fn names the caller in errors. */
static int render(regdiff__buf *b, const regdiff_data *d, unsigned flags, size_t max,
		  const char *fn)
{
	if (!d)
		return regdiff__error(REGDIFF_EINVAL, "%s: data is NULL", fn);
	if (d->len > 0 && !d->bytes)
		return regdiff__error(REGDIFF_EINVAL, "%s: %zu bytes of data at NULL", fn, d->len);
	if (flags & ~(unsigned)ALL_FLAGS)
		return regdiff__error(REGDIFF_EINVAL, "%s: unknown flags 0x%x", fn,
				      flags & ~(unsigned)ALL_FLAGS);
	if (max > 0 && max < REGDIFF_DATA_TEXT_MIN)
		return regdiff__error(REGDIFF_EINVAL,
				      "%s: max %zu is below REGDIFF_DATA_TEXT_MIN (%d)", fn, max,
				      REGDIFF_DATA_TEXT_MIN);
	capped cap = {b, max};
	int rc = regdiff__data_text(b, d, flags, max ? stop_past_max : NULL, &cap);
	if (rc == 0 && max > 0 && b->len > max)
		rc = shorten(b, d, flags, max);
	return rc ? rc : regdiff__buf_putc(b, 0);
}

int regdiff_data_to_text(char **out, const regdiff_data *data, unsigned flags, size_t max)
{
	regdiff_error_clear();
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_data_to_text: out is NULL");
	*out = NULL;
	regdiff__buf b = {0};
	int rc = render(&b, data, flags, max, "regdiff_data_to_text");
	if (rc < 0) {
		regdiff__buf_free(&b);
		return rc;
	}
	*out = (char *)b.data;
	return 0;
}

int regdiff_data_to_text_buf(char *buf, size_t size, size_t *needed, const regdiff_data *data,
			     unsigned flags, size_t max)
{
	static const char fn[] = "regdiff_data_to_text_buf";
	regdiff_error_clear();
	if (needed)
		*needed = 0;
	if (!buf && size > 0)
		return regdiff__error(REGDIFF_EINVAL, "%s: buf is NULL, size %zu", fn, size);
	if (size > 0)
		buf[0] = '\0';
	regdiff__buf b = {0};
	int rc = render(&b, data, flags, max, fn);
	if (rc == 0 && needed)
		*needed = b.len;
	if (rc == 0 && buf && b.len > size)
		rc = regdiff__error(
		    REGDIFF_ELIMIT,
		    "%s: the text needs %zu bytes with its NUL, the buffer holds %zu", fn, b.len,
		    size);
	else if (rc == 0 && buf)
		memcpy(buf, b.data, b.len);
	regdiff__buf_free(&b);
	return rc;
}
