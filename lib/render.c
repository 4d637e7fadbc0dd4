/* Value data, type names and times as the reports show them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "name_internal.h"
#include "render.h"

static const char *const type_names[] = {
    "REG_NONE",
    "REG_SZ",
    "REG_EXPAND_SZ",
    "REG_BINARY",
    "REG_DWORD",
    "REG_DWORD_BIG_ENDIAN",
    "REG_LINK",
    "REG_MULTI_SZ",
    "REG_RESOURCE_LIST",
    "REG_FULL_RESOURCE_DESCRIPTOR",
    "REG_RESOURCE_REQUIREMENTS_LIST",
    "REG_QWORD",
};

const char *regdiff_type_name(uint32_t type)
{
	if (type < sizeof type_names / sizeof type_names[0])
		return type_names[type];
	return NULL;
}

/* ---- What the bytes hold ---- */

static uint16_t unit(const regdiff_data *d, size_t i)
{
	return regdiff__get_u16(d->bytes + 2 * i);
}

bool regdiff__data_sz(const regdiff_data *d, size_t *units)
{
	if (d->type != REGDIFF_REG_SZ && d->type != REGDIFF_REG_EXPAND_SZ)
		return false;
	if (d->len % 2 != 0)
		return false;
	size_t n = d->len / 2;
	if (n > 0 && unit(d, n - 1) == 0)
		n--;
	for (size_t i = 0; i < n; i++)
		if (unit(d, i) == 0)
			return false;
	*units = n;
	return true;
}

bool regdiff__data_link(const regdiff_data *d)
{
	if (d->type != REGDIFF_REG_LINK || d->len % 2 != 0)
		return false;
	for (size_t i = 0; i < d->len / 2; i++)
		if (unit(d, i) == 0)
			return false;
	return true;
}

bool regdiff__data_multi_sz(const regdiff_data *d, size_t *count)
{
	if (d->type != REGDIFF_REG_MULTI_SZ || d->len % 2 != 0 || d->len == 0)
		return false;
	size_t n = d->len / 2;
	if (unit(d, n - 1) != 0)
		return false;
	if (n == 1) {
		*count = 0;
		return true;
	}
	/* An empty string would end the list early for every reader, so a
	 * list holding one is not shown as a list. */
	if (unit(d, 0) == 0 || unit(d, n - 2) != 0)
		return false;
	size_t strings = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (unit(d, i) != 0)
			continue;
		if (unit(d, i - 1) == 0)
			return false;
		strings++;
	}
	*count = strings;
	return true;
}

bool regdiff__multi_sz_next(const regdiff_data *d, size_t *pos, size_t *start, size_t *units)
{
	size_t i = *pos / 2, end = d->len / 2 - 1; /* end: the list's final NUL */
	if (i >= end)
		return false;
	*start = 2 * i;
	size_t k = i;
	while (unit(d, k) != 0)
		k++;
	*units = k - i;
	*pos = 2 * (k + 1);
	return true;
}

bool regdiff__data_number(const regdiff_data *d, uint64_t *value, int *digits)
{
	const uint8_t *p = d->bytes;
	switch (d->type) {
	case REGDIFF_REG_DWORD:
		if (d->len != 4)
			return false;
		*value = regdiff__get_u32(p);
		*digits = 8;
		return true;
	case REGDIFF_REG_DWORD_BIG_ENDIAN:
		if (d->len != 4)
			return false;
		*value = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		*digits = 8;
		return true;
	case REGDIFF_REG_QWORD:
		if (d->len != 8)
			return false;
		*value = regdiff__get_u64(p);
		*digits = 16;
		return true;
	default:
		return false;
	}
}

/* ---- Writing it ---- */

int regdiff__render_hex(regdiff__buf *out, const uint8_t *bytes, size_t n, unsigned flags)
{
	const char *digits = (flags & REGDIFF__HEX_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t per = (flags & REGDIFF__HEX_SPACED) ? 3 : 2;
	if (n > (SIZE_MAX - out->len) / per)
		return regdiff__error(REGDIFF_ENOMEM, "%zu bytes of data are too many to show", n);
	int rc = regdiff__buf_reserve(out, n * per);
	if (rc < 0)
		return rc;
	uint8_t *p = out->data + out->len;
	for (size_t i = 0; i < n; i++) {
		if (per == 3)
			*p++ = ' ';
		*p++ = (uint8_t)digits[bytes[i] >> 4];
		*p++ = (uint8_t)digits[bytes[i] & 0xF];
	}
	out->len += n * per;
	return 0;
}

/* The TXT rendering is made a piece at a time, so that a value of any
 * size is written in bounded memory: each piece covers at most max bytes
 * of data. */
enum { TXT_NULL, TXT_SZ, TXT_MULTI, TXT_NUMBER, TXT_HEX };

/* Whether units [0, n) of d hold a surrogate that is not one of a pair. */
static bool lone_surrogate(const regdiff_data *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint16_t u = unit(d, i);
		if (u >= 0xDC00 && u <= 0xDFFF)
			return true;
		if (u < 0xD800 || u > 0xDBFF)
			continue;
		if (i + 1 == n || unit(d, i + 1) < 0xDC00 || unit(d, i + 1) > 0xDFFF)
			return true;
		i++;
	}
	return false;
}

void regdiff__txt_cursor_init(regdiff__txt_cursor *cur, const regdiff_data *d, unsigned flags)
{
	size_t n;
	uint64_t value;
	int digits;
	memset(cur, 0, sizeof *cur);
	cur->d = d;
	cur->text_flags = (flags & REGDIFF_DATA_TEXT_SAFE) ? REGDIFF_TEXT_SAFE : REGDIFF_TEXT_PLAIN;
	if (d->len == 0)
		cur->kind = TXT_NULL;
	else if (flags & REGDIFF_DATA_TEXT_HEX)
		cur->kind = TXT_HEX;
	else if (regdiff__data_sz(d, &n)) {
		cur->kind = TXT_SZ;
		cur->start = 0;
		cur->units = n;
	} else if ((flags & REGDIFF_DATA_TEXT_LINK) && regdiff__data_link(d)) {
		cur->kind = TXT_SZ;
		cur->units = d->len / 2;
	} else if (regdiff__data_multi_sz(d, &n))
		cur->kind = TXT_MULTI;
	else if (regdiff__data_number(d, &value, &digits))
		cur->kind = TXT_NUMBER;
	else
		cur->kind = TXT_HEX;
	/* Strings take the whole data (lists' and terminators' NULs are no
	 * surrogates), so the check is of all of it. */
	if ((flags & REGDIFF_DATA_TEXT_STRICT) && (cur->kind == TXT_SZ || cur->kind == TXT_MULTI) &&
	    lone_surrogate(d, d->len / 2))
		cur->kind = TXT_HEX;
}

bool regdiff__data_text_hex(const regdiff_data *d, unsigned flags)
{
	regdiff__txt_cursor cur;
	if (d->not_read)
		return false;
	regdiff__txt_cursor_init(&cur, d, flags);
	return cur.kind == TXT_HEX;
}

/* Appends up to max bytes' worth (even, at least 4) of the string at
 * cur->start + 2 * cur->off, never splitting a surrogate pair. */
static int string_piece(regdiff__buf *out, regdiff__txt_cursor *cur, size_t max)
{
	size_t left = cur->units - cur->off, take = max / 2 < left ? max / 2 : left;
	const uint8_t *p = cur->d->bytes + cur->start + 2 * cur->off;
	if (take < left && take > 0) {
		uint16_t last = regdiff__get_u16(p + 2 * (take - 1));
		if (last >= 0xD800 && last <= 0xDBFF)
			take--;
	}
	cur->off += take;
	return regdiff__utf16le_bytes_to_utf8_buf(out, p, 2 * take, cur->text_flags);
}

int regdiff__txt_cursor_next(regdiff__buf *out, regdiff__txt_cursor *cur, size_t max)
{
	const regdiff_data *d = cur->d;
	uint64_t value;
	int digits, rc = 0;
	if (max < 4)
		max = 4;
	switch (cur->kind) {
	case TXT_NULL:
		/* Regshot's marker, kept so its parsers read ours. */
		cur->done = true;
		return regdiff__buf_append(out, "(NULL!)", 7);
	case TXT_NUMBER:
		regdiff__data_number(d, &value, &digits);
		cur->done = true;
		return regdiff__buf_printf(out, "0x%0*" PRIX64, digits, value);
	case TXT_HEX: {
		size_t take = d->len - cur->pos < max ? d->len - cur->pos : max;
		if (take)
			rc = regdiff__render_hex(out, d->bytes + cur->pos, take,
						 REGDIFF__HEX_UPPER | REGDIFF__HEX_SPACED);
		cur->pos += take;
		cur->done = cur->pos == d->len;
		return rc;
	}
	case TXT_SZ:
		if (!cur->in_string) {
			cur->in_string = true;
			return regdiff__buf_putc(out, '"');
		}
		if (cur->off < cur->units)
			return string_piece(out, cur, max);
		cur->done = true;
		return regdiff__buf_putc(out, '"');
	default: /* TXT_MULTI: "a", "b"; "" for the empty list */
		if (cur->in_string && cur->off < cur->units)
			return string_piece(out, cur, max);
		if (cur->in_string) {
			cur->in_string = false;
			return regdiff__buf_putc(out, '"');
		}
		if (!regdiff__multi_sz_next(d, &cur->pos, &cur->start, &cur->units)) {
			cur->done = true;
			return cur->item == 0 ? regdiff__buf_append(out, "\"\"", 2) : 0;
		}
		cur->off = 0;
		cur->in_string = true;
		return cur->item++ ? regdiff__buf_append(out, ", \"", 3)
				   : regdiff__buf_putc(out, '"');
	}
}

int regdiff__render_txt_data(regdiff__buf *out, const regdiff_data *d)
{
	return regdiff__data_text(out, d, REGDIFF_DATA_TEXT_SAFE, NULL, NULL);
}

/* Drops the first n bytes of b. */
static void buf_drop(regdiff__buf *b, size_t n)
{
	if (n == 0)
		return;
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

int regdiff__txt_data_same(const regdiff_data *a, const regdiff_data *b, regdiff__buf *ta,
			   regdiff__buf *tb, bool *same)
{
	/* The two renderings are made in step, the shorter one always going
	 * on, and what they share is dropped: memory stays at about a
	 * piece each, whatever the size of the data. */
	regdiff__txt_cursor ca, cb;
	int rc = 0;
	*same = false;
	ta->len = tb->len = 0;
	regdiff__txt_cursor_init(&ca, a, REGDIFF_DATA_TEXT_SAFE);
	regdiff__txt_cursor_init(&cb, b, REGDIFF_DATA_TEXT_SAFE);
	for (;;) {
		if (ta->len <= tb->len && !ca.done)
			rc = regdiff__txt_cursor_next(ta, &ca, REGDIFF__PIECE);
		else if (!cb.done)
			rc = regdiff__txt_cursor_next(tb, &cb, REGDIFF__PIECE);
		else if (!ca.done)
			rc = regdiff__txt_cursor_next(ta, &ca, REGDIFF__PIECE);
		if (rc < 0)
			return rc;
		size_t n = ta->len < tb->len ? ta->len : tb->len;
		if (n && memcmp(ta->data, tb->data, n) != 0)
			return 0;
		buf_drop(ta, n);
		buf_drop(tb, n);
		if (ca.done && cb.done) {
			*same = ta->len == 0 && tb->len == 0;
			return 0;
		}
		if ((ca.done && ta->len == 0 && tb->len) || (cb.done && tb->len == 0 && ta->len))
			return 0;
	}
}

/* ---- Times ---- */

#define TICKS_PER_SECOND INT64_C(10000000)
/* Days from 1601-01-01 to 1970-01-01. */
#define DAYS_1601_TO_1970 INT64_C(134774)

/* The proleptic Gregorian date of a day counted from 1970-01-01 (after
 * Howard Hinnant's civil_from_days, valid for any int64 day in range). */
static void civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

char *regdiff__filetime_iso8601(int64_t filetime, char buf[REGDIFF__ISO8601_MAX])
{
	int64_t secs = filetime / TICKS_PER_SECOND, frac = filetime % TICKS_PER_SECOND;
	if (frac < 0) {
		secs--;
		frac += TICKS_PER_SECOND;
	}
	int64_t days = secs / 86400, sod = secs % 86400;
	if (sod < 0) {
		days--;
		sod += 86400;
	}
	int64_t year;
	int month, day;
	civil_from_days(days - DAYS_1601_TO_1970, &year, &month, &day);
	snprintf(buf, REGDIFF__ISO8601_MAX, "%s%04" PRId64 "-%02d-%02dT%02d:%02d:%02d.%07dZ",
		 year < 0 ? "-" : "", year < 0 ? -year : year, month, day, (int)(sod / 3600),
		 (int)(sod / 60 % 60), (int)(sod % 60), (int)frac);
	return buf;
}

/* ---- Text from outside the registry ---- */

size_t regdiff__utf8_decode(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint8_t b = p[0];
	uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	size_t need;
	uint32_t v;

	*cp = 0xFFFD;
	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b < 0xC2) {
		return 1;
	} else if (b < 0xE0) {
		need = 1;
		v = b & 0x1Fu;
	} else if (b < 0xF0) {
		need = 2;
		v = b & 0x0Fu;
		lo = b == 0xE0 ? 0xA0 : 0x80; /* overlong */
		hi = b == 0xED ? 0x9F : 0xBF; /* surrogates */
	} else if (b < 0xF5) {
		need = 3;
		v = b & 0x07u;
		lo = b == 0xF0 ? 0x90 : 0x80; /* overlong */
		hi = b == 0xF4 ? 0x8F : 0xBF; /* above U+10FFFF */
	} else {
		return 1;
	}
	if (n <= need || p[1] < lo || p[1] > hi)
		return 1;
	for (size_t k = 1; k <= need; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 1;
		v = v << 6 | (p[k] & 0x3Fu);
	}
	*cp = v;
	return need + 1;
}

int regdiff__render_safe_utf8(regdiff__buf *out, const char *text, size_t len)
{
	/* Through UTF-16 so that the names module alone decides what
	 * REGDIFF_TEXT_SAFE shows; a chunk on the stack keeps it flat. */
	uint16_t units[256 + 2];
	size_t n = 0;
	const uint8_t *p = (const uint8_t *)text;
	int rc = 0;

	for (size_t i = 0; i < len && rc == 0;) {
		uint32_t cp;
		i += regdiff__utf8_decode(p + i, len - i, &cp);
		if (cp >= 0x10000) {
			units[n++] = (uint16_t)(0xD800 | (cp - 0x10000) >> 10);
			units[n++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
		} else {
			units[n++] = (uint16_t)cp;
		}
		if (n >= 256) {
			rc = regdiff__utf16_to_utf8_buf(out, units, n, REGDIFF_TEXT_SAFE);
			n = 0;
		}
	}
	if (rc == 0)
		rc = regdiff__utf16_to_utf8_buf(out, units, n, REGDIFF_TEXT_SAFE);
	return rc;
}

bool regdiff__key_inner_backslash(const regdiff_change *c, size_t *pos, size_t *at)
{
	if (c->key_count == 0)
		return false;
	/* Separators sit at the ends of all names but the last. */
	size_t i = *pos, sep = 0;
	for (; i < c->key.len; i++) {
		if (c->key.units[i] != '\\')
			continue;
		while (sep + 1 < c->key_count && c->key_ends[sep] < i)
			sep++;
		if (sep + 1 < c->key_count && c->key_ends[sep] == i)
			continue;
		*at = i;
		*pos = i + 1;
		return true;
	}
	*pos = i;
	return false;
}

int regdiff__render_txt_name(regdiff__buf *b, regdiff_name name, const regdiff_change *c)
{
	size_t pos = 0, start = 0, at;
	int rc = 0;
	for (;;) {
		bool more;
		if (c) {
			more = regdiff__key_inner_backslash(c, &pos, &at);
		} else {
			const uint16_t *p = name.units;
			at = start;
			while (at < name.len && p[at] != '\\')
				at++;
			more = at < name.len;
		}
		if (!more)
			break;
		rc = regdiff__utf16_to_utf8_buf(b, name.units + start, at - start,
						REGDIFF_TEXT_SAFE);
		if (rc == 0)
			rc = regdiff__buf_append(b, "\xE2\xA7\xB5", 3); /* U+29F5 */
		if (rc < 0)
			return rc;
		start = at + 1;
	}
	if (name.len == start)
		return 0;
	return regdiff__utf16_to_utf8_buf(b, name.units + start, name.len - start,
					  REGDIFF_TEXT_SAFE);
}

int regdiff__render_not_read(regdiff__buf *b, unsigned not_read, int sides,
			     int (*item)(regdiff__buf *b, const char *word, int first))
{
	static const struct {
		unsigned flag;
		const char *word;
	} kinds[] = {{REGDIFF_NOT_READ_VALUES, "values"}, {REGDIFF_NOT_READ_SUBKEYS, "subkeys"},
		     {REGDIFF_NOT_READ_DATA, "data"},	  {REGDIFF_NOT_READ_OTHER, "other"},
		     {REGDIFF_NOT_READ_HIVE, "hive"},	  {REGDIFF_NOT_READ_EXCLUDED, "excluded"}},
	  side_words[] = {{REGDIFF_NOT_READ_BEFORE, "before"}, {REGDIFF_NOT_READ_AFTER, "after"}};
	int rc = 0, first = 1;
	size_t n = sides ? 2 : sizeof kinds / sizeof kinds[0];
	for (size_t i = 0; rc == 0 && i < n; i++) {
		unsigned flag = sides ? side_words[i].flag : kinds[i].flag;
		if (!(not_read & flag))
			continue;
		rc = item(b, sides ? side_words[i].word : kinds[i].word, first);
		first = 0;
	}
	return rc;
}
