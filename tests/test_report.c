/* Tests of the TXT and JSON lines reports, through regdiff__report_run
 * with hand-built changes. The complete reports are compared with
 * tests/golden/report_all.{txt,jsonl}; smaller cases are inline.
 *
 *   test_report                  run the tests
 *   test_report --write-jsonl F  write the complete JSONL report to F (for
 *                                the Python check in report.cmake)
 *   test_report --regen DIR      rewrite the golden files into DIR (review
 *                                every line before committing them)
 */
#define _POSIX_C_SOURCE 200809L /* setrlimit, for a file that cannot grow */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>
#ifndef _WIN32
#include <signal.h>
#include <sys/resource.h>
#endif

#include "internal.h"
#include "name_internal.h"
#include "render.h"
#include "report_internal.h"
#include "spool.h"
#include "test_util.h"

#ifndef REGDIFF_TEST_GOLDEN_DIR
#define REGDIFF_TEST_GOLDEN_DIR "golden"
#endif

/* ---- Building changes ---- */

static const regdiff_data no_data = {0};

static regdiff_change key_change(regdiff_op op, regdiff_name key, int64_t old_time,
				 int64_t new_time)
{
	return (regdiff_change){.op = op, .key = key, .old_time = old_time, .new_time = new_time};
}

static regdiff_change value_change(regdiff_op op, regdiff_name key, regdiff_name value,
				   regdiff_data old_data, regdiff_data new_data)
{
	return (regdiff_change){
	    .op = op, .key = key, .value = value, .old_data = old_data, .new_data = new_data};
}

static regdiff_change added(regdiff_name key, regdiff_name value, regdiff_data d)
{
	return value_change(REGDIFF_VALUE_ADDED, key, value, no_data, d);
}

/* 2020-01-01 00:00:00 UTC */
#define T2020 INT64_C(132223104000000000)
#define SECOND INT64_C(10000000)

/* Names a terminal must not receive raw, and JSON must carry exactly. */
static const uint16_t evil_key[] = {'H',  'K', 'L', 'M', '\\', 'S',    'O',    'F', 'T',
				    'W',  'A', 'R', 'E', '\\', 'E',    'v',    'i', 'l',
				    0x1B, '[', '2', 'J', 0x0A, 0xDC00, 0x0000, '"'};
static const uint16_t evil_value[] = {'a', 0x0000, 0x1B, ']',  '0',    ';',
				      'x', 0x07,   '"',	 '\\', 0xD800, 'z'};

#define ALL_COUNT 27

/* Every kind of change and of data, in the order a diff gives them. */
static size_t build_all(regdiff_change *v)
{
	size_t n = 0;
	regdiff_name evil = NM(u"HKLM\\SOFTWARE\\Evil");
	regdiff_name gone = NM(u"HKLM\\SOFTWARE\\Gone");
	regdiff_name new_key = NM(u"HKLM\\SOFTWARE\\New");
	regdiff_name test = NM(u"HKLM\\SOFTWARE\\Test");
	regdiff_name uni = NM(u"HKLM\\SOFTWARE\\\u00DCn\u00EFcode\\\U0001F600");

	v[n++] =
	    added(evil, NMA(evil_value), Z(REGDIFF_REG_SZ, u"\x1B[31mred\x1B[0m \"q\" \\ \t end"));
	v[n++] = key_change(REGDIFF_KEY_ADDED, NMA(evil_key), 0, T2020 + 3600 * SECOND);
	v[n++] = key_change(REGDIFF_KEY_DELETED, gone, T2020, 0);
	v[n++] = value_change(REGDIFF_VALUE_DELETED, gone, NM(u"Name"), Z(REGDIFF_REG_SZ, u"bye"),
			      no_data);
	v[n++] = value_change(REGDIFF_VALUE_DELETED, gone, NM(u"Odd"), RAW(0x12345678, "\x01\x02"),
			      no_data);
	v[n++] = key_change(REGDIFF_KEY_ADDED, new_key, 0, T2020 + 7200 * SECOND);
	v[n++] = added(new_key, NM(u""), Z(REGDIFF_REG_SZ, u"hello"));
	v[n++] = added(new_key, NM(u"BE"), RAW(REGDIFF_REG_DWORD_BIG_ENDIAN, "\x12\x34\x56\x78"));
	v[n++] =
	    added(new_key, NM(u"Big"), RAW(REGDIFF_REG_QWORD, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"));
	v[n++] = added(new_key, NM(u"Blob"), RAW(REGDIFF_REG_BINARY, "\xE7\x01\x14\x00"));
	v[n++] = added(new_key, NM(u"Count"), RAW(REGDIFF_REG_DWORD, "\x2A\0\0\0"));
	v[n++] = added(new_key, NM(u"Empty list"), Z(REGDIFF_REG_MULTI_SZ, u""));
	v[n++] = added(new_key, NM(u"Link"), NZ(REGDIFF_REG_LINK, u"\\Registry\\Machine\\X"));
	v[n++] = added(new_key, NM(u"List"), Z(REGDIFF_REG_MULTI_SZ, u"a\0b c\0"));
	v[n++] = added(new_key, NM(u"Nothing"), RAW(REGDIFF_REG_NONE, ""));
	v[n++] = added(new_key, NM(u"Short"), RAW(REGDIFF_REG_DWORD, "\x2A\0\0"));
	v[n++] = value_change(REGDIFF_VALUE_MODIFIED, test, NM(u"Both"), NZ(REGDIFF_REG_SZ, u"y"),
			      Z(REGDIFF_REG_EXPAND_SZ, u"y"));
	v[n++] = value_change(REGDIFF_VALUE_MODIFIED, test, NM(u"Junk"), Z(REGDIFF_REG_SZ, u"ok"),
			      Z(REGDIFF_REG_SZ, u"ok\0junk"));
	v[n++] = value_change(REGDIFF_VALUE_MODIFIED, test, NM(u"Kind"), Z(REGDIFF_REG_SZ, u"x"),
			      Z(REGDIFF_REG_EXPAND_SZ, u"x"));
	v[n++] = value_change(REGDIFF_VALUE_MODIFIED, test, NM(u"Num"),
			      RAW(REGDIFF_REG_DWORD, "\x01\0\0\0"),
			      RAW(REGDIFF_REG_QWORD, "\x02\0\0\0\0\0\0\0"));
	v[n++] = added(test, NM(u"Odd"), RAW(REGDIFF_REG_SZ, "a\0b"));
	v[n++] =
	    value_change(REGDIFF_VALUE_MODIFIED, test, NM(u"Path"),
			 Z(REGDIFF_REG_EXPAND_SZ, u"%A%\\x"), Z(REGDIFF_REG_EXPAND_SZ, u"%B%\\x"));
	v[n++] = value_change(REGDIFF_VALUE_MODIFIED, test, NM(u"Str"), NZ(REGDIFF_REG_SZ, u"abc"),
			      Z(REGDIFF_REG_SZ, u"abc"));
	v[n++] = key_change(REGDIFF_KEY_MODIFIED, NM(u"HKLM\\SOFTWARE\\Touched"), T2020,
			    T2020 + 86400 * SECOND + SECOND / 2);
	v[n++] = key_change(REGDIFF_KEY_ADDED, uni, 0, T2020 + 1);
	v[n++] = added(uni, NM(u"\u65E5\u672C name"),
		       Z(REGDIFF_REG_SZ, u"na\u00EFve \u2603 \U0001F600"));
	v[n++] = added(uni, NM(u"Tab\tLF\nCR\r"), RAW(REGDIFF_REG_DWORD, "\0\0\0\0"));
	return n;
}

static const regdiff_snapshot_info before_info = {
    .time = T2020 + 12 * 3600 * SECOND, .computer = "WS-01", .user = "alice"};
static const regdiff_snapshot_info after_info = {.version = REGDIFF_SNAPSHOT_INFO_VERSION,
						 .time = T2020 + 12 * 3600 * SECOND + 1800 * SECOND,
						 .computer = "WS-01\x1B[2J\xFF",
						 .user = "alice"};

/* ---- Running a report ---- */

static regdiff_report_options options(regdiff_report_format format, unsigned flags,
				      const char *comment)
{
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	o.format = format;
	o.flags = flags;
	o.comment = comment;
	return o;
}

static int run(const regdiff_change *v, size_t n, const regdiff_report_options *o, tu_sink *out,
	       regdiff_report_counts *counts)
{
	tu_iter it = {.v = v, .n = n};
	return regdiff__report_run(tu_iter_next, &it, &before_info, &after_info, o, tu_sink_write,
				   out, counts);
}

#define COMMENT "Install of Foo\tv2"

/* ---- A strict JSON checker (RFC 8259), for one line of JSON lines ---- */

typedef struct json {
	const uint8_t *p, *end;
	int depth;
} json;

static bool json_value(json *j);

static bool json_lit(json *j, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

static bool json_string_ok(json *j)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end) {
		uint8_t c = *j->p;
		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++j->p >= j->end)
				return false;
			c = *j->p++;
			if (c == 'u') {
				for (int k = 0; k < 4; k++, j->p++)
					if (j->p >= j->end ||
					    !strchr("0123456789abcdefABCDEF", *j->p) || *j->p == 0)
						return false;
			} else if (!strchr("\"\\/bfnrt", c) || c == 0) {
				return false;
			}
			continue;
		}
		uint32_t cp;
		size_t used = regdiff__utf8_decode(j->p, (size_t)(j->end - j->p), &cp);
		if (cp == 0xFFFD &&
		    !(used == 3 && j->p[0] == 0xEF && j->p[1] == 0xBF && j->p[2] == 0xBD))
			return false; /* invalid UTF-8 */
		j->p += used;
	}
	return false;
}

static bool json_number(json *j)
{
	const uint8_t *s = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0') {
		j->p++;
	} else if (j->p < j->end && *j->p >= '1' && *j->p <= '9') {
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	} else {
		return false;
	}
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > s;
}

/* Our output has no whitespace between tokens; the checker holds it to
 * that. */
static bool json_container(json *j, char close, bool object)
{
	if (++j->depth > 64)
		return false;
	j->p++; /* the opening bracket */
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		if (object && (!json_string_ok(j) || !json_lit(j, ":")))
			return false;
		if (!json_value(j))
			return false;
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			j->depth--;
			return true;
		}
		return false;
	}
}

static bool json_value(json *j)
{
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
		return json_container(j, '}', true);
	case '[':
		return json_container(j, ']', false);
	case '"':
		return json_string_ok(j);
	case 't':
		return json_lit(j, "true");
	case 'f':
		return json_lit(j, "false");
	case 'n':
		return json_lit(j, "null");
	default:
		return json_number(j);
	}
}

static bool quiet; /* while testing the checker on bad input */

/* Every line a JSON object ending in "\n"; returns the number of lines. */
static size_t check_jsonl(const char *what, const regdiff__buf *b)
{
	size_t lines = 0;
	const uint8_t *p = b->data, *end = b->data + b->len;
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		json j = {p, nl ? nl : end, 0};
		bool ok = nl && *p == '{' && json_value(&j) && j.p == nl;
		if (!ok) {
			if (!quiet)
				fprintf(stderr, "%s: line %zu is not a JSON object: %.*s\n", what,
					lines + 1, (int)((nl ? nl : end) - p), (const char *)p);
			tu_failures++;
			return lines;
		}
		lines++;
		p = nl + 1;
	}
	return lines;
}

static void test_json_checker(void)
{
	const char *good[] = {
	    "{}\n",
	    "{\"a\":[1,-0.5e+3,\"\\u00e9\\ud800\",true,false,null,{}]}\n",
	    "{\"\xC3\xA9\":\"\xF0\x9F\x98\x80\"}\n",
	};
	const char *bad[] = {
	    "{\"a\":1}",
	    "{\"a\":01}\n",
	    "{\"a\":\"\x01\"}\n",
	    "{\"a\":\"\\x\"}\n",
	    "{\"a\":\"\xFF\"}\n",
	    "{\"a\":1,}\n",
	    "[1]\n",
	    "{\"a\" :1}\n",
	    "{\"a\":\"\\u12\"}\n",
	    "{\"a\":1}{}\n",
	    "{\"a\":-}\n",
	    "{a:1}\n",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		regdiff__buf b = {(uint8_t *)good[i], strlen(good[i]), 0};
		int before = tu_failures;
		CHECK(check_jsonl("good json", &b) == 1);
		CHECK(tu_failures == before);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		regdiff__buf b = {(uint8_t *)bad[i], strlen(bad[i]), 0};
		int before = tu_failures;
		quiet = true;
		check_jsonl("bad json", &b);
		quiet = false;
		int found = tu_failures - before;
		tu_failures = before;
		CHECK(found == 1);
	}
}

/* ---- Golden files ---- */

static void golden(const char *name, regdiff__buf *out)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", REGDIFF_TEST_GOLDEN_DIR, name);
	if (!tu_read_file(path, out)) {
		fprintf(stderr, "cannot read %s\n", path);
		tu_failures++;
	}
}

static void all_report(regdiff_report_format format, unsigned flags, tu_sink *out,
		       regdiff_report_counts *counts)
{
	regdiff_change v[ALL_COUNT];
	size_t n = build_all(v);
	regdiff_report_options o = options(format, flags, COMMENT);
	CHECK(n == ALL_COUNT);
	CHECK(run(v, n, &o, out, counts) == 0);
}

static void test_all_txt(void)
{
	tu_sink out = {0};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	regdiff__buf want = {0};
	all_report(REGDIFF_REPORT_TXT, 0, &out, &counts);
	golden("report_all.txt", &want);
	CHECK_BYTES("complete TXT report", out.got.data, out.got.len, want.data, want.len);

	CHECK(counts.by_op[0] == 0);
	CHECK(counts.by_op[REGDIFF_KEY_DELETED] == 1);
	CHECK(counts.by_op[REGDIFF_KEY_ADDED] == 3);
	CHECK(counts.by_op[REGDIFF_VALUE_DELETED] == 2);
	CHECK(counts.by_op[REGDIFF_VALUE_ADDED] == 14);
	CHECK(counts.by_op[REGDIFF_VALUE_MODIFIED] == 6);
	CHECK(counts.by_op[REGDIFF_KEY_MODIFIED] == 1);
	CHECK(counts.total == ALL_COUNT);

	/* CRLF: the same with every line end CRLF. */
	regdiff__buf crlf = {0};
	for (size_t i = 0; i < want.len; i++) {
		if (want.data[i] == '\n')
			regdiff__buf_putc(&crlf, '\r');
		regdiff__buf_putc(&crlf, want.data[i]);
	}
	tu_sink out2 = {0};
	all_report(REGDIFF_REPORT_TXT, REGDIFF_REPORT_CRLF, &out2, NULL);
	CHECK_BYTES("complete TXT report, CRLF", out2.got.data, out2.got.len, crlf.data, crlf.len);

	/* UTF-16LE (with and without CRLF): a BOM, then text that the names
	 * module decodes back to the same. */
	const unsigned utf16_flags[] = {REGDIFF_REPORT_UTF16LE,
					REGDIFF_REPORT_UTF16LE | REGDIFF_REPORT_CRLF};
	for (int k = 0; k < 2; k++) {
		tu_sink out3 = {0};
		regdiff__buf back = {0};
		all_report(REGDIFF_REPORT_TXT, utf16_flags[k], &out3, NULL);
		CHECK(out3.got.len >= 2 && out3.got.len % 2 == 0);
		CHECK(out3.got.data[0] == 0xFF && out3.got.data[1] == 0xFE);
		CHECK(regdiff__utf16le_bytes_to_utf8_buf(&back, out3.got.data + 2, out3.got.len - 2,
							 REGDIFF_TEXT_PLAIN) == 0);
		const regdiff__buf *w = k == 0 ? &want : &crlf;
		CHECK_BYTES("complete TXT report, UTF-16LE", back.data, back.len, w->data, w->len);
		regdiff__buf_free(&out3.got);
		regdiff__buf_free(&back);
	}

	regdiff__buf_free(&out.got);
	regdiff__buf_free(&out2.got);
	regdiff__buf_free(&want);
	regdiff__buf_free(&crlf);
}

/* A .reg script as its golden file holds it: UTF-8 with LF, after
 * checking the BOM and that every line ends CRLF. */
static void reg_as_text(const tu_sink *out, regdiff__buf *text)
{
	regdiff__buf utf8 = {0};
	CHECK(out->got.len >= 2 && out->got.len % 2 == 0);
	CHECK(out->got.data[0] == 0xFF && out->got.data[1] == 0xFE);
	CHECK(regdiff__utf16le_bytes_to_utf8_buf(&utf8, out->got.data + 2, out->got.len - 2,
						 REGDIFF_TEXT_PLAIN) == 0);
	for (size_t i = 0; i < utf8.len; i++) {
		if (utf8.data[i] == '\n')
			CHECK(i > 0 && utf8.data[i - 1] == '\r');
		if (utf8.data[i] != '\r')
			regdiff__buf_putc(text, utf8.data[i]);
	}
	regdiff__buf_free(&utf8);
}

/* Regshot's first line, dates and separators; nothing else changed. */
static void test_all_regshot(void)
{
	tu_sink out = {0};
	regdiff__buf want = {0}, plain = {0};
	all_report(REGDIFF_REPORT_TXT, REGDIFF_REPORT_REGSHOT, &out, NULL);
	golden("report_all_regshot.txt", &want);
	CHECK_BYTES("Regshot TXT report", out.got.data, out.got.len, want.data, want.len);
	golden("report_all.txt", &plain);
	regdiff__buf_putc(&want, 0); /* TXT holds no NUL */
	regdiff__buf_putc(&plain, 0);
	const char *body = strstr((const char *)want.data, "\n\n---");
	const char *plain_body = strstr((const char *)plain.data, "\n\n---");
	CHECK(body && plain_body && strcmp(body, plain_body) == 0);
	tu_sink out16 = {0};
	all_report(REGDIFF_REPORT_TXT, REGDIFF_REPORT_REGSHOT | REGDIFF_REPORT_UTF16LE, &out16,
		   NULL);
	static const char unicode[] = "\xFF\xFEr\0e\0g\0";
	CHECK(out16.got.len > 2 && memcmp(out16.got.data, unicode, sizeof unicode - 1) == 0);
	regdiff__buf first = {0};
	CHECK(regdiff__utf16le_bytes_to_utf8_buf(&first, out16.got.data + 2, 2 * 60,
						 REGDIFF_TEXT_PLAIN) == 0);
	CHECK(first.len > 0 && strstr((const char *)first.data, ") x64 Unicode\n") != NULL);
	regdiff__buf_free(&first);
	regdiff__buf_free(&out16.got);
	regdiff__buf_free(&out.got);
	regdiff__buf_free(&want);
	regdiff__buf_free(&plain);
}

/* Redo and undo scripts of every kind of change, hostile names too. */
static void test_all_reg(void)
{
	static const struct {
		regdiff_report_format format;
		const char *golden;
	} scripts[] = {{REGDIFF_REPORT_REG, "report_all.reg.txt"},
		       {REGDIFF_REPORT_REG_UNDO, "report_all.reg-undo.txt"}};
	for (size_t i = 0; i < 2; i++) {
		tu_sink out = {0};
		regdiff_report_counts counts;
		regdiff__buf text = {0}, want = {0};
		all_report(scripts[i].format, 0, &out, &counts);
		reg_as_text(&out, &text);
		golden(scripts[i].golden, &want);
		CHECK_BYTES(scripts[i].golden, text.data, text.len, want.data, want.len);
		CHECK(counts.total == ALL_COUNT);
		/* The key and the value with a NUL in their names, the key
		 * time, and in the redo script the value named with line
		 * breaks (the undo script removes its key). */
		CHECK(counts.left_out == (i ? 3 : 4));
		regdiff__buf_free(&out.got);
		regdiff__buf_free(&text);
		regdiff__buf_free(&want);
	}
}

static void test_all_jsonl(void)
{
	tu_sink out = {0};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	regdiff__buf want = {0};
	all_report(REGDIFF_REPORT_JSONL, 0, &out, &counts);
	golden("report_all.jsonl", &want);
	CHECK_BYTES("complete JSONL report", out.got.data, out.got.len, want.data, want.len);
	CHECK(check_jsonl("complete JSONL report", &out.got) == ALL_COUNT);
	CHECK(counts.total == ALL_COUNT && counts.by_op[REGDIFF_VALUE_ADDED] == 14);
	regdiff__buf_free(&out.got);
	regdiff__buf_free(&want);
}

/* ---- Layout, inline ---- */

#define HEADER(comment)                                                                            \
	"regdiff " REGDIFF_VERSION_STRING "\n"                                                     \
	"Comments: " comment "\n"                                                                  \
	"Datetime: 2020-01-01 12:00:00, 2020-01-01 12:30:00\n"                                     \
	"Computer: WS-01, WS-01\xE2\x90\x9B[2J\xEF\xBF\xBD\n"                                      \
	"Username: alice, alice\n"
#define DASHES "----------------------------------\n"

static void test_layout(void)
{
	regdiff_name k = NM(u"HKLM\\K");
	regdiff_change v[] = {
	    added(k, NM(u"b"), RAW(REGDIFF_REG_DWORD, "\x01\0\0\0")),
	    value_change(REGDIFF_VALUE_MODIFIED, k, NM(u"m"), RAW(REGDIFF_REG_DWORD, "\x01\0\0\0"),
			 RAW(REGDIFF_REG_DWORD, "\x02\0\0\0")),
	    key_change(REGDIFF_KEY_DELETED, NM(u"HKLM\\Old"), T2020, 0),
	    added(k, NM(u""), Z(REGDIFF_REG_SZ, u"default")),
	    key_change(REGDIFF_KEY_DELETED, NM(u"HKLM\\Old\\Sub"), T2020, 0),
	};
	regdiff_report_options o = options(REGDIFF_REPORT_TXT, 0, NULL);
	tu_sink out = {0};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	CHECK(run(v, sizeof v / sizeof v[0], &o, &out, &counts) == 0);
	CHECK_STR("layout", &out.got,
		  HEADER("") "\n" DASHES "Keys deleted: 2\n" DASHES "HKLM\\Old\n"
			     "HKLM\\Old\\Sub\n"
			     "\n" DASHES "Values added: 2\n" DASHES "HKLM\\K\\b: 0x00000001\n"
			     "HKLM\\K\\: \"default\"\n"
			     "\n" DASHES "Values modified: 1\n" DASHES "HKLM\\K\\m: 0x00000001\n"
			     "HKLM\\K\\m: 0x00000002\n"
			     "\n" DASHES "Total changes: 5\n" DASHES);
	CHECK(counts.total == 5 && counts.by_op[REGDIFF_KEY_DELETED] == 2 &&
	      counts.by_op[REGDIFF_VALUE_ADDED] == 2 && counts.by_op[REGDIFF_VALUE_MODIFIED] == 1 &&
	      counts.by_op[REGDIFF_KEY_ADDED] == 0);
	regdiff__buf_free(&out.got);
}

static void test_empty(void)
{
	regdiff_report_options o = options(REGDIFF_REPORT_TXT, 0, "nothing \xE2\x80\x94 at all");
	tu_sink out = {0};
	regdiff_report_counts counts = {.version = REGDIFF_REPORT_COUNTS_VERSION, .total = 99};
	CHECK(run(NULL, 0, &o, &out, &counts) == 0);
	CHECK_STR("empty TXT", &out.got,
		  HEADER("nothing \xE2\x80\x94 at all") "\n" DASHES "Total changes: 0\n" DASHES);
	CHECK(counts.total == 0);

	/* JSON lines: nothing at all. */
	tu_sink out2 = {0};
	o = options(REGDIFF_REPORT_JSONL, 0, NULL);
	CHECK(run(NULL, 0, &o, &out2, &counts) == 0);
	CHECK(out2.got.len == 0 && out2.calls == 0);

	/* Unknown snapshots: empty names, times of 0. */
	tu_sink out3 = {0};
	tu_iter it = {0};
	CHECK(regdiff__report_run(tu_iter_next, &it, NULL, NULL, NULL, tu_sink_write, &out3,
				  NULL) == 0);
	CHECK_STR("empty TXT, unknown snapshots", &out3.got,
		  "regdiff " REGDIFF_VERSION_STRING "\nComments: \n"
		  "Datetime: 1601-01-01 00:00:00, 1601-01-01 00:00:00\n"
		  "Computer: , \nUsername: , \n\n" DASHES "Total changes: 0\n" DASHES);
	regdiff__buf_free(&out.got);
	regdiff__buf_free(&out3.got);
}

/* The UTF-16LE report checked against what the compiler encodes. */
static void test_utf16_exact(void)
{
	static const char16_t want16[] =
	    u"\uFEFFregdiff " REGDIFF_VERSION_STRING "\r\n"
	    u"Comments: caf\u00E9 \u2409\r\n"
	    u"Datetime: 2020-01-01 12:00:00, 2020-01-01 12:30:00\r\n"
	    u"Computer: WS-01, WS-01\u241B[2J\uFFFD\r\n"
	    u"Username: alice, alice\r\n"
	    u"\r\n----------------------------------\r\nKeys added: 1\r\n"
	    u"----------------------------------\r\n"
	    u"HKCU\\\U0001F600\u241B\uFFFD\r\n"
	    u"\r\n----------------------------------\r\nTotal changes: 1\r\n"
	    u"----------------------------------\r\n";
	static const uint16_t key[] = {'H', 'K', 'C', 'U', '\\', 0xD83D, 0xDE00, 0x1B, 0xDBFF};
	regdiff_change v[] = {key_change(REGDIFF_KEY_ADDED, NMA(key), 0, T2020)};
	regdiff_report_options o = options(
	    REGDIFF_REPORT_TXT, REGDIFF_REPORT_UTF16LE | REGDIFF_REPORT_CRLF, "caf\xC3\xA9 \t");
	tu_sink out = {0};
	CHECK(run(v, 1, &o, &out, NULL) == 0);
	size_t n = sizeof want16 / sizeof want16[0] - 1;
	uint8_t *want = malloc(2 * n);
	for (size_t i = 0; i < n; i++)
		regdiff__put_u16(want + 2 * i, (uint16_t)want16[i]);
	CHECK_BYTES("UTF-16LE report", out.got.data, out.got.len, want, 2 * n);
	free(want);
	regdiff__buf_free(&out.got);
}

/* ---- Data in JSON ---- */

static void test_json_data(void)
{
	/* Unpaired: high high, low, high at the end (then the terminator). */
	static const char16_t surrogates[] = {0xD800, 0xD800, 'x', 0xDC00, 0xDBFF, 0};
	const struct {
		regdiff_data d;
		const char *type, *data;
	} cases[] = {
	    {Z(REGDIFF_REG_SZ, u"abc"), "\"REG_SZ\"", "\"abc\""},
	    {NZ(REGDIFF_REG_SZ, u"abc"), "\"REG_SZ\"", "\"abc\""},
	    {Z(REGDIFF_REG_SZ, u""), "\"REG_SZ\"", "\"\""},
	    {RAW(REGDIFF_REG_SZ, ""), "\"REG_SZ\"", "\"\""},
	    {Z(REGDIFF_REG_EXPAND_SZ, u"%x%"), "\"REG_EXPAND_SZ\"", "\"%x%\""},
	    {Z(REGDIFF_REG_SZ, u"q\"b\\s/\b\f\n\r\t\x01\x1F\x7F"), "\"REG_SZ\"",
	     "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7F\""},
	    {Z(REGDIFF_REG_SZ, u"\u00E9\u20AC\U0001F600\uFFFF"), "\"REG_SZ\"",
	     "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBF\""},
	    {Z(REGDIFF_REG_SZ, u"\U00010000\U0010FFFF"), "\"REG_SZ\"",
	     "\"\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\""},
	    {tu_units(REGDIFF_REG_SZ, surrogates, 6), "\"REG_SZ\"",
	     "\"\\ud800\\ud800x\\udc00\\udbff\""},
	    {Z(REGDIFF_REG_SZ, u"a\0b"), "\"REG_SZ\"", "\"6100000062000000\""},
	    {RAW(REGDIFF_REG_SZ, "a\0b"), "\"REG_SZ\"", "\"610062\""},
	    {NZ(REGDIFF_REG_LINK, u"\\R\\M"), "\"REG_LINK\"", "\"\\\\R\\\\M\""},
	    {Z(REGDIFF_REG_LINK, u"\\R"), "\"REG_LINK\"", "\"5c0052000000\""},
	    {Z(REGDIFF_REG_MULTI_SZ, u"a\0\"b\"\0"), "\"REG_MULTI_SZ\"", "[\"a\",\"\\\"b\\\"\"]"},
	    {Z(REGDIFF_REG_MULTI_SZ, u""), "\"REG_MULTI_SZ\"", "[]"},
	    {Z(REGDIFF_REG_MULTI_SZ, u"\0"), "\"REG_MULTI_SZ\"", "\"00000000\""},
	    {NZ(REGDIFF_REG_MULTI_SZ, u"a\0b\0"), "\"REG_MULTI_SZ\"", "\"6100000062000000\""},
	    {RAW(REGDIFF_REG_DWORD, "\xEF\xBE\xAD\xDE"), "\"REG_DWORD\"", "3735928559"},
	    {RAW(REGDIFF_REG_DWORD_BIG_ENDIAN, "\x00\x00\x01\x00"), "\"REG_DWORD_BIG_ENDIAN\"",
	     "256"},
	    {RAW(REGDIFF_REG_QWORD, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"), "\"REG_QWORD\"",
	     "18446744073709551615"},
	    {RAW(REGDIFF_REG_QWORD, "\x01\0\0\0"), "\"REG_QWORD\"", "\"01000000\""},
	    {RAW(REGDIFF_REG_DWORD, "\x01\0\0\0\0"), "\"REG_DWORD\"", "\"0100000000\""},
	    {RAW(REGDIFF_REG_DWORD, ""), "\"REG_DWORD\"", "\"\""},
	    {RAW(REGDIFF_REG_BINARY, "\xAB\xCD"), "\"REG_BINARY\"", "\"abcd\""},
	    {RAW(REGDIFF_REG_NONE, ""), "\"REG_NONE\"", "\"\""},
	    {RAW(REGDIFF_REG_RESOURCE_LIST, "\x01"), "\"REG_RESOURCE_LIST\"", "\"01\""},
	    {RAW(REGDIFF_REG_FULL_RESOURCE_DESCRIPTOR, "\x02"), "\"REG_FULL_RESOURCE_DESCRIPTOR\"",
	     "\"02\""},
	    {RAW(REGDIFF_REG_RESOURCE_REQUIREMENTS_LIST, "\x03"),
	     "\"REG_RESOURCE_REQUIREMENTS_LIST\"", "\"03\""},
	    {RAW(12, "\x04"), "12", "\"04\""},
	    {RAW(0xFFFFFFFF, "\x05\x06"), "4294967295", "\"0506\""},
	};
	regdiff_report_options o = options(REGDIFF_REPORT_JSONL, 0, NULL);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const regdiff_data *d = &cases[i].d;
		regdiff_change v = added(NM(u"K"), NM(u"v"), *d);
		char hex[64] = "";
		for (size_t k = 0; k < d->len && 2 * k + 2 < sizeof hex; k++)
			snprintf(hex + 2 * k, 3, "%02x", d->bytes[k]);
		regdiff__buf want = {0};
		regdiff__buf_printf(
		    &want,
		    "{\"op\":\"value_added\",\"key\":\"K\",\"value\":\"v\",\"type\":%s,"
		    "\"data\":%s,\"data_hex\":\"%s\"}\n",
		    cases[i].type, cases[i].data, hex);
		tu_sink out = {0};
		char what[64];
		snprintf(what, sizeof what, "JSON data case %zu", i);
		CHECK(run(&v, 1, &o, &out, NULL) == 0);
		CHECK_BYTES(what, out.got.data, out.got.len, want.data, want.len);
		CHECK(check_jsonl(what, &out.got) == 1);
		regdiff__buf_free(&out.got);
		regdiff__buf_free(&want);
	}
}

/* ---- Many changes: the spools spill to their files ---- */

typedef struct gen {
	size_t i, n;
	regdiff_change c;
	uint16_t key[32], value[32];
	uint8_t old_data[4], new_data[4];
} gen;

static size_t put_ascii(uint16_t *dst, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		dst[i] = (uint8_t)s[i];
	return n;
}

/* Change i of a big diff, kind i % 5. */
static int gen_next(void *ctx, const regdiff_change **out)
{
	gen *g = ctx;
	if (g->i == g->n)
		return REGDIFF_ITEROVER;
	char s[32];
	size_t i = g->i++;
	regdiff_op ops[] = {REGDIFF_KEY_ADDED, REGDIFF_VALUE_ADDED, REGDIFF_VALUE_DELETED,
			    REGDIFF_VALUE_MODIFIED, REGDIFF_KEY_DELETED};
	g->c = (regdiff_change){.op = ops[i % 5], .old_time = T2020, .new_time = T2020};
	snprintf(s, sizeof s, "HKLM\\K\\k%06zu", i);
	g->c.key = (regdiff_name){g->key, put_ascii(g->key, s)};
	snprintf(s, sizeof s, "v%06zu", i);
	g->c.value = (regdiff_name){g->value, put_ascii(g->value, s)};
	regdiff__put_u32(g->old_data, (uint32_t)i);
	regdiff__put_u32(g->new_data, (uint32_t)i + 1);
	g->c.old_data = (regdiff_data){.type = REGDIFF_REG_DWORD, .bytes = g->old_data, .len = 4};
	g->c.new_data = (regdiff_data){.type = REGDIFF_REG_DWORD, .bytes = g->new_data, .len = 4};
	*out = &g->c;
	return 0;
}

static void test_many(void)
{
	const size_t n = 200000;
	gen g = {.n = n};
	tu_sink out = {0};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	regdiff_report_options o = options(REGDIFF_REPORT_TXT, 0, NULL);
	CHECK(regdiff__report_run(gen_next, &g, &before_info, &after_info, &o, tu_sink_write, &out,
				  &counts) == 0);

	/* The expected report, section by section. */
	static const struct {
		size_t kind;
		const char *label;
	} order[] = {{4, "Keys deleted:"},
		     {0, "Keys added:"},
		     {2, "Values deleted:"},
		     {1, "Values added:"},
		     {3, "Values modified:"}};
	regdiff__buf want = {0};
	regdiff__buf_printf(&want, "%s", HEADER(""));
	size_t largest = 0;
	for (size_t s = 0; s < 5; s++) {
		regdiff__buf_printf(&want, "\n" DASHES "%s %zu\n" DASHES, order[s].label, n / 5);
		size_t start = want.len;
		for (size_t i = order[s].kind; i < n; i += 5) {
			switch (order[s].kind) {
			case 0:
			case 4:
				regdiff__buf_printf(&want, "HKLM\\K\\k%06zu\n", i);
				break;
			case 1:
				regdiff__buf_printf(&want, "HKLM\\K\\k%06zu\\v%06zu: 0x%08zX\n", i,
						    i, i + 1);
				break;
			case 2:
				regdiff__buf_printf(&want, "HKLM\\K\\k%06zu\\v%06zu: 0x%08zX\n", i,
						    i, i);
				break;
			case 3:
				regdiff__buf_printf(&want,
						    "HKLM\\K\\k%06zu\\v%06zu: 0x%08zX\n"
						    "HKLM\\K\\k%06zu\\v%06zu: 0x%08zX\n",
						    i, i, i, i, i, i + 1);
				break;
			}
		}
		if (want.len - start > largest)
			largest = want.len - start;
	}
	regdiff__buf_printf(&want, "\n" DASHES "Total changes: %zu\n" DASHES, n);
	/* Make sure the test tests what it says: a section bigger than a
	 * spool keeps in memory. */
	CHECK(largest > REGDIFF__SPOOL_MEM_LIMIT);
	CHECK_BYTES("200000 changes, TXT", out.got.data, out.got.len, want.data, want.len);
	CHECK(counts.total == n);
	for (int op = REGDIFF_KEY_DELETED; op <= REGDIFF_VALUE_MODIFIED; op++)
		CHECK(counts.by_op[op] == n / 5);
	CHECK(counts.by_op[REGDIFF_KEY_MODIFIED] == 0);

	/* JSON lines: one line each, in order. */
	gen g2 = {.n = n};
	tu_sink out2 = {0};
	o = options(REGDIFF_REPORT_JSONL, 0, NULL);
	CHECK(regdiff__report_run(gen_next, &g2, NULL, NULL, &o, tu_sink_write, &out2, &counts) ==
	      0);
	CHECK(check_jsonl("200000 changes, JSONL", &out2.got) == n);
	CHECK(counts.total == n);
	const char *last = "{\"op\":\"key_deleted\",\"key\":\"HKLM\\\\K\\\\k199999\","
			   "\"time\":\"2020-01-01T00:00:00.0000000Z\"}\n";
	CHECK(out2.got.len > strlen(last) &&
	      memcmp(out2.got.data + out2.got.len - strlen(last), last, strlen(last)) == 0);
	CHECK(out2.calls > 1); /* streamed in pieces, not held whole */

	regdiff__buf_free(&out.got);
	regdiff__buf_free(&out2.got);
	regdiff__buf_free(&want);
}

/* ---- Failures ---- */

static void test_options(void)
{
	regdiff_change v[] = {key_change(REGDIFF_KEY_ADDED, NM(u"HKLM\\A"), 0, T2020)};
	const struct {
		unsigned version;
		int format;
		unsigned flags;
		int want;
	} cases[] = {
	    {1, REGDIFF_REPORT_TXT, 0, 0},
	    {1, REGDIFF_REPORT_TXT, REGDIFF_REPORT_CRLF | REGDIFF_REPORT_UTF16LE, 0},
	    {1, REGDIFF_REPORT_JSONL, 0, 0},
	    {1, REGDIFF_REPORT_HTML, 0,
	     (regdiff_features() & REGDIFF_FEATURE_HTML) ? 0 : REGDIFF_EUNSUPPORTED},
	    {1, REGDIFF_REPORT_HTML, REGDIFF_REPORT_CRLF, REGDIFF_EINVAL},
	    {1, REGDIFF_REPORT_REG, 0, 0},
	    {1, REGDIFF_REPORT_REG_UNDO, 0, 0},
	    {1, REGDIFF_REPORT_TXT, REGDIFF_REPORT_REGSHOT | REGDIFF_REPORT_UTF16LE, 0},
	    {1, REGDIFF_REPORT_REG, REGDIFF_REPORT_UTF16LE, REGDIFF_EINVAL},
	    {1, REGDIFF_REPORT_JSONL, REGDIFF_REPORT_REGSHOT, REGDIFF_EINVAL},
	    {1, 5, 0, REGDIFF_EINVAL},
	    {1, -1, 0, REGDIFF_EINVAL},
	    {1, REGDIFF_REPORT_TXT, 1u << 6, REGDIFF_EINVAL},
	    {2, REGDIFF_REPORT_TXT, REGDIFF_REPORT_SHOW_FILTERED, 0},
	    {1, REGDIFF_REPORT_TXT, REGDIFF_REPORT_BOM, 0},
	    {1, REGDIFF_REPORT_JSONL, REGDIFF_REPORT_BOM, REGDIFF_EINVAL},
	    {1, REGDIFF_REPORT_JSONL, REGDIFF_REPORT_CRLF, REGDIFF_EINVAL},
	    {1, REGDIFF_REPORT_JSONL, REGDIFF_REPORT_UTF16LE, REGDIFF_EINVAL},
	    {0, REGDIFF_REPORT_TXT, 0, REGDIFF_EINVAL},
	    {2, REGDIFF_REPORT_TXT, 0, 0},
	    {3, REGDIFF_REPORT_TXT, 0, REGDIFF_EINVAL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		regdiff_report_options o = {.version = cases[i].version,
					    .format = (regdiff_report_format)cases[i].format,
					    .flags = cases[i].flags};
		tu_sink out = {0};
		regdiff_report_counts counts = {.version = REGDIFF_REPORT_COUNTS_VERSION,
						.total = 7};
		int rc = run(v, 1, &o, &out, &counts);
		if (rc != cases[i].want)
			fprintf(stderr, "options case %zu: got %d, want %d\n", i, rc,
				cases[i].want);
		CHECK(rc == cases[i].want);
		/* The check before any work answers as the report does. */
		CHECK(regdiff_report_check(&o, "r.out") == cases[i].want);
		if (rc < 0) {
			CHECK(out.calls == 0 && counts.total == 0);
			CHECK(regdiff_error_message()[0] != '\0');
		}
		regdiff__buf_free(&out.got);
	}

	/* NULL options: TXT. */
	CHECK(regdiff_report_check(NULL, NULL) == 0);
	tu_sink out = {0};
	CHECK(run(v, 1, NULL, &out, NULL) == 0);
	CHECK(out.got.len > 8 && memcmp(out.got.data, "regdiff ", 8) == 0);
	regdiff__buf_free(&out.got);

	tu_iter it = {0};
	CHECK(regdiff__report_run(NULL, &it, NULL, NULL, NULL, tu_sink_write, &out, NULL) ==
	      REGDIFF_EINVAL);
	CHECK(regdiff__report_run(tu_iter_next, &it, NULL, NULL, NULL, NULL, NULL, NULL) ==
	      REGDIFF_EINVAL);
}

static void test_failures(void)
{
	regdiff_change v[3];
	v[0] = key_change(REGDIFF_KEY_ADDED, NM(u"HKLM\\A"), 0, T2020);
	v[1] = key_change(REGDIFF_KEY_ADDED, NM(u"HKLM\\B"), 0, T2020);
	v[2] = key_change(REGDIFF_KEY_ADDED, NM(u"HKLM\\C"), 0, T2020);

	for (int format = REGDIFF_REPORT_TXT; format <= REGDIFF_REPORT_JSONL; format++) {
		regdiff_report_options o = options((regdiff_report_format)format, 0, NULL);

		/* The diff fails: its error comes back as it is. Nothing is
		 * written yet (TXT writes at the end, JSONL in 64 KiB pieces). */
		tu_iter it = {.v = v, .n = 3, .fail_at = 2, .fail_rc = REGDIFF_EFORMAT};
		tu_sink out = {0};
		regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
		CHECK(regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_sink_write, &out,
					  &counts) == REGDIFF_EFORMAT);
		CHECK(strcmp(regdiff_error_message(), "iterator failed on purpose") == 0);
		CHECK(counts.total == 0 && counts.by_op[REGDIFF_KEY_ADDED] == 0);
		CHECK(out.got.len == 0);

		/* A change of unknown kind. */
		regdiff_change bad[2] = {v[0], v[1]};
		bad[1].op = (regdiff_op)9;
		CHECK(run(bad, 2, &o, &out, &counts) == REGDIFF_EINVAL);
		CHECK(counts.total == 0);
		bad[1].op = (regdiff_op)0;
		CHECK(run(bad, 2, &o, &out, &counts) == REGDIFF_EINVAL);
		CHECK(out.got.len == 0);

		/* The output fails, first thing and later. */
		for (size_t after = 0; after < 200; after += 50) {
			tu_sink failing = {.fail = -5, .fail_after = after};
			CHECK(run(v, 3, &o, &failing, &counts) == REGDIFF_EIO);
			CHECK(counts.total == 0);
			CHECK(strstr(regdiff_error_message(), "writing the report failed") != NULL);
			regdiff__buf_free(&failing.got);
		}
	}
}

/* ---- Files ---- */

static void test_to_file(void)
{
	const char *path = "test_report_out.txt";
	regdiff_change v[ALL_COUNT];
	size_t n = build_all(v);
	regdiff_report_options o = options(REGDIFF_REPORT_TXT, 0, COMMENT);
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	tu_iter it = {.v = v, .n = n};

	remove(path);
	CHECK(regdiff__report_run_to_file(tu_iter_next, &it, &before_info, &after_info, &o, path,
					  &counts) == 0);
	CHECK(counts.total == ALL_COUNT);
	regdiff__buf got = {0}, want = {0};
	CHECK(tu_read_file(path, &got));
	golden("report_all.txt", &want);
	CHECK_BYTES("report file", got.data, got.len, want.data, want.len);

	/* A failing diff leaves the earlier file as it was. */
	tu_iter failing = {.v = v, .n = n, .fail_at = 5, .fail_rc = REGDIFF_EFORMAT};
	CHECK(regdiff__report_run_to_file(tu_iter_next, &failing, &before_info, &after_info, &o,
					  path, &counts) == REGDIFF_EFORMAT);
	CHECK(counts.total == 0);
	got.len = 0;
	CHECK(tu_read_file(path, &got));
	CHECK_BYTES("report file after a failure", got.data, got.len, want.data, want.len);

	/* So does an unknown format, which makes no file at all. */
	regdiff_report_options bad = options((regdiff_report_format)5, 0, NULL);
	it.i = 0;
	CHECK(regdiff__report_run_to_file(tu_iter_next, &it, NULL, NULL, &bad, path, NULL) ==
	      REGDIFF_EINVAL);
	CHECK(it.i == 0);
	CHECK(remove(path) == 0);

	/* A folder that does not exist. */
	it.i = 0;
	CHECK(regdiff__report_run_to_file(tu_iter_next, &it, NULL, NULL, NULL,
					  "no-such-folder/report.txt", NULL) == REGDIFF_ENOTFOUND);
	CHECK(strstr(regdiff_error_message(), "no-such-folder") != NULL);
	CHECK(regdiff__report_run_to_file(tu_iter_next, &it, NULL, NULL, NULL, NULL, NULL) ==
	      REGDIFF_EINVAL);

#ifndef _WIN32
	/* A file that cannot grow past 1000 bytes: the file's own error (with
	 * its name) is reported, not just "writing failed". */
	struct rlimit old, small;
	const char *big = "test_report_big.txt";
	if (getrlimit(RLIMIT_FSIZE, &old) == 0) {
		small = old;
		small.rlim_cur = 1000;
		void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
		CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
		it.i = 0;
		int rc = regdiff__report_run_to_file(tu_iter_next, &it, &before_info, &after_info,
						     &o, big, &counts);
		CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
		signal(SIGXFSZ, old_handler);
		CHECK(rc == REGDIFF_EIO);
		CHECK(strstr(regdiff_error_message(), big) != NULL);
		CHECK(strstr(regdiff_error_message(), "writing the report failed") == NULL);
		CHECK(counts.total == 0);
		CHECK(remove(big) != 0); /* never appeared */
	}
#endif

	regdiff__buf_free(&got);
	regdiff__buf_free(&want);
}

static void test_public_arguments(void)
{
	regdiff_report_counts counts = {.version = REGDIFF_REPORT_COUNTS_VERSION, .total = 3};
	tu_sink out = {0};
	CHECK(regdiff_report_write(&counts, NULL, NULL, tu_sink_write, &out) == REGDIFF_EINVAL);
	CHECK(counts.total == 0 && out.calls == 0);
	counts.total = 3;
	CHECK(regdiff_report_to_file(&counts, NULL, NULL, "unused.txt") == REGDIFF_EINVAL);
	CHECK(counts.total == 0);
}

/* ---- Modes for the build ---- */

static int write_golden(const char *dir)
{
	const struct {
		regdiff_report_format format;
		unsigned flags;
		const char *name;
	} files[] = {{REGDIFF_REPORT_TXT, 0, "report_all.txt"},
		     {REGDIFF_REPORT_JSONL, 0, "report_all.jsonl"},
		     {REGDIFF_REPORT_TXT, REGDIFF_REPORT_REGSHOT, "report_all_regshot.txt"},
		     {REGDIFF_REPORT_REG, 0, "report_all.reg.txt"},
		     {REGDIFF_REPORT_REG_UNDO, 0, "report_all.reg-undo.txt"}};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		tu_sink out = {0};
		char path[1024];
		all_report(files[i].format, files[i].flags, &out, NULL);
		if (files[i].format >= REGDIFF_REPORT_REG) {
			regdiff__buf text = {0};
			reg_as_text(&out, &text);
			regdiff__buf_free(&out.got);
			out.got = text;
		}
		snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
		if (!tu_write_file(path, out.got.data, out.got.len)) {
			fprintf(stderr, "cannot write %s\n", path);
			return 1;
		}
		regdiff__buf_free(&out.got);
	}
	tu_arena_free();
	return tu_failures ? 1 : 0;
}

static int write_jsonl(const char *path)
{
	tu_sink out = {0};
	all_report(REGDIFF_REPORT_JSONL, 0, &out, NULL);
	bool ok = tu_write_file(path, out.got.data, out.got.len);
	regdiff__buf_free(&out.got);
	tu_arena_free();
	if (!ok)
		fprintf(stderr, "cannot write %s\n", path);
	return ok && !tu_failures ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--regen") == 0)
		return write_golden(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--write-jsonl") == 0)
		return write_jsonl(argv[2]);

	test_json_checker();
	test_all_txt();
	test_all_jsonl();
	test_all_regshot();
	test_all_reg();
	test_layout();
	test_empty();
	test_utf16_exact();
	test_json_data();
	test_many();
	test_options();
	test_failures();
	test_to_file();
	test_public_arguments();
	tu_arena_free();
	return tu_result("test_report");
}
