/* regdiff_data_to_text() and regdiff_data_to_text_buf() (lib/data_text.c):
 * the text of every type, of data that is not what its type should hold,
 * at odd addresses, with each flag, shortened, into a caller's buffer, and
 * refused arguments. Issue 11, item 14. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include "render.h"
#include "test_util.h"

/* A copy of d's bytes at an odd address: the API must not need alignment
 * (a snapshot's data sits wherever its block puts it). */
static regdiff_data odd(regdiff_data d)
{
	uint8_t *p = tu_keep(malloc(d.len + 2));
	if (d.len)
		memcpy(p + 1, d.bytes, d.len);
	d.bytes = p + 1;
	return d;
}

/* Checks the text of d with flags and max, through both calls. */
static void check_text(const char *what, regdiff_data d, unsigned flags, size_t max,
		       const char *want)
{
	char *got = (char *)1;
	CHECK_RC(regdiff_data_to_text(&got, &d, flags, max), 0);
	CHECK_BYTES(what, got ? got : "", got ? strlen(got) : 0, want, strlen(want));
	regdiff_free(got);

	size_t need = 0;
	CHECK_RC(regdiff_data_to_text_buf(NULL, 0, &need, &d, flags, max), 0);
	CHECK_U64(need, strlen(want) + 1);
	char *buf = malloc(need);
	CHECK_RC(regdiff_data_to_text_buf(buf, need, NULL, &d, flags, max), 0);
	CHECK_BYTES(what, buf, strlen(buf), want, strlen(want));
	free(buf);
}

enum { SAFE = REGDIFF_DATA_TEXT_SAFE, HEX = REGDIFF_DATA_TEXT_HEX };

static void test_types(void)
{
	static const char16_t lone[] = {'a', 0xD800, 'b', 0};
	static const char16_t low_first[] = {0xDC00, 0xD83D, 0xDE00, 0};
	static const char16_t high_last[] = {'x', 0xDBFF};
	static const char16_t list_lone[] = {'a', 0xDFFF, 0, 'b', 0, 0};
	static const char16_t controls[] = {'a', 0x09, 0x1B, '[', '1', 'm', 0x202E, 0x0A, 0};
	const struct {
		regdiff_data d;
		unsigned flags;
		const char *want;
	} cases[] = {
	    /* REG_SZ, REG_EXPAND_SZ: exactly a string, with or without its
	     * terminator. */
	    {Z(REGDIFF_REG_SZ, u"C:\\x.exe"), 0, "\"C:\\x.exe\""},
	    {NZ(REGDIFF_REG_SZ, u"no terminator"), 0, "\"no terminator\""},
	    {Z(REGDIFF_REG_EXPAND_SZ, u"%SystemRoot%"), 0, "\"%SystemRoot%\""},
	    {Z(REGDIFF_REG_SZ, u""), 0, "\"\""},
	    {Z(REGDIFF_REG_SZ, u"say \"hi\""), 0, "\"say \"hi\"\""},
	    {Z(REGDIFF_REG_SZ, u"\u65E5 \U0001F600"), 0, "\"\xE6\x97\xA5 \xF0\x9F\x98\x80\""},
	    /* Controls: exact without REGDIFF_DATA_TEXT_SAFE, pictures and
	     * U+FFFD (the bidi override) with it. */
	    {tu_units(REGDIFF_REG_SZ, controls, 9), 0, "\"a\t\x1B[1m\xE2\x80\xAE\n\""},
	    {tu_units(REGDIFF_REG_SZ, controls, 9), SAFE,
	     "\"a\xE2\x90\x89\xE2\x90\x9B[1m\xEF\xBF\xBD\xE2\x90\x8A\""},
	    /* Unpaired surrogates: U+FFFD, or bytes when strict. */
	    {tu_units(REGDIFF_REG_SZ, lone, 4), 0,
	     "\"a\xEF\xBF\xBD"
	     "b\""},
	    {tu_units(REGDIFF_REG_SZ, lone, 4), SAFE,
	     "\"a\xEF\xBF\xBD"
	     "b\""},
	    {tu_units(REGDIFF_REG_SZ, lone, 4), REGDIFF_DATA_TEXT_STRICT,
	     " 61 00 00 D8 62 00 00 00"},
	    {tu_units(REGDIFF_REG_SZ, low_first, 4), REGDIFF_DATA_TEXT_STRICT,
	     " 00 DC 3D D8 00 DE 00 00"},
	    {tu_units(REGDIFF_REG_SZ, low_first, 4), 0, "\"\xEF\xBF\xBD\xF0\x9F\x98\x80\""},
	    {tu_units(REGDIFF_REG_SZ, high_last, 2), REGDIFF_DATA_TEXT_STRICT, " 78 00 FF DB"},
	    {Z(REGDIFF_REG_SZ, u"\U0001F600"), REGDIFF_DATA_TEXT_STRICT, "\"\xF0\x9F\x98\x80\""},
	    /* Not exactly a string: bytes. An odd length, an embedded NUL,
	     * bytes after the terminator, a single byte. */
	    {RAW(REGDIFF_REG_SZ, "a\0b"), 0, " 61 00 62"},
	    {Z(REGDIFF_REG_SZ, u"a\0b"), 0, " 61 00 00 00 62 00 00 00"},
	    {Z(REGDIFF_REG_SZ, u"a\0"), 0, " 61 00 00 00 00 00"},
	    {RAW(REGDIFF_REG_SZ, "\0"), 0, " 00"},
	    /* REG_MULTI_SZ: a list, "" when empty; else bytes. */
	    {Z(REGDIFF_REG_MULTI_SZ, u"a\0b c\0"), 0, "\"a\", \"b c\""},
	    {Z(REGDIFF_REG_MULTI_SZ, u""), 0, "\"\""},
	    {Z(REGDIFF_REG_MULTI_SZ, u"\x1B\0"), SAFE, "\"\xE2\x90\x9B\""},
	    {NZ(REGDIFF_REG_MULTI_SZ, u"a\0b\0"), 0, " 61 00 00 00 62 00 00 00"},
	    {Z(REGDIFF_REG_MULTI_SZ, u"a"), 0, " 61 00 00 00"},
	    {Z(REGDIFF_REG_MULTI_SZ, u"a\0\0b\0"), 0, " 61 00 00 00 00 00 62 00 00 00 00 00"},
	    {tu_units(REGDIFF_REG_MULTI_SZ, list_lone, 6), 0, "\"a\xEF\xBF\xBD\", \"b\""},
	    {tu_units(REGDIFF_REG_MULTI_SZ, list_lone, 6), REGDIFF_DATA_TEXT_STRICT,
	     " 61 00 FF DF 00 00 62 00 00 00 00 00"},
	    /* Numbers of exactly their size; else bytes. */
	    {RAW(REGDIFF_REG_DWORD, "\x2A\0\0\0"), 0, "0x0000002A"},
	    {RAW(REGDIFF_REG_DWORD, "\xEF\xBE\xAD\xDE"), 0, "0xDEADBEEF"},
	    {RAW(REGDIFF_REG_DWORD_BIG_ENDIAN, "\x12\x34\x56\x78"), 0, "0x12345678"},
	    {RAW(REGDIFF_REG_QWORD, "\x08\x07\x06\x05\x04\x03\x02\x01"), 0, "0x0102030405060708"},
	    {RAW(REGDIFF_REG_DWORD, "\x2A\0\0"), 0, " 2A 00 00"},
	    {RAW(REGDIFF_REG_QWORD, "\x01\0\0\0"), 0, " 01 00 00 00"},
	    /* REG_LINK: bytes, as Regshot; a string when asked. */
	    {NZ(REGDIFF_REG_LINK, u"\\R\\M"), 0, " 5C 00 52 00 5C 00 4D 00"},
	    {NZ(REGDIFF_REG_LINK, u"\\R\\M"), REGDIFF_DATA_TEXT_LINK, "\"\\R\\M\""},
	    {Z(REGDIFF_REG_LINK, u"\\R"), REGDIFF_DATA_TEXT_LINK, " 5C 00 52 00 00 00"},
	    /* Bytes: REG_NONE, REG_BINARY, resource types, unknown types. */
	    {RAW(REGDIFF_REG_NONE, "\xab"), 0, " AB"},
	    {RAW(REGDIFF_REG_BINARY, "\xE7\x01\x14\x00"), 0, " E7 01 14 00"},
	    {RAW(REGDIFF_REG_RESOURCE_LIST, "\x01\x02"), 0, " 01 02"},
	    {RAW(0x12345678, "\x00\xFF"), 0, " 00 FF"},
	    /* No bytes, whatever the type. */
	    {RAW(REGDIFF_REG_SZ, ""), 0, "(NULL!)"},
	    {RAW(REGDIFF_REG_DWORD, ""), HEX, "(NULL!)"},
	    {RAW(0x12345678, ""), 0, "(NULL!)"},
	    /* REGDIFF_DATA_TEXT_HEX: the bytes, whatever they hold. */
	    {Z(REGDIFF_REG_SZ, u"ab"), HEX, " 61 00 62 00 00 00"},
	    {RAW(REGDIFF_REG_DWORD, "\x2A\0\0\0"), HEX | SAFE, " 2A 00 00 00"},
	    /* Data not read: the size its source states. */
	    {{.type = REGDIFF_REG_SZ, .not_read = 1, .stated_len = 70000},
	     0,
	     "(data not read: 70000 bytes)"},
	    {{.type = REGDIFF_REG_BINARY, .not_read = 1, .stated_len = UINT64_MAX},
	     HEX,
	     "(data not read: 18446744073709551615 bytes)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char what[64];
		snprintf(what, sizeof what, "case %zu", i);
		check_text(what, odd(cases[i].d), cases[i].flags, 0, cases[i].want);
		/* The TXT report's own rendering (safe, links as bytes). */
		if (cases[i].flags == SAFE ||
		    (cases[i].flags == 0 && !strpbrk(cases[i].want, "\t\x1B\n\xE2"))) {
			regdiff__buf b = {0};
			CHECK(regdiff__render_txt_data(&b, &cases[i].d) == 0);
			CHECK_STR(what, &b, cases[i].want);
			regdiff__buf_free(&b);
		}
	}
}

/* n copies of the UTF-8 text one, between quotes when quoted. */
static char *repeat(const char *one, size_t n, int quoted)
{
	size_t len = strlen(one);
	char *s = tu_keep(malloc(n * len + 3)), *p = s;
	if (quoted)
		*p++ = '"';
	for (size_t i = 0; i < n; i++, p += len)
		memcpy(p, one, len);
	if (quoted)
		*p++ = '"';
	*p = '\0';
	return s;
}

/* max: a longer text is cut at a whole character or " XX" byte and ends
 * with the data's size, all within max; one that fits is whole. */
static void test_shortened(void)
{
	uint8_t bytes[100];
	for (int i = 0; i < 100; i++)
		bytes[i] = (uint8_t)i;
	regdiff_data bin =
	    odd((regdiff_data){.type = REGDIFF_REG_BINARY, .bytes = bytes, .len = 100});
	char whole[301], want[400];
	for (int i = 0; i < 100; i++)
		snprintf(whole + 3 * i, 4, " %02X", i);
	/* 48 - strlen("…(100 bytes)") = 34, down to whole bytes: 11. */
	check_text("hex 48", bin, 0, 48,
		   " 00 01 02 03 04 05 06 07 08 09 0A\xE2\x80\xA6(100 bytes)");
	check_text("hex 49", bin, 0, 49,
		   " 00 01 02 03 04 05 06 07 08 09 0A\xE2\x80\xA6(100 bytes)");
	check_text("hex 50", bin, 0, 50,
		   " 00 01 02 03 04 05 06 07 08 09 0A 0B\xE2\x80\xA6(100 bytes)");
	check_text("hex 300", bin, 0, 300, whole); /* exactly max: whole */
	snprintf(want, sizeof want, "%.285s\xE2\x80\xA6(100 bytes)", whole);
	check_text("hex 299", bin, 0, 299, want);

	/* Strings: never half a character. 40 x U+65E5 (3 bytes each) and a
	 * terminator are 82 bytes: 48 - 13 = 35 is inside the 12th. */
	char16_t cjk[41], emoji[41];
	for (int i = 0; i < 40; i++) {
		cjk[i] = 0x65E5;
		emoji[i] = (char16_t)(i % 2 ? 0xDE00 : 0xD83D);
	}
	cjk[40] = emoji[40] = 0;
	regdiff_data sz = odd(tu_units(REGDIFF_REG_SZ, cjk, 41));
	snprintf(want, sizeof want, "\"%s\xE2\x80\xA6(82 bytes)", repeat("\xE6\x97\xA5", 11, 0));
	check_text("cjk 48", sz, 0, 48, want);
	check_text("cjk whole", sz, 0, 122, repeat("\xE6\x97\xA5", 40, 1));
	/* 20 x U+1F600 (4 bytes of UTF-8 from 2 units): 35 is inside the 9th. */
	sz = odd(tu_units(REGDIFF_REG_SZ, emoji, 41));
	snprintf(want, sizeof want, "\"%s\xE2\x80\xA6(82 bytes)", repeat("\xF0\x9F\x98\x80", 8, 0));
	check_text("emoji 48", sz, 0, 48, want);
	/* Control pictures (3 bytes) with REGDIFF_DATA_TEXT_SAFE. */
	char16_t esc[41];
	for (int i = 0; i < 40; i++)
		esc[i] = 0x1B;
	esc[40] = 0;
	sz = odd(tu_units(REGDIFF_REG_MULTI_SZ, esc, 41));
	/* Not a list (no second NUL at its end): bytes, 11 of them. */
	snprintf(want, sizeof want, "%s 1B\xE2\x80\xA6(82 bytes)", repeat(" 1B 00", 5, 0));
	check_text("not a list 48", sz, SAFE, 48, want);
	sz = odd(tu_units(REGDIFF_REG_SZ, esc, 41));
	snprintf(want, sizeof want, "\"%s\xE2\x80\xA6(82 bytes)", repeat("\xE2\x90\x9B", 11, 0));
	check_text("pictures 48", sz, SAFE, 48, want);

	/* Texts that are never cut fit in REGDIFF_DATA_TEXT_MIN. */
	check_text("number", RAW(REGDIFF_REG_QWORD, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"), 0,
		   REGDIFF_DATA_TEXT_MIN, "0xFFFFFFFFFFFFFFFF");
	check_text("not read", (regdiff_data){.type = 0, .not_read = 1, .stated_len = UINT64_MAX},
		   0, REGDIFF_DATA_TEXT_MIN, "(data not read: 18446744073709551615 bytes)");

	/* Large data, a short text: 8 MiB shown as its first 15 bytes. */
	size_t n = (size_t)8 << 20;
	uint8_t *big = calloc(n, 1);
	regdiff_data d = {.type = REGDIFF_REG_BINARY, .bytes = big, .len = n};
	check_text("8 MiB", d, 0, 64,
		   " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\xE2\x80\xA6(8388608 bytes)");
	free(big);
}

/* The caller's buffer: the size needed, nothing partial when it is short,
 * and max = size - 1 for a text that always fits. */
static void test_buf(void)
{
	regdiff_data d = odd(Z(REGDIFF_REG_SZ, u"hello"));
	char buf[64];
	size_t need = 99;
	memset(buf, 'x', sizeof buf);
	CHECK_RC(regdiff_data_to_text_buf(buf, 7, &need, &d, 0, 0), REGDIFF_ELIMIT);
	CHECK_U64(need, 8);
	CHECK(buf[0] == '\0' && buf[1] == 'x');
	CHECK(strcmp(regdiff_error_message(), "regdiff_data_to_text_buf: the text needs 8 bytes "
					      "with its NUL, the buffer holds 7") == 0);
	CHECK_RC(regdiff_data_to_text_buf(buf, 8, &need, &d, 0, 0), 0);
	CHECK(strcmp(buf, "\"hello\"") == 0);
	CHECK_U64(need, 8);
	CHECK(regdiff_error_last()->code == REGDIFF_OK); /* no stale message */

	uint8_t bytes[40] = {0};
	regdiff_data bin = {.type = REGDIFF_REG_BINARY, .bytes = bytes, .len = 40};
	CHECK_RC(regdiff_data_to_text_buf(buf, sizeof buf, &need, &bin, 0, 0), REGDIFF_ELIMIT);
	CHECK_U64(need, 121);
	CHECK_RC(regdiff_data_to_text_buf(buf, sizeof buf, &need, &bin, 0, sizeof buf - 1), 0);
	CHECK(
	    strcmp(buf, " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\xE2\x80\xA6(40 bytes)") ==
	    0);
	CHECK_U64(need, strlen(buf) + 1);
	CHECK(need <= sizeof buf);
}

static void test_refused(void)
{
	regdiff_data d = RAW(REGDIFF_REG_BINARY, "\x01");
	char *out = (char *)1, buf[8] = "x";
	size_t need = 99;
	CHECK_RC(regdiff_data_to_text(NULL, &d, 0, 0), REGDIFF_EINVAL);
	CHECK_RC(regdiff_data_to_text(&out, NULL, 0, 0), REGDIFF_EINVAL);
	CHECK(out == NULL);
	out = (char *)1;
	CHECK_RC(regdiff_data_to_text(&out, &d, 1u << 4, 0), REGDIFF_EINVAL);
	CHECK(out == NULL);
	CHECK(strcmp(regdiff_error_message(), "regdiff_data_to_text: unknown flags 0x10") == 0);
	out = (char *)1;
	CHECK_RC(regdiff_data_to_text(&out, &d, 0, REGDIFF_DATA_TEXT_MIN - 1), REGDIFF_EINVAL);
	CHECK(out == NULL);
	CHECK(strcmp(regdiff_error_message(),
		     "regdiff_data_to_text: max 47 is below REGDIFF_DATA_TEXT_MIN (48)") == 0);
	regdiff_data null_bytes = {.type = REGDIFF_REG_BINARY, .bytes = NULL, .len = 4};
	out = (char *)1;
	CHECK_RC(regdiff_data_to_text(&out, &null_bytes, 0, 0), REGDIFF_EINVAL);
	CHECK(out == NULL);
	CHECK_RC(regdiff_data_to_text_buf(NULL, 8, &need, &d, 0, 0), REGDIFF_EINVAL);
	CHECK_U64(need, 0);
	need = 99;
	CHECK_RC(regdiff_data_to_text_buf(buf, sizeof buf, &need, &d, 0, 1), REGDIFF_EINVAL);
	CHECK(need == 0 && buf[0] == '\0');
	/* No bytes at NULL is no data, not an error. */
	regdiff_data none = {.type = REGDIFF_REG_SZ, .bytes = NULL, .len = 0};
	check_text("none", none, 0, 0, "(NULL!)");
}

int main(void)
{
	test_types();
	test_shortened();
	test_buf();
	test_refused();
	tu_arena_free();
	return tu_result("test_data_text");
}
