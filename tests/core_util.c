/* Helpers for the snapshot and diff tests; see core_util.h. Misuse of the
 * helpers (a bad description, say) ends the program: it is a bug in the
 * test, not a result. */
#include "core_util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "name_internal.h"
#include "zraw.h"

static void die(const char *fmt, ...) REGDIFF__PRINTF(1, 2);
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("test setup error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void xappend(regdiff__buf *b, const void *p, size_t n)
{
	if (regdiff__buf_append(b, p, n))
		die("out of memory");
}

void cu_check_text(const char *file, int line, const char *got, const char *want)
{
	if (got && strcmp(got, want) == 0)
		return;
	fprintf(stderr, "%s:%d: FAILED: text differs\n--- expected:\n%s--- got:\n%s---\n", file,
		line, want, got ? got : "(null)\n");
	tu_failures++;
}

/* ---- descriptions ---- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads units up to a space or the end of s[0..n), %XXXX escapes decoded. */
static size_t parse_units(const char *s, size_t n, uint16_t **out, size_t *len)
{
	uint16_t *u = xmalloc((n + 1) * sizeof *u);
	size_t i = 0, k = 0;
	while (i < n && s[i] != ' ') {
		if (s[i] == '%' && i + 1 < n && s[i + 1] == '.') {
			i += 2;
			continue;
		}
		if (s[i] == '%') {
			int v = 0;
			for (int j = 1; j <= 4; j++) {
				int h = i + (size_t)j < n ? hexval(s[i + (size_t)j]) : -1;
				if (h < 0)
					die("bad %%XXXX escape in \"%.*s\"", (int)n, s);
				v = v * 16 + h;
			}
			u[k++] = (uint16_t)v;
			i += 5;
			continue;
		}
		/* UTF-8 through the library's own converter would test it with
		 * itself; descriptions are ASCII plus escapes. */
		if ((unsigned char)s[i] >= 0x80)
			die("use %%XXXX for non-ASCII in \"%.*s\"", (int)n, s);
		u[k++] = (uint8_t)s[i++];
	}
	*out = u;
	*len = k;
	return i;
}

static cu_rec *new_rec(cu_tree *t)
{
	if (t->finished)
		die("tree already finished");
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->recs = xrealloc(t->recs, t->cap * sizeof *t->recs);
	}
	cu_rec *r = &t->recs[t->n++];
	memset(r, 0, sizeof *r);
	r->parent = SIZE_MAX;
	return r;
}

void cu_add_key(cu_tree *t, unsigned depth, const char *name, int64_t time, unsigned flags)
{
	cu_rec *r = new_rec(t);
	r->tag = RDS_REC_KEY;
	r->depth = depth;
	r->time = time;
	r->flags = flags;
	parse_units(name, strlen(name), &r->name, &r->name_len);
}

void cu_add_value(cu_tree *t, const char *name, uint32_t type, const void *data, size_t size)
{
	cu_rec *r = new_rec(t);
	r->tag = RDS_REC_VALUE;
	r->depth = UINT32_MAX; /* the key it follows: set by cu_finish */
	r->type = type;
	r->size = size;
	r->data = xmalloc(size);
	if (size)
		memcpy(r->data, data, size);
	parse_units(name, strlen(name), &r->name, &r->name_len);
}

static const char *const type_names[] = {
    "none", "sz",    "expand",	      "binary",	       "dword",	       "dword_be",
    "link", "multi", "resource_list", "full_resource", "requirements", "qword"};
#define NTYPES (sizeof type_names / sizeof type_names[0])

static uint32_t parse_type(const char *s, size_t n)
{
	for (uint32_t i = 0; i < NTYPES; i++)
		if (strlen(type_names[i]) == n && memcmp(type_names[i], s, n) == 0)
			return i;
	char tmp[32];
	if (n == 0 || n >= sizeof tmp)
		die("bad type \"%.*s\"", (int)n, s);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	char *end;
	unsigned long long v = strtoull(tmp, &end, 0);
	if (*end || v > UINT32_MAX)
		die("bad type \"%s\"", tmp);
	return (uint32_t)v;
}

uint8_t *cu_pattern(size_t n, unsigned seed)
{
	uint8_t *p = xmalloc(n);
	uint32_t x = seed * 2654435761u + 12345u;
	for (size_t i = 0; i < n; i++) {
		/* Runs of repeated bytes keep big test files small. */
		if (i % 64 == 0)
			x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
	return p;
}

static unsigned long long parse_num(const char *s, size_t n)
{
	char tmp[32];
	if (n == 0 || n >= sizeof tmp)
		die("bad number \"%.*s\"", (int)n, s);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	char *end;
	unsigned long long v = strtoull(tmp, &end, 0);
	if (*end)
		die("bad number \"%s\"", tmp);
	return v;
}

static void parse_data(cu_rec *r, const char *s, size_t n)
{
	if (n < 2 || s[1] != ':')
		die("bad data \"%.*s\"", (int)n, s);
	const char *p = s + 2;
	size_t m = n - 2;
	free(r->data);
	switch (s[0]) {
	case 's': {
		uint16_t *u;
		size_t len;
		parse_units(p, m, &u, &len);
		r->size = (len + 1) * 2;
		r->data = xmalloc(r->size);
		for (size_t i = 0; i <= len; i++)
			regdiff__put_u16(r->data + 2 * i, i < len ? u[i] : 0);
		free(u);
		break;
	}
	case 'x':
		if (m % 2)
			die("odd hex \"%.*s\"", (int)n, s);
		r->size = m / 2;
		r->data = xmalloc(r->size);
		for (size_t i = 0; i < r->size; i++) {
			int hi = hexval(p[2 * i]), lo = hexval(p[2 * i + 1]);
			if (hi < 0 || lo < 0)
				die("bad hex \"%.*s\"", (int)n, s);
			r->data[i] = (uint8_t)(hi * 16 + lo);
		}
		break;
	case 'd':
		r->size = 4;
		r->data = xmalloc(4);
		regdiff__put_u32(r->data, (uint32_t)parse_num(p, m));
		break;
	case 'q':
		r->size = 8;
		r->data = xmalloc(8);
		regdiff__put_u64(r->data, parse_num(p, m));
		break;
	case 'r': {
		const char *colon = memchr(p, ':', m);
		if (!colon)
			die("r:N:SEED expected, got \"%.*s\"", (int)n, s);
		r->size = (size_t)parse_num(p, (size_t)(colon - p));
		r->data = cu_pattern(r->size,
				     (unsigned)parse_num(colon + 1, m - (size_t)(colon + 1 - p)));
		break;
	}
	default:
		die("bad data \"%.*s\"", (int)n, s);
	}
}

static size_t token_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] != ' ')
		i++;
	return i;
}

static int token_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

static void parse_line(cu_tree *t, const char *s, size_t n)
{
	size_t indent = 0;
	while (indent < n && s[indent] == ' ')
		indent++;
	if (indent == n || s[indent] == '#')
		return;
	if (indent % 2)
		die("odd indent in \"%.*s\"", (int)n, s);
	s += indent;
	n -= indent;
	cu_rec *r = new_rec(t);
	size_t i;
	if (s[0] == '=') {
		if (indent == 0)
			die("value at depth 0: \"%.*s\"", (int)n, s);
		r->tag = RDS_REC_VALUE;
		r->depth = (unsigned)(indent / 2 - 1);
		i = 1 + parse_units(s + 1, n - 1, &r->name, &r->name_len);
		while (i < n && s[i] == ' ')
			i++;
		size_t tl = token_len(s + i, n - i);
		r->type = parse_type(s + i, tl);
		i += tl;
		r->data = xmalloc(1);
	} else {
		r->tag = RDS_REC_KEY;
		r->depth = (unsigned)(indent / 2);
		i = parse_units(s, n, &r->name, &r->name_len);
	}
	for (;;) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		const char *tok = s + i;
		size_t tl = token_len(tok, n - i);
		i += tl;
		if (r->tag == RDS_REC_KEY && tok[0] == '@') {
			char tmp[32];
			if (tl < 2 || tl > sizeof tmp - 1)
				die("bad time \"%.*s\"", (int)tl, tok);
			memcpy(tmp, tok + 1, tl - 1);
			tmp[tl - 1] = '\0';
			char *end;
			r->time = strtoll(tmp, &end, 0);
			if (*end)
				die("bad time \"%s\"", tmp);
		} else if (r->tag == RDS_REC_KEY && token_is(tok, tl, "!synthetic")) {
			r->flags |= RDS_KEY_SYNTHETIC;
		} else if (r->tag == RDS_REC_KEY && token_is(tok, tl, "!mount")) {
			r->flags |= RDS_KEY_MOUNT;
		} else if (r->tag == RDS_REC_KEY && token_is(tok, tl, "!hive-root")) {
			r->flags |= RDS_KEY_HIVE_ROOT;
		} else if (r->tag == RDS_REC_KEY && token_is(tok, tl, "!incomplete")) {
			r->flags |= RDS_KEY_INCOMPLETE;
		} else if (r->tag == RDS_REC_KEY && token_is(tok, tl, "!values-unread")) {
			r->flags |= RDS_KEY_INCOMPLETE | RDS_KEY_VALUES_UNREAD;
		} else if (r->tag == RDS_REC_KEY && token_is(tok, tl, "!subkeys-unread")) {
			r->flags |= RDS_KEY_INCOMPLETE | RDS_KEY_SUBKEYS_UNREAD;
		} else if (r->tag == RDS_REC_KEY && tl > 9 && memcmp(tok, "!problem=", 9) == 0) {
			r->problem = xmalloc(tl - 9 + 1);
			memcpy(r->problem, tok + 9, tl - 9);
			r->problem[tl - 9] = '\0';
		} else if (r->tag == RDS_REC_VALUE && token_is(tok, tl, "!unreadable")) {
			r->vflags |= RDS_VALUE_UNREADABLE;
		} else if (r->tag == RDS_REC_VALUE && r->size == 0) {
			parse_data(r, tok, tl);
		} else {
			die("unexpected \"%.*s\" in \"%.*s\"", (int)tl, tok, (int)n, s);
		}
	}
}

void cu_parse(cu_tree *t, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		parse_line(t, text, n);
		text += n + (nl != NULL);
	}
}

void cu_parsef(cu_tree *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	cu_parse(t, s);
	free(s);
}

static void show_name(const cu_rec *r)
{
	regdiff__buf b = {0};
	cu_text_units(&b, r->name, r->name_len);
	xappend(&b, "", 1);
	fprintf(stderr, "  at \"%s\"\n", (char *)b.data);
	regdiff__buf_free(&b);
}

void cu_finish(cu_tree *t)
{
	if (t->finished)
		return;
	size_t stack[RDS_MAX_DEPTH + 2];
	size_t last_value[RDS_MAX_DEPTH + 2], last_key[RDS_MAX_DEPTH + 2];
	size_t open = 0;
	for (size_t i = 0; i < t->n; i++) {
		cu_rec *r = &t->recs[i];
		if (r->tag == RDS_REC_VALUE) {
			/* Builder values follow the last key; description values say. */
			if (r->depth == UINT32_MAX)
				r->depth = open ? (unsigned)(open - 1) : 0;
			if (open == 0 || r->depth != open - 1) {
				show_name(r);
				die("value %zu does not follow its key", i);
			}
			cu_rec *k = &t->recs[stack[open - 1]];
			if (k->nsubkeys) {
				show_name(r);
				die("value %zu after a subkey", i);
			}
			size_t prev = last_value[open - 1];
			if (prev != SIZE_MAX &&
			    regdiff_name_compare(
				(regdiff_name){t->recs[prev].name, t->recs[prev].name_len},
				(regdiff_name){r->name, r->name_len}) > 0) {
				show_name(r);
				die("value %zu out of canonical order", i);
			}
			last_value[open - 1] = i;
			r->parent = stack[open - 1];
			k->nvalues++;
			if (r->vflags & RDS_VALUE_UNREADABLE)
				k->eflags |= RDS_KEY_SUBTREE_INCOMPLETE;
			r->path = k->path;
			r->path_len = k->path_len;
			continue;
		}
		if (r->depth > open || r->depth > RDS_MAX_DEPTH) {
			show_name(r);
			die("key %zu too deep for its place", i);
		}
		while (open > r->depth)
			t->recs[stack[--open]].end = i;
		if (open) {
			size_t prev = last_key[open - 1];
			if (prev != SIZE_MAX &&
			    regdiff_name_compare(
				(regdiff_name){t->recs[prev].name, t->recs[prev].name_len},
				(regdiff_name){r->name, r->name_len}) > 0) {
				show_name(r);
				die("key %zu out of canonical order", i);
			}
			last_key[open - 1] = i;
			r->parent = stack[open - 1];
			t->recs[r->parent].nsubkeys++;
		}
		r->eflags |= r->flags & (RDS_KEY_SYNTHETIC | RDS_KEY_MOUNT | RDS_KEY_HIVE_ROOT |
					 RDS_KEY_UNREAD);
		const cu_rec *p = open ? &t->recs[r->parent] : NULL;
		r->path_len = (p ? p->path_len + 1 : 0) + r->name_len;
		r->path = xmalloc(r->path_len * sizeof *r->path);
		if (p) {
			memcpy(r->path, p->path, p->path_len * sizeof *r->path);
			r->path[p->path_len] = '\\';
		}
		memcpy(r->path + r->path_len - r->name_len, r->name, r->name_len * sizeof *r->name);
		stack[open] = i;
		last_value[open] = last_key[open] = SIZE_MAX;
		open++;
	}
	while (open > 0)
		t->recs[stack[--open]].end = t->n;
	/* Children follow their parents, so one backward pass carries
	 * incompleteness all the way up. */
	for (size_t i = t->n; i-- > 0;) {
		cu_rec *r = &t->recs[i];
		if (r->tag != RDS_REC_KEY)
			continue;
		if (r->eflags & RDS_KEY_UNREAD)
			r->eflags |= RDS_KEY_SUBTREE_INCOMPLETE;
		if ((r->eflags & RDS_KEY_SUBTREE_INCOMPLETE) && r->parent != SIZE_MAX)
			t->recs[r->parent].eflags |= RDS_KEY_SUBTREE_INCOMPLETE;
	}
	t->finished = 1;
}

void cu_tree_free(cu_tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		cu_rec *r = &t->recs[i];
		free(r->name);
		free(r->data);
		free(r->problem);
		if (r->tag == RDS_REC_KEY)
			free(r->path);
	}
	free(t->recs);
	memset(t, 0, sizeof *t);
}

size_t cu_find(cu_tree *t, const char *path)
{
	cu_finish(t);
	uint16_t *u;
	size_t n;
	size_t len = strlen(path);
	/* '\' is not special to parse_units; a path has no spaces. */
	parse_units(path, len, &u, &n);
	for (size_t i = 0; i < t->n; i++) {
		const cu_rec *r = &t->recs[i];
		if (r->tag == RDS_REC_KEY && r->path_len == n &&
		    memcmp(r->path, u, n * sizeof *u) == 0) {
			free(u);
			return i;
		}
	}
	die("no key %s", path);
	return SIZE_MAX;
}

/* ---- writing and reading ---- */

static const char *const default_mounts[] = {"HKLM\\SOFTWARE", "HKU\\alice"};
static const char *const default_kinds[] = {"hive", "live"};
static const char *const default_locations[] = {"/hives/SOFTWARE", "HKU\\S-1-5-21-1"};

const regdiff__meta cu_default_meta = {
    "regdiff test", INT64_C(132000000000000000), "TESTPC", "alice", NULL, -1, 2, default_mounts,
    default_kinds,  default_locations,		 NULL};

static char *path_utf8(const cu_rec *r)
{
	char *s;
	if (regdiff_name_to_utf8(&s, NULL, (regdiff_name){r->path, r->path_len}, REGDIFF_TEXT_SAFE))
		die("path not convertible");
	return s;
}

unsigned cu_format_version = RDS_FORMAT_VERSION;

int cu_write(cu_tree *t, const regdiff__meta *meta, int level, regdiff__buf *out)
{
	cu_finish(t);
	out->len = 0;
	regdiff__writer *w;
	int rc =
	    regdiff__writer_new_version(&w, tu_buf_write, out, "(test)", level, cu_format_version);
	if (rc)
		return rc;
	size_t open = 0;
	for (size_t i = 0; i < t->n && !rc; i++) {
		const cu_rec *r = &t->recs[i];
		size_t keep = r->tag == RDS_REC_KEY ? r->depth : r->depth + 1;
		while (!rc && open > keep) {
			rc = regdiff__writer_key_end(w);
			open--;
		}
		if (rc)
			break;
		if (r->tag == RDS_REC_VALUE) {
			rc = regdiff__writer_value(w, r->name, r->name_len, r->type, r->data,
						   r->size, r->vflags);
			continue;
		}
		rc = regdiff__writer_key_begin(w, r->name, r->name_len, r->time, r->nvalues,
					       r->nsubkeys, r->flags);
		open++;
		if (!rc && r->problem) {
			char *p = path_utf8(r);
			rc = regdiff__writer_problem(w, p, r->problem);
			regdiff_free(p);
		}
	}
	while (!rc && open > 0) {
		rc = regdiff__writer_key_end(w);
		open--;
	}
	if (!rc)
		rc = regdiff__writer_finish(w, meta ? meta : &cu_default_meta);
	regdiff__writer_free(w);
	return rc;
}

regdiff_snapshot *cu_snapshot(cu_tree *t, regdiff__buf *out)
{
	int rc = cu_write(t, NULL, 0, out);
	if (rc)
		die("writing failed: %d %s", rc, regdiff_error_message());
	regdiff_snapshot *s;
	rc = regdiff_snapshot_open_memory(&s, out->data, out->len);
	if (rc)
		die("opening failed: %d %s", rc, regdiff_error_message());
	return s;
}

regdiff_snapshot *cu_snapshot_of(const char *text, regdiff__buf *out)
{
	cu_tree t = {0};
	cu_parse(&t, text);
	regdiff_snapshot *s = cu_snapshot(&t, out);
	cu_tree_free(&t);
	return s;
}

static int mismatch(size_t i, const char *what, unsigned long long got, unsigned long long want)
{
	fprintf(stderr, "  record %zu: %s is %llu, expected %llu\n", i, what, got, want);
	tu_failures++;
	return 1;
}

static int units_differ(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
	return alen != blen || (alen && memcmp(a, b, alen * sizeof *a) != 0);
}

int cu_check_records(regdiff_snapshot *snap, cu_tree *t)
{
	cu_finish(t);
	regdiff__reader *r;
	int rc = regdiff__reader_new(&r, snap);
	if (rc) {
		fprintf(stderr, "  reader_new: %s\n", regdiff_error_message());
		tu_failures++;
		return 1;
	}
	int bad = 0;
	size_t i = 0;
	const regdiff__record *rec;
	while ((rc = regdiff__reader_next(r, &rec)) == 0 && bad < 20) {
		if (i >= t->n) {
			bad += mismatch(i, "record count", i + 1, t->n);
			break;
		}
		const cu_rec *e = &t->recs[i];
		if (rec->ordinal != i)
			bad += mismatch(i, "ordinal", rec->ordinal, i);
		if (rec->tag != e->tag) {
			bad += mismatch(i, "tag", (unsigned)rec->tag, (unsigned)e->tag);
			break;
		}
		if (units_differ(rec->name, rec->name_len, e->name, e->name_len))
			bad += mismatch(i, "name (length)", rec->name_len, e->name_len);
		if (rec->depth != e->depth)
			bad += mismatch(i, "depth", rec->depth, e->depth);
		size_t plen;
		const uint16_t *path = regdiff__reader_path(r, &plen);
		if (units_differ(path, plen, e->path, e->path_len))
			bad += mismatch(i, "path (length)", plen, e->path_len);
		if (e->tag == RDS_REC_KEY) {
			if (rec->flags != e->eflags)
				bad += mismatch(i, "key flags", rec->flags, e->eflags);
			if (rec->time != e->time)
				bad += mismatch(i, "time", (unsigned long long)rec->time,
						(unsigned long long)e->time);
			if (rec->nvalues != e->nvalues)
				bad += mismatch(i, "values", rec->nvalues, e->nvalues);
			if (rec->nsubkeys != e->nsubkeys)
				bad += mismatch(i, "subkeys", rec->nsubkeys, e->nsubkeys);
			if (rec->end != e->end)
				bad += mismatch(i, "end", rec->end, e->end);
			for (unsigned d = 0; d <= e->depth; d++) {
				/* Each ancestor's path is a prefix of this one. */
				size_t k = i;
				while (t->recs[k].depth != d)
					k = t->recs[k].parent;
				if (regdiff__reader_path_len_at(r, d) != t->recs[k].path_len)
					bad += mismatch(i, "path_len_at",
							regdiff__reader_path_len_at(r, d),
							t->recs[k].path_len);
			}
		} else {
			if (rec->flags != e->vflags)
				bad += mismatch(i, "value flags", rec->flags, e->vflags);
			if (rec->type != e->type)
				bad += mismatch(i, "type", rec->type, e->type);
			if (rec->size != e->size)
				bad += mismatch(i, "size", rec->size, e->size);
			else if (e->size && memcmp(rec->data, e->data, e->size) != 0)
				bad += mismatch(i, "data differs", 1, 0);
		}
		i++;
	}
	if (rc != REGDIFF_ITEROVER && bad < 20) {
		fprintf(stderr, "  reading stopped at record %zu: %d %s\n", i, rc,
			regdiff_error_message());
		tu_failures++;
		bad++;
	} else if (i != t->n && bad < 20) {
		bad += mismatch(i, "records read", i, t->n);
	}
	regdiff__reader_free(r);
	return bad;
}

void cu_read_all(regdiff_snapshot *snap, cu_read *out)
{
	memset(out, 0, sizeof *out);
	regdiff__reader *r;
	out->rc = regdiff__reader_new(&r, snap);
	if (out->rc)
		return;
	size_t cap = 0;
	const regdiff__record *rec;
	while ((out->rc = regdiff__reader_next(r, &rec)) == 0) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 256;
			out->recs = xrealloc(out->recs, cap * sizeof *out->recs);
			out->names = xrealloc(out->names, cap * sizeof *out->names);
			out->data = xrealloc(out->data, cap * sizeof *out->data);
		}
		out->recs[out->n] = *rec;
		out->names[out->n] = xmalloc(rec->name_len * sizeof(uint16_t));
		if (rec->name_len)
			memcpy(out->names[out->n], rec->name, rec->name_len * sizeof(uint16_t));
		out->recs[out->n].name = out->names[out->n];
		out->data[out->n] = NULL;
		if (rec->tag == RDS_REC_VALUE) {
			out->data[out->n] = xmalloc(rec->size);
			if (rec->size)
				memcpy(out->data[out->n], rec->data, rec->size);
			out->recs[out->n].data = out->data[out->n];
		}
		out->n++;
	}
	regdiff__reader_free(r);
}

void cu_read_free(cu_read *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->names[i]);
		free(r->data[i]);
	}
	free(r->recs);
	free(r->names);
	free(r->data);
	memset(r, 0, sizeof *r);
}

/* ---- a source over a tree ---- */

typedef struct tree_source {
	cu_tree *t;
	size_t root;
} tree_source;

static int ts_root(void *impl, uint64_t *node)
{
	*node = ((tree_source *)impl)->root;
	return 0;
}

static int ts_list(void *impl, uint64_t node, regdiff__listing *l, regdiff__problem_fn problem,
		   void *pctx)
{
	(void)problem;
	(void)pctx;
	const cu_tree *t = ((tree_source *)impl)->t;
	const cu_rec *k = &t->recs[node];
	l->time = k->time;
	for (size_t j = (size_t)k->end; j-- > node + 1;) {
		const cu_rec *r = &t->recs[j];
		if (r->parent != node)
			continue;
		int rc = regdiff__listing_add(l, r->tag == RDS_REC_KEY, r->name, r->name_len, j);
		if (rc)
			return rc;
	}
	return 0;
}

static int ts_value(void *impl, uint64_t node, uint64_t id, uint32_t *type, uint64_t *declared,
		    regdiff__buf *data)
{
	(void)node;
	(void)declared;
	const cu_rec *r = &((tree_source *)impl)->t->recs[id];
	if (r->vflags & RDS_VALUE_UNREADABLE)
		return regdiff__error(REGDIFF_EHIVE, "test value unreadable");
	*type = r->type;
	return regdiff__buf_append(data, r->data, r->size);
}

static int ts_open_child(void *impl, uint64_t parent, uint64_t id, uint64_t *child)
{
	(void)impl;
	(void)parent;
	*child = id;
	return 0;
}

static void ts_close(void *impl, uint64_t node)
{
	(void)impl;
	(void)node;
}

static int ts_meta(void *impl, char **computer, char **user)
{
	(void)impl;
	*computer = regdiff__strdup("TREEPC");
	*user = NULL;
	return *computer ? 0 : REGDIFF_ENOMEM;
}

static void ts_free(void *impl)
{
	free(impl);
}

static const regdiff__source_ops tree_ops = {.kind = REGDIFF_KIND_HIVE,
					     .root = ts_root,
					     .list = ts_list,
					     .value = ts_value,
					     .open_child = ts_open_child,
					     .close = ts_close,
					     .meta = ts_meta,
					     .free = ts_free};

int cu_source(regdiff_source **out, cu_tree *t, size_t root, const char *mount,
	      const char *location)
{
	cu_finish(t);
	tree_source *ts = xmalloc(sizeof *ts);
	ts->t = t;
	ts->root = root;
	return regdiff__source_new(out, &tree_ops, ts, mount, location);
}

/* ---- changes as text ---- */

void cu_text_units(regdiff__buf *b, const uint16_t *u, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char tmp[8];
		if (u[i] >= 0x21 && u[i] < 0x7f && u[i] != '%')
			snprintf(tmp, sizeof tmp, "%c", (char)u[i]);
		else
			snprintf(tmp, sizeof tmp, "%%%04X", (unsigned)u[i]);
		xappend(b, tmp, strlen(tmp));
	}
}

static void text_data(regdiff__buf *b, const regdiff_data *d)
{
	if (d->type < NTYPES)
		regdiff__buf_printf(b, "%s ", type_names[d->type]);
	else
		regdiff__buf_printf(b, "0x%X ", (unsigned)d->type);
	const uint8_t *p = d->bytes;
	size_t n = d->len;
	if (n == 0) {
		xappend(b, "-", 1);
		return;
	}
	int text = d->type == REGDIFF_REG_SZ || d->type == REGDIFF_REG_EXPAND_SZ ||
		   d->type == REGDIFF_REG_MULTI_SZ;
	if (text && n % 2 == 0 && regdiff__get_u16(p + n - 2) == 0 && n <= 256) {
		xappend(b, "s:", 2);
		for (size_t i = 0; i + 2 < n; i += 2) {
			uint16_t u = regdiff__get_u16(p + i);
			cu_text_units(b, &u, 1);
		}
	} else if (d->type == REGDIFF_REG_DWORD && n == 4) {
		regdiff__buf_printf(b, "d:%u", (unsigned)regdiff__get_u32(p));
	} else if (d->type == REGDIFF_REG_QWORD && n == 8) {
		regdiff__buf_printf(b, "q:%llu", (unsigned long long)regdiff__get_u64(p));
	} else if (n <= 32) {
		xappend(b, "x:", 2);
		for (size_t i = 0; i < n; i++)
			regdiff__buf_printf(b, "%02x", p[i]);
	} else {
		regdiff__buf_printf(b, "<%zu bytes %016llx>", n,
				    (unsigned long long)XXH3_64bits(p, n));
	}
}

char *cu_diff_text(regdiff_snapshot *before, regdiff_snapshot *after, unsigned flags, int *rc)
{
	regdiff_diff_options o = REGDIFF_DIFF_OPTIONS_INIT;
	o.flags = flags;
	return cu_diff_text_opts(before, after, &o, rc);
}

char *cu_diff_text_opts(regdiff_snapshot *before, regdiff_snapshot *after,
			const regdiff_diff_options *o, int *rc)
{
	regdiff_diff *d;
	regdiff__buf b = {0};
	*rc = regdiff_diff_new(&d, before, after, o);
	if (*rc == 0) {
		const regdiff_change *c;
		while ((*rc = regdiff_diff_next(&c, d)) == 0) {
			static const char *const ops[] = {"?",	  "-key", "+key", "-val",
							  "+val", "~val", "~key", "?cmp"};
			regdiff__buf_printf(&b, "%s ",
					    c->op >= 1 && c->op <= 7 ? ops[c->op] : "?op");
			cu_text_units(&b, c->key.units, c->key.len);
			if (c->op == REGDIFF_KEY_ADDED || c->op == REGDIFF_KEY_DELETED ||
			    c->op == REGDIFF_KEY_MODIFIED) {
				regdiff__buf_printf(&b, " @%lld>%lld", (long long)c->old_time,
						    (long long)c->new_time);
			} else if (c->op == REGDIFF_NOT_COMPARED) {
				xappend(&b, " :", 2);
				cu_text_units(&b, c->value.units, c->value.len);
				regdiff__buf_printf(&b, " not_read=0x%x", c->not_read);
			} else {
				xappend(&b, " :", 2);
				cu_text_units(&b, c->value.units, c->value.len);
				xappend(&b, " ", 1);
				text_data(&b, c->op == REGDIFF_VALUE_ADDED ? &c->new_data
									   : &c->old_data);
				if (c->op == REGDIFF_VALUE_MODIFIED) {
					xappend(&b, " > ", 3);
					text_data(&b, &c->new_data);
				}
			}
			xappend(&b, "\n", 1);
		}
		regdiff_diff_free(d);
	}
	xappend(&b, "", 1);
	return (char *)b.data;
}

/* ---- raw files ---- */

static void inflate_to(regdiff__buf *out, const uint8_t *z, size_t zlen, size_t usize)
{
	out->len = 0;
	if (regdiff__buf_reserve(out, usize + 1))
		die("out of memory");
	regdiff__inflater *inf;
	if (regdiff__inflater_new(&inf) || regdiff__inflater_run(inf, out->data, usize, z, zlen))
		die("cu_unpack: block does not inflate");
	regdiff__inflater_free(inf);
	out->len = usize;
}

void cu_unpack(const uint8_t *file, size_t len, cu_unpacked *u)
{
	memset(u, 0, sizeof *u);
	u->drop_index = SIZE_MAX;
	if (len < RDS_HEADER_SIZE + RDS_TRAILER_SIZE)
		die("cu_unpack: too short");
	memcpy(u->header, file, RDS_HEADER_SIZE);
	const uint8_t *t = file + len - RDS_TRAILER_SIZE;
	u->footer_offset = regdiff__get_u64(t + 8);
	uint64_t nblocks = regdiff__get_u64(t + 24);
	u->blocks = xmalloc(nblocks * sizeof *u->blocks);
	u->block_offsets = xmalloc(nblocks * sizeof *u->block_offsets);
	uint64_t off = RDS_HEADER_SIZE;
	regdiff__buf f = {0};
	u->tables = xmalloc((len / RDS_BLOCK_HEADER_SIZE + 1) * sizeof *u->tables);
	for (uint64_t i = 0; i <= nblocks;) {
		const uint8_t *h = file + off;
		uint32_t csize = regdiff__get_u32(h + 8), usize = regdiff__get_u32(h + 12);
		if (off + RDS_BLOCK_HEADER_SIZE + csize > len)
			die("cu_unpack: block past the end");
		if (regdiff__get_u32(h + 4) == RDS_BLOCK_TABLES) {
			cu_block *b = &u->tables[u->ntables++];
			memset(b, 0, sizeof *b);
			b->records = regdiff__get_u32(h + 16);
			inflate_to(&b->raw, h + RDS_BLOCK_HEADER_SIZE, csize, usize);
			off += RDS_BLOCK_HEADER_SIZE + csize;
			continue;
		}
		if (i == nblocks) {
			if (off != u->footer_offset)
				die("cu_unpack: footer not after the blocks");
			inflate_to(&f, h + RDS_BLOCK_HEADER_SIZE, csize, usize);
			break;
		}
		cu_block *b = &u->blocks[i];
		memset(b, 0, sizeof *b);
		b->records = regdiff__get_u32(h + 16);
		inflate_to(&b->raw, h + RDS_BLOCK_HEADER_SIZE, csize, usize);
		u->block_offsets[i] = off;
		u->nblocks++;
		off += RDS_BLOCK_HEADER_SIZE + csize;
		i++;
	}
	size_t cap = 0;
	for (size_t pos = 0; pos < f.len;) {
		uint16_t tag = regdiff__get_u16(f.data + pos);
		uint32_t n = regdiff__get_u32(f.data + pos + 2);
		if (u->ntlvs == cap) {
			cap = cap ? cap * 2 : 32;
			u->tlvs = xrealloc(u->tlvs, cap * sizeof *u->tlvs);
		}
		cu_tlv *e = &u->tlvs[u->ntlvs++];
		memset(e, 0, sizeof *e);
		e->tag = tag;
		xappend(&e->bytes, f.data + pos + 6, n);
		pos += 6 + (size_t)n;
	}
	regdiff__buf_free(&f);
}

static void put_block(regdiff__buf *out, uint32_t kind, const regdiff__buf *raw, uint32_t records,
		      uint32_t *csize, uint64_t *hash)
{
	size_t start = out->len;
	if (regdiff__buf_reserve(out, RDS_BLOCK_HEADER_SIZE))
		die("out of memory");
	out->len += RDS_BLOCK_HEADER_SIZE;
	if (regdiff__deflate_raw(out, raw->data, raw->len, 1))
		die("compress failed");
	uint8_t *h = out->data + start;
	size_t clen = out->len - start - RDS_BLOCK_HEADER_SIZE;
	memset(h, 0, RDS_BLOCK_HEADER_SIZE);
	regdiff__put_u32(h, RDS_BLOCK_MAGIC);
	regdiff__put_u32(h + 4, kind);
	regdiff__put_u32(h + 8, (uint32_t)clen);
	regdiff__put_u32(h + 12, (uint32_t)raw->len);
	regdiff__put_u32(h + 16, records);
	XXH3_state_t *st = XXH3_createState();
	XXH3_64bits_reset(st);
	XXH3_64bits_update(st, h, 24);
	XXH3_64bits_update(st, h + RDS_BLOCK_HEADER_SIZE, clen);
	*hash = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	regdiff__put_u64(h + 24, *hash);
	*csize = (uint32_t)clen;
}

static void put_tlv(regdiff__buf *b, uint16_t tag, const void *p, size_t n)
{
	uint8_t h[6];
	regdiff__put_u16(h, tag);
	regdiff__put_u32(h + 2, (uint32_t)n);
	xappend(b, h, 6);
	xappend(b, p, n);
}

void cu_pack(const cu_unpacked *u, regdiff__buf *out)
{
	out->len = 0;
	xappend(out, u->header, RDS_HEADER_SIZE);
	regdiff__buf index = {0};
	uint64_t first = 0;
	for (size_t i = 0; i < u->nblocks; i++) {
		uint64_t off = out->len, hash;
		uint32_t csize;
		put_block(out, RDS_BLOCK_RECORDS, &u->blocks[i].raw, u->blocks[i].records, &csize,
			  &hash);
		uint8_t e[RDS_TLV_BLOCK_SIZE];
		regdiff__put_u64(e, off);
		regdiff__put_u64(e + 8, first);
		regdiff__put_u32(e + 16, u->blocks[i].records);
		regdiff__put_u32(e + 20, csize);
		regdiff__put_u64(e + 24, hash);
		if (i != u->drop_index)
			put_tlv(&index, RDS_TLV_BLOCK, e, sizeof e);
		first += u->blocks[i].records;
	}
	regdiff__buf tindex = {0};
	for (size_t i = 0; i < u->ntables; i++) {
		uint64_t off = out->len, hash;
		uint32_t csize;
		put_block(out, RDS_BLOCK_TABLES, &u->tables[i].raw, u->tables[i].records, &csize,
			  &hash);
		uint8_t e[RDS_TLV_TABLE_BLOCK_SIZE];
		regdiff__put_u64(e, off);
		regdiff__put_u32(e + 8, csize);
		regdiff__put_u32(e + 12, u->tables[i].records);
		regdiff__put_u64(e + 16, hash);
		put_tlv(&tindex, RDS_TLV_TABLE_BLOCK, e, sizeof e);
	}
	regdiff__buf f = {0};
	int index_done = 0;
	for (size_t i = 0; i < u->ntlvs; i++) {
		if (u->tlvs[i].tag == RDS_TLV_BLOCK) {
			if (!index_done)
				xappend(&f, index.data, index.len);
			index_done = 1;
			continue;
		}
		if (u->tlvs[i].tag == RDS_TLV_TABLE_BLOCK)
			continue;
		put_tlv(&f, u->tlvs[i].tag, u->tlvs[i].bytes.data, u->tlvs[i].bytes.len);
	}
	if (!index_done)
		xappend(&f, index.data, index.len);
	xappend(&f, tindex.data, tindex.len);
	regdiff__buf_free(&tindex);
	uint64_t footer = out->len, hash;
	uint32_t csize;
	put_block(out, RDS_BLOCK_FOOTER, &f, 0, &csize, &hash);
	uint8_t t[RDS_TRAILER_SIZE] = {0};
	memcpy(t, RDS_TRAILER_MAGIC, 8);
	regdiff__put_u64(t + 8, footer);
	regdiff__put_u64(t + 16, out->len + RDS_TRAILER_SIZE);
	regdiff__put_u64(t + 24, u->nblocks);
	regdiff__put_u64(t + 40, XXH3_64bits(t, 40));
	xappend(out, t, sizeof t);
	regdiff__buf_free(&index);
	regdiff__buf_free(&f);
}

void cu_unpacked_free(cu_unpacked *u)
{
	for (size_t i = 0; i < u->nblocks; i++)
		regdiff__buf_free(&u->blocks[i].raw);
	for (size_t i = 0; i < u->ntables; i++)
		regdiff__buf_free(&u->tables[i].raw);
	free(u->tables);
	for (size_t i = 0; i < u->ntlvs; i++)
		regdiff__buf_free(&u->tlvs[i].bytes);
	free(u->blocks);
	free(u->block_offsets);
	free(u->tlvs);
	memset(u, 0, sizeof *u);
}

cu_tlv *cu_tlv_find(cu_unpacked *u, uint16_t tag)
{
	for (size_t i = 0; i < u->ntlvs; i++)
		if (u->tlvs[i].tag == tag)
			return &u->tlvs[i];
	return NULL;
}

size_t cu_record_size(const uint8_t *p)
{
	if (p[0] == RDS_REC_KEY)
		return RDS_KEY_FIXED + 2 * (size_t)regdiff__get_u16(p + 4);
	return RDS_VALUE_FIXED + 2 * (size_t)regdiff__get_u16(p + 2) + regdiff__get_u32(p + 8);
}

void cu_write_file(const char *path, const void *p, size_t n)
{
	if (!tu_write_file(path, p, n))
		die("cannot write %s", path);
}
