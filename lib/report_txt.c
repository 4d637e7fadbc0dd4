/* TXT reports in Regshot's layout (docs/report-formats.md). Each section
 * is headed by its count, so the lines of every section are spooled while
 * the diff runs and written out, section by section, at the end. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "name_internal.h"
#include "render.h"
#include "report_install.h"
#include "spool.h"

#define DASHES "----------------------------------"

/* The sections in the order they are written. */
static const struct section {
	regdiff_op op;
	const char *label;
} sections[] = {
    /* Ours, first: a report that could not see everything says so at once. */
    {REGDIFF_NOT_COMPARED, "Not compared:"},
    {REGDIFF_KEY_DELETED, "Keys deleted:"},
    {REGDIFF_KEY_ADDED, "Keys added:"},
    {REGDIFF_VALUE_DELETED, "Values deleted:"},
    {REGDIFF_VALUE_ADDED, "Values added:"},
    {REGDIFF_VALUE_MODIFIED, "Values modified:"},
    /* Ours: Regshot has no key times. */
    {REGDIFF_KEY_MODIFIED, "Keys modified:"},
};

typedef struct txt {
	unsigned flags;
	bool regshot; /* REGDIFF_REPORT_REGSHOT */
	regdiff__spool *spool[REGDIFF_OP_COUNT];
	regdiff__buf line;	  /* a piece of the current line(s), UTF-8 with LF */
	regdiff__buf old, new;	  /* scratch for comparing two renderings */
	regdiff__buf encoded;	  /* line in the output's encoding */
	regdiff__buf marked;	  /* line as a finding, or with its marker */
	regdiff__spool *findings; /* the Persistence section */
	regdiff__sink out;
	const regdiff_change *c;	 /* the change being written */
	bool line_start;		 /* its text so far ends a line */
	regdiff__spool *filtered;	 /* the Filtered section (--show-filtered) */
	int verdict;			 /* the change's regdiff_filter_verdict */
	const regdiff_filter_info *rule; /* the filter it matched, or NULL */
} txt;

/* Appends UTF-8 text with LF line ends to dst in the output's encoding. */
static int encode(regdiff__buf *dst, const uint8_t *s, size_t n, unsigned flags)
{
	bool crlf = flags & REGDIFF_REPORT_CRLF;
	if (!(flags & REGDIFF_REPORT_UTF16LE)) {
		int rc = 0;
		size_t start = 0;
		for (size_t i = 0; crlf && i < n && rc == 0; i++) {
			if (s[i] != '\n')
				continue;
			rc = regdiff__buf_append(dst, s + start, i - start);
			if (rc == 0)
				rc = regdiff__buf_append(dst, "\r\n", 2);
			start = i + 1;
		}
		return rc ? rc : regdiff__buf_append(dst, s + start, n - start);
	}
	/* At most 4 bytes for each byte in: "\n" becomes "\r\0\n\0". */
	if (n > (SIZE_MAX - dst->len) / 4)
		return regdiff__error(REGDIFF_ENOMEM, "report line too long");
	int rc = regdiff__buf_reserve(dst, 4 * n);
	if (rc < 0)
		return rc;
	uint8_t *p = dst->data + dst->len;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += regdiff__utf8_decode(s + i, n - i, &cp);
		if (cp == '\n' && crlf) {
			regdiff__put_u16(p, '\r');
			p += 2;
		}
		if (cp >= 0x10000) {
			regdiff__put_u16(p, (uint16_t)(0xD800 | (cp - 0x10000) >> 10));
			regdiff__put_u16(p + 2, (uint16_t)(0xDC00 | (cp & 0x3FF)));
			p += 4;
		} else {
			regdiff__put_u16(p, (uint16_t)cp);
			p += 2;
		}
	}
	dst->len = (size_t)(p - dst->data);
	return 0;
}

/* A '\' inside a name is shown as U+29F5, not as a separator. */
static int put_key(regdiff__buf *b, const regdiff_change *c)
{
	return regdiff__render_txt_name(b, c->key, c);
}

static int put_str(regdiff__buf *b, const char *s)
{
	return regdiff__buf_append(b, s, strlen(s));
}

static int put_time(regdiff__buf *b, int64_t filetime)
{
	char when[20];
	return put_str(b, regdiff_time_format(when, filetime));
}

/* "<key>\<value>: " */
static int put_value_prefix(regdiff__buf *b, const regdiff_change *c)
{
	int rc = put_key(b, c);
	if (rc == 0)
		rc = regdiff__buf_putc(b, '\\');
	if (rc == 0)
		rc = regdiff__render_txt_name(b, c->value, NULL);
	if (rc == 0)
		rc = put_str(b, ": ");
	return rc;
}

static int put_type(regdiff__buf *b, uint32_t type)
{
	const char *name = regdiff_type_name(type);
	if (name)
		return regdiff__buf_printf(b, " (%s)", name);
	return regdiff__buf_printf(b, " (type %" PRIu32 ")", type);
}

static int txt_item(regdiff__buf *b, const char *word, int first)
{
	int rc = first ? 0 : put_str(b, ", ");
	return rc ? rc : put_str(b, word);
}

/* "<key>: values, subkeys not read (after)" or, for a value's data,
 * "<key>\<value>: data not read (before, after)"; a hive on one side
 * only: "<key>: hive loaded: not compared" (or unloaded). */
static int render_not_compared(regdiff__buf *b, const regdiff_change *c)
{
	if (c->not_read & REGDIFF_NOT_READ_HIVE) {
		/* "<key>: hive loaded: not compared" */
		int rc = put_key(b, c);
		return rc ? rc
			  : put_str(b, (c->not_read & REGDIFF_NOT_READ_BEFORE)
					   ? ": hive loaded: not compared"
					   : ": hive unloaded: not compared");
	}
	if (c->not_read & REGDIFF_NOT_READ_EXCLUDED) {
		/* "<key>: not shot: excluded (before)" */
		int rc = put_key(b, c);
		if (rc == 0)
			rc = put_str(b, ": not shot: excluded (");
		if (rc == 0)
			rc = regdiff__render_not_read(b, c->not_read, 1, txt_item);
		return rc ? rc : put_str(b, ")");
	}
	int rc = (c->not_read & REGDIFF_NOT_READ_DATA) ? put_value_prefix(b, c) : put_key(b, c);
	if (rc == 0 && !(c->not_read & REGDIFF_NOT_READ_DATA))
		rc = put_str(b, ": ");
	if (rc == 0)
		rc = regdiff__render_not_read(b, c->not_read, 0, txt_item);
	if (rc == 0)
		rc = put_str(b, " not read (");
	if (rc == 0)
		rc = regdiff__render_not_read(b, c->not_read, 1, txt_item);
	return rc ? rc : put_str(b, ")");
}

/* Writes lines (UTF-8, LF) into *spool (made on first use), encoded. */
static int spool_lines(txt *t, regdiff__spool **spool, const regdiff__buf *lines)
{
	int rc;
	if (!*spool) {
		rc = regdiff__spool_new(spool, 0);
		if (rc < 0)
			return rc;
	}
	const regdiff__buf *bytes = lines;
	if (t->flags) {
		t->encoded.len = 0;
		rc = encode(&t->encoded, lines->data, lines->len, t->flags);
		if (rc < 0)
			return rc;
		bytes = &t->encoded;
	}
	return regdiff__spool_write(*spool, bytes->data, bytes->len);
}

static const char *const op_words[REGDIFF_OP_COUNT] = {
    [REGDIFF_KEY_DELETED] = "key deleted",	 [REGDIFF_KEY_ADDED] = "key added",
    [REGDIFF_VALUE_DELETED] = "value deleted",	 [REGDIFF_VALUE_ADDED] = "value added",
    [REGDIFF_VALUE_MODIFIED] = "value modified", [REGDIFF_KEY_MODIFIED] = "key modified",
    [REGDIFF_NOT_COMPARED] = "not compared",
};

static int put_safe(regdiff__buf *b, const char *s)
{
	return regdiff__render_safe_utf8(b, s, strlen(s));
}

/* "<category> <technique>", terminal-safe, and ", matched filter RULE"
 * when a filter would have removed the change. */
static int put_tag(regdiff__buf *b, const txt *t)
{
	const regdiff_persistence *p = t->c->persistence;
	int rc = put_safe(b, p->category);
	if (rc == 0)
		rc = regdiff__buf_putc(b, ' ');
	if (rc == 0)
		rc = put_safe(b, p->attack);
	if (rc == 0 && t->verdict == REGDIFF_FILTER_KEEP_MARKED && t->rule) {
		rc = put_str(b, ", matched filter ");
		if (rc == 0)
			rc = put_safe(b, t->rule->rule);
	}
	return rc;
}

/* "[filtered by RULE] " before each line of a removed change. */
static int put_filtered_tag(regdiff__buf *b, const txt *t)
{
	int rc = put_str(b, "[filtered by ");
	if (rc == 0)
		rc = put_safe(b, t->rule ? t->rule->rule : "");
	return rc ? rc : put_str(b, "] ");
}

/* The piece in t->line into t->marked: as a finding, each line starting
 * "[run T1547.001] value added: ", or as in its section, each line ending
 * " [persistence: run T1547.001]". */
static int mark_piece(txt *t, bool finding)
{
	const regdiff_change *c = t->c;
	const uint8_t *s = t->line.data, *end = s + t->line.len;
	bool at_start = t->line_start;
	regdiff__buf *b = &t->marked;
	int rc = 0;
	b->len = 0;
	while (rc == 0 && s < end) {
		const uint8_t *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (finding && at_start && !c->persistence) {
			rc = put_filtered_tag(b, t);
			if (rc == 0)
				rc = regdiff__buf_printf(b, "%s: ", op_words[c->op]);
		} else if (finding && at_start) {
			rc = regdiff__buf_putc(b, '[');
			if (rc == 0)
				rc = put_tag(b, t);
			if (rc == 0)
				rc = regdiff__buf_printf(b, "] %s: ", op_words[c->op]);
		}
		if (rc == 0)
			rc = regdiff__buf_append(b, s, n);
		if (rc == 0 && nl && !finding) {
			rc = put_str(b, " [persistence: ");
			if (rc == 0)
				rc = put_tag(b, t);
			if (rc == 0)
				rc = regdiff__buf_putc(b, ']');
		}
		if (rc == 0 && nl)
			rc = regdiff__buf_putc(b, '\n');
		at_start = nl != NULL;
		s += n + (nl != NULL);
	}
	return rc;
}

/* Sends the piece of text in t->line to where the change goes, and empties
 * it: a change's text is written a piece at a time, so that a value of any
 * size is written in bounded memory. A piece ends between characters. */
static int drain(txt *t)
{
	const regdiff_change *c = t->c;
	int rc = 0;
	if (t->line.len == 0)
		return 0;
	if (t->verdict == REGDIFF_FILTER_REMOVE) {
		/* Removed changes are never at persistence locations. */
		rc = mark_piece(t, true);
		if (rc == 0)
			rc = spool_lines(t, &t->filtered, &t->marked);
	} else if (!c->persistence) {
		rc = spool_lines(t, &t->spool[c->op], &t->line);
	} else {
		rc = mark_piece(t, true);
		if (rc == 0)
			rc = spool_lines(t, &t->findings, &t->marked);
		if (rc == 0)
			rc = mark_piece(t, false);
		if (rc == 0)
			rc = spool_lines(t, &t->spool[c->op], &t->marked);
	}
	t->line_start = t->line.data[t->line.len - 1] == '\n';
	t->line.len = 0;
	return rc;
}

static int drain_piece(void *ctx)
{
	txt *t = ctx;
	return t->line.len >= REGDIFF__PIECE ? drain(t) : 0;
}

/* Appends the TXT form of d, as bytes if hex, a piece at a time. */
static int put_data(txt *t, const regdiff_data *d, bool hex)
{
	unsigned flags = REGDIFF_DATA_TEXT_SAFE | (hex ? REGDIFF_DATA_TEXT_HEX : 0);
	return regdiff__data_text(&t->line, d, flags, drain_piece, t);
}

/* A modified value's two lines. Where its two sides would read the same
 * (a terminator added, a control character swapped for its picture, only
 * the type changed), the difference is shown instead of hidden: bytes
 * that differ as hex, types that differ after the data. */
static int put_modified(txt *t, const regdiff_change *c)
{
	const regdiff_data *od = &c->old_data, *nd = &c->new_data;
	bool same, hex = false;
	int rc = regdiff__txt_data_same(od, nd, &t->old, &t->new, &same);
	if (rc == 0 && same)
		hex = od->len != nd->len || (od->len && memcmp(od->bytes, nd->bytes, od->len));
	bool types = same && od->type != nd->type;
	for (int side = 0; rc == 0 && side < 2; side++) {
		const regdiff_data *d = side ? nd : od;
		if (side)
			rc = regdiff__buf_putc(&t->line, '\n');
		if (rc == 0)
			rc = put_value_prefix(&t->line, c);
		if (rc == 0)
			rc = put_data(t, d, hex);
		if (rc == 0 && types)
			rc = put_type(&t->line, d->type);
	}
	return rc;
}

static int spool_change(txt *t, const regdiff_change *c)
{
	regdiff__buf *b = &t->line;
	int rc = 0;
	t->c = c;
	t->line_start = true;
	b->len = 0;
	switch (c->op) {
	case REGDIFF_KEY_DELETED:
	case REGDIFF_KEY_ADDED:
		rc = put_key(b, c);
		break;
	case REGDIFF_VALUE_DELETED:
	case REGDIFF_VALUE_ADDED:
		rc = put_value_prefix(b, c);
		if (rc == 0)
			rc = put_data(
			    t, c->op == REGDIFF_VALUE_DELETED ? &c->old_data : &c->new_data, false);
		break;
	case REGDIFF_VALUE_MODIFIED:
		rc = put_modified(t, c);
		break;
	case REGDIFF_KEY_MODIFIED:
		rc = put_key(b, c);
		if (rc == 0)
			rc = put_str(b, ": ");
		if (rc == 0)
			rc = put_time(b, c->old_time);
		if (rc == 0)
			rc = put_str(b, " -> ");
		if (rc == 0)
			rc = put_time(b, c->new_time);
		break;
	case REGDIFF_NOT_COMPARED:
		rc = render_not_compared(b, c);
		break;
	}
	if (rc == 0)
		rc = regdiff__buf_putc(b, '\n');
	return rc ? rc : drain(t);
}

/* Appends the line in t->line to the output, encoded. */
static int out_line(txt *t)
{
	int rc = regdiff__buf_putc(&t->line, '\n');
	if (rc == 0)
		rc = encode(&t->out.buf, t->line.data, t->line.len, t->flags);
	t->line.len = 0;
	return rc;
}

/* "<label> <side>: <text>" about a Windows installation, when there is
 * something to say (report_install.c). */
static int install_line(txt *t, const regdiff__report_job *job, int side, int kind)
{
	regdiff__buf text = {0};
	int rc = regdiff__report_install_text(&text, job, side, kind);
	t->line.len = 0;
	if (rc == 0 && text.len)
		rc = regdiff__buf_printf(&t->line, "%s %d: ", regdiff__install_labels[kind],
					 side + 1);
	if (rc == 0 && text.len)
		rc = regdiff__render_safe_utf8(&t->line, (const char *)text.data, text.len);
	if (rc == 0 && text.len)
		rc = out_line(t);
	regdiff__buf_free(&text);
	return rc;
}

/* "<label> <a>, <b>" (Regshot's "<a>  ,  <b>") with a and b made
 * terminal-safe. */
static int header_pair(txt *t, const char *label, const char *a, const char *b)
{
	t->line.len = 0;
	int rc = put_str(&t->line, label);
	if (rc == 0)
		rc = regdiff__render_safe_utf8(&t->line, a ? a : "", a ? strlen(a) : 0);
	if (rc == 0)
		rc = put_str(&t->line, t->regshot ? "  ,  " : ", ");
	if (rc == 0)
		rc = regdiff__render_safe_utf8(&t->line, b ? b : "", b ? strlen(b) : 0);
	return rc ? rc : out_line(t);
}

/* A time as Regshot 1.9 writes it, "2020/10/9 19:39:32"; times that are
 * not a date (unknown) as regdiff_time_format gives them. */
static const char *time_text(const txt *t, int64_t filetime, char buf[20])
{
	unsigned y, mo, d, h, mi, s;
	regdiff_time_format(buf, filetime);
	if (t->regshot && sscanf(buf, "%u-%u-%u %u:%u:%u", &y, &mo, &d, &h, &mi, &s) == 6)
		snprintf(buf, 20, "%u/%u/%u %02u:%02u:%02u", y % 10000, mo % 100, d % 100, h % 100,
			 mi % 100, s % 100);
	return buf;
}

/* The first line. Tools that turn Regshot reports into .reg files know
 * one by "regshot" then "unicode" or "ansi" on it; the encoding word says
 * how to read the rest (UTF-8 is bytes, as ANSI is). */
static int put_title(txt *t)
{
	if (!t->regshot)
		return regdiff__buf_printf(&t->line, "regdiff %s", regdiff_version());
	return regdiff__buf_printf(&t->line, "regdiff %s (Regshot 1.9 compatible) %s %s",
				   regdiff_version(), sizeof(void *) == 8 ? "x64" : "x86",
				   (t->flags & REGDIFF_REPORT_UTF16LE) ? "Unicode" : "ANSI");
}

/* The filters' lines: which were active, and what each removed. */
static int write_filters(txt *t, const regdiff__report_job *job)
{
	const regdiff__report_filter *rf = job->filter;
	if (!rf)
		return 0;
	char noise[REGDIFF__NOTE_MAX], filters[REGDIFF__NOTE_MAX];
	regdiff__report_filter_lines(job, noise, filters);
	t->line.len = 0;
	int rc = put_str(&t->line, noise);
	if (rc == 0)
		rc = out_line(t);
	if (rc == 0)
		rc = put_str(&t->line, filters);
	if (rc == 0)
		rc = out_line(t);
	for (size_t i = 0; rc == 0 && i < regdiff_filters_count(rf->filters); i++) {
		const regdiff_filter_info *f = regdiff_filters_get(rf->filters, i);
		if (!rf->removed[i] && !rf->marked[i])
			continue;
		rc = put_str(&t->line, "Filter: ");
		if (rc == 0)
			rc = put_safe(&t->line, f->rule);
		if (rc == 0)
			rc = put_str(&t->line, " (");
		if (rc == 0)
			rc = put_safe(&t->line, f->origin);
		if (rc == 0 && f->reason[0])
			rc = put_str(&t->line, ": ");
		if (rc == 0)
			rc = put_safe(&t->line, f->reason);
		if (rc == 0)
			rc = regdiff__buf_printf(&t->line,
						 "): %" PRIu64 " removed, %" PRIu64 " kept",
						 rf->removed[i], rf->marked[i]);
		if (rc == 0)
			rc = out_line(t);
	}
	return rc;
}

static int write_header(txt *t, const regdiff__report_job *job)
{
	const char *comment = job->opts->comment ? job->opts->comment : "";
	char t1[20], t2[20];
	int rc = 0;

	if (t->flags & REGDIFF_REPORT_UTF16LE)
		rc = regdiff__buf_append(&t->out.buf, "\xFF\xFE", 2);
	else if (t->flags & REGDIFF_REPORT_BOM)
		rc = regdiff__buf_append(&t->out.buf, "\xEF\xBB\xBF", 3);
	t->line.len = 0;
	if (rc == 0)
		rc = put_title(t);
	if (rc == 0)
		rc = out_line(t);
	/* Regshot writes "Comments: " even with no comment. */
	if (rc == 0)
		rc = put_str(&t->line, "Comments: ");
	if (rc == 0)
		rc = regdiff__render_safe_utf8(&t->line, comment, strlen(comment));
	if (rc == 0)
		rc = out_line(t);
	if (rc == 0 && job->note[0]) {
		rc = put_str(&t->line, "Note: ");
		if (rc == 0)
			rc = regdiff__render_safe_utf8(&t->line, job->note, strlen(job->note));
		if (rc == 0)
			rc = out_line(t);
	}
	if (rc == 0)
		rc = header_pair(t, "Datetime: ", time_text(t, job->before->time, t1),
				 time_text(t, job->after->time, t2));
	if (rc == 0)
		rc = header_pair(t, "Computer: ", job->before->computer, job->after->computer);
	if (rc == 0)
		rc = header_pair(t, "Username: ", job->before->user, job->after->user);
	/* Dirty hives: whether what is compared is what Windows would see. */
	for (size_t i = 0; rc == 0 && i < job->nlogs; i++) {
		char what[1400];
		const regdiff__report_logs *l = &job->logs[i];
		regdiff_logs_describe(what, sizeof what, &l->info);
		t->line.len = 0;
		rc = regdiff__buf_printf(&t->line, "Logs %d: %s: %s", l->side + 1, l->mount, what);
		if (rc == 0) {
			/* made terminal-safe like every other header text */
			regdiff__buf raw = t->line;
			t->line = (regdiff__buf){0};
			rc = regdiff__render_safe_utf8(&t->line, (const char *)raw.data, raw.len);
			regdiff__buf_free(&raw);
		}
		if (rc == 0)
			rc = out_line(t);
	}
	/* Windows installations: users next to their SIDs, and the rest. */
	for (int kind = 0; rc == 0 && kind < REGDIFF__INSTALL_KINDS; kind++)
		for (int side = 0; rc == 0 && side < 2; side++)
			rc = install_line(t, job, side, kind);
	return rc ? rc : write_filters(t, job);
}

/* A blank line, then "<label> <count>" between two lines of dashes. */
static int write_heading(txt *t, const char *label, uint64_t count)
{
	t->line.len = 0;
	int rc =
	    regdiff__buf_printf(&t->line, "\n" DASHES "\n%s %" PRIu64 "\n" DASHES, label, count);
	return rc ? rc : out_line(t);
}

static int write_report(txt *t, const regdiff__report_job *job)
{
	int rc = write_header(t, job);
	/* Ours, before all: the analyst's first question. */
	if (rc == 0 && job->counts->persistence) {
		rc = write_heading(t, "Persistence:", job->counts->persistence);
		if (rc == 0)
			rc = regdiff__sink_flush(&t->out);
		if (rc == 0)
			rc = regdiff__spool_replay(t->findings, job->write, job->write_ctx);
	}
	for (size_t i = 0; rc == 0 && i < sizeof sections / sizeof sections[0]; i++) {
		uint64_t count = job->counts->by_op[sections[i].op];
		if (count == 0)
			continue;
		rc = write_heading(t, sections[i].label, count);
		if (rc == 0)
			rc = regdiff__sink_flush(&t->out);
		if (rc == 0)
			rc = regdiff__spool_replay(t->spool[sections[i].op], job->write,
						   job->write_ctx);
	}
	if (rc == 0 && t->filtered) {
		rc = write_heading(t, "Filtered:", job->filter->removed_total);
		if (rc == 0)
			rc = regdiff__sink_flush(&t->out);
		if (rc == 0)
			rc = regdiff__spool_replay(t->filtered, job->write, job->write_ctx);
	}
	/* What could not be read must not pass for "no differences": the
	 * total's line says so, where a Regshot parser reading the number
	 * still finds it. */
	char note[REGDIFF__NOTE_MAX];
	if (rc == 0 && regdiff__report_incomplete(job, note)) {
		t->line.len = 0;
		rc = regdiff__buf_printf(&t->line,
					 "\n" DASHES "\nTotal changes: %" PRIu64 " (%s)\n" DASHES,
					 job->counts->total, note);
		if (rc == 0)
			rc = out_line(t);
	} else if (rc == 0) {
		rc = write_heading(t, "Total changes:", job->counts->total);
	}
	if (rc == 0)
		rc = regdiff__sink_flush(&t->out);
	return rc;
}

int regdiff__report_txt(const regdiff__report_job *job)
{
	txt t = {.flags = job->opts->flags &
			  (REGDIFF_REPORT_CRLF | REGDIFF_REPORT_UTF16LE | REGDIFF_REPORT_BOM),
		 .regshot = (job->opts->flags & REGDIFF_REPORT_REGSHOT) != 0,
		 .out = {.write = job->write, .ctx = job->write_ctx}};
	const regdiff_change *c;
	int rc;

	while ((rc = job->next(job->next_ctx, &c)) == 0) {
		t.verdict = regdiff__report_filter_state(job, &t.rule);
		rc = t.verdict == REGDIFF_FILTER_REMOVE ? 0 : regdiff__report_count(job->counts, c);
		if (rc == 0)
			rc = spool_change(&t, c);
		if (rc < 0)
			break;
	}
	if (rc == REGDIFF_ITEROVER)
		rc = write_report(&t, job);

	for (size_t i = 0; i < REGDIFF_OP_COUNT; i++)
		regdiff__spool_free(t.spool[i]);
	regdiff__spool_free(t.findings);
	regdiff__spool_free(t.filtered);
	regdiff__buf_free(&t.marked);
	regdiff__buf_free(&t.line);
	regdiff__buf_free(&t.old);
	regdiff__buf_free(&t.new);
	regdiff__buf_free(&t.encoded);
	regdiff__buf_free(&t.out.buf);
	return rc;
}
