/* Tests of the HTML report: written from hand-made changes and from the
 * hostile fixture hive, then read back with libxml2's HTML parser as a
 * browser would: the page parses without errors, holds no element that is
 * not ours (no script, no img: registry text never becomes markup), and
 * every cell's text is exactly what it should show.
 *
 *   test_html                 run the tests
 *   test_html --write FILE    write the hand-made report to FILE (for the
 *                             Chromium check, tests/html/chromium.sh)
 */
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include "internal.h"
#include "report_internal.h"
#include "test_util.h"

#ifndef REGDIFF_TEST_FIXTURE_DIR
#define REGDIFF_TEST_FIXTURE_DIR ""
#endif

/* ---- Reading it back ---- */

typedef struct parsed {
	htmlDocPtr doc;
	int errors;
} parsed;

/* HTML5's elements are unknown to libxml2's HTML 4 parser; every other
 * complaint is an error. */
static void on_error(void *ctx, xmlErrorPtr e)
{
	parsed *p = ctx;
	if (e->code == XML_HTML_UNKNOWN_TAG)
		return;
	fprintf(stderr, "HTML parser: line %d: %s", e->line, e->message);
	p->errors++;
}

static parsed parse(const regdiff__buf *b)
{
	parsed p = {0};
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	xmlSetStructuredErrorFunc(&p, on_error);
	p.doc = htmlCtxtReadMemory(ctxt, (const char *)b->data, (int)b->len, "report.html", "UTF-8",
				   HTML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	htmlFreeParserCtxt(ctxt);
	CHECK(p.doc != NULL);
	return p;
}

static const char *const our_elements[] = {
    "html", "head",    "meta", "title", "style",    "body",    "header", "h1",	  "h2",
    "p",    "section", "div",  "table", "colgroup", "col",     "thead",	 "tbody", "tr",
    "th",   "td",      "span", "a",	"details",  "summary", "footer", "wbr",	  NULL};

/* Every element is one the report writes, and no attribute is a handler
 * or a source. */
static void check_elements(xmlNodePtr n, int *count)
{
	for (; n; n = n->next) {
		if (n->type == XML_DTD_NODE)
			continue;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		(*count)++;
		bool ok = false;
		for (size_t i = 0; our_elements[i]; i++)
			ok |= strcmp((const char *)n->name, our_elements[i]) == 0;
		if (!ok) {
			fprintf(stderr, "element <%s> is not the report's\n", n->name);
			tu_failures++;
		}
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			const char *name = (const char *)a->name;
			if (strncmp(name, "on", 2) == 0 || strcmp(name, "src") == 0) {
				fprintf(stderr, "attribute %s on <%s>\n", name, n->name);
				tu_failures++;
			}
		}
		check_elements(n->children, count);
	}
}

static xmlNodePtr find(xmlNodePtr n, const char *name, const char *id)
{
	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0) {
			xmlChar *v = id ? xmlGetProp(n, BAD_CAST "id") : NULL;
			bool match = !id || (v && strcmp((const char *)v, id) == 0);
			xmlFree(v);
			if (match)
				return n;
		}
		xmlNodePtr in = find(n->children, name, id);
		if (in)
			return in;
	}
	return NULL;
}

static xmlNodePtr nth_element(xmlNodePtr n, const char *name, size_t i)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
		    i-- == 0)
			return n;
	return NULL;
}

static size_t count_elements(xmlNodePtr n, const char *name)
{
	size_t k = 0;
	for (n = n ? n->children : NULL; n; n = n->next)
		k += n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
	return k;
}

/* The section of this id: its rows are spread over several tables. */
static xmlNodePtr section_rows(const parsed *p, const char *id)
{
	return find(xmlDocGetRootElement(p->doc), "section", id);
}

/* Row *r of the tbody elements under n, in document order, counting *r
 * down. */
static xmlNodePtr body_row(xmlNodePtr n, size_t *r, bool in_body)
{
	for (n = n ? n->children : NULL; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (in_body && strcmp((const char *)n->name, "tr") == 0) {
			if ((*r)-- == 0)
				return n;
			continue;
		}
		xmlNodePtr in =
		    body_row(n, r, in_body || strcmp((const char *)n->name, "tbody") == 0);
		if (in)
			return in;
	}
	return NULL;
}

static xmlNodePtr nth_row(xmlNodePtr section, size_t r)
{
	return section ? body_row(section, &r, false) : NULL;
}

static size_t count_rows(xmlNodePtr section)
{
	size_t r = SIZE_MAX;
	if (section)
		body_row(section, &r, false);
	return SIZE_MAX - r;
}

/* Checks the text of each cell of row r of a section against want
 * (NULL-terminated). */
static void check_row(const char *what, xmlNodePtr section, size_t r, const char *const *want)
{
	xmlNodePtr tr = nth_row(section, r);
	if (!tr) {
		fprintf(stderr, "%s: no row %zu\n", what, r);
		tu_failures++;
		return;
	}
	size_t i = 0;
	for (; want[i]; i++) {
		xmlNodePtr td = nth_element(tr, "td", i);
		xmlChar *text = td ? xmlNodeGetContent(td) : NULL;
		if (!text || strcmp((const char *)text, want[i]) != 0) {
			fprintf(stderr, "%s: row %zu cell %zu: got \"%s\", want \"%s\"\n", what, r,
				i, text ? (const char *)text : "(none)", want[i]);
			tu_failures++;
		}
		xmlFree(text);
	}
	if (count_elements(tr, "td") != i) {
		fprintf(stderr, "%s: row %zu has %zu cells, want %zu\n", what, r,
			count_elements(tr, "td"), i);
		tu_failures++;
	}
}

/* The text of the element of this name and id. */
static void check_text(const parsed *p, const char *name, const char *id, const char *want)
{
	xmlNodePtr n = find(xmlDocGetRootElement(p->doc), name, id);
	xmlChar *text = n ? xmlNodeGetContent(n) : NULL;
	if (!text || strcmp((const char *)text, want) != 0) {
		fprintf(stderr, "<%s id=%s>: got \"%s\", want \"%s\"\n", name, id ? id : "",
			text ? (const char *)text : "(none)", want);
		tu_failures++;
	}
	xmlFree(text);
}

/* ---- Hand-made changes ---- */

static const uint16_t evil_key[] = {
    'H', 'K', 'U', '\\',   'a',	   '\\',   '<',	   's',	   'c',	   'r', 'i',   'p', 't',
    '>', 'x', '<', '/',	   's',	   'c',	   'r',	   'i',	   'p',	   't', '>',   '&', 'a',
    'm', 'p', ';', 0x0000, 0x001B, 0x007F, 0x0085, 0x202E, 0xD800, 'q', 0xDC00};
static const uint16_t evil_value[] = {'"', '\'', '<', 'i', 'm', 'g',	' ',	's',   'r', 'c',
				      '=', 'x',	 ' ', 'o', 'n', 'e',	'r',	'r',   'o', 'r',
				      '=', 'a',	 '(', ')', '>', 0x000A, 0xD83D, 0xDE00};
static uint8_t big_old[40000], big_new[40000];

static const regdiff_persistence run_tag = {"run", "T1547.001", "x"};
static const regdiff_persistence svc_tag = {"service", "T1543.003", "x"};

#define CHANGES 12 /* one not compared */

static size_t build(regdiff_change *v)
{
	size_t n = 0;
	memset(big_old, 0x5A, sizeof big_old);
	memset(big_new, 0x5A, sizeof big_new);
	big_new[20000] = 0x5B;
	v[n++] = (regdiff_change){.op = REGDIFF_KEY_DELETED,
				  .key = NM(u"HKLM\\SYSTEM\\ControlSet001\\Services\\Old"),
				  .old_time = INT64_C(132223104000000000),
				  .persistence = &svc_tag};
	v[n++] = (regdiff_change){.op = REGDIFF_KEY_ADDED,
				  .key = NMA(evil_key),
				  .new_time = INT64_C(132223104000000000) + 36000000000};
	v[n++] = (regdiff_change){.op = REGDIFF_VALUE_ADDED,
				  .key = NMA(evil_key),
				  .value = NMA(evil_value),
				  .new_data = Z(REGDIFF_REG_SZ, u"<script>alert(1)</script>\t]]>"),
				  .persistence = &run_tag};
	v[n++] = (regdiff_change){.op = REGDIFF_VALUE_ADDED,
				  .key = NM(u"HKLM\\K"),
				  .value = NM(u""),
				  .new_data = Z(REGDIFF_REG_MULTI_SZ, u"a&b\0</td><td>\0")};
	v[n++] = (regdiff_change){.op = REGDIFF_VALUE_ADDED,
				  .key = NM(u"HKLM\\K"),
				  .value = NM(u"Empty"),
				  .new_data = RAW(REGDIFF_REG_SZ, "\0\0")};
	v[n++] = (regdiff_change){.op = REGDIFF_VALUE_ADDED,
				  .key = NM(u"HKLM\\K"),
				  .value = NM(u"None"),
				  .new_data = RAW(REGDIFF_REG_BINARY, "")};
	v[n++] = (regdiff_change){.op = REGDIFF_VALUE_DELETED,
				  .key = NM(u"HKLM\\K"),
				  .value = NM(u"Odd"),
				  .old_data = RAW(0x12345678, "\x01\xab")};
	v[n++] = (regdiff_change){
	    .op = REGDIFF_VALUE_MODIFIED,
	    .key = NM(u"HKLM\\K"),
	    .value = NM(u"Big"),
	    .old_data = {.type = REGDIFF_REG_BINARY, .bytes = big_old, .len = sizeof big_old},
	    .new_data = {.type = REGDIFF_REG_BINARY, .bytes = big_new, .len = sizeof big_new}};
	v[n++] = (regdiff_change){.op = REGDIFF_VALUE_MODIFIED,
				  .key = NM(u"HKLM\\K"),
				  .value = NM(u"Num"),
				  .old_data = RAW(REGDIFF_REG_DWORD, "\x2A\0\0\0"),
				  .new_data = RAW(REGDIFF_REG_SZ, "4\0002\0\0\0"),
				  .persistence = &run_tag};
	v[n++] = (regdiff_change){.op = REGDIFF_VALUE_MODIFIED,
				  .key = NM(u"HKLM\\K"),
				  .value = NM(u"Str"),
				  .old_data = RAW(REGDIFF_REG_SZ, "a\0b\0"),
				  .new_data = RAW(REGDIFF_REG_SZ, "a\0b\0\0\0")};
	v[n++] = (regdiff_change){.op = REGDIFF_NOT_COMPARED,
				  .key = NM(u"HKLM\\K"),
				  .value = NM(u"Unread"),
				  .not_read = REGDIFF_NOT_READ_DATA | REGDIFF_NOT_READ_BEFORE |
					      REGDIFF_NOT_READ_AFTER};
	v[n++] = (regdiff_change){.op = REGDIFF_KEY_MODIFIED,
				  .key = NM(u"HKLM\\Touched"),
				  .old_time = INT64_C(132223104000000000),
				  .new_time = INT64_C(132223104000000000) + 864000000000};
	return n;
}

static const regdiff_snapshot_info before_info = {.version = REGDIFF_SNAPSHOT_INFO_VERSION,
						  .time = INT64_C(132223104000000000),
						  .producer = "regdiff 0.1.0 (linux)",
						  .computer = "WS<01>",
						  .user = "alice",
						  .keys = 10,
						  .values = 20};
static const regdiff_snapshot_info after_info = {.version = REGDIFF_SNAPSHOT_INFO_VERSION,
						 .time = INT64_C(132223104000000000) + 18000000000,
						 .producer = "regdiff 0.1.0 (linux)",
						 .computer = "WS\x1B[2J\xFF",
						 .user = "alice&bob",
						 .keys = 11,
						 .values = 25};

static int run(const regdiff_change *v, size_t n, unsigned flags, tu_sink *out,
	       regdiff_report_counts *counts)
{
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	o.format = REGDIFF_REPORT_HTML;
	o.flags = flags;
	o.comment = "<b>sample</b> \"run\" & see";
	tu_iter it = {.v = v, .n = n};
	return regdiff__report_run(tu_iter_next, &it, &before_info, &after_info, &o, tu_sink_write,
				   out, counts);
}

#define E_KEY "HKU\\a\\<script>x</script>&amp;NULESCDELU+0085U+202EU+D800qU+DC00"

static void test_hand_made(void)
{
	regdiff_change v[CHANGES];
	size_t n = build(v);
	tu_sink out = {0};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	CHECK(run(v, n, 0, &out, &counts) == 0);
	CHECK(counts.total == CHANGES - 1 && counts.persistence == 3);
	CHECK(counts.by_op[REGDIFF_NOT_COMPARED] == 1);
	CHECK(out.got.len > 15 && memcmp(out.got.data, "<!DOCTYPE html>\n<html", 21) == 0);
	CHECK(out.got.len > 0 && out.got.data[out.got.len - 1] == '\n');
	/* The bytes themselves: no raw control character but the line ends. */
	for (size_t i = 0; i < out.got.len; i++) {
		uint8_t c = out.got.data[i];
		if ((c < 0x20 && c != '\n') || c == 0x7F) {
			fprintf(stderr, "control byte 0x%02x at %zu\n", c, i);
			tu_failures++;
			break;
		}
	}

	parsed p = parse(&out.got);
	CHECK(p.errors == 0);
	if (!p.doc)
		return;
	int elements = 0;
	check_elements(xmlDocGetRootElement(p.doc), &elements);
	CHECK(elements > 100);
	CHECK(find(xmlDocGetRootElement(p.doc), "script", NULL) == NULL);
	CHECK(find(xmlDocGetRootElement(p.doc), "img", NULL) == NULL);
	check_text(&p, "title", NULL, "regdiff report");

	/* Summary: the snapshots side by side, then the counts. */
	xmlNodePtr summary = find(xmlDocGetRootElement(p.doc), "section", "summary");
	xmlNodePtr meta = summary ? find(summary->children, "table", NULL) : NULL;
	check_row("snapshots", meta, 0,
		  (const char *const[]){"2020-01-01 00:00:00", "2020-01-01 00:30:00", NULL});
	check_row("snapshots", meta, 1,
		  (const char *const[]){"WS<01>", "WS\xE2\x90\x9B[2J\xEF\xBF\xBD", NULL});
	check_row("snapshots", meta, 2, (const char *const[]){"alice", "alice&bob", NULL});
	check_row("snapshots", meta, 4, (const char *const[]){"10", "11", NULL});
	xmlNodePtr counts_table = summary ? nth_element(summary, "table", 1) : NULL;
	xmlNodePtr ctb = counts_table;
	const char *const want_counts[][2] = {
	    {"Persistence", "3"},     {"Not compared", "1"},   {"Keys deleted", "1"},
	    {"Keys added", "1"},      {"Values deleted", "1"}, {"Values added", "4"},
	    {"Values modified", "3"}, {"Keys modified", "1"},  {"Total changes", "11"},
	};
	CHECK(count_rows(ctb) == 9);
	for (size_t i = 0; i < 9; i++) {
		xmlNodePtr tr = nth_row(ctb, i);
		xmlChar *th = tr ? xmlNodeGetContent(nth_element(tr, "th", 0)) : NULL;
		CHECK(th && strcmp((const char *)th, want_counts[i][0]) == 0);
		xmlFree(th);
		check_row("counts", ctb, i, (const char *const[]){want_counts[i][1], NULL});
	}
	check_text(&p, "p", "comment", "Comment: <b>sample</b> \"run\" & see");

	/* The findings, in diff order. */
	xmlNodePtr f = section_rows(&p, "persistence");
	CHECK(count_rows(f) == 3);
	check_row("findings", f, 0,
		  (const char *const[]){"service", "T1543.003", "key deleted",
					"HKLM\\SYSTEM\\ControlSet001\\Services\\Old", "", "", "",
					"", NULL});
	check_row("findings", f, 1,
		  (const char *const[]){"run", "T1547.001", "value added", E_KEY,
					"\"'<img src=x onerror=a()>LF\xF0\x9F\x98\x80", "REG_SZ",
					"", "<script>alert(1)</script>TAB]]>", NULL});
	check_row("findings", f, 2,
		  (const char *const[]){"run", "T1547.001", "value modified", "HKLM\\K", "Num",
					"REG_DWORD \xE2\x86\x92 REG_SZ", "0x0000002A (42)", "42",
					NULL});

	/* The sections, each as its table. */
	xmlNodePtr kd = section_rows(&p, "keys-deleted");
	check_row("keys deleted", kd, 0,
		  (const char *const[]){"HKLM\\SYSTEM\\ControlSet001\\Services\\Old",
					"2020-01-01 00:00:00", "service T1543.003", NULL});
	check_row("keys added", section_rows(&p, "keys-added"), 0,
		  (const char *const[]){E_KEY, "2020-01-01 01:00:00", "", NULL});
	xmlNodePtr va = section_rows(&p, "values-added");
	CHECK(count_rows(va) == 4);
	check_row("values added", va, 0,
		  (const char *const[]){E_KEY, "\"'<img src=x onerror=a()>LF\xF0\x9F\x98\x80",
					"REG_SZ", "<script>alert(1)</script>TAB]]>",
					"run T1547.001", NULL});
	check_row("values added", va, 1,
		  (const char *const[]){"HKLM\\K", "(default)", "REG_MULTI_SZ", "a&b</td><td>", "",
					NULL});
	xmlNodePtr tr = nth_row(va, 1);
	xmlNodePtr list = tr ? nth_element(tr, "td", 3) : NULL;
	CHECK(count_elements(list, "div") == 2);
	check_row("values added", va, 2,
		  (const char *const[]){"HKLM\\K", "Empty", "REG_SZ", "(empty string)", "", NULL});
	check_row("values added", va, 3,
		  (const char *const[]){"HKLM\\K", "None", "REG_BINARY", "(no data)", "", NULL});
	check_row("values deleted", section_rows(&p, "values-deleted"), 0,
		  (const char *const[]){"HKLM\\K", "Odd", "type 305419896", "01 AB", "", NULL});
	xmlNodePtr vm = section_rows(&p, "values-modified");
	char big_old_text[600], big_new_text[600];
	strcpy(big_old_text, "\xE2\x80\xA6 ");
	strcpy(big_new_text, "\xE2\x80\xA6 ");
	for (size_t i = 0; i < 128; i++) {
		strcat(big_old_text, i ? " 5A" : "5A");
		strcat(big_new_text, i == 20000 - 19968 ? " 5B" : i ? " 5A" : "5A");
	}
	strcat(big_old_text, " \xE2\x80\xA6 (40000 bytes; bytes 19968 to 20095 shown)");
	strcat(big_new_text, " \xE2\x80\xA6 (40000 bytes; bytes 19968 to 20095 shown)");
	check_row("values modified", vm, 0,
		  (const char *const[]){"HKLM\\K", "Big", "REG_BINARY", big_old_text, big_new_text,
					"", NULL});
	check_row("values modified", vm, 1,
		  (const char *const[]){"HKLM\\K", "Num", "REG_DWORD \xE2\x86\x92 REG_SZ",
					"0x0000002A (42)", "42", "run T1547.001", NULL});
	/* The same text, other bytes: the bytes are shown. */
	check_row("values modified", vm, 2,
		  (const char *const[]){"HKLM\\K", "Str", "REG_SZ", "61 00 62 00",
					"61 00 62 00 00 00", "", NULL});
	check_row("keys modified", section_rows(&p, "keys-modified"), 0,
		  (const char *const[]){"HKLM\\Touched", "2020-01-01 00:00:00",
					"2020-01-02 00:00:00", "", NULL});
	check_row("not compared", section_rows(&p, "not-compared"), 0,
		  (const char *const[]){"HKLM\\K", "Unread", "data", "before, after", NULL});
	xmlFreeDoc(p.doc);

	/* The whole of long data when asked. */
	tu_sink whole = {0};
	CHECK(run(v, n, REGDIFF_REPORT_FULL_DATA, &whole, NULL) == 0);
	p = parse(&whole.got);
	CHECK(p.errors == 0);
	vm = p.doc ? section_rows(&p, "values-modified") : NULL;
	xmlNodePtr big = vm ? nth_element(nth_row(vm, 0), "td", 4) : NULL;
	xmlChar *text = big ? xmlNodeGetContent(big) : NULL;
	CHECK(text && strlen((const char *)text) == 40000 * 3 - 1);
	CHECK(text && memcmp(text + 20000 * 3 - 1, " 5B 5A", 6) == 0);
	xmlFree(text);
	xmlFreeDoc(p.doc);

	regdiff__buf_free(&out.got);
	regdiff__buf_free(&whole.got);
}

static void test_empty(void)
{
	tu_sink out = {0};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	CHECK(run(NULL, 0, 0, &out, &counts) == 0);
	CHECK(counts.total == 0);
	parsed p = parse(&out.got);
	CHECK(p.errors == 0);
	if (p.doc) {
		check_text(&p, "section", "persistence",
			   "Persistence: 0No change is at a known persistence location.");
		CHECK(find(xmlDocGetRootElement(p.doc), "details", NULL) == NULL);
		check_text(&p, "footer", NULL, "Total changes: 0");
		xmlFreeDoc(p.doc);
	}
	regdiff__buf_free(&out.got);
}

static void test_failures(void)
{
	regdiff_change v[CHANGES];
	size_t n = build(v);
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	o.format = REGDIFF_REPORT_HTML;
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;

	/* The changes fail: nothing is written. */
	tu_iter it = {.v = v, .n = n, .fail_at = n, .fail_rc = REGDIFF_EFORMAT};
	tu_sink out = {0};
	CHECK(regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_sink_write, &out,
				  &counts) == REGDIFF_EFORMAT);
	CHECK(out.calls == 0 && counts.total == 0);

	/* The output fails. */
	tu_sink bad = {.fail = -1};
	it = (tu_iter){.v = v, .n = n};
	CHECK(regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_sink_write, &bad,
				  &counts) == REGDIFF_EIO);
	CHECK(bad.calls == 1 && counts.total == 0);

	/* Options of TXT only. */
	o.flags = REGDIFF_REPORT_UTF16LE;
	it = (tu_iter){.v = v, .n = n};
	CHECK(regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_sink_write, &out, NULL) ==
	      REGDIFF_EINVAL);
	CHECK(out.calls == 0);
	CHECK(regdiff_features() & REGDIFF_FEATURE_HTML);
}

/* 100,000 changes: written in pieces (the rows spooled, not held), in a
 * size that grows in proportion. */
typedef struct gen {
	size_t n, i;
	uint16_t key[64];
	regdiff_change c;
} gen;

static int gen_next(void *ctx, const regdiff_change **out)
{
	gen *g = ctx;
	if (g->i == g->n)
		return REGDIFF_ITEROVER;
	char name[64];
	int len = snprintf(name, sizeof name, "HKLM\\SOFTWARE\\Many\\Key%08zu", g->i);
	for (int k = 0; k < len; k++)
		g->key[k] = (uint16_t)name[k];
	g->c = (regdiff_change){.op = REGDIFF_VALUE_ADDED,
				.key = {g->key, (size_t)len},
				.value = NM(u"Value"),
				.new_data = RAW(REGDIFF_REG_DWORD, "\x01\x02\x03\x04"),
				.persistence = g->i % 1000 == 0 ? &run_tag : NULL};
	g->i++;
	*out = &g->c;
	return 0;
}

static size_t many(size_t n, tu_sink *out)
{
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	o.format = REGDIFF_REPORT_HTML;
	gen g = {.n = n};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	CHECK(regdiff__report_run(gen_next, &g, NULL, NULL, &o, tu_sink_write, out, &counts) == 0);
	CHECK(counts.total == n && counts.persistence == (n + 999) / 1000);
	return out->got.len;
}

static void test_many(void)
{
	tu_sink small = {.keep_nothing = true}, large = {.keep_nothing = true};
	size_t a = many(10000, &small), b = many(100000, &large);
	/* Linear: the fixed part is small beside 90,000 rows. */
	double per_row = (double)(b - a) / 90000;
	CHECK(per_row > 150 && per_row < 400);
	CHECK(b < 100000 * 400 + 20000);
	CHECK(large.calls > 100 && large.largest <= (size_t)128 << 10);

	/* The page reads back whole at 10,000 rows. */
	tu_sink kept = {0};
	many(10000, &kept);
	parsed p = parse(&kept.got);
	CHECK(p.errors == 0);
	if (p.doc) {
		xmlNodePtr va = section_rows(&p, "values-added");
		CHECK(count_rows(va) == 10000);
		CHECK(count_rows(section_rows(&p, "persistence")) == 10);
		/* In tables of 256 rows, the first with the column headings. */
		xmlNodePtr details = va ? find(va->children, "details", NULL) : NULL;
		CHECK(count_elements(details, "div") == (10000 + 255) / 256);
		xmlNodePtr last = nth_element(details, "div", 10000 / 256);
		CHECK(last &&
		      count_elements(find(last->children, "tbody", NULL), "tr") == 10000 % 256);
		CHECK(last && find(last->children, "thead", NULL) == NULL);
		CHECK(find(details, "thead", NULL) != NULL);
		xmlFreeDoc(p.doc);
	}
	regdiff__buf_free(&kept.got);
}

/* ---- The hostile fixture ---- */

static void test_hostile_hive(void)
{
	if (!REGDIFF_TEST_FIXTURE_DIR[0]) {
		fprintf(stderr, "no fixture hives in this build: hostile hive test skipped\n");
		return;
	}
	regdiff_source *src[2] = {NULL, NULL};
	regdiff_snapshot *snap[2] = {NULL, NULL};
	regdiff_diff *diff = NULL;
	const char *files[2] = {"empty", "hostile"};
	int rc = 0;
	for (int i = 0; i < 2 && rc == 0; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s.hiv", REGDIFF_TEST_FIXTURE_DIR, files[i]);
		rc = regdiff_source_open_hive(&src[i], path, "HKU\\mallory");
		if (rc == 0)
			rc = regdiff_shot_take(&snap[i], &src[i], 1, NULL);
	}
	if (rc == 0)
		rc = regdiff_diff_new(&diff, snap[0], snap[1], NULL);
	tu_sink out = {0};
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	o.format = REGDIFF_REPORT_HTML;
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	if (rc == 0)
		rc = regdiff_report_write(&counts, diff, &o, tu_sink_write, &out);
	CHECK(rc == 0);
	if (rc)
		fprintf(stderr, "hostile: %s\n", regdiff_error_message());
	CHECK(counts.by_op[REGDIFF_KEY_ADDED] == 54 && counts.by_op[REGDIFF_VALUE_ADDED] == 12);

	parsed p = parse(&out.got);
	CHECK(p.errors == 0);
	if (p.doc) {
		int elements = 0;
		check_elements(xmlDocGetRootElement(p.doc), &elements);
		CHECK(find(xmlDocGetRootElement(p.doc), "script", NULL) == NULL);
		xmlNodePtr ka = section_rows(&p, "keys-added");
		CHECK(count_rows(ka) == 54);
		/* Windows' order of the keys under the root (fixtures/README.md). */
		static const char *const keys[] = {
		    "HKU\\mallory\\ ",
		    "HKU\\mallory\\\"Quoted\" 'single'",
		    "HKU\\mallory\\%s%n%x%p",
		    "HKU\\mallory\\..",
		    "HKU\\mallory\\<script>alert(1)</script>",
		    "HKU\\mallory\\ControlsSOHUSDELU+0085U+009B",
		};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			check_row("hostile keys", ka, i,
				  (const char *const[]){keys[i], "2020-01-01 00:00:00", "", NULL});
		xmlNodePtr va = section_rows(&p, "values-added");
		CHECK(count_rows(va) == 12);
		check_row("hostile values", va, 3,
			  (const char *const[]){"HKU\\mallory\\<script>alert(1)</script>",
						"<img src=x onerror=alert(1)>", "REG_SZ",
						"<script>alert(1)</script>", "", NULL});
		check_row("hostile values", va, 4,
			  (const char *const[]){"HKU\\mallory\\<script>alert(1)</script>",
						"Tom & Jerry", "REG_SZ",
						"&amp; &lt;b&gt; ]]> <!-- -->", "", NULL});
		xmlFreeDoc(p.doc);
	}
	regdiff__buf_free(&out.got);
	regdiff_diff_free(diff);
	for (int i = 0; i < 2; i++) {
		regdiff_snapshot_free(snap[i]);
		regdiff_source_free(src[i]);
	}
}

static int write_report(const char *path)
{
	regdiff_change v[CHANGES];
	size_t n = build(v);
	tu_sink out = {0};
	int rc = run(v, n, 0, &out, NULL);
	bool ok = rc == 0 && tu_write_file(path, out.got.data, out.got.len);
	regdiff__buf_free(&out.got);
	tu_arena_free();
	if (!ok)
		fprintf(stderr, "cannot write %s\n", path);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return write_report(argv[2]);
	test_hand_made();
	test_empty();
	test_failures();
	test_many();
	test_hostile_hive();
	xmlCleanupParser();
	tu_arena_free();
	return tu_result("test_html");
}
