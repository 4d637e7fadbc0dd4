/* Registry names: Windows' case-insensitive order and UTF-16 <-> UTF-8. */
#include <stdlib.h>

#include "name_internal.h"
#include "name_upcase.h"

uint16_t regdiff_name_upcase(uint16_t unit)
{
	return regdiff__upcase(unit);
}

int regdiff_name_compare(regdiff_name a, regdiff_name b)
{
	size_t n = a.len < b.len ? a.len : b.len;

	for (size_t i = 0; i < n; i++) {
		uint16_t x = a.units[i], y = b.units[i];

		/* Most compared names share long prefixes in the same case. */
		if (x == y)
			continue;
		x = regdiff__upcase(x);
		y = regdiff__upcase(y);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return (a.len > b.len) - (a.len < b.len);
}

/* ---- UTF-16 to UTF-8 ---- */

/* One UTF-16 unit becomes at most 3 bytes: a pair (2 units) needs 4,
 * an unpaired surrogate or a replaced control 3. */
#define MAX_BYTES_PER_UNIT 3

static inline uint8_t *put_utf8(uint8_t *p, uint32_t cp)
{
	if (cp < 0x80) {
		*p++ = (uint8_t)cp;
	} else if (cp < 0x800) {
		*p++ = (uint8_t)(0xC0 | cp >> 6);
		*p++ = (uint8_t)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*p++ = (uint8_t)(0xE0 | cp >> 12);
		*p++ = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		*p++ = (uint8_t)(0x80 | (cp & 0x3F));
	} else {
		*p++ = (uint8_t)(0xF0 | cp >> 18);
		*p++ = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
		*p++ = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		*p++ = (uint8_t)(0x80 | (cp & 0x3F));
	}
	return p;
}

/* What REGDIFF_TEXT_SAFE shows for a code point below U+00A0. */
static inline uint32_t safe_code_point(uint32_t cp)
{
	if (cp < 0x20)
		return 0x2400 + cp;
	if (cp == 0x7F)
		return 0x2421;
	if (cp >= 0x80)
		return 0xFFFD;
	return cp;
}

/* Bidirectional formatting characters reorder what a terminal shows after
 * them, so a name could read as something it is not ("Trojan Source");
 * invisible ones make two different names read the same. */
bool regdiff__hidden_char(uint32_t cp)
{
	return cp == 0xAD || cp == 0x061C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
	       (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFFFE || cp == 0xFFFF ||
	       (cp >= 0xE0000 && cp <= 0xE007F);
}

/* Both appenders share one loop; le_bytes is a constant at each call, so
 * the compiler keeps two specialised copies without a per-unit branch. */
static inline uint16_t unit_at(const void *src, size_t i, bool le_bytes)
{
	if (le_bytes)
		return regdiff__get_u16((const uint8_t *)src + 2 * i);
	return ((const uint16_t *)src)[i];
}

static inline int append_utf8(regdiff__buf *out, const void *src, size_t n, bool le_bytes,
			      unsigned flags)
{
	if (flags & ~(unsigned)REGDIFF_TEXT_SAFE)
		return regdiff__error(REGDIFF_EINVAL, "unknown text flags 0x%x", flags);
	if (n == 0)
		return 0;
	if (n > (SIZE_MAX - 1) / MAX_BYTES_PER_UNIT)
		return regdiff__error(REGDIFF_ENOMEM, "text of %zu UTF-16 units is too long", n);
	int rc = regdiff__buf_reserve(out, n * MAX_BYTES_PER_UNIT);
	if (rc < 0)
		return rc;

	bool safe = flags & REGDIFF_TEXT_SAFE;
	uint8_t *p = out->data + out->len;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = unit_at(src, i, le_bytes);

		if (cp >= 0xD800 && cp <= 0xDFFF) {
			uint32_t low = i + 1 < n ? unit_at(src, i + 1, le_bytes) : 0;
			if (cp <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
				i++;
			} else {
				cp = 0xFFFD;
			}
		} else if (safe && cp < 0xA0) {
			cp = safe_code_point(cp);
		}
		if (safe && cp >= 0xA0 && regdiff__hidden_char(cp))
			cp = 0xFFFD;
		p = put_utf8(p, cp);
	}
	out->len = (size_t)(p - out->data);
	return 0;
}

int regdiff__utf16_to_utf8_buf(regdiff__buf *out, const uint16_t *units, size_t n, unsigned flags)
{
	return append_utf8(out, units, n, false, flags);
}

int regdiff__utf16le_bytes_to_utf8_buf(regdiff__buf *out, const uint8_t *bytes, size_t nbytes,
				       unsigned flags)
{
	if (nbytes % 2 != 0)
		return regdiff__error(REGDIFF_EINVAL, "UTF-16 text of odd length %zu bytes",
				      nbytes);
	return append_utf8(out, bytes, nbytes / 2, true, flags);
}

int regdiff_name_to_utf8(char **out, size_t *len, regdiff_name name, unsigned flags)
{
	regdiff_error_clear();
	if (len)
		*len = 0;
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_name_to_utf8: out is NULL");
	*out = NULL;
	if (!name.units && name.len > 0)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_name_to_utf8: name has no units");

	regdiff__buf b = {0};
	int rc = 0;
	/* Reserving the terminator now saves putc a second allocation. */
	if (name.len <= (SIZE_MAX - 1) / MAX_BYTES_PER_UNIT)
		rc = regdiff__buf_reserve(&b, name.len * MAX_BYTES_PER_UNIT + 1);
	if (rc == 0)
		rc = regdiff__utf16_to_utf8_buf(&b, name.units, name.len, flags);
	if (rc == 0)
		rc = regdiff__buf_putc(&b, 0);
	if (rc < 0) {
		regdiff__buf_free(&b);
		return rc;
	}
	*out = (char *)b.data;
	if (len)
		*len = b.len - 1;
	return 0;
}

/* ---- UTF-8 to UTF-16 ---- */

/* Decodes the sequence at s[0..avail) strictly (Unicode Table 3-7: no
 * overlongs, no encoded surrogates, nothing above U+10FFFF). at is the
 * offset of s in the whole input, for the message. */
static int decode_utf8(const uint8_t *s, size_t avail, size_t at, uint32_t *cp, size_t *used)
{
	uint8_t b = s[0];
	/* Allowed range of the second byte; the others are always 80..BF. */
	uint8_t lo = 0x80, hi = 0xBF;
	const char *outside = NULL; /* why a second byte outside lo..hi is bad */
	size_t need;
	uint32_t v;

	if (b < 0x80) {
		*cp = b;
		*used = 1;
		return 0;
	} else if (b < 0xC0) {
		return regdiff__error(
		    REGDIFF_EINVAL,
		    "invalid UTF-8 at byte %zu: unexpected continuation byte 0x%02X", at, b);
	} else if (b < 0xC2) {
		return regdiff__error(REGDIFF_EINVAL,
				      "invalid UTF-8 at byte %zu: overlong encoding", at);
	} else if (b < 0xE0) {
		need = 1;
		v = b & 0x1F;
	} else if (b < 0xF0) {
		need = 2;
		v = b & 0x0F;
		if (b == 0xE0) {
			lo = 0xA0;
			outside = "overlong encoding";
		} else if (b == 0xED) {
			hi = 0x9F;
			outside = "encoded surrogate";
		}
	} else if (b < 0xF5) {
		need = 3;
		v = b & 0x07;
		if (b == 0xF0) {
			lo = 0x90;
			outside = "overlong encoding";
		} else if (b == 0xF4) {
			hi = 0x8F;
			outside = "code point above U+10FFFF";
		}
	} else if (b < 0xF8) {
		return regdiff__error(REGDIFF_EINVAL,
				      "invalid UTF-8 at byte %zu: code point above U+10FFFF", at);
	} else {
		return regdiff__error(REGDIFF_EINVAL,
				      "invalid UTF-8 at byte %zu: invalid byte 0x%02X", at, b);
	}

	for (size_t k = 1; k <= need; k++) {
		if (k >= avail)
			return regdiff__error(REGDIFF_EINVAL,
					      "invalid UTF-8 at byte %zu: truncated sequence", at);
		uint8_t c = s[k];
		if (c < 0x80 || c > 0xBF)
			return regdiff__error(
			    REGDIFF_EINVAL,
			    "invalid UTF-8 at byte %zu: byte 0x%02X is not a continuation byte",
			    at + k, c);
		if (k == 1 && (c < lo || c > hi))
			return regdiff__error(REGDIFF_EINVAL, "invalid UTF-8 at byte %zu: %s", at,
					      outside);
		v = v << 6 | (c & 0x3F);
	}
	*cp = v;
	*used = need + 1;
	return 0;
}

int regdiff_name_from_utf8(uint16_t **out, size_t *out_len, const char *utf8, size_t len)
{
	regdiff_error_clear();
	if (out_len)
		*out_len = 0;
	if (!out)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_name_from_utf8: out is NULL");
	*out = NULL;
	if (!utf8 && len > 0)
		return regdiff__error(REGDIFF_EINVAL, "regdiff_name_from_utf8: utf8 is NULL");
	/* Each byte gives at most one unit (4 bytes give a pair); one more
	 * for a terminating 0 that callers handing the name to Windows need. */
	if (len >= SIZE_MAX / sizeof(uint16_t))
		return regdiff__error(REGDIFF_ENOMEM, "text of %zu bytes is too long", len);
	uint16_t *units = regdiff__malloc((len + 1) * sizeof(uint16_t));
	if (!units)
		return REGDIFF_ENOMEM;

	const uint8_t *s = (const uint8_t *)utf8;
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t used = 0;
		int rc = decode_utf8(s + i, len - i, i, &cp, &used);
		if (rc < 0) {
			free(units);
			return rc;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			units[n++] = (uint16_t)(0xD800 | cp >> 10);
			units[n++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
		} else {
			units[n++] = (uint16_t)cp;
		}
		i += used;
	}
	units[n] = 0;
	*out = units;
	if (out_len)
		*out_len = n;
	return 0;
}
