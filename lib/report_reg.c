/* Regedit scripts (docs/report-formats.md): a diff as the .reg file that,
 * imported on one side's registry, makes the other's. The redo script
 * turns before into after, the undo script after into before.
 *
 * Written as regedit itself exports: UTF-16LE with a BOM, CRLF, full root
 * names, "string" only where it gives back the exact bytes, hex wrapped at
 * regedit's width. The diff's key-path order already puts parents before
 * children and a key before its values, so the script streams: all it
 * keeps is the path of the last [key] header (so that a run of values of
 * one key shares one) and the path of the topmost key being removed (so
 * that its subtree, which the diff lists in full, is left to the one
 * [-key] line). Both are a key path, bounded by the diff's own. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "report_internal.h"

/* regedit wraps a hex line once it reaches this many characters, going on
 * after a '\' on the next line indented by two spaces. */
#define HEX_WRAP 77

typedef struct path_copy {
	uint16_t *units;
	size_t len, cap;
	size_t names; /* how many names it holds */
	bool set;
} path_copy;

typedef struct reg {
	regdiff__sink out;
	const regdiff__report_job *job;
	bool undo;
	path_copy section; /* the key of the last [key] header */
	path_copy gone;	   /* the topmost key removed, whose subtree is skipped */
	regdiff__buf text; /* scratch for comments (UTF-8) */
} reg;

/* ---- Output: UTF-16LE ---- */

static int put_unit(reg *r, uint16_t u)
{
	int rc = regdiff__buf_reserve(&r->out.buf, 2);
	if (rc == 0) {
		regdiff__put_u16(r->out.buf.data + r->out.buf.len, u);
		r->out.buf.len += 2;
	}
	return rc;
}

/* ASCII text. */
static int put_ascii(reg *r, const char *s)
{
	int rc = 0;
	for (; rc == 0 && *s; s++)
		rc = put_unit(r, (uint8_t)*s);
	return rc;
}

/* UTF-8 text (from render: valid, control-free). */
static int put_utf8(reg *r, const uint8_t *s, size_t n)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n;) {
		uint32_t cp;
		i += regdiff__utf8_decode(s + i, n - i, &cp);
		if (cp >= 0x10000) {
			rc = put_unit(r, (uint16_t)(0xD800 | (cp - 0x10000) >> 10));
			cp = 0xDC00 | (cp & 0x3FF);
		}
		if (rc == 0)
			rc = put_unit(r, (uint16_t)cp);
	}
	return rc;
}

static int put_crlf(reg *r)
{
	return put_ascii(r, "\r\n");
}

/* ---- What a .reg file can carry ---- */

/* Whether units can stand in a .reg line: no NUL (regedit's strings end
 * there), no CR or LF (a line would end), no unpaired surrogate (the file
 * would not be UTF-16, and no tool could convert it). */
static bool writable(const uint16_t *u, size_t n, bool le_bytes)
{
	for (size_t i = 0; i < n; i++) {
		uint16_t c = le_bytes ? regdiff__get_u16((const uint8_t *)u + 2 * i) : u[i];
		uint16_t next = 0;
		if (i + 1 < n)
			next = le_bytes ? regdiff__get_u16((const uint8_t *)u + 2 * (i + 1))
					: u[i + 1];
		if (c == 0 || c == '\r' || c == '\n')
			return false;
		if (c >= 0xDC00 && c <= 0xDFFF)
			return false;
		if (c >= 0xD800 && c <= 0xDBFF) {
			if (next < 0xDC00 || next > 0xDFFF)
				return false;
			i++;
		}
	}
	return true;
}

/* Name i of c's key: [*start, *end). */
static void key_name(const regdiff_change *c, size_t i, size_t *start, size_t *end)
{
	*start = i ? c->key_ends[i - 1] + 1 : 0;
	*end = c->key_ends[i];
}

/* Why c's key cannot be a [key] header, or NULL when it can: a '\' inside
 * a name would read as a separator, an empty name as nothing. */
static const char *key_unwritable(const regdiff_change *c)
{
	size_t pos = 0, at;
	if (regdiff__key_inner_backslash(c, &pos, &at))
		return "a key name holds a backslash";
	for (size_t i = 0; i < c->key_count; i++) {
		size_t s, e;
		key_name(c, i, &s, &e);
		if (s == e)
			return "a key name is empty";
	}
	if (c->key.len == 0)
		return "the key has no name";
	if (!writable(c->key.units, c->key.len, false))
		return "a key name holds a NUL, a line break or an unpaired surrogate";
	return NULL;
}

/* ---- Paths kept ---- */

static int path_set(path_copy *p, const regdiff_change *c)
{
	int rc = regdiff__grow(&p->units, &p->cap, c->key.len, sizeof *p->units);
	if (rc < 0)
		return rc;
	if (c->key.len)
		memcpy(p->units, c->key.units, c->key.len * sizeof *p->units);
	p->len = c->key.len;
	p->names = c->key_count;
	p->set = true;
	return 0;
}

static bool path_is(const path_copy *p, const regdiff_change *c)
{
	return p->set && p->len == c->key.len &&
	       (p->len == 0 || memcmp(p->units, c->key.units, p->len * sizeof *p->units) == 0);
}

/* Whether c's key is p or below it. */
static bool path_covers(const path_copy *p, const regdiff_change *c)
{
	if (!p->set || c->key.len < p->len ||
	    (p->len && memcmp(p->units, c->key.units, p->len * sizeof *p->units) != 0))
		return false;
	if (c->key.len == p->len)
		return true;
	if (c->key_count == 0) /* every '\' a separator */
		return c->key.units[p->len] == '\\';
	return p->names > 0 && p->names < c->key_count && c->key_ends[p->names - 1] == p->len;
}

/* ---- Lines ---- */

/* The key's path with a short root name written long, as regedit wants
 * it; a mount that is no Windows root (a hive at its file name) as it is. */
static int put_key_path(reg *r, const regdiff_change *c)
{
	static const char *const roots[][2] = {
	    {"HKLM", "HKEY_LOCAL_MACHINE"},  {"HKU", "HKEY_USERS"},
	    {"HKCU", "HKEY_CURRENT_USER"},   {"HKCR", "HKEY_CLASSES_ROOT"},
	    {"HKCC", "HKEY_CURRENT_CONFIG"},
	};
	size_t first = c->key_count ? c->key_ends[0] : c->key.len;
	if (c->key_count == 0)
		for (first = 0; first < c->key.len && c->key.units[first] != '\\'; first++)
			;
	size_t from = 0;
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
		size_t n = strlen(roots[i][0]);
		bool same = n == first;
		for (size_t k = 0; same && k < n; k++)
			same = c->key.units[k] == (uint8_t)roots[i][0][k];
		if (same) {
			int rc = put_ascii(r, roots[i][1]);
			if (rc < 0)
				return rc;
			from = n;
			break;
		}
	}
	int rc = 0;
	for (size_t i = from; rc == 0 && i < c->key.len; i++)
		rc = put_unit(r, c->key.units[i]);
	return rc;
}

/* "\r\n[KEY]\r\n" or "\r\n[-KEY]\r\n". */
static int put_header(reg *r, const regdiff_change *c, bool remove)
{
	int rc = put_crlf(r);
	if (rc == 0)
		rc = put_ascii(r, remove ? "[-" : "[");
	if (rc == 0)
		rc = put_key_path(r, c);
	if (rc == 0)
		rc = put_ascii(r, "]\r\n");
	return rc;
}

/* "\r\n; left out: <key>[\<value>]: <why>\r\n", the names made safe to
 * read on one line; counted. The blank line ends the current key's
 * section, as a comment inside one would for regedit's readers (hivex's
 * reg_import takes it for the section's end). */
static int put_left_out(reg *r, const regdiff_change *c, bool value, const char *why)
{
	regdiff__buf *t = &r->text;
	t->len = 0;
	int rc = regdiff__render_txt_name(t, c->key, c);
	if (rc == 0 && value) {
		rc = regdiff__buf_putc(t, '\\');
		if (rc == 0)
			rc = c->value.len ? regdiff__render_txt_name(t, c->value, NULL)
					  : regdiff__buf_append(t, "(default)", 9);
	}
	if (rc == 0)
		rc = put_ascii(r, "\r\n; left out: ");
	r->section.set = false;
	if (rc == 0)
		rc = put_utf8(r, t->data, t->len);
	if (rc == 0)
		rc = put_ascii(r, ": ");
	if (rc == 0)
		rc = put_ascii(r, why);
	if (rc == 0)
		rc = put_crlf(r);
	if (rc == 0)
		r->job->counts->left_out++;
	return rc;
}

/* The [KEY] header of c's key unless it is the current one. */
static int enter_key(reg *r, const regdiff_change *c)
{
	if (path_is(&r->section, c))
		return 0;
	int rc = put_header(r, c, false);
	return rc ? rc : path_set(&r->section, c);
}

/* "name" with '\' and '"' escaped, or @ for the default value; *col gets
 * the line's length so far, counted in units as regedit counts. */
static int put_value_name(reg *r, regdiff_name name, size_t *col)
{
	if (name.len == 0) {
		*col = 2;
		return put_ascii(r, "@=");
	}
	int rc = put_unit(r, '"');
	*col = 3 + name.len;
	for (size_t i = 0; rc == 0 && i < name.len; i++) {
		uint16_t u = name.units[i];
		if (u == '\\' || u == '"') {
			rc = put_unit(r, '\\');
			(*col)++;
		}
		if (rc == 0)
			rc = put_unit(r, u);
	}
	return rc ? rc : put_ascii(r, "\"=");
}

/* Whether d is a string that "..." gives back byte for byte: REG_SZ, a
 * single terminating NUL at its end and none before, nothing a line
 * cannot hold. */
static bool plain_string(const regdiff_data *d)
{
	size_t units;
	if (d->type != REGDIFF_REG_SZ || !regdiff__data_sz(d, &units) || d->len != 2 * units + 2)
		return false;
	return writable((const uint16_t *)(const void *)d->bytes, units, true);
}

static int put_string_data(reg *r, const regdiff_data *d)
{
	int rc = put_unit(r, '"');
	size_t units = d->len / 2 - 1;
	for (size_t i = 0; rc == 0 && i < units; i++) {
		uint16_t u = regdiff__get_u16(d->bytes + 2 * i);
		if (u == '\\' || u == '"')
			rc = put_unit(r, '\\');
		if (rc == 0)
			rc = put_unit(r, u);
		if (rc == 0)
			rc = regdiff__sink_flush_if_full(&r->out);
	}
	return rc ? rc : put_unit(r, '"');
}

/* hex:01,02,... or hex(N):..., wrapped as regedit wraps: after a byte's
 * comma, once the line holds HEX_WRAP characters or more. */
static int put_hex_data(reg *r, const regdiff_data *d, size_t col)
{
	static const char digits[] = "0123456789abcdef";
	char prefix[24];
	if (d->type == REGDIFF_REG_BINARY)
		snprintf(prefix, sizeof prefix, "hex:");
	else
		snprintf(prefix, sizeof prefix, "hex(%" PRIx32 "):", d->type);
	int rc = put_ascii(r, prefix);
	col += strlen(prefix);
	for (size_t i = 0; rc == 0 && i < d->len; i++) {
		rc = put_unit(r, (uint8_t)digits[d->bytes[i] >> 4]);
		if (rc == 0)
			rc = put_unit(r, (uint8_t)digits[d->bytes[i] & 0xF]);
		if (rc < 0 || i + 1 == d->len)
			break;
		rc = put_unit(r, ',');
		col += 3;
		if (rc == 0 && col >= HEX_WRAP) {
			rc = put_ascii(r, "\\\r\n  ");
			col = 2;
		}
		if (rc == 0)
			rc = regdiff__sink_flush_if_full(&r->out);
	}
	return rc;
}

/* "name"=data */
static int put_value(reg *r, const regdiff_change *c, const regdiff_data *d)
{
	size_t col;
	int rc = put_value_name(r, c->value, &col);
	if (rc < 0)
		return rc;
	if (plain_string(d)) {
		rc = put_string_data(r, d);
	} else if (d->type == REGDIFF_REG_DWORD && d->len == 4) {
		char dword[16];
		snprintf(dword, sizeof dword, "dword:%08" PRIx32, regdiff__get_u32(d->bytes));
		rc = put_ascii(r, dword);
	} else {
		rc = put_hex_data(r, d, col);
	}
	return rc ? rc : put_crlf(r);
}

/* ---- Changes ---- */

/* What the script does with a change: in the redo script what the change
 * says, in the undo script its opposite. */
enum action { CREATE_KEY, REMOVE_KEY, SET_VALUE, REMOVE_VALUE, NOTHING };

static enum action action_of(const reg *r, const regdiff_change *c, const regdiff_data **data)
{
	*data = r->undo ? &c->old_data : &c->new_data;
	switch (c->op) {
	case REGDIFF_KEY_ADDED:
		return r->undo ? REMOVE_KEY : CREATE_KEY;
	case REGDIFF_KEY_DELETED:
		return r->undo ? CREATE_KEY : REMOVE_KEY;
	case REGDIFF_VALUE_ADDED:
		return r->undo ? REMOVE_VALUE : SET_VALUE;
	case REGDIFF_VALUE_DELETED:
		return r->undo ? SET_VALUE : REMOVE_VALUE;
	case REGDIFF_VALUE_MODIFIED:
		return SET_VALUE;
	default:
		return NOTHING;
	}
}

static int put_change(reg *r, const regdiff_change *c)
{
	/* The subtree of a removed key goes with it. */
	if (path_covers(&r->gone, c))
		return 0;
	r->gone.set = false;

	const regdiff_data *d;
	enum action a = action_of(r, c, &d);
	if (c->op == REGDIFF_NOT_COMPARED)
		return put_left_out(r, c, (c->not_read & REGDIFF_NOT_READ_DATA) != 0,
				    "not compared (not read on one side)");
	if (c->op == REGDIFF_KEY_MODIFIED)
		return put_left_out(r, c, false, "only its last-write time changed");
	const char *why = key_unwritable(c);
	if (a == REMOVE_KEY || (a == CREATE_KEY && why)) {
		/* One line for the subtree, which the diff lists in full. */
		int rc = path_set(&r->gone, c);
		if (rc == 0 && why)
			return put_left_out(r, c, false, why);
		r->section.set = false;
		return rc ? rc : put_header(r, c, true);
	}
	if (why)
		return put_left_out(r, c, true, why);
	if (a != CREATE_KEY && !writable(c->value.units, c->value.len, false))
		return put_left_out(r, c, true,
				    "the value name holds a NUL, a line break or an unpaired "
				    "surrogate");
	if (a == SET_VALUE && d->not_read)
		return put_left_out(r, c, true, "its data was not read");
	int rc = enter_key(r, c);
	if (rc < 0 || a == CREATE_KEY)
		return rc;
	if (a == SET_VALUE)
		return put_value(r, c, d);
	size_t col;
	rc = put_value_name(r, c->value, &col);
	return rc ? rc : put_ascii(r, "-\r\n");
}

static int put_file_header(reg *r)
{
	const regdiff__report_job *job = r->job;
	int rc = regdiff__buf_append(&r->out.buf, "\xFF\xFE", 2);
	if (rc == 0)
		rc = put_ascii(r, "Windows Registry Editor Version 5.00\r\n\r\n; regdiff ");
	if (rc == 0)
		rc = put_ascii(r, regdiff_version());
	if (rc == 0)
		rc = put_ascii(r, r->undo ? " undo script: imported on the after state, it gives "
					    "the before state\r\n"
					  : " redo script: imported on the before state, it gives "
					    "the after state\r\n");
	char t1[20], t2[20];
	regdiff_time_format(t1, job->before->time);
	regdiff_time_format(t2, job->after->time);
	r->text.len = 0;
	if (rc == 0)
		rc = regdiff__buf_printf(&r->text, "; before: %s, after: %s", t1, t2);
	if (rc == 0)
		rc = put_utf8(r, r->text.data, r->text.len);
	/* The noise filters active, once they exist: "; filters: none" until
	 * then. */
	if (rc == 0)
		rc = put_ascii(r, "\r\n; filters: none\r\n");
	return rc;
}

static int put_file_end(reg *r)
{
	char note[REGDIFF__NOTE_MAX];
	int rc = 0;
	r->text.len = 0;
	if (r->job->counts->left_out)
		rc = regdiff__buf_printf(
		    &r->text, "\r\n; %" PRIu64 " changes left out: see \"; left out\" above\r\n",
		    r->job->counts->left_out);
	if (rc == 0 && regdiff__report_incomplete(r->job, note))
		rc = regdiff__buf_printf(&r->text, "\r\n; %s\r\n", note);
	if (rc == 0)
		rc = put_utf8(r, r->text.data, r->text.len);
	return rc;
}

int regdiff__report_reg(const regdiff__report_job *job)
{
	reg r = {.out = {.write = job->write, .ctx = job->write_ctx},
		 .job = job,
		 .undo = job->opts->format == REGDIFF_REPORT_REG_UNDO};
	const regdiff_change *c;
	int rc = put_file_header(&r);

	while (rc == 0 && (rc = job->next(job->next_ctx, &c)) == 0) {
		rc = regdiff__report_count(job->counts, c);
		if (rc == 0)
			rc = put_change(&r, c);
		if (rc == 0)
			rc = regdiff__sink_flush_if_full(&r.out);
	}
	if (rc == REGDIFF_ITEROVER)
		rc = put_file_end(&r);
	if (rc == 0)
		rc = regdiff__sink_flush(&r.out);
	regdiff__buf_free(&r.out.buf);
	regdiff__buf_free(&r.text);
	free(r.section.units);
	free(r.gone.units);
	return rc;
}
