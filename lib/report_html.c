/* HTML reports (docs/report-formats.md): one self-contained HTML5 page,
 * written with libxml2's xmlTextWriter so that every name and datum is
 * escaped by construction; no script, no external resource.
 *
 * Memory stays bounded like TXT's: each change's table row is written
 * into the spool of its section (and, if it is at a persistence location,
 * into the findings' spool too) while the diff runs, and the page is
 * written at the end, the spools replayed into their tables. The one
 * writer serves both: its output goes to whichever target is current. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "html_dl.h"
#include "name_internal.h"
#include "render.h"
#include "report_install.h"
#include "spool.h"

/* Binary data longer than this is shortened unless the whole is asked
 * for (REGDIFF_REPORT_FULL_DATA). */
#define HEX_SHOWN 128

/* Rows per table. A browser lays out one huge table as a whole (a minute
 * for 100,000 rows in headless Chromium); tables of this many rows, each
 * in a box with content-visibility: auto, are laid out only when in view
 * (seconds). */
#define CHUNK_ROWS 256

typedef struct html {
	const regdiff__report_job *job;
	xmlTextWriterPtr w;
	regdiff__spool *target; /* where the writer's output goes; NULL: out */
	regdiff__sink out;
	int io_rc; /* the first failure of a target */
	regdiff__spool *spool[REGDIFF_OP_COUNT];
	regdiff__spool *findings;
	regdiff__spool *filtered;	 /* removed changes, for --show-filtered */
	uint64_t rows[REGDIFF_OP_COUNT]; /* in each spool */
	uint64_t finding_rows, filtered_rows;
	regdiff__buf text; /* UTF-8 waiting to be written */
	regdiff__buf txt_old, txt_new;
	bool full_data;
	bool closed; /* the report is over: output goes nowhere */
} html;

/* The sections in Regshot's order (and ours after), with their anchors,
 * column headings and column widths in percent. */
static const struct section {
	regdiff_op op;
	const char *label;
	const char *id;
	const char *const *cols;
	const int *widths;
} sections[] = {
    {REGDIFF_NOT_COMPARED, "Not compared", "not-compared",
     (const char *const[]){"Key", "Value", "Not read", "Side", NULL},
     (const int[]){60, 20, 10, 10}},
    {REGDIFF_KEY_DELETED, "Keys deleted", "keys-deleted",
     (const char *const[]){"Key", "Last written (UTC)", "Persistence", NULL},
     (const int[]){70, 16, 14}},
    {REGDIFF_KEY_ADDED, "Keys added", "keys-added",
     (const char *const[]){"Key", "Last written (UTC)", "Persistence", NULL},
     (const int[]){70, 16, 14}},
    {REGDIFF_VALUE_DELETED, "Values deleted", "values-deleted",
     (const char *const[]){"Key", "Value", "Type", "Data", "Persistence", NULL},
     (const int[]){37, 15, 10, 28, 10}},
    {REGDIFF_VALUE_ADDED, "Values added", "values-added",
     (const char *const[]){"Key", "Value", "Type", "Data", "Persistence", NULL},
     (const int[]){37, 15, 10, 28, 10}},
    {REGDIFF_VALUE_MODIFIED, "Values modified", "values-modified",
     (const char *const[]){"Key", "Value", "Type", "Old data", "New data", "Persistence", NULL},
     (const int[]){30, 13, 10, 19, 18, 10}},
    {REGDIFF_KEY_MODIFIED, "Keys modified", "keys-modified",
     (const char *const[]){"Key", "Old time (UTC)", "New time (UTC)", "Persistence", NULL},
     (const int[]){56, 15, 15, 14}},
};

static const char *const finding_cols[] = {"Category", "ATT&CK",   "Change",   "Key", "Value",
					   "Type",     "Old data", "New data", NULL};
static const int finding_widths[] = {9, 9, 9, 25, 11, 8, 14, 15};
static const struct section findings = {0, "Persistence", "persistence", finding_cols,
					finding_widths};

static const char *const filtered_cols[] = {"Filter", "Change",	  "Key",      "Value",
					    "Type",   "Old data", "New data", NULL};
static const int filtered_widths[] = {14, 9, 28, 11, 8, 15, 15};
static const struct section filtered = {0, "Filtered", "filtered", filtered_cols, filtered_widths};

static const char *const op_words[REGDIFF_OP_COUNT] = {
    [REGDIFF_KEY_DELETED] = "key deleted",	 [REGDIFF_KEY_ADDED] = "key added",
    [REGDIFF_VALUE_DELETED] = "value deleted",	 [REGDIFF_VALUE_ADDED] = "value added",
    [REGDIFF_VALUE_MODIFIED] = "value modified", [REGDIFF_KEY_MODIFIED] = "key modified",
    [REGDIFF_NOT_COMPARED] = "not compared",
};

/* No markup from the registry ever reaches this style sheet: it is a
 * constant. Tables have a fixed layout so that a browser lays out 100,000
 * rows without measuring them all. */
static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em 2em;"
    "color:#1d1d1f;background:#fff}\n"
    "h1{font-size:1.6em;margin:0 0 .2em}\n"
    "h2{font-size:1.2em;display:inline;margin:0}\n"
    "header p{margin:.2em 0;color:#555}\n"
    "section{margin:1.6em 0}\n"
    "summary{cursor:pointer;padding:.3em 0}\n"
    "table{border-collapse:collapse;margin:.5em 0}\n"
    "table.rows{width:100%;table-layout:fixed}\n"
    "th,td{border:1px solid #d0d0d7;padding:3px 7px;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}\n"
    "thead th{background:#eef0f4}\n"
    ".chunk{content-visibility:auto;contain-intrinsic-size:auto 6000px}\n"
    ".chunk table.rows{margin:0}.chunk+.chunk tr:first-child td{border-top:0}\n"
    "tbody tr:nth-child(even){background:#f8f8fb}\n"
    /* Names and data keep every space they have. */
    "td.k,td.v,td.d{font-family:ui-monospace,'Cascadia Mono',Menlo,Consolas,monospace;"
    "font-size:13px;white-space:pre-wrap}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "table.meta th{background:#eef0f4;font-weight:600}\n"
    "table.meta td{min-width:14em}\n"
    "table.counts td{min-width:5em}\n"
    "tr.total th,tr.total td{font-weight:700;border-top:2px solid #888}\n"
    "tr.p td{background:#fdecee}\n"
    "td.tag{color:#a0001c;font-weight:600;overflow-wrap:normal}\n"
    "section.findings{border:2px solid #c4001d;border-radius:6px;padding:.6em 1em;"
    "background:#fff7f8}\n"
    "section.findings h2{color:#a0001c}\n"
    "section.findings.none{border-color:#2e7d32;background:#f4fbf4}\n"
    "section.findings.none h2{color:#2e7d32}\n"
    "tr.flagged th,tr.flagged td{background:#fdecee;color:#a0001c;font-weight:700}\n"
    ".m{color:#777;font-style:italic;font-family:system-ui,sans-serif}\n"
    ".c{color:#b00;background:#fff0c0;border:1px solid #e0b000;border-radius:3px;"
    "padding:0 2px;margin:0 1px;font-size:.85em}\n"
    "p.incomplete{color:#7a4a00;background:#fff4ce;border:1px solid #c98a00;"
    "border-radius:4px;padding:.4em .8em;font-weight:600}\n"
    "footer{margin-top:2em;color:#555}\n";

/* ---- Output ---- */

/* The writer's output callback. */
static int target_write(void *ctx, const char *buf, int len)
{
	html *h = ctx;
	if (h->closed)
		return len;
	int rc = h->target ? regdiff__spool_write(h->target, buf, (size_t)len)
			   : regdiff__buf_append(&h->out.buf, buf, (size_t)len);
	if (rc == 0 && !h->target)
		rc = regdiff__sink_flush_if_full(&h->out);
	if (rc < 0) {
		if (!h->io_rc)
			h->io_rc = rc;
		return -1;
	}
	return len;
}

/* A libxml2 writer call's result as ours. */
static int x(html *h, int r)
{
	if (r >= 0)
		return 0;
	if (h->io_rc)
		return h->io_rc;
	return regdiff__error(REGDIFF_ENOMEM, "writing the HTML report failed (libxml2)");
}

static int start(html *h, const char *name, const char *cls)
{
	int rc = x(h, xmlTextWriterStartElement(h->w, BAD_CAST name));
	if (rc == 0 && cls)
		rc = x(h, xmlTextWriterWriteAttribute(h->w, BAD_CAST "class", BAD_CAST cls));
	return rc;
}

static int attr(html *h, const char *name, const char *value)
{
	return x(h, xmlTextWriterWriteAttribute(h->w, BAD_CAST name, BAD_CAST value));
}

/* Ends an element with an end tag: "<td/>" is no end in HTML. */
static int end(html *h)
{
	return x(h, xmlTextWriterFullEndElement(h->w));
}

/* Writes what h->text holds as escaped text. */
static int flush_text(html *h)
{
	if (h->text.len == 0)
		return 0;
	int rc = regdiff__buf_putc(&h->text, 0);
	if (rc == 0)
		rc = x(h, xmlTextWriterWriteString(h->w, h->text.data));
	h->text.len = 0;
	return rc;
}

/* ASCII or checked UTF-8 text. */
static int text(html *h, const char *s)
{
	int rc = regdiff__buf_append(&h->text, s, strlen(s));
	return rc ? rc : flush_text(h);
}

static int elem(html *h, const char *name, const char *cls, const char *s)
{
	int rc = start(h, name, cls);
	if (rc == 0)
		rc = text(h, s);
	return rc ? rc : end(h);
}

/* A note in a cell, not data: "(default)", "(no data)". */
static int meta(html *h, const char *s)
{
	return elem(h, "span", "m", s);
}

/* Text from outside the registry (a comment, a computer name), made valid
 * and safe as TXT shows it. */
static int outside_text(html *h, const char *s)
{
	int rc = regdiff__render_safe_utf8(&h->text, s ? s : "", s ? strlen(s) : 0);
	return rc ? rc : flush_text(h);
}

/* A cell of such text. */
static int outside_cell(html *h, const char *s)
{
	int rc = start(h, "td", NULL);
	if (rc == 0)
		rc = outside_text(h, s);
	return rc ? rc : end(h);
}

/* ---- Registry text ---- */

static void put_utf8(regdiff__buf *b, uint32_t cp)
{
	uint8_t *p = b->data + b->len;
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
	b->len = (size_t)(p - b->data);
}

/* Characters that would hide, reorder or break what is around them: C1
 * controls and the list TXT shares (regdiff__hidden_char). A name that
 * reads "txt.exe" backwards must not look like one that reads "exe.txt". */
static bool shown_as_code(uint32_t cp)
{
	return (cp >= 0x80 && cp < 0xA0) || regdiff__hidden_char(cp);
}

/* A code unit shown as a marked label: controls by their names (NUL,
 * ESC, LF; their Unicode control pictures are missing from many fonts),
 * the rest as U+XXXX; the title gives the code either way. */
static int special(html *h, uint32_t cp)
{
	static const char names[33][4] = {
	    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "TAB", "LF",
	    "VT",  "FF",  "CR",	 "SO",	"SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
	    "SYN", "ETB", "CAN", "EM",	"SUB", "ESC", "FS",  "GS",  "RS",  "US",  "DEL"};
	char title[16];
	snprintf(title, sizeof title, "U+%04" PRIX32, cp);
	int rc = flush_text(h);
	if (rc == 0)
		rc = start(h, "span", "c");
	if (rc == 0)
		rc = attr(h, "title", title);
	if (rc == 0)
		rc = text(h, cp < 0x20 ? names[cp] : cp == 0x7F ? names[32] : title);
	return rc ? rc : end(h);
}

static inline uint16_t unit_at(const void *src, size_t i, bool le_bytes)
{
	if (le_bytes)
		return regdiff__get_u16((const uint8_t *)src + 2 * i);
	return ((const uint16_t *)src)[i];
}

/* n UTF-16 units of a name (host order) or of data (UTF-16LE bytes).
 * path: the change whose key path this is, which may wrap after each
 * separator; a '\' inside one of its names is shown as a marked code, so
 * that it cannot read as a separator. */
static int reg_text(html *h, const void *src, size_t n, bool le_bytes, const regdiff_change *path)
{
	int rc = 0;
	size_t pos = 0, inner = SIZE_MAX;
	if (path && !regdiff__key_inner_backslash(path, &pos, &inner))
		inner = SIZE_MAX;
	for (size_t i = 0; i < n && rc == 0; i++) {
		uint32_t cp = unit_at(src, i, le_bytes);
		if (i == inner) {
			rc = special(h, cp);
			if (!regdiff__key_inner_backslash(path, &pos, &inner))
				inner = SIZE_MAX;
			continue;
		}
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			uint32_t low = i + 1 < n ? unit_at(src, i + 1, le_bytes) : 0;
			if (cp > 0xDBFF || low < 0xDC00 || low > 0xDFFF) {
				rc = special(h, cp);
				continue;
			}
			cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
			i++;
		}
		if (cp < 0x20 || cp == 0x7F || shown_as_code(cp)) {
			rc = special(h, cp);
			continue;
		}
		rc = regdiff__buf_reserve(&h->text, 4);
		if (rc == 0)
			put_utf8(&h->text, cp);
		if (rc == 0 && path && cp == '\\' && i + 1 < n) {
			rc = flush_text(h);
			if (rc == 0)
				rc = start(h, "wbr", NULL);
			if (rc == 0)
				rc = x(h, xmlTextWriterEndElement(h->w));
		}
		/* Flat memory for a value of any size. */
		if (rc == 0 && h->text.len >= 60000)
			rc = flush_text(h);
	}
	return rc ? rc : flush_text(h);
}

/* empty: what the cell says for a name of no units. */
static int name_cell(html *h, const char *cls, regdiff_name name, const char *empty)
{
	int rc = start(h, "td", cls);
	if (rc == 0)
		rc =
		    name.len == 0 ? meta(h, empty) : reg_text(h, name.units, name.len, false, NULL);
	return rc ? rc : end(h);
}

static int key_cell(html *h, const regdiff_change *c)
{
	int rc = start(h, "td", "k");
	if (rc == 0)
		rc = reg_text(h, c->key.units, c->key.len, false, c);
	return rc ? rc : end(h);
}

/* ---- Data ---- */

static size_t first_difference(const regdiff_data *a, const regdiff_data *b)
{
	size_t n = a->len < b->len ? a->len : b->len, i = 0;
	while (i < n && a->bytes[i] == b->bytes[i])
		i++;
	return i;
}

/* Bytes as " XX" hex. Long data is shortened to HEX_SHOWN bytes, around
 * the first byte that differs from other when there is one. */
static int hex_data(html *h, const regdiff_data *d, const regdiff_data *other)
{
	size_t from = 0, to = d->len;
	if (!h->full_data && d->len > HEX_SHOWN) {
		if (other) {
			size_t diff = first_difference(d, other);
			from = diff > 32 ? (diff - 32) / 16 * 16 : 0;
		}
		if (from > d->len - HEX_SHOWN)
			from = d->len - HEX_SHOWN;
		to = from + HEX_SHOWN;
	}
	int rc = 0;
	if (from > 0)
		rc = meta(h, "\xE2\x80\xA6 ");
	if (rc == 0)
		rc = regdiff__render_hex(&h->text, d->bytes + from, to - from,
					 REGDIFF__HEX_UPPER | REGDIFF__HEX_SPACED);
	/* " AB CD" without its first space. */
	if (rc == 0 && h->text.len) {
		memmove(h->text.data, h->text.data + 1, h->text.len - 1);
		h->text.len--;
	}
	if (rc == 0)
		rc = flush_text(h);
	if (rc == 0 && (from > 0 || to < d->len)) {
		char note[96];
		snprintf(note, sizeof note, " \xE2\x80\xA6 (%zu bytes; bytes %zu to %zu shown)",
			 d->len, from, to - 1);
		rc = meta(h, note);
	}
	return rc;
}

/* as_hex: show the bytes even where they make text (the two sides of a
 * modified value would read the same). */
static int data_content(html *h, const regdiff_data *d, const regdiff_data *other, bool as_hex)
{
	size_t n;
	uint64_t value;
	int digits;
	if (d->not_read) {
		char what[64];
		snprintf(what, sizeof what, "(data not read: %" PRIu64 " bytes)", d->stated_len);
		return meta(h, what);
	}
	if (d->len == 0)
		return meta(h, "(no data)");
	if (as_hex)
		return hex_data(h, d, other);
	if (regdiff__data_sz(d, &n))
		return n ? reg_text(h, d->bytes, n, true, NULL) : meta(h, "(empty string)");
	if (regdiff__data_link(d))
		return reg_text(h, d->bytes, d->len / 2, true, NULL);
	if (regdiff__data_multi_sz(d, &n)) {
		if (n == 0)
			return meta(h, "(empty list)");
		size_t pos = 0, first, units;
		int rc = 0;
		while (rc == 0 && regdiff__multi_sz_next(d, &pos, &first, &units)) {
			rc = start(h, "div", NULL);
			if (rc == 0)
				rc = reg_text(h, d->bytes + first, units, true, NULL);
			if (rc == 0)
				rc = end(h);
		}
		return rc;
	}
	if (regdiff__data_number(d, &value, &digits)) {
		char num[64];
		snprintf(num, sizeof num, "0x%0*" PRIX64 " (%" PRIu64 ")", digits, value, value);
		return text(h, num);
	}
	return hex_data(h, d, other);
}

static int data_cell(html *h, const regdiff_data *d, const regdiff_data *other, bool as_hex)
{
	int rc = start(h, "td", "d");
	if (rc == 0)
		rc = data_content(h, d, other, as_hex);
	return rc ? rc : end(h);
}

static int type_text(html *h, uint32_t type)
{
	const char *name = regdiff_type_name(type);
	if (name)
		return text(h, name);
	char num[32];
	snprintf(num, sizeof num, "type %" PRIu32, type);
	return text(h, num);
}

static int type_cell(html *h, const regdiff_data *a, const regdiff_data *b)
{
	int rc = start(h, "td", "y");
	if (rc == 0)
		rc = type_text(h, a->type);
	if (rc == 0 && b && b->type != a->type) {
		rc = text(h, " \xE2\x86\x92 ");
		if (rc == 0)
			rc = type_text(h, b->type);
	}
	return rc ? rc : end(h);
}

/* Whether a modified value's two sides would read the same as data: then
 * both are shown as bytes. TXT's rendering tells, as it shows everything
 * the HTML one does. */
static int reads_same(html *h, const regdiff_data *a, const regdiff_data *b, bool *same)
{
	*same = false;
	if (a->len == b->len && (a->len == 0 || memcmp(a->bytes, b->bytes, a->len) == 0))
		return 0;
	return regdiff__txt_data_same(a, b, &h->txt_old, &h->txt_new, same);
}

static int time_cell(html *h, int64_t filetime)
{
	char when[20];
	return elem(h, "td", "t", regdiff_time_format(when, filetime));
}

/* " (matched filter RULE)" after the persistence tag of a change that an
 * exclude rule matched: a filter would have removed it, so the rule is
 * too broad. Nothing for any other change. */
static int filter_mark(html *h)
{
	const regdiff_filter_info *rule;
	if (regdiff__report_filter_state(h->job, &rule) != REGDIFF_FILTER_KEEP_MARKED || !rule)
		return 0;
	int rc = text(h, " (matched filter ");
	if (rc == 0)
		rc = outside_text(h, rule->rule);
	return rc ? rc : text(h, ")");
}

static int tag_cell(html *h, const regdiff_persistence *p)
{
	int rc = start(h, "td", p ? "tag" : NULL);
	if (rc == 0 && p) {
		rc = outside_text(h, p->category);
		if (rc == 0)
			rc = text(h, " ");
		if (rc == 0)
			rc = outside_text(h, p->attack);
		if (rc == 0)
			rc = filter_mark(h);
	}
	return rc ? rc : end(h);
}

static int empty_cell(html *h)
{
	int rc = start(h, "td", NULL);
	return rc ? rc : end(h);
}

/* ---- Rows ---- */

static int words_item(regdiff__buf *b, const char *word, int first)
{
	int rc = first ? 0 : regdiff__buf_append(b, ", ", 2);
	return rc ? rc : regdiff__buf_append(b, word, strlen(word));
}

static int not_read_cell(html *h, unsigned not_read, int sides)
{
	int rc = start(h, "td", NULL);
	if (rc == 0)
		rc = regdiff__render_not_read(&h->text, not_read, sides, words_item);
	if (rc == 0)
		rc = flush_text(h);
	return rc ? rc : end(h);
}

/* The value cells of a value change: value, type, then data (one cell, or
 * old and new). */
static int value_cells(html *h, const regdiff_change *c, bool both_data)
{
	const regdiff_data *od = &c->old_data, *nd = &c->new_data;
	bool same = false;
	int rc = name_cell(h, "v", c->value, "(default)");
	if (c->op == REGDIFF_VALUE_MODIFIED) {
		if (rc == 0)
			rc = reads_same(h, od, nd, &same);
		if (rc == 0)
			rc = type_cell(h, od, nd);
		if (rc == 0)
			rc = data_cell(h, od, nd, same);
		return rc ? rc : data_cell(h, nd, od, same);
	}
	const regdiff_data *d = c->op == REGDIFF_VALUE_DELETED ? od : nd;
	if (rc == 0)
		rc = type_cell(h, d, NULL);
	if (both_data && c->op == REGDIFF_VALUE_ADDED && rc == 0)
		rc = empty_cell(h);
	if (rc == 0)
		rc = data_cell(h, d, NULL, false);
	if (both_data && c->op == REGDIFF_VALUE_DELETED && rc == 0)
		rc = empty_cell(h);
	return rc;
}

static int section_row(html *h, const regdiff_change *c)
{
	int rc = start(h, "tr", c->persistence ? "p" : NULL);
	if (rc == 0)
		rc = key_cell(h, c);
	if (rc < 0)
		return rc;
	switch (c->op) {
	case REGDIFF_KEY_DELETED:
		rc = time_cell(h, c->old_time);
		break;
	case REGDIFF_KEY_ADDED:
		rc = time_cell(h, c->new_time);
		break;
	case REGDIFF_KEY_MODIFIED:
		rc = time_cell(h, c->old_time);
		if (rc == 0)
			rc = time_cell(h, c->new_time);
		break;
	case REGDIFF_VALUE_DELETED:
	case REGDIFF_VALUE_ADDED:
	case REGDIFF_VALUE_MODIFIED:
		rc = value_cells(h, c, false);
		break;
	case REGDIFF_NOT_COMPARED:
		if (c->not_read & REGDIFF_NOT_READ_DATA)
			rc = name_cell(h, "v", c->value, "(default)");
		else
			rc = empty_cell(h);
		if (rc == 0)
			rc = not_read_cell(h, c->not_read, 0);
		if (rc == 0)
			rc = not_read_cell(h, c->not_read, 1);
		return rc ? rc : end(h);
	}
	if (rc == 0)
		rc = tag_cell(h, c->persistence);
	return rc ? rc : end(h);
}

/* The key, value, type and data cells of a finding's row: four empty
 * cells after the key for a key's change. */
static int change_cells(html *h, const regdiff_change *c)
{
	int rc = key_cell(h, c);
	if (rc < 0)
		return rc;
	switch (c->op) {
	case REGDIFF_VALUE_DELETED:
	case REGDIFF_VALUE_ADDED:
	case REGDIFF_VALUE_MODIFIED:
		return value_cells(h, c, true);
	default:
		for (int i = 0; i < 4 && rc == 0; i++)
			rc = empty_cell(h);
		return rc;
	}
}

static int finding_row(html *h, const regdiff_change *c)
{
	int rc = start(h, "tr", NULL);
	if (rc == 0)
		rc = start(h, "td", "tag");
	if (rc == 0)
		rc = outside_text(h, c->persistence->category);
	if (rc == 0)
		rc = end(h);
	if (rc == 0)
		rc = start(h, "td", "tag");
	if (rc == 0)
		rc = outside_text(h, c->persistence->attack);
	if (rc == 0)
		rc = filter_mark(h);
	if (rc == 0)
		rc = end(h);
	if (rc == 0)
		rc = elem(h, "td", NULL, op_words[c->op]);
	if (rc == 0)
		rc = change_cells(h, c);
	return rc ? rc : end(h);
}

/* A change a filter removed: the rule, then as a finding's row. */
static int filtered_row(html *h, const regdiff_change *c)
{
	const regdiff_filter_info *rule;
	regdiff__report_filter_state(h->job, &rule);
	int rc = start(h, "tr", NULL);
	if (rc == 0)
		rc = start(h, "td", "tag");
	if (rc == 0)
		rc = outside_text(h, rule ? rule->rule : "");
	if (rc == 0)
		rc = end(h);
	if (rc == 0)
		rc = elem(h, "td", NULL, op_words[c->op]);
	if (rc == 0)
		rc = change_cells(h, c);
	return rc ? rc : end(h);
}

/* "<colgroup>...</colgroup>": the same widths in every table of a
 * section, so that their columns line up. Constant markup, written raw. */
static int colgroup(html *h, const struct section *s)
{
	int rc = x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST "<colgroup>"));
	for (size_t i = 0; rc == 0 && s->cols[i]; i++) {
		char col[40];
		snprintf(col, sizeof col, "<col style=\"width:%d%%\">", s->widths[i]);
		rc = x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST col));
	}
	return rc ? rc : x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST "</colgroup>"));
}

/* Writes a row into spool (made on first use) through the writer; every
 * CHUNK_ROWS rows, it ends the table and starts the next. */
static int row_to(html *h, regdiff__spool **spool, uint64_t *rows, const struct section *s,
		  int (*row)(html *, const regdiff_change *), const regdiff_change *c)
{
	if (!*spool) {
		int rc = regdiff__spool_new(spool, 0);
		if (rc < 0)
			return rc;
	}
	h->target = *spool;
	int rc = 0;
	if (*rows && *rows % CHUNK_ROWS == 0) {
		rc = x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST "</tbody></table></div>\n<div "
							       "class=\"chunk\"><table "
							       "class=\"rows\">"));
		if (rc == 0)
			rc = colgroup(h, s);
		if (rc == 0)
			rc = x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST "<tbody>\n"));
	}
	(*rows)++;
	if (rc == 0)
		rc = row(h, c);
	if (rc == 0)
		rc = x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST "\n"));
	if (rc == 0)
		rc = x(h, xmlTextWriterFlush(h->w));
	h->target = NULL;
	return rc;
}

static int collect(html *h, const regdiff_change *c)
{
	if (regdiff__report_filter_state(h->job, NULL) == REGDIFF_FILTER_REMOVE)
		return row_to(h, &h->filtered, &h->filtered_rows, &filtered, filtered_row, c);
	int rc = regdiff__report_count(h->job->counts, c);
	if (rc == 0 && c->persistence)
		rc = row_to(h, &h->findings, &h->finding_rows, &findings, finding_row, c);
	for (size_t i = 0; rc == 0 && i < sizeof sections / sizeof sections[0]; i++)
		if (sections[i].op == c->op)
			rc = row_to(h, &h->spool[c->op], &h->rows[c->op], &sections[i], section_row,
				    c);
	return rc;
}

/* ---- The page ---- */

static int head_row(html *h, const char *const *cols)
{
	int rc = start(h, "thead", NULL);
	if (rc == 0)
		rc = start(h, "tr", NULL);
	for (size_t i = 0; rc == 0 && cols[i]; i++)
		rc = elem(h, "th", NULL, cols[i]);
	if (rc == 0)
		rc = end(h);
	return rc ? rc : end(h);
}

/* The tables of a section whose rows are in spool: the first with the
 * heading row, the others started among the rows by row_to(). */
static int spooled_table(html *h, const struct section *s, regdiff__spool *spool)
{
	int rc = start(h, "div", "chunk");
	if (rc == 0)
		rc = start(h, "table", "rows");
	if (rc == 0)
		rc = colgroup(h, s);
	if (rc == 0)
		rc = head_row(h, s->cols);
	if (rc == 0)
		rc = start(h, "tbody", NULL);
	/* Closes the start tag, so that the rows follow it. */
	if (rc == 0)
		rc = x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST "\n"));
	if (rc == 0)
		rc = x(h, xmlTextWriterFlush(h->w));
	if (rc == 0)
		rc = regdiff__sink_flush(&h->out);
	if (rc == 0 && spool)
		rc = regdiff__spool_replay(spool, h->job->write, h->job->write_ctx);
	if (rc == 0)
		rc = end(h); /* tbody */
	if (rc == 0)
		rc = end(h);	 /* table */
	return rc ? rc : end(h); /* div */
}

static int number_cell(html *h, uint64_t n)
{
	char num[32];
	snprintf(num, sizeof num, "%" PRIu64, n);
	return elem(h, "td", "n", num);
}

static int meta_row(html *h, const char *label, const char *before, const char *after)
{
	int rc = start(h, "tr", NULL);
	if (rc == 0)
		rc = elem(h, "th", NULL, label);
	if (rc == 0)
		rc = outside_cell(h, before);
	if (rc == 0)
		rc = outside_cell(h, after);
	return rc ? rc : end(h);
}

static int meta_number_row(html *h, const char *label, uint64_t before, uint64_t after)
{
	char a[32], b[32];
	snprintf(a, sizeof a, "%" PRIu64, before);
	snprintf(b, sizeof b, "%" PRIu64, after);
	return meta_row(h, label, a, b);
}

/* Dirty hives: each side's, "MOUNT: what was done" one after another. */
static int logs_row(html *h)
{
	regdiff__buf side[2] = {{0}, {0}};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < h->job->nlogs; i++) {
		const regdiff__report_logs *l = &h->job->logs[i];
		char what[1400];
		regdiff__buf *b = &side[l->side ? 1 : 0];
		rc = regdiff__buf_printf(b, "%s%s: %s", b->len ? "; " : "", l->mount,
					 regdiff_logs_describe(what, sizeof what, &l->info));
	}
	for (int s = 0; rc == 0 && s < 2; s++)
		rc = regdiff__buf_putc(&side[s], 0);
	if (rc == 0)
		rc = meta_row(h, "Transaction logs", (const char *)side[0].data,
			      (const char *)side[1].data);
	regdiff__buf_free(&side[0]);
	regdiff__buf_free(&side[1]);
	return rc;
}

/* A Windows installation's users, control set, hives on one side only
 * and notes (report_install.c), when either side has any. */
static int install_row(html *h, int kind)
{
	regdiff__buf side[2] = {{0}, {0}};
	int rc = 0;
	for (int s = 0; rc == 0 && s < 2; s++)
		rc = regdiff__report_install_text(&side[s], h->job, s, kind);
	int any = side[0].len || side[1].len;
	for (int s = 0; rc == 0 && s < 2; s++)
		rc = regdiff__buf_putc(&side[s], 0);
	if (rc == 0 && any)
		rc = meta_row(h, regdiff__install_labels[kind], (const char *)side[0].data,
			      (const char *)side[1].data);
	regdiff__buf_free(&side[0]);
	regdiff__buf_free(&side[1]);
	return rc;
}

/* What a snapshot was taken of: "MOUNT: FILE-OR-PATH", "; " between. */
static int sources_text(regdiff__buf *b, const regdiff_snapshot *s)
{
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	int rc = regdiff_snapshot_get_info(&info, s);
	for (size_t i = 0; rc == 0 && i < info.sources; i++) {
		regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;
		rc = regdiff_snapshot_get_source(&src, s, i);
		if (rc == 0)
			rc = regdiff__buf_printf(b, "%s%s: %s", i ? "; " : "", src.mount,
						 src.location);
	}
	return rc ? rc : regdiff__buf_putc(b, 0);
}

/* The files or registry paths compared, when the changes come from a
 * diff (which knows its snapshots). */
static int sources_row(html *h)
{
	regdiff__buf a = {0}, b = {0};
	int rc = sources_text(&a, regdiff_diff_before(h->job->diff));
	if (rc == 0)
		rc = sources_text(&b, regdiff_diff_after(h->job->diff));
	if (rc == 0)
		rc = meta_row(h, "Sources", (const char *)a.data, (const char *)b.data);
	regdiff__buf_free(&a);
	regdiff__buf_free(&b);
	return rc;
}

static int snapshots_table(html *h)
{
	const regdiff_snapshot_info *a = h->job->before, *b = h->job->after;
	char ta[20], tb[20];
	int rc = start(h, "table", "meta");
	if (rc == 0)
		rc = head_row(h, (const char *const[]){"", "Before", "After", NULL});
	if (rc == 0)
		rc = start(h, "tbody", NULL);
	if (rc == 0)
		rc = meta_row(h, "Taken (UTC)", regdiff_time_format(ta, a->time),
			      regdiff_time_format(tb, b->time));
	if (rc == 0 && h->job->diff)
		rc = sources_row(h);
	if (rc == 0)
		rc = meta_row(h, "Computer", a->computer, b->computer);
	if (rc == 0)
		rc = meta_row(h, "User", a->user, b->user);
	if (rc == 0)
		rc = meta_row(h, "Taken by", a->producer, b->producer);
	if (rc == 0)
		rc = meta_number_row(h, "Keys", a->keys, b->keys);
	if (rc == 0)
		rc = meta_number_row(h, "Values", a->values, b->values);
	if (rc == 0)
		rc = meta_number_row(h, "Could not be read", a->problems, b->problems);
	if (rc == 0 && h->job->nlogs)
		rc = logs_row(h);
	for (int kind = 0; rc == 0 && kind < REGDIFF__INSTALL_KINDS; kind++)
		rc = install_row(h, kind);
	if (rc == 0)
		rc = end(h);
	return rc ? rc : end(h);
}

static int count_row(html *h, const char *cls, const char *label, const char *id, uint64_t n)
{
	int rc = start(h, "tr", cls);
	if (rc == 0)
		rc = start(h, "th", NULL);
	if (rc == 0 && id && n) {
		char href[64];
		snprintf(href, sizeof href, "#%s", id);
		rc = start(h, "a", NULL);
		if (rc == 0)
			rc = attr(h, "href", href);
		if (rc == 0)
			rc = text(h, label);
		if (rc == 0)
			rc = end(h);
	} else if (rc == 0) {
		rc = text(h, label);
	}
	if (rc == 0)
		rc = end(h);
	if (rc == 0)
		rc = number_cell(h, n);
	return rc ? rc : end(h);
}

static int counts_table(html *h)
{
	const regdiff_report_counts *n = h->job->counts;
	int rc = start(h, "table", "counts");
	if (rc == 0)
		rc = head_row(h, (const char *const[]){"Section", "Changes", NULL});
	if (rc == 0)
		rc = start(h, "tbody", NULL);
	if (rc == 0)
		rc = count_row(h, n->persistence ? "flagged" : NULL, "Persistence", "persistence",
			       n->persistence);
	for (size_t i = 0; rc == 0 && i < sizeof sections / sizeof sections[0]; i++) {
		regdiff_op op = sections[i].op;
		/* Not read alike on both sides: only counted. */
		uint64_t both = regdiff__report_unread_both(h->job);
		if (op == REGDIFF_NOT_COMPARED && both)
			rc = count_row(h, NULL, "Unread in both (not listed)", NULL, both);
		/* Ours are listed only when they have something. */
		if (rc ||
		    ((op == REGDIFF_NOT_COMPARED || op == REGDIFF_KEY_MODIFIED) && !n->by_op[op]))
			continue;
		rc = count_row(h, NULL, sections[i].label, sections[i].id, n->by_op[op]);
	}
	if (rc == 0)
		rc = count_row(h, "total", "Total changes", NULL, n->total);
	if (rc == 0)
		rc = end(h);
	return rc ? rc : end(h);
}

static int heading(html *h, const char *tag, const char *label, uint64_t n);

/* Which filters were active and what each removed. */
static int filters_table(html *h)
{
	const regdiff__report_filter *rf = h->job->filter;
	if (!rf)
		return 0;
	char noise[REGDIFF__NOTE_MAX], lines[REGDIFF__NOTE_MAX];
	regdiff__report_filter_lines(h->job, noise, lines);
	int rc = start(h, "p", NULL);
	if (rc == 0)
		rc = attr(h, "id", "filters");
	if (rc == 0)
		rc = text(h, noise);
	if (rc == 0)
		rc = end(h);
	if (rc == 0)
		rc = elem(h, "p", NULL, lines);
	if (rc || rf->removed_total + rf->marked_total == 0)
		return rc;
	rc = start(h, "table", "counts");
	if (rc == 0)
		rc = head_row(h, (const char *const[]){"Filter", "Origin", "Reason", "Removed",
						       "Kept (persistence)", NULL});
	if (rc == 0)
		rc = start(h, "tbody", NULL);
	for (size_t i = 0; rc == 0 && i < regdiff_filters_count(rf->filters); i++) {
		const regdiff_filter_info *f = regdiff_filters_get(rf->filters, i);
		if (!rf->removed[i] && !rf->marked[i])
			continue;
		rc = start(h, "tr", rf->marked[i] ? "flagged" : NULL);
		if (rc == 0)
			rc = outside_cell(h, f->rule);
		if (rc == 0)
			rc = outside_cell(h, f->origin);
		if (rc == 0)
			rc = outside_cell(h, f->reason);
		if (rc == 0)
			rc = number_cell(h, rf->removed[i]);
		if (rc == 0)
			rc = number_cell(h, rf->marked[i]);
		if (rc == 0)
			rc = end(h);
	}
	if (rc == 0)
		rc = end(h); /* tbody */
	return rc ? rc : end(h);
}

static int filtered_section(html *h)
{
	if (!h->filtered)
		return 0;
	int rc = start(h, "section", NULL);
	if (rc == 0)
		rc = attr(h, "id", filtered.id);
	if (rc == 0)
		rc = heading(h, "h2", filtered.label, h->filtered_rows);
	if (rc == 0)
		rc = elem(h, "p", NULL,
			  "Changes the filters removed from the sections above, with the rule "
			  "that removed each.");
	if (rc == 0)
		rc = spooled_table(h, &filtered, h->filtered);
	return rc ? rc : end(h);
}

static int heading(html *h, const char *tag, const char *label, uint64_t n)
{
	char s[96];
	snprintf(s, sizeof s, "%s: %" PRIu64, label, n);
	return elem(h, tag, NULL, s);
}

static int findings_section(html *h)
{
	uint64_t n = h->job->counts->persistence;
	int rc = start(h, "section", n ? "findings" : "findings none");
	if (rc == 0)
		rc = attr(h, "id", "persistence");
	if (rc == 0)
		rc = heading(h, "h2", "Persistence", n);
	if (rc == 0 && n == 0)
		rc = elem(h, "p", NULL, "No change is at a known persistence location.");
	if (rc == 0 && n)
		rc = elem(h, "p", NULL,
			  "Changes at registry locations where programs are set to start, with "
			  "the category of the location and its MITRE ATT&CK technique.");
	if (rc == 0 && n)
		rc = spooled_table(h, &findings, h->findings);
	return rc ? rc : end(h);
}

static int change_section(html *h, const struct section *s)
{
	uint64_t n = h->job->counts->by_op[s->op];
	if (n == 0)
		return 0;
	int rc = start(h, "section", NULL);
	if (rc == 0)
		rc = attr(h, "id", s->id);
	if (rc == 0)
		rc = start(h, "details", NULL);
	if (rc == 0)
		rc = attr(h, "open", "open");
	if (rc == 0)
		rc = start(h, "summary", NULL);
	if (rc == 0)
		rc = heading(h, "h2", s->label, n);
	if (rc == 0)
		rc = end(h);
	if (rc == 0)
		rc = spooled_table(h, s, h->spool[s->op]);
	if (rc == 0)
		rc = end(h); /* details */
	return rc ? rc : end(h);
}

static int write_head(html *h)
{
	int rc = x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST "<!DOCTYPE html>\n"));
	if (rc == 0)
		rc = start(h, "html", NULL);
	if (rc == 0)
		rc = attr(h, "lang", "en");
	if (rc == 0)
		rc = start(h, "head", NULL);
	if (rc == 0)
		rc = start(h, "meta", NULL);
	if (rc == 0)
		rc = attr(h, "charset", "utf-8");
	if (rc == 0)
		rc = x(h, xmlTextWriterEndElement(h->w));
	/* Should anything ever get past the escaping, it still could neither
	 * run nor load anything. */
	if (rc == 0)
		rc = start(h, "meta", NULL);
	if (rc == 0)
		rc = attr(h, "http-equiv", "Content-Security-Policy");
	if (rc == 0)
		rc = attr(h, "content", "default-src 'none'; style-src 'unsafe-inline'");
	if (rc == 0)
		rc = x(h, xmlTextWriterEndElement(h->w));
	if (rc == 0)
		rc = start(h, "meta", NULL);
	if (rc == 0)
		rc = attr(h, "name", "viewport");
	if (rc == 0)
		rc = attr(h, "content", "width=device-width, initial-scale=1");
	if (rc == 0)
		rc = x(h, xmlTextWriterEndElement(h->w));
	if (rc == 0)
		rc = elem(h, "title", NULL, "regdiff report");
	/* Raw: the content of a style element is not unescaped, and this one
	 * is a constant without '<' or '&'. */
	if (rc == 0)
		rc = start(h, "style", NULL);
	if (rc == 0)
		rc = x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST css));
	if (rc == 0)
		rc = end(h);
	return rc ? rc : end(h);
}

static int write_page(html *h)
{
	const regdiff__report_job *job = h->job;
	char version[64];
	snprintf(version, sizeof version, "regdiff %s", regdiff_version());
	h->target = NULL;
	int rc = write_head(h);
	if (rc == 0)
		rc = start(h, "body", NULL);
	if (rc == 0)
		rc = start(h, "header", NULL);
	if (rc == 0)
		rc = elem(h, "h1", NULL, "Registry changes");
	if (rc == 0)
		rc = elem(h, "p", NULL, version);
	if (rc == 0 && job->opts->comment && job->opts->comment[0]) {
		rc = start(h, "p", NULL);
		if (rc == 0)
			rc = attr(h, "id", "comment");
		if (rc == 0)
			rc = text(h, "Comment: ");
		if (rc == 0)
			rc = outside_text(h, job->opts->comment);
		if (rc == 0)
			rc = end(h);
	}
	if (rc == 0 && job->note[0]) {
		rc = start(h, "p", NULL);
		if (rc == 0)
			rc = attr(h, "id", "note");
		if (rc == 0)
			rc = text(h, "Note: ");
		if (rc == 0)
			rc = outside_text(h, job->note);
		if (rc == 0)
			rc = end(h);
	}
	if (rc == 0)
		rc = end(h); /* header */
	if (rc == 0)
		rc = start(h, "section", NULL);
	if (rc == 0)
		rc = attr(h, "id", "summary");
	if (rc == 0)
		rc = elem(h, "h2", NULL, "Summary");
	if (rc == 0)
		rc = snapshots_table(h);
	if (rc == 0)
		rc = counts_table(h);
	if (rc == 0)
		rc = filters_table(h);
	char note[REGDIFF__NOTE_MAX], total[REGDIFF__NOTE_MAX + 64];
	bool incomplete = regdiff__report_incomplete(job, note);
	if (rc == 0 && incomplete)
		rc = elem(h, "p", "incomplete",
			  "Incomplete: parts of the registry could not be read on one side or "
			  "both, so they were not compared (see Not compared and Could not be "
			  "read). No change found there is not \"no difference\".");
	if (rc == 0)
		rc = end(h);
	if (rc == 0)
		rc = findings_section(h);
	for (size_t i = 0; rc == 0 && i < sizeof sections / sizeof sections[0]; i++)
		rc = change_section(h, &sections[i]);
	if (rc == 0)
		rc = filtered_section(h);
	if (rc == 0)
		rc = start(h, "footer", NULL);
	snprintf(total, sizeof total, "Total changes: %" PRIu64 "%s%s%s", job->counts->total,
		 incomplete ? " (" : "", incomplete ? note : "", incomplete ? ")" : "");
	if (rc == 0)
		rc = elem(h, "p", NULL, total);
	if (rc == 0)
		rc = end(h);
	if (rc == 0)
		rc = end(h); /* body */
	if (rc == 0)
		rc = end(h); /* html */
	if (rc == 0)
		rc = x(h, xmlTextWriterWriteRaw(h->w, BAD_CAST "\n"));
	if (rc == 0)
		rc = x(h, xmlTextWriterFlush(h->w));
	return rc ? rc : regdiff__sink_flush(&h->out);
}

int regdiff__report_html(const regdiff__report_job *job)
{
	html h = {.job = job,
		  .out = {.write = job->write, .ctx = job->write_ctx},
		  .full_data = (job->opts->flags & REGDIFF_REPORT_FULL_DATA) != 0};
	const regdiff_change *c;
	int rc = 0;

	xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(target_write, NULL, &h, NULL);
	if (ob)
		h.w = xmlNewTextWriter(ob); /* which owns ob from now on */
	if (!h.w) {
		if (ob)
			xmlOutputBufferClose(ob);
		rc = regdiff__error(REGDIFF_ENOMEM, "cannot start the HTML writer (libxml2)");
	}
	while (rc == 0 && (rc = job->next(job->next_ctx, &c)) == 0)
		rc = collect(&h, c);
	if (rc == REGDIFF_ITEROVER)
		rc = write_page(&h);

	/* Whatever the writer still holds when it is freed (after a failure)
	 * must not reach the output. */
	h.closed = true;
	if (h.w)
		xmlFreeTextWriter(h.w);
	for (size_t i = 0; i < REGDIFF_OP_COUNT; i++)
		regdiff__spool_free(h.spool[i]);
	regdiff__spool_free(h.findings);
	regdiff__spool_free(h.filtered);
	regdiff__buf_free(&h.text);
	regdiff__buf_free(&h.txt_old);
	regdiff__buf_free(&h.txt_new);
	regdiff__buf_free(&h.out.buf);
	return rc;
}
