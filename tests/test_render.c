/* Tests of how reports show data, types and times (lib/render.c), and of
 * the spool that holds TXT sections (lib/spool.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include "internal.h"
#include "render.h"
#include "spool.h"
#include "test_util.h"

/* ---- Type names ---- */

static void test_type_names(void)
{
	static const char *const want[] = {
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
	for (uint32_t t = 0; t < 12; t++) {
		const char *got = regdiff_type_name(t);
		CHECK(got && strcmp(got, want[t]) == 0);
	}
	CHECK(regdiff_type_name(12) == NULL);
	CHECK(regdiff_type_name(0x12345678) == NULL);
	CHECK(regdiff_type_name(UINT32_MAX) == NULL);
}

/* ---- TXT data ---- */

static void test_txt_data(void)
{
	static const char16_t lone[] = {'a', 0xD800, 'b', 0};
	static const char16_t controls[] = {'a', 0x09, 0x1B, '[', '1', 'm', 0x7F, 0x85, 0x0A, 0};
	const struct {
		regdiff_data d;
		const char *want;
	} cases[] = {
	    /* Strings: exactly the text plus at most one terminator. */
	    {Z(REGDIFF_REG_SZ, u"abc"), "\"abc\""},
	    {NZ(REGDIFF_REG_SZ, u"abc"), "\"abc\""},
	    {Z(REGDIFF_REG_EXPAND_SZ, u"%SystemRoot%\\x"), "\"%SystemRoot%\\x\""},
	    {Z(REGDIFF_REG_SZ, u""), "\"\""},
	    {Z(REGDIFF_REG_SZ, u"say \"hi\""), "\"say \"hi\"\""},
	    {Z(REGDIFF_REG_SZ, u"\u65E5\u672C \U0001F600"),
	     "\"\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80\""},
	    {tu_units(REGDIFF_REG_SZ, lone, 4), "\"a\xEF\xBF\xBD"
						"b\""},
	    {tu_units(REGDIFF_REG_SZ, controls, 10),
	     "\"a\xE2\x90\x89\xE2\x90\x9B[1m\xE2\x90\xA1\xEF\xBF\xBD\xE2\x90\x8A\""},
	    /* ... anything else is bytes, so nothing is hidden. */
	    {Z(REGDIFF_REG_SZ, u"a\0b"), " 61 00 00 00 62 00 00 00"},
	    {Z(REGDIFF_REG_SZ, u"a\0"), " 61 00 00 00 00 00"},
	    {RAW(REGDIFF_REG_SZ, "a\0b"), " 61 00 62"},
	    {RAW(REGDIFF_REG_SZ, "\0"), " 00"},
	    {RAW(REGDIFF_REG_SZ, ""), "(NULL!)"},
	    {RAW(REGDIFF_REG_EXPAND_SZ, ""), "(NULL!)"},
	    /* REG_LINK is shown as bytes, as Regshot does. */
	    {NZ(REGDIFF_REG_LINK, u"\\Registry\\Machine"),
	     " 5C 00 52 00 65 00 67 00 69 00 73 00 74 00 72 00 79 00 5C 00 4D 00 61 00 63 00 "
	     "68 00 69 00 6E 00 65 00"},
	    /* Lists: non-empty strings, each terminated, then one more NUL. */
	    {Z(REGDIFF_REG_MULTI_SZ, u"a\0b c\0"), "\"a\", \"b c\""},
	    {Z(REGDIFF_REG_MULTI_SZ, u"only\0"), "\"only\""},
	    {Z(REGDIFF_REG_MULTI_SZ, u"\x1B\0"), "\"\xE2\x90\x9B\""},
	    {Z(REGDIFF_REG_MULTI_SZ, u""), "\"\""},
	    {Z(REGDIFF_REG_MULTI_SZ, u"\0"), " 00 00 00 00"},
	    {Z(REGDIFF_REG_MULTI_SZ, u"a"), " 61 00 00 00"},
	    {NZ(REGDIFF_REG_MULTI_SZ, u"a\0b\0"), " 61 00 00 00 62 00 00 00"},
	    {Z(REGDIFF_REG_MULTI_SZ, u"a\0\0b\0"), " 61 00 00 00 00 00 62 00 00 00 00 00"},
	    {Z(REGDIFF_REG_MULTI_SZ, u"\0b\0"), " 00 00 62 00 00 00 00 00"},
	    {RAW(REGDIFF_REG_MULTI_SZ, "a\0\0\0\0"), " 61 00 00 00 00"},
	    {RAW(REGDIFF_REG_MULTI_SZ, ""), "(NULL!)"},
	    /* Numbers of exactly their size. */
	    {RAW(REGDIFF_REG_DWORD, "\x2A\0\0\0"), "0x0000002A"},
	    {RAW(REGDIFF_REG_DWORD, "\xEF\xBE\xAD\xDE"), "0xDEADBEEF"},
	    {RAW(REGDIFF_REG_DWORD_BIG_ENDIAN, "\x12\x34\x56\x78"), "0x12345678"},
	    {RAW(REGDIFF_REG_QWORD, "\x08\x07\x06\x05\x04\x03\x02\x01"), "0x0102030405060708"},
	    {RAW(REGDIFF_REG_QWORD, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"), "0xFFFFFFFFFFFFFFFF"},
	    {RAW(REGDIFF_REG_DWORD, "\x2A\0\0"), " 2A 00 00"},
	    {RAW(REGDIFF_REG_DWORD, "\x2A\0\0\0\0\0\0\0"), " 2A 00 00 00 00 00 00 00"},
	    {RAW(REGDIFF_REG_DWORD_BIG_ENDIAN, "\x12\x34"), " 12 34"},
	    {RAW(REGDIFF_REG_QWORD, "\x01\0\0\0"), " 01 00 00 00"},
	    {RAW(REGDIFF_REG_DWORD, ""), "(NULL!)"},
	    /* Bytes. */
	    {RAW(REGDIFF_REG_BINARY, "\xE7\x01\x14\x00"), " E7 01 14 00"},
	    {RAW(REGDIFF_REG_NONE, "\xab"), " AB"},
	    {RAW(REGDIFF_REG_BINARY, ""), "(NULL!)"},
	    {RAW(REGDIFF_REG_RESOURCE_LIST, "\x01\x02"), " 01 02"},
	    {RAW(0x12345678, "\x00\xFF"), " 00 FF"},
	    {RAW(0x12345678, ""), "(NULL!)"},
	};

	regdiff__buf b = {0};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char what[64];
		snprintf(what, sizeof what, "txt data case %zu", i);
		b.len = 0;
		CHECK(regdiff__render_txt_data(&b, &cases[i].d) == 0);
		CHECK_BYTES(what, b.data, b.len, cases[i].want, strlen(cases[i].want));
	}

	/* Big data: every byte, no line breaks. */
	size_t n = 1 << 20;
	uint8_t *big = malloc(n);
	char *want = malloc(3 * n + 1);
	for (size_t i = 0; i < n; i++) {
		big[i] = (uint8_t)(i * 7);
		snprintf(want + 3 * i, 4, " %02X", big[i]);
	}
	regdiff_data d = {.type = REGDIFF_REG_BINARY, .bytes = big, .len = n};
	b.len = 0;
	CHECK(regdiff__render_txt_data(&b, &d) == 0);
	CHECK_BYTES("big data", b.data, b.len, want, 3 * n);
	free(big);
	free(want);
	regdiff__buf_free(&b);
}

static void test_classify(void)
{
	size_t n = 99;
	uint64_t v = 0;
	int digits = 0;

	regdiff_data d = Z(REGDIFF_REG_SZ, u"abc");
	CHECK(regdiff__data_sz(&d, &n) && n == 3);
	d = NZ(REGDIFF_REG_EXPAND_SZ, u"ab");
	CHECK(regdiff__data_sz(&d, &n) && n == 2);
	d = RAW(REGDIFF_REG_SZ, "");
	CHECK(regdiff__data_sz(&d, &n) && n == 0);
	d = Z(REGDIFF_REG_BINARY, u"abc");
	CHECK(!regdiff__data_sz(&d, &n));

	d = NZ(REGDIFF_REG_LINK, u"abc");
	CHECK(regdiff__data_link(&d));
	d = Z(REGDIFF_REG_LINK, u"abc");
	CHECK(!regdiff__data_link(&d));
	d = RAW(REGDIFF_REG_LINK, "abc");
	CHECK(!regdiff__data_link(&d));
	d = NZ(REGDIFF_REG_SZ, u"abc");
	CHECK(!regdiff__data_link(&d));

	d = Z(REGDIFF_REG_MULTI_SZ, u"one\0two\0three\0");
	CHECK(regdiff__data_multi_sz(&d, &n) && n == 3);
	const char *want[] = {"one", "two", "three"};
	size_t pos = 0, start, len, k = 0;
	while (regdiff__multi_sz_next(&d, &pos, &start, &len)) {
		CHECK(k < 3 && len == strlen(want[k]));
		for (size_t i = 0; k < 3 && i < len && i < strlen(want[k]); i++)
			CHECK(d.bytes[start + 2 * i] == (uint8_t)want[k][i]);
		k++;
	}
	CHECK(k == 3);

	d = RAW(REGDIFF_REG_DWORD_BIG_ENDIAN, "\x00\x00\x01\x02");
	CHECK(regdiff__data_number(&d, &v, &digits) && v == 0x102 && digits == 8);
	d = RAW(REGDIFF_REG_QWORD, "\x02\x01\0\0\0\0\0\x80");
	CHECK(regdiff__data_number(&d, &v, &digits) && v == UINT64_C(0x8000000000000102) &&
	      digits == 16);
	d = RAW(REGDIFF_REG_BINARY, "\x00\x00\x01\x02");
	CHECK(!regdiff__data_number(&d, &v, &digits));
}

static void test_hex(void)
{
	regdiff__buf b = {0};
	const uint8_t bytes[] = {0x00, 0x9A, 0xFF};
	CHECK(regdiff__render_hex(&b, bytes, 3, 0) == 0);
	CHECK_BYTES("hex lower", b.data, b.len, "009aff", 6);
	b.len = 0;
	CHECK(regdiff__render_hex(&b, bytes, 3, REGDIFF__HEX_UPPER) == 0);
	CHECK_BYTES("hex upper", b.data, b.len, "009AFF", 6);
	b.len = 0;
	CHECK(regdiff__render_hex(&b, bytes, 0, REGDIFF__HEX_SPACED) == 0);
	CHECK(b.len == 0);
	regdiff__buf_free(&b);
}

/* ---- Times ---- */

static void test_iso8601(void)
{
	const struct {
		int64_t ft;
		const char *want;
	} cases[] = {
	    {0, "1601-01-01T00:00:00.0000000Z"},
	    {INT64_C(132223104000000000), "2020-01-01T00:00:00.0000000Z"},
	    {INT64_C(132223104001234567), "2020-01-01T00:00:00.1234567Z"},
	    {INT64_C(125911584000000000), "2000-01-01T00:00:00.0000000Z"},
	    {INT64_C(125911584000000000) + INT64_C(59) * 864000000000,
	     "2000-02-29T00:00:00.0000000Z"},
	    {INT64_C(94354848000000000) + INT64_C(59) * 864000000000,
	     "1900-03-01T00:00:00.0000000Z"},
	    {INT64_C(951035903999999999), "4614-09-18T23:59:59.9999999Z"},
	    {-1, "1600-12-31T23:59:59.9999999Z"},
	    {INT64_MAX, "30828-09-14T02:48:05.4775807Z"},
	    {INT64_MIN, "-27627-04-19T21:11:54.5224192Z"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[REGDIFF__ISO8601_MAX];
		const char *got = regdiff__filetime_iso8601(cases[i].ft, buf);
		CHECK(got == buf);
		CHECK_BYTES("iso8601", got, strlen(got), cases[i].want, strlen(cases[i].want));
	}
}

/* ---- Text from outside the registry ---- */

static void test_safe_utf8(void)
{
	const struct {
		const char *in;
		const char *want;
	} cases[] = {
	    {"plain", "plain"},
	    {"", ""},
	    {"a\tb\x1B[0m\x7F", "a\xE2\x90\x89"
				"b\xE2\x90\x9B[0m\xE2\x90\xA1"},
	    {"\xC3\xA9\xF0\x9F\x98\x80", "\xC3\xA9\xF0\x9F\x98\x80"},
	    /* C1 control U+0085 */
	    {"\xC2\x85", "\xEF\xBF\xBD"},
	    /* invalid byte, encoded surrogate, overlong, truncated */
	    {"\xFF", "\xEF\xBF\xBD"},
	    {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
	    {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},
	    {"x\xE2\x82", "x\xEF\xBF\xBD\xEF\xBF\xBD"},
	    {"\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
	};
	regdiff__buf b = {0};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		b.len = 0;
		CHECK(regdiff__render_safe_utf8(&b, cases[i].in, strlen(cases[i].in)) == 0);
		CHECK_BYTES("safe utf8", b.data, b.len, cases[i].want, strlen(cases[i].want));
	}

	/* Longer than one chunk, with pairs across the chunk border. */
	regdiff__buf in = {0}, want = {0};
	for (int i = 0; i < 1000; i++) {
		CHECK(regdiff__buf_append(&in, "\xF0\x9F\x98\x80\n", 5) == 0);
		CHECK(regdiff__buf_append(&want, "\xF0\x9F\x98\x80\xE2\x90\x8A", 7) == 0);
	}
	b.len = 0;
	CHECK(regdiff__render_safe_utf8(&b, (const char *)in.data, in.len) == 0);
	CHECK_BYTES("safe utf8 long", b.data, b.len, want.data, want.len);
	regdiff__buf_free(&in);
	regdiff__buf_free(&want);
	regdiff__buf_free(&b);
}

/* ---- Spool ---- */

static void fill(regdiff__buf *b, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		regdiff__buf_putc(b, (uint8_t)(seed + i * 31));
}

static void test_spool_memory(void)
{
	regdiff__spool *s = NULL;
	CHECK(regdiff__spool_new(&s, 0) == 0);
	tu_sink out = {0};
	CHECK(regdiff__spool_replay(s, tu_sink_write, &out) == 0);
	CHECK(out.calls == 0 && regdiff__spool_size(s) == 0);

	regdiff__buf all = {0};
	for (int i = 0; i < 1000; i++) {
		size_t at = all.len;
		fill(&all, 1 + (size_t)i % 50, (uint8_t)i);
		CHECK(regdiff__spool_write(s, all.data + at, all.len - at) == 0);
	}
	CHECK(!regdiff__spool_spilled(s));
	CHECK(regdiff__spool_size(s) == all.len);
	CHECK(regdiff__spool_replay(s, tu_sink_write, &out) == 0);
	CHECK_BYTES("spool in memory", out.got.data, out.got.len, all.data, all.len);

	tu_sink failing = {.fail = -1};
	CHECK(regdiff__spool_replay(s, tu_sink_write, &failing) == REGDIFF_EIO);
	CHECK(failing.calls == 1);

	regdiff__spool_free(s);
	regdiff__spool_free(NULL);
	regdiff__buf_free(&all);
	regdiff__buf_free(&out.got);
}

static void test_spool_spill(void)
{
	regdiff__spool *s = NULL;
	CHECK(regdiff__spool_new(&s, 100) == 0);
	regdiff__buf all = {0};
	/* Pieces filling memory, crossing the limit, bigger than a file
	 * chunk, and many small ones after. */
	const size_t sizes[] = {60, 40, 1, 70000, 10, 65536, 65535, 3, 200000};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t at = all.len;
		fill(&all, sizes[i], (uint8_t)i);
		CHECK(regdiff__spool_write(s, all.data + at, sizes[i]) == 0);
		CHECK(regdiff__spool_spilled(s) == (all.len > 100));
	}
	for (int i = 0; i < 20000; i++) {
		size_t at = all.len;
		fill(&all, 1 + (size_t)i % 13, (uint8_t)i);
		CHECK(regdiff__spool_write(s, all.data + at, all.len - at) == 0);
	}
	CHECK(regdiff__spool_size(s) == all.len);

	tu_sink out = {0};
	CHECK(regdiff__spool_replay(s, tu_sink_write, &out) == 0);
	CHECK_BYTES("spilled spool", out.got.data, out.got.len, all.data, all.len);
	CHECK(out.largest <= 64 << 10);

	/* Again, then after writing more. */
	out.got.len = 0;
	CHECK(regdiff__spool_replay(s, tu_sink_write, &out) == 0);
	CHECK_BYTES("spilled spool again", out.got.data, out.got.len, all.data, all.len);
	CHECK(regdiff__spool_write(s, "tail", 4) == 0);
	CHECK(regdiff__buf_append(&all, "tail", 4) == 0);
	out.got.len = 0;
	CHECK(regdiff__spool_replay(s, tu_sink_write, &out) == 0);
	CHECK_BYTES("spilled spool with tail", out.got.data, out.got.len, all.data, all.len);

	tu_sink failing = {.fail = 1};
	CHECK(regdiff__spool_replay(s, tu_sink_write, &failing) == REGDIFF_EIO);

	regdiff__spool_free(s);
	regdiff__buf_free(&all);
	regdiff__buf_free(&out.got);
}

int main(void)
{
	test_type_names();
	test_txt_data();
	test_classify();
	test_hex();
	test_iso8601();
	test_safe_utf8();
	test_spool_memory();
	test_spool_spill();
	tu_arena_free();
	return tu_result("test_render");
}
