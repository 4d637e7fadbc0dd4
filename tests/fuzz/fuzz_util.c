/* Helpers shared by the fuzz targets: see fuzz_util.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "json_check.h"
#include "snapshot_format.h"
#include "snapshot_internal.h"

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

void fuzz_check_error(int rc)
{
	if (rc >= 0 || rc < REGDIFF_ITEROVER)
		fuzz_fail("unexpected return code %d", rc);
	if (rc == REGDIFF_ITEROVER)
		fuzz_fail("REGDIFF_ITEROVER returned as an error");
	const char *msg = regdiff_error_message();
	if (!msg || !*msg)
		fuzz_fail("error %d (%s) without a message", rc, regdiff_strerror(rc));
}

int fuzz_out_write(void *ctx, const void *buf, size_t len)
{
	fuzz_out *o = ctx;
	if (o->fail_after != SIZE_MAX && len > o->fail_after - o->len) {
		o->failed = 1;
		return -1;
	}
	if (len > o->cap - o->len) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap - o->len < len)
			cap *= 2;
		uint8_t *p = realloc(o->data, cap);
		if (!p)
			fuzz_fail("out of memory collecting a report");
		o->data = p;
		o->cap = cap;
	}
	if (len)
		memcpy(o->data + o->len, buf, len);
	o->len += len;
	return 0;
}

void fuzz_out_free(fuzz_out *o)
{
	free(o->data);
	o->data = NULL;
	o->len = o->cap = 0;
}

static int problem(char *why, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int problem(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_jsonl(const fuzz_out *o, uint64_t lines, char *why, size_t size)
{
	if (o->len && o->data[o->len - 1] != '\n')
		return problem(why, size, "JSON lines report does not end with a line end");
	uint64_t count = 0, meta = 0;
	/* An incomplete report ends with one summary record, no change. */
	static const char summary[] = "{\"op\":\"summary\",";
	for (size_t start = 0; start < o->len; count++) {
		const uint8_t *nl = memchr(o->data + start, '\n', o->len - start);
		size_t end = (size_t)(nl - o->data);
		/* A dirty hive's log replay comes first as a meta record, not a
		 * change. */
		if (end - start >= 8 && memcmp(o->data + start, "{\"meta\":", 8) == 0)
			meta++;
		const char *fault;
		size_t at;
		if (json_check_object(o->data + start, end - start, &fault, &at) != 0)
			return problem(why, size,
				       "JSON lines report, line %llu, column %zu: %s: %.*s",
				       (unsigned long long)count + 1, at + 1, fault,
				       (int)(end - start), (const char *)o->data + start);
		if (end - start >= sizeof summary - 1 &&
		    memcmp(o->data + start, summary, sizeof summary - 1) == 0) {
			if (end + 1 != o->len)
				return problem(why, size, "JSON lines summary before the end");
			count--;
		}
		start = end + 1;
	}
	count -= meta;
	if (count != lines)
		return problem(why, size, "JSON lines report has %llu lines for %llu changes",
			       (unsigned long long)count, (unsigned long long)lines);
	return 0;
}

/* The next character of a TXT report, or 0 with *len 0 where the encoding
 * is broken. */
static uint32_t txt_next(const uint8_t *s, size_t n, int utf16, size_t *len)
{
	uint32_t cp = 0;
	if (!utf16) {
		*len = json_utf8_decode(s, n, &cp);
		return cp;
	}
	*len = 0;
	if (n < 2)
		return 0;
	uint16_t u = (uint16_t)(s[0] | s[1] << 8);
	if (u >= 0xdc00 && u <= 0xdfff)
		return 0;
	if (u < 0xd800 || u > 0xdbff) {
		*len = 2;
		return u;
	}
	uint16_t low = n >= 4 ? (uint16_t)(s[2] | s[3] << 8) : 0;
	if (low < 0xdc00 || low > 0xdfff)
		return 0;
	*len = 4;
	return 0x10000 + ((uint32_t)(u - 0xd800) << 10) + (low - 0xdc00);
}

static int check_txt(const fuzz_out *o, unsigned flags, char *why, size_t size)
{
	int utf16 = (flags & REGDIFF_REPORT_UTF16LE) != 0,
	    crlf = (flags & REGDIFF_REPORT_CRLF) != 0;
	size_t pos = 0;
	if (utf16) {
		if (o->len < 2 || o->data[0] != 0xff || o->data[1] != 0xfe)
			return problem(why, size, "UTF-16LE report without a BOM");
		pos = 2;
	}
	uint32_t prev = 0;
	while (pos < o->len) {
		size_t len;
		uint32_t cp = txt_next(o->data + pos, o->len - pos, utf16, &len);
		if (len == 0)
			return problem(why, size, "TXT report: broken %s at byte %zu",
				       utf16 ? "UTF-16LE" : "UTF-8", pos);
		if (cp == '\n' && crlf && prev != '\r')
			return problem(why, size, "TXT report: LF without CR at byte %zu", pos);
		if (prev == '\r' && cp != '\n')
			return problem(why, size, "TXT report: CR not before LF at byte %zu", pos);
		if ((cp < 0x20 && cp != '\n' && !(cp == '\r' && crlf)) ||
		    (cp >= 0x7f && cp <= 0x9f))
			return problem(why, size,
				       "TXT report: control character U+%04X at byte %zu",
				       (unsigned)cp, pos);
		prev = cp;
		pos += len;
	}
	if (prev != '\n')
		return problem(why, size, "TXT report does not end with a line end");
	return 0;
}

/* A .reg script: the BOM and regedit's first line, then UTF-16LE with no
 * NUL unit, no unpaired surrogate, and CR only before LF, LF only after
 * CR; it ends with a line end. */
static int check_reg(const fuzz_out *o, char *why, size_t size)
{
	static const char head[] = "Windows Registry Editor Version 5.00\r\n";
	const uint8_t *p = o->data;
	size_t n = o->len / 2;
	if (o->len % 2 || n < 1 + sizeof head - 1 || p[0] != 0xFF || p[1] != 0xFE)
		return problem(why, size, ".reg script without a BOM or of odd length");
	for (size_t i = 0; i < sizeof head - 1; i++)
		if (regdiff__get_u16(p + 2 + 2 * i) != (uint8_t)head[i])
			return problem(why, size, ".reg script without regedit's first line");
	for (size_t i = 1; i < n; i++) {
		uint16_t u = regdiff__get_u16(p + 2 * i);
		uint16_t next = i + 1 < n ? regdiff__get_u16(p + 2 * (i + 1)) : 0;
		uint16_t prev = regdiff__get_u16(p + 2 * (i - 1));
		if (u == 0)
			return problem(why, size, ".reg script holds a NUL at unit %zu", i);
		if ((u == '\r' && next != '\n') || (u == '\n' && prev != '\r'))
			return problem(why, size, ".reg script: a bare CR or LF at unit %zu", i);
		if (u >= 0xDC00 && u <= 0xDFFF)
			return problem(why, size, ".reg script: unpaired surrogate at unit %zu", i);
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (next < 0xDC00 || next > 0xDFFF)
				return problem(why, size,
					       ".reg script: unpaired surrogate at unit %zu", i);
			i++;
		}
	}
	if (regdiff__get_u16(p + 2 * (n - 1)) != '\n')
		return problem(why, size, ".reg script does not end with a line end");
	return 0;
}

int fuzz_report_problem(const fuzz_out *o, const regdiff_report_options *opts, uint64_t lines,
			char *why, size_t size)
{
	if (opts->format == REGDIFF_REPORT_JSONL)
		return check_jsonl(o, lines, why, size);
	if (opts->format == REGDIFF_REPORT_REG || opts->format == REGDIFF_REPORT_REG_UNDO)
		return check_reg(o, why, size);
	return check_txt(o, opts->flags, why, size);
}

void fuzz_check_report(const fuzz_out *o, const regdiff_report_options *opts, uint64_t lines)
{
	char why[1024];
	if (fuzz_report_problem(o, opts, lines, why, sizeof why))
		fuzz_fail("%s", why);
}

uint8_t fuzz_u8(fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

uint16_t fuzz_u16(fuzz_in *in)
{
	uint16_t lo = fuzz_u8(in);
	return (uint16_t)(lo | fuzz_u8(in) << 8);
}

uint32_t fuzz_u32(fuzz_in *in)
{
	uint32_t lo = fuzz_u16(in);
	return lo | (uint32_t)fuzz_u16(in) << 16;
}

uint64_t fuzz_u64(fuzz_in *in)
{
	uint64_t lo = fuzz_u32(in);
	return lo | (uint64_t)fuzz_u32(in) << 32;
}

size_t fuzz_bytes(fuzz_in *in, size_t n, const uint8_t **out)
{
	if (n > in->n)
		n = in->n;
	*out = in->p;
	in->p += n;
	in->n -= n;
	return n;
}

static int small_sink(void *ctx, const void *buf, size_t len)
{
	regdiff__buf *b = ctx;
	return regdiff__buf_append(b, buf, len);
}

/* Ends a snapshot of one hive, mounted at HKLM\FUZZ from location, unless
 * rc says it failed already, and frees w. */
static int finish(regdiff__writer *w, int rc, const char *location)
{
	static const char *const mounts[] = {"HKLM\\FUZZ"}, *const kinds[] = {"hive"};
	const char *const locations[] = {location};
	const regdiff__meta meta = {
	    .producer = "regdiff fuzz",
	    .time = 132223104000000000,
	    .computer = "",
	    .user = "",
	    .elevated = -1,
	    .nsources = 1,
	    .mounts = mounts,
	    .kinds = kinds,
	    .locations = locations,
	};
	if (!rc)
		rc = regdiff__writer_finish(w, &meta);
	regdiff__writer_free(w);
	return rc;
}

/* HKLM (synthetic) \ FUZZ (the mount): the default value and "Run". */
static int write_small(regdiff__buf *out)
{
	static const uint16_t hklm[] = {'H', 'K', 'L', 'M'}, fuzz[] = {'F', 'U', 'Z', 'Z'},
			      run[] = {'R', 'u', 'n'}, none[1] = {0};
	static const uint8_t text[] = {'x', 0, 0, 0}, dword[] = {1, 0, 0, 0};
	regdiff__writer *w;
	int rc = regdiff__writer_new(&w, small_sink, out, "small", 1);
	if (rc)
		return rc;
	if (!rc)
		rc = regdiff__writer_key_begin(w, hklm, 4, 0, 0, 1, RDS_KEY_SYNTHETIC);
	if (!rc)
		rc = regdiff__writer_key_begin(w, fuzz, 4, 132223104000000000, 2, 0, RDS_KEY_MOUNT);
	if (!rc)
		rc = regdiff__writer_value(w, none, 0, REGDIFF_REG_SZ, text, sizeof text, 0);
	if (!rc)
		rc = regdiff__writer_value(w, run, 3, REGDIFF_REG_DWORD, dword, sizeof dword, 0);
	if (!rc)
		rc = regdiff__writer_key_end(w);
	if (!rc)
		rc = regdiff__writer_key_end(w);
	return finish(w, rc, "small");
}

/* Names as the writer takes them (UTF-16 units of ASCII). */
static size_t units(uint16_t *out, const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		out[n] = (uint8_t)s[n];
	return n;
}

static int key(regdiff__writer *w, const char *name, uint32_t values, uint32_t subkeys,
	       unsigned flags)
{
	uint16_t u[16];
	return regdiff__writer_key_begin(w, u, units(u, name), 132223104000000000, values, subkeys,
					 flags);
}

static int value(regdiff__writer *w, const char *name, uint32_t type, uint32_t n)
{
	uint16_t u[16];
	uint8_t data[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
	return regdiff__writer_value(w, u, units(u, name), type, data, sizeof data, 0);
}

/* HKLM (synthetic) \ FUZZ: the default value, Run, and Services with
 * TABLE_KEYS subkeys S00... (a Start value, a Parameters subkey with an
 * ImagePath value), in blocks of about 160 bytes, so that FUZZ and
 * Services span many blocks and have child tables. Variant 1 changes
 * S07's Start and S19's ImagePath and adds S30; variant 2 leaves out S03
 * and changes the default value. */
#define TABLE_KEYS 24u

int fuzz_write_tables(regdiff__buf *out, unsigned variant)
{
	unsigned services = TABLE_KEYS + (variant == 1) - (variant == 2);
	regdiff__writer *w;
	int rc = regdiff__writer_new(&w, small_sink, out, "tables", 1);
	if (rc)
		return rc;
	regdiff__writer_set_block_target(w, 160);
	rc = key(w, "HKLM", 0, 1, RDS_KEY_SYNTHETIC);
	if (!rc)
		rc = key(w, "FUZZ", 2, 1, RDS_KEY_MOUNT);
	if (!rc)
		rc = value(w, "", REGDIFF_REG_DWORD, variant == 2 ? 2 : 1);
	if (!rc)
		rc = value(w, "Run", REGDIFF_REG_DWORD, 1);
	if (!rc)
		rc = key(w, "Services", 0, services, 0);
	for (unsigned i = 0; !rc && i < TABLE_KEYS + 7; i++) {
		if ((i >= TABLE_KEYS && !(variant == 1 && i == 30)) || (variant == 2 && i == 3))
			continue;
		char name[8] = {'S', (char)('0' + i / 10), (char)('0' + i % 10), 0};
		rc = key(w, name, 1, 1, 0);
		if (!rc)
			rc = value(w, "Start", REGDIFF_REG_DWORD, variant == 1 && i == 7 ? 4 : 3);
		if (!rc)
			rc = key(w, "Parameters", 1, 0, 0);
		if (!rc)
			rc = value(w, "ImagePath", REGDIFF_REG_DWORD,
				   variant == 1 && i == 19 ? 9 : i);
		if (!rc)
			rc = regdiff__writer_key_end(w);
		if (!rc)
			rc = regdiff__writer_key_end(w);
	}
	for (int i = 0; !rc && i < 3; i++)
		rc = regdiff__writer_key_end(w);
	return finish(w, rc, "tables");
}

/* The snapshots compared with, each written once and freed at exit. */
static regdiff__buf small, tables;

static void free_built(void)
{
	regdiff__buf_free(&small);
	regdiff__buf_free(&tables);
}

static int write_tables(regdiff__buf *out)
{
	return fuzz_write_tables(out, 0);
}

static int open_built(regdiff_snapshot **out, regdiff__buf *b, int (*write)(regdiff__buf *),
		      const char *what)
{
	static int registered;
	if (!b->len) {
		if (write(b))
			fuzz_fail("cannot write the %s snapshot: %s", what,
				  regdiff_error_message());
		if (!registered++)
			atexit(free_built);
	}
	return regdiff_snapshot_open_memory(out, b->data, b->len);
}

int fuzz_tables_snapshot(regdiff_snapshot **out)
{
	return open_built(out, &tables, write_tables, "tables");
}

int fuzz_small_snapshot(regdiff_snapshot **out)
{
	return open_built(out, &small, write_small, "small");
}
