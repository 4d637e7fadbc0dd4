/* JSON lines reports: one object per change, in diff order
 * (docs/report-formats.md). Strings are written losslessly: registry names
 * may hold any UTF-16 code unit, unpaired surrogates included, and JSON's
 * \uXXXX escapes can carry them all. */
#include <inttypes.h>
#include <string.h>

#include "render.h"
#include "report_install.h"

static const char *const op_names[REGDIFF_OP_COUNT] = {
    [REGDIFF_KEY_DELETED] = "key_deleted",	 [REGDIFF_KEY_ADDED] = "key_added",
    [REGDIFF_VALUE_DELETED] = "value_deleted",	 [REGDIFF_VALUE_ADDED] = "value_added",
    [REGDIFF_VALUE_MODIFIED] = "value_modified", [REGDIFF_KEY_MODIFIED] = "key_modified",
    [REGDIFF_NOT_COMPARED] = "not_compared",
};

/* Code units come from a name (host order) or from data (UTF-16LE). */
static inline uint16_t unit_at(const void *src, size_t i, bool le_bytes)
{
	if (le_bytes)
		return regdiff__get_u16((const uint8_t *)src + 2 * i);
	return ((const uint16_t *)src)[i];
}

/* The longest a unit can become: "\u00XX" or "\udXXX" (a pair gives 4
 * bytes of UTF-8 for two units). */
#define MAX_BYTES_PER_UNIT 6

/* The units of a JSON string, without its quotes. */
static int json_units(regdiff__buf *b, const void *src, size_t n, bool le_bytes)
{
	static const char hex[] = "0123456789abcdef";
	/* Characters with a short escape, and their escape letters. */
	static const char escaped[] = "\"\\\b\f\n\r\t", escapes[] = "\"\\bfnrt";
	if (n > (SIZE_MAX - b->len) / MAX_BYTES_PER_UNIT)
		return regdiff__error(REGDIFF_ENOMEM, "string of %zu units is too long", n);
	int rc = regdiff__buf_reserve(b, n * MAX_BYTES_PER_UNIT);
	if (rc < 0)
		return rc;
	uint8_t *p = b->data + b->len;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = unit_at(src, i, le_bytes);
		if (cp < 0x80) {
			const char *esc = cp ? strchr(escaped, (int)cp) : NULL;
			if (esc) {
				*p++ = '\\';
				*p++ = (uint8_t)escapes[esc - escaped];
			} else if (cp < 0x20) {
				memcpy(p, "\\u00", 4);
				p[4] = (uint8_t)hex[cp >> 4];
				p[5] = (uint8_t)hex[cp & 0xF];
				p += 6;
			} else {
				*p++ = (uint8_t)cp;
			}
			continue;
		}
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			uint32_t low = i + 1 < n ? unit_at(src, i + 1, le_bytes) : 0;
			if (cp > 0xDBFF || low < 0xDC00 || low > 0xDFFF) {
				/* Unpaired: only an escape can say it. */
				memcpy(p, "\\u", 2);
				for (int k = 0; k < 4; k++)
					p[2 + k] = (uint8_t)hex[cp >> (12 - 4 * k) & 0xF];
				p += 6;
				continue;
			}
			cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
			i++;
			*p++ = (uint8_t)(0xF0 | cp >> 18);
			*p++ = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
			*p++ = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
			*p++ = (uint8_t)(0x80 | (cp & 0x3F));
		} else if (cp < 0x800) {
			*p++ = (uint8_t)(0xC0 | cp >> 6);
			*p++ = (uint8_t)(0x80 | (cp & 0x3F));
		} else {
			*p++ = (uint8_t)(0xE0 | cp >> 12);
			*p++ = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
			*p++ = (uint8_t)(0x80 | (cp & 0x3F));
		}
	}
	b->len = (size_t)(p - b->data);
	return 0;
}

static int json_string(regdiff__buf *b, const void *src, size_t n, bool le_bytes)
{
	int rc = regdiff__buf_putc(b, '"');
	if (rc == 0)
		rc = json_units(b, src, n, le_bytes);
	return rc ? rc : regdiff__buf_putc(b, '"');
}

/* A string of value data (UTF-16LE), written into the output a piece at
 * a time so that data of any size takes bounded memory; a piece never
 * ends between the two halves of a surrogate pair. */
static int data_string(regdiff__sink *out, const uint8_t *bytes, size_t n)
{
	int rc = regdiff__buf_putc(&out->buf, '"');
	for (size_t i = 0; rc == 0 && i < n;) {
		size_t take = n - i < REGDIFF__PIECE / 2 ? n - i : REGDIFF__PIECE / 2;
		uint16_t last = regdiff__get_u16(bytes + 2 * (i + take - 1));
		if (i + take < n && last >= 0xD800 && last <= 0xDBFF)
			take--;
		rc = json_units(&out->buf, bytes + 2 * i, take, true);
		if (rc == 0)
			rc = regdiff__sink_flush_if_full(out);
		i += take;
	}
	return rc ? rc : regdiff__buf_putc(&out->buf, '"');
}

static int put_str(regdiff__buf *b, const char *s)
{
	return regdiff__buf_append(b, s, strlen(s));
}

/* ,"<field>": */
static int put_field(regdiff__buf *b, const char *field)
{
	return regdiff__buf_printf(b, ",\"%s\":", field);
}

static int put_name_field(regdiff__buf *b, const char *field, regdiff_name name)
{
	int rc = put_field(b, field);
	return rc ? rc : json_string(b, name.units, name.len, false);
}

static int put_type_field(regdiff__buf *b, const char *field, uint32_t type)
{
	const char *name = regdiff_type_name(type);
	int rc = put_field(b, field);
	if (rc < 0)
		return rc;
	if (name)
		return regdiff__buf_printf(b, "\"%s\"", name);
	return regdiff__buf_printf(b, "%" PRIu32, type);
}

/* The bytes as hex, a piece at a time. */
static int put_hex_string(regdiff__sink *out, const regdiff_data *d)
{
	int rc = regdiff__buf_putc(&out->buf, '"');
	for (size_t i = 0; rc == 0 && i < d->len; i += REGDIFF__PIECE) {
		size_t take = d->len - i < REGDIFF__PIECE ? d->len - i : REGDIFF__PIECE;
		rc = regdiff__render_hex(&out->buf, d->bytes + i, take, 0);
		if (rc == 0)
			rc = regdiff__sink_flush_if_full(out);
	}
	return rc ? rc : regdiff__buf_putc(&out->buf, '"');
}

static int put_data_field(regdiff__sink *out, const char *field, const regdiff_data *d)
{
	regdiff__buf *b = &out->buf;
	size_t n;
	uint64_t value;
	int digits;
	int rc = put_field(b, field);
	if (rc < 0)
		return rc;
	if (d->not_read)
		return regdiff__buf_printf(b, "{\"not_read\":true,\"size\":%" PRIu64 "}",
					   d->stated_len);
	if (regdiff__data_sz(d, &n))
		return data_string(out, d->bytes, n);
	if (regdiff__data_link(d))
		return data_string(out, d->bytes, d->len / 2);
	if (regdiff__data_multi_sz(d, &n)) {
		size_t pos = 0, start, units;
		rc = regdiff__buf_putc(b, '[');
		for (size_t i = 0; rc == 0 && regdiff__multi_sz_next(d, &pos, &start, &units);
		     i++) {
			if (i > 0)
				rc = regdiff__buf_putc(b, ',');
			if (rc == 0)
				rc = data_string(out, d->bytes + start, units);
		}
		return rc ? rc : regdiff__buf_putc(b, ']');
	}
	if (regdiff__data_number(d, &value, &digits))
		return regdiff__buf_printf(b, "%" PRIu64, value);
	return put_hex_string(out, d);
}

static int put_hex_field(regdiff__sink *out, const char *field, const regdiff_data *d)
{
	int rc = put_field(&out->buf, field);
	if (rc == 0 && d->not_read)
		return put_str(&out->buf, "null");
	return rc ? rc : put_hex_string(out, d);
}

static int json_item(regdiff__buf *b, const char *word, int first)
{
	return regdiff__buf_printf(b, "%s\"%s\"", first ? "" : ",", word);
}

/* "not_read":["values",...],"sides":["after"] */
static int put_not_read(regdiff__buf *b, const regdiff_change *c)
{
	int rc = 0;
	if (c->not_read & REGDIFF_NOT_READ_DATA)
		rc = put_name_field(b, "value", c->value);
	if (rc == 0)
		rc = put_str(b, ",\"not_read\":[");
	if (rc == 0)
		rc = regdiff__render_not_read(b, c->not_read, 0, json_item);
	if (rc == 0)
		rc = put_str(b, "],\"sides\":[");
	if (rc == 0)
		rc = regdiff__render_not_read(b, c->not_read, 1, json_item);
	return rc ? rc : put_str(b, "]");
}

static int put_time_field(regdiff__buf *b, const char *field, int64_t filetime)
{
	char when[REGDIFF__ISO8601_MAX];
	int rc = put_field(b, field);
	return rc ? rc
		  : regdiff__buf_printf(b, "\"%s\"", regdiff__filetime_iso8601(filetime, when));
}

/* A string from the library's own tables (ASCII, checked when loaded),
 * escaped all the same. */
static int put_plain_string(regdiff__buf *b, const char *s)
{
	int rc = regdiff__buf_putc(b, '"');
	for (; rc == 0 && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			rc = regdiff__buf_printf(b, "\\%c", ch);
		else if (ch < 0x20)
			rc = regdiff__buf_printf(b, "\\u%04x", ch);
		else
			rc = regdiff__buf_putc(b, ch);
	}
	return rc ? rc : regdiff__buf_putc(b, '"');
}

/* ,"persistence":{"category":"run","attack":"T1547.001"} */
static int put_persistence(regdiff__buf *b, const regdiff_persistence *p)
{
	int rc = put_str(b, ",\"persistence\":{\"category\":");
	if (rc == 0)
		rc = put_plain_string(b, p->category);
	if (rc == 0)
		rc = put_str(b, ",\"attack\":");
	if (rc == 0)
		rc = put_plain_string(b, p->attack);
	return rc ? rc : regdiff__buf_putc(b, '}');
}

/* ,"key_names":[...], only where splitting key at each '\' would not
 * give its names back: a name holds a '\', or is empty. */
static int put_key_names(regdiff__buf *b, const regdiff_change *c)
{
	size_t pos = 0, at;
	bool ambiguous = regdiff__key_inner_backslash(c, &pos, &at);
	for (size_t i = 0; !ambiguous && i < c->key_count; i++)
		ambiguous = c->key_ends[i] == (i ? c->key_ends[i - 1] + 1 : 0);
	if (!ambiguous)
		return 0;
	int rc = put_str(b, ",\"key_names\":[");
	for (size_t i = 0; rc == 0 && i < c->key_count; i++) {
		size_t start = i ? c->key_ends[i - 1] + 1 : 0;
		if (i > 0)
			rc = regdiff__buf_putc(b, ',');
		if (rc == 0)
			rc = json_string(b, c->key.units + start, c->key_ends[i] - start, false);
	}
	return rc ? rc : regdiff__buf_putc(b, ']');
}

static int put_utf8_field(regdiff__buf *b, const char *field, const char *s);

/* ,"filter":{"removed":true,"rule":...}: the filter a change matched,
 * which removed it (listed for --show-filtered) or not (at a persistence
 * location: kept). */
static int put_filter(regdiff__buf *b, const regdiff__report_job *job)
{
	const regdiff_filter_info *rule;
	int verdict = regdiff__report_filter_state(job, &rule);
	if (verdict == REGDIFF_FILTER_KEEP || !rule)
		return 0;
	int rc = put_str(b, verdict == REGDIFF_FILTER_REMOVE ? ",\"filter\":{\"removed\":true"
							     : ",\"filter\":{\"removed\":false");
	if (rc == 0)
		rc = put_utf8_field(b, "rule", rule->rule);
	return rc ? rc : regdiff__buf_putc(b, '}');
}

static int put_change(regdiff__sink *out, const regdiff_change *c, const regdiff__report_job *job)
{
	regdiff__buf *b = &out->buf;
	int rc = regdiff__buf_printf(b, "{\"op\":\"%s\"", op_names[c->op]);
	if (rc == 0)
		rc = put_name_field(b, "key", c->key);
	if (rc == 0)
		rc = put_key_names(b, c);
	if (rc < 0)
		return rc;
	switch (c->op) {
	case REGDIFF_KEY_DELETED:
		rc = put_time_field(b, "time", c->old_time);
		break;
	case REGDIFF_KEY_ADDED:
		rc = put_time_field(b, "time", c->new_time);
		break;
	case REGDIFF_KEY_MODIFIED:
		rc = put_time_field(b, "old_time", c->old_time);
		if (rc == 0)
			rc = put_time_field(b, "new_time", c->new_time);
		break;
	case REGDIFF_NOT_COMPARED:
		rc = put_not_read(b, c);
		break;
	case REGDIFF_VALUE_DELETED:
	case REGDIFF_VALUE_ADDED: {
		const regdiff_data *d =
		    c->op == REGDIFF_VALUE_DELETED ? &c->old_data : &c->new_data;
		rc = put_name_field(b, "value", c->value);
		if (rc == 0)
			rc = put_type_field(b, "type", d->type);
		if (rc == 0)
			rc = put_data_field(out, "data", d);
		if (rc == 0)
			rc = put_hex_field(out, "data_hex", d);
		break;
	}
	case REGDIFF_VALUE_MODIFIED:
		rc = put_name_field(b, "value", c->value);
		if (rc == 0)
			rc = put_type_field(b, "old_type", c->old_data.type);
		if (rc == 0)
			rc = put_type_field(b, "new_type", c->new_data.type);
		if (rc == 0)
			rc = put_data_field(out, "old_data", &c->old_data);
		if (rc == 0)
			rc = put_data_field(out, "new_data", &c->new_data);
		if (rc == 0)
			rc = put_hex_field(out, "old_data_hex", &c->old_data);
		if (rc == 0)
			rc = put_hex_field(out, "new_data_hex", &c->new_data);
		break;
	}
	if (rc == 0 && c->persistence)
		rc = put_persistence(b, c->persistence);
	if (rc == 0)
		rc = put_filter(b, job);
	return rc ? rc : put_str(b, "}\n");
}

/* Text from a snapshot's metadata: made valid, control-free UTF-8 first. */
static int put_utf8_field(regdiff__buf *b, const char *field, const char *s)
{
	regdiff__buf safe = {0};
	int rc = put_field(b, field);
	if (rc == 0)
		rc = regdiff__render_safe_utf8(&safe, s, strlen(s));
	if (rc == 0)
		rc = regdiff__buf_putc(&safe, 0);
	if (rc == 0)
		rc = put_plain_string(b, (const char *)safe.data);
	regdiff__buf_free(&safe);
	return rc;
}

/* {"meta":"logs","side":"before","mount":...,"state":"applied","entries":4,
 * "pages":7,"sequence":5,"files":"...","reason":"..."}: one per dirty
 * hive, before the changes. */
static int put_logs(regdiff__buf *b, const regdiff__report_logs *l)
{
	static const char *const states[] = {"clean", "applied", "not_applied", "none", "ignored"};
	int st = l->info.state >= 0 && l->info.state <= 4 ? l->info.state : 0;
	int rc = regdiff__buf_printf(b, "{\"meta\":\"logs\",\"side\":\"%s\"",
				     l->side ? "after" : "before");
	if (rc == 0)
		rc = put_utf8_field(b, "mount", l->mount);
	if (rc == 0)
		rc = regdiff__buf_printf(b,
					 ",\"state\":\"%s\",\"entries\":%u,\"pages\":%u,"
					 "\"sequence\":%u",
					 states[st], l->info.entries, l->info.pages,
					 l->info.sequence);
	if (rc == 0)
		rc = put_utf8_field(b, "files", l->info.files);
	if (rc == 0)
		rc = put_utf8_field(b, "reason", l->info.reason);
	return rc ? rc : put_str(b, "}\n");
}

/* {"meta":"filters","noise":"2026.11","rules":N,"removed":N,"kept":N,
 * "by_rule":[{"removed":N,"kept":N,"rule":...,"origin":...,"reason":...}]}
 * after the changes, when the report has filters and lists or removed
 * anything: which were active and what each did (only rules that matched
 * something are listed). */
static int put_filters(regdiff__buf *b, const regdiff__report_job *job)
{
	const regdiff__report_filter *rf = job->filter;
	/* A report that lists nothing stays empty: "no differences". */
	const regdiff_report_counts *n = job->counts;
	if (!rf || (n->total == 0 && n->by_op[REGDIFF_NOT_COMPARED] == 0 && rf->removed_total == 0))
		return 0;
	const regdiff_filters *f = rf->filters;
	int rc = regdiff__buf_printf(b, "{\"meta\":\"filters\",\"noise\":\"%s\"",
				     regdiff_filters_noise(f) ? regdiff_noise_profile_version()
							      : "none");
	if (rc == 0)
		rc = regdiff__buf_printf(
		    b, ",\"rules\":%zu,\"removed\":%" PRIu64 ",\"kept\":%" PRIu64 ",\"by_rule\":[",
		    regdiff_filters_count(f), rf->removed_total, rf->marked_total);
	bool first = true;
	for (size_t i = 0; rc == 0 && i < regdiff_filters_count(f); i++) {
		const regdiff_filter_info *r = regdiff_filters_get(f, i);
		if (!rf->removed[i] && !rf->marked[i])
			continue;
		rc = regdiff__buf_printf(b, "%s{\"removed\":%" PRIu64 ",\"kept\":%" PRIu64,
					 first ? "" : ",", rf->removed[i], rf->marked[i]);
		first = false;
		if (rc == 0)
			rc = put_utf8_field(b, "rule", r->rule);
		if (rc == 0)
			rc = put_utf8_field(b, "origin", r->origin);
		if (rc == 0)
			rc = put_utf8_field(b, "reason", r->reason);
		if (rc == 0)
			rc = regdiff__buf_putc(b, '}');
	}
	return rc ? rc : put_str(b, "]}\n");
}

/* {"meta":"user","side":"before","sid":...,"name":...},
 * {"meta":"control_set","side":...,"number":1,"name":"ControlSet001"},
 * {"meta":"hive_only","side":...,"mount":...[,"user":...]},
 * {"meta":"note","side":...,"text":...}: a Windows installation's;
 * {"meta":"not_shot","side":...,"rule":...,"origin":...,"subtrees":N,
 * "persistence":N,"categories":...}: a shot exclusion. */
static int put_install(regdiff__buf *b, const regdiff__report_job *job, int side, int kind)
{
	static const char *const metas[REGDIFF__INSTALL_KINDS] = {"user", "control_set",
								  "hive_only", "note", "not_shot"};
	static const char *const a_field[REGDIFF__INSTALL_KINDS] = {"sid", NULL, "mount", "text",
								    "rule"};
	static const char *const b_field[REGDIFF__INSTALL_KINDS] = {"name", NULL, "user", NULL,
								    "origin"};
	regdiff__install_item it;
	int rc = 0;
	for (size_t i = 0; rc == 0 && regdiff__report_install_item(job, side, kind, i, &it) == 0;
	     i++) {
		rc = regdiff__buf_printf(b, "{\"meta\":\"%s\",\"side\":\"%s\"", metas[kind],
					 side ? "after" : "before");
		if (rc == 0 && kind == REGDIFF__INSTALL_CONTROL_SET)
			rc = regdiff__buf_printf(b, ",\"number\":%u,\"name\":\"ControlSet%03u\"",
						 it.number, it.number);
		if (rc == 0 && a_field[kind])
			rc = put_utf8_field(b, a_field[kind], it.a);
		if (rc == 0 && b_field[kind] && it.b)
			rc = put_utf8_field(b, b_field[kind], it.b);
		if (rc == 0 && kind == REGDIFF__INSTALL_NOT_SHOT)
			rc = regdiff__buf_printf(
			    b, ",\"subtrees\":%" PRIu64 ",\"persistence\":%" PRIu64, it.count,
			    it.persist);
		if (rc == 0 && kind == REGDIFF__INSTALL_NOT_SHOT)
			rc = put_utf8_field(b, "categories", it.c);
		if (rc == 0)
			rc = put_str(b, "}\n");
	}
	return rc;
}

/* Only when the report is incomplete, as its last line: a reader must not
 * take "no change listed" for "no difference". */
static int put_summary(regdiff__buf *b, const regdiff__report_job *job)
{
	char note[REGDIFF__NOTE_MAX];
	if (!regdiff__report_incomplete(job, note))
		return 0;
	return regdiff__buf_printf(
	    b,
	    "{\"op\":\"summary\",\"complete\":false,\"total\":%" PRIu64 ",\"not_compared\":%" PRIu64
	    ",\"unread_in_both\":%" PRIu64 ",\"problems_before\":%" PRIu64
	    ",\"problems_after\":%" PRIu64 "}\n",
	    job->counts->total, job->counts->by_op[REGDIFF_NOT_COMPARED],
	    regdiff__report_unread_both(job), job->before->problems, job->after->problems);
}

int regdiff__report_jsonl(const regdiff__report_job *job)
{
	regdiff__sink out = {.write = job->write, .ctx = job->write_ctx};
	const regdiff_change *c;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < job->nlogs; i++)
		rc = put_logs(&out.buf, &job->logs[i]);
	for (int kind = 0; rc == 0 && kind < REGDIFF__INSTALL_KINDS; kind++)
		for (int side = 0; rc == 0 && side < 2; side++)
			rc = put_install(&out.buf, job, side, kind);
	while (rc == 0 && (rc = job->next(job->next_ctx, &c)) == 0) {
		if (regdiff__report_filter_state(job, NULL) != REGDIFF_FILTER_REMOVE)
			rc = regdiff__report_count(job->counts, c);
		if (rc == 0)
			rc = put_change(&out, c, job);
		if (rc == 0)
			rc = regdiff__sink_flush_if_full(&out);
		if (rc < 0)
			break;
	}
	if (rc == REGDIFF_ITEROVER)
		rc = put_filters(&out.buf, job);
	if (rc == 0)
		rc = put_summary(&out.buf, job);
	if (rc == 0)
		rc = regdiff__sink_flush(&out);
	regdiff__buf_free(&out.buf);
	return rc;
}
