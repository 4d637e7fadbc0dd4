/* mkhive's description parser: the line format documented in
 * fixtures/README.md, read into the model of mkhive.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkhive.h"

#define SEP 0x110000u /* a literal '\\' in a key path: beyond any code point */
#define MAX_DATA (16u << 20)

struct token {
	int quoted;
	const char *s;
	size_t len;
};

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static int word_is(const struct token *t, const char *w)
{
	return !t->quoted && strlen(w) == t->len && memcmp(t->s, w, t->len) == 0;
}

/* Decodes one UTF-8 sequence at s (n bytes left); returns its length. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len = s[0] < 0x80       ? 1
		     : s[0] >> 5 == 6  ? 2
		     : s[0] >> 4 == 14 ? 3
		     : s[0] >> 3 == 30 ? 4
				       : 0;
	if (len == 0 || len > n)
		die("invalid UTF-8");
	uint32_t c = len == 1 ? s[0] : s[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if (s[i] >> 6 != 2)
			die("invalid UTF-8");
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		die("invalid UTF-8 (write surrogates as \\u{D800})");
	*cp = c;
	return len;
}

static void push_cp(uint32_t *out, size_t *n, uint32_t c)
{
	if (c >= 0x10000 && c != SEP) {
		out[(*n)++] = 0xD800 + ((c - 0x10000) >> 10);
		out[(*n)++] = 0xDC00 + ((c - 0x10000) & 0x3FF);
	} else {
		out[(*n)++] = c;
	}
}

/* A quoted token's text as UTF-16 units: UTF-8, plus \u{X} for one code
 * point or one lone code unit. Every other backslash is a literal one,
 * marked SEP when split (key paths) so it can separate components. */
static uint32_t *decode(const struct token *t, int split, size_t *n)
{
	const unsigned char *s = (const unsigned char *)t->s;
	uint32_t *out = xcalloc(t->len + 1, sizeof(uint32_t));
	*n = 0;
	for (size_t i = 0; i < t->len;) {
		uint32_t c;
		if (s[i] == '\\' && i + 2 < t->len && s[i + 1] == 'u' && s[i + 2] == '{') {
			size_t j = i + 3;
			c = 0;
			while (j < t->len && s[j] != '}') {
				const char *hex = "0123456789abcdef", *d;
				int ch = s[j] >= 'A' && s[j] <= 'F' ? s[j] + 32 : s[j];
				d = ch ? strchr(hex, ch) : NULL;
				if (!d || j - i > 9)
					die("bad \\u{...} escape");
				c = c << 4 | (uint32_t)(d - hex);
				j++;
			}
			if (j == t->len || j == i + 3 || c > 0x10FFFF)
				die("bad \\u{...} escape");
			i = j + 1;
		} else if (s[i] == '\\') {
			c = split ? SEP : '\\';
			i++;
		} else {
			i += utf8_decode(s + i, t->len - i, &c);
		}
		push_cp(out, n, c);
	}
	return out;
}

static struct name units_to_name(const uint32_t *u, size_t n)
{
	struct name a = {xcalloc(n, sizeof(uint16_t)), n};
	for (size_t i = 0; i < n; i++)
		a.u[i] = u[i] == SEP ? '\\' : (uint16_t)u[i];
	return a;
}

static struct name string_name(const struct token *t)
{
	size_t n;
	if (!t->quoted)
		die("expected a quoted string, not '%.*s'", (int)t->len, t->s);
	uint32_t *u = decode(t, 0, &n);
	struct name a = units_to_name(u, n);
	free(u);
	return a;
}

static int parse_number(const struct token *t, uint64_t *v)
{
	const char *s = t->s;
	size_t i = 0;
	unsigned base = 10;
	if (t->quoted || t->len == 0)
		return 0;
	if (t->len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	*v = 0;
	for (; i < t->len; i++) {
		unsigned d;
		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else
			return 0;
		if (*v > (UINT64_MAX - d) / base)
			die("number too large: %.*s", (int)t->len, s);
		*v = *v * base + d;
	}
	return 1;
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* A FILETIME: YYYY-MM-DDTHH:MM:SS[.fffffff]Z (UTC), or the raw number. */
static int64_t parse_time(const struct token *t)
{
	uint64_t raw;
	int y, mo, d, h, mi, s, used = 0;
	char buf[40];
	if (parse_number(t, &raw)) {
		if (raw > INT64_MAX)
			die("time out of range");
		return (int64_t)raw;
	}
	if (t->quoted || t->len >= sizeof buf)
		die("bad time '%.*s'", (int)t->len, t->s);
	memcpy(buf, t->s, t->len);
	buf[t->len] = 0;
	if (sscanf(buf, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) != 6 ||
	    y < 1601 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
		die("bad time '%s' (want YYYY-MM-DDTHH:MM:SSZ)", buf);
	int64_t frac = 0, scale = 1000000;
	const char *p = buf + used;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && scale > 0; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (strcmp(p, "Z") != 0)
		die("bad time '%s' (want YYYY-MM-DDTHH:MM:SS[.fffffff]Z)", buf);
	int64_t secs = (days_from_civil(y, mo, d) + 134774) * 86400 + h * 3600 + mi * 60 + s;
	return secs * 10000000 + frac;
}

static uint32_t parse_type(const struct token *t)
{
	static const char *names[] = {"REG_NONE",
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
				      "REG_QWORD"};
	uint64_t v;
	for (uint32_t i = 0; i < sizeof names / sizeof *names; i++)
		if (word_is(t, names[i]))
			return i;
	if (!parse_number(t, &v) || v > UINT32_MAX)
		die("bad type '%.*s' (REG_NONE..REG_QWORD or a number)", (int)t->len, t->s);
	return (uint32_t)v;
}

struct bytes {
	uint8_t *p;
	size_t len;
};

static void put_bytes(struct bytes *b, const void *d, size_t n)
{
	if (n > MAX_DATA || b->len > MAX_DATA - n)
		die("data longer than %u bytes", MAX_DATA);
	b->p = xrealloc(b->p, b->len + n);
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void put_utf16(struct bytes *b, const struct token *t, int terminate)
{
	struct name a = string_name(t);
	for (size_t i = 0; i < a.n + (terminate != 0); i++) {
		uint8_t u[2];
		put_le(u, i < a.n ? a.u[i] : 0, 2);
		put_bytes(b, u, 2);
	}
	free(a.u);
}

static int is_hex_word(const struct token *t)
{
	if (t->quoted)
		return 0;
	for (size_t i = 0; i < t->len; i++)
		if (!strchr("0123456789abcdefABCDEF", t->s[i]))
			return 0;
	return t->len > 0;
}

static void hex_bytes(struct bytes *b, const struct token *t)
{
	if (t->len % 2)
		die("odd number of hex digits in '%.*s'", (int)t->len, t->s);
	for (size_t i = 0; i < t->len; i += 2) {
		char two[3] = {t->s[i], t->s[i + 1], 0};
		uint8_t byte = (uint8_t)strtoul(two, NULL, 16);
		put_bytes(b, &byte, 1);
	}
}

/* Value data: a number for REG_DWORD, REG_DWORD_BIG_ENDIAN and REG_QWORD,
 * "empty", or a run of pieces: "text", utf16 "text", multi "a" "b" ...,
 * hex 01 02 ..., repeat COUNT HEX. */
static struct bytes parse_data(uint32_t type, const struct token *t, size_t n)
{
	struct bytes b = {NULL, 0};
	uint64_t v;
	if (n == 0)
		die("missing data");
	if (n == 1 && word_is(&t[0], "empty"))
		return b;
	if (n == 1 && (type == 4 || type == 5 || type == 11) && parse_number(&t[0], &v)) {
		uint8_t le[8];
		if (type != 11 && v > UINT32_MAX)
			die("number does not fit a dword");
		if (type == 5)
			v = (v >> 24 & 0xFF) | (v >> 8 & 0xFF00) | (v << 8 & 0xFF0000) |
			    (v << 24 & 0xFF000000);
		put_le(le, v, 8);
		put_bytes(&b, le, type == 11 ? 8 : 4);
		return b;
	}
	for (size_t i = 0; i < n;) {
		if (t[i].quoted) {
			put_utf16(&b, &t[i++], 1);
		} else if (word_is(&t[i], "utf16") && i + 1 < n) {
			put_utf16(&b, &t[i + 1], 0);
			i += 2;
		} else if (word_is(&t[i], "multi")) {
			for (i++; i < n && t[i].quoted; i++)
				put_utf16(&b, &t[i], 1);
			put_bytes(&b, "\0", 2);
		} else if (word_is(&t[i], "hex")) {
			for (i++; i < n && is_hex_word(&t[i]); i++)
				hex_bytes(&b, &t[i]);
		} else if (word_is(&t[i], "repeat") && i + 2 < n && is_hex_word(&t[i + 2])) {
			struct bytes pat = {NULL, 0};
			if (!parse_number(&t[i + 1], &v) || v > MAX_DATA)
				die("bad repeat count '%.*s'", (int)t[i + 1].len, t[i + 1].s);
			hex_bytes(&pat, &t[i + 2]);
			uint8_t *run = xcalloc(v, 1);
			for (size_t k = 0; k < v; k++)
				run[k] = pat.p[k % pat.len];
			put_bytes(&b, run, v);
			free(run);
			free(pat.p);
			i += 3;
		} else {
			die("unexpected '%.*s' in data", (int)t[i].len, t[i].s);
		}
	}
	return b;
}

static struct key *new_key(struct key *parent, struct name name)
{
	struct key *k = xcalloc(1, sizeof *k);
	k->name = name;
	k->parent = parent;
	k->time = FILETIME_2020;
	parent->kids = xrealloc(parent->kids, (parent->nkids + 1) * sizeof *parent->kids);
	parent->kids[parent->nkids++] = k;
	return k;
}

/* The key at PATH (components split at '\'), created with its parents as
 * needed. Names match as Windows matches them, ignoring case. */
static struct key *find_key(struct key *root, const struct token *t)
{
	size_t n, start = 0;
	uint32_t *u = decode(t, 1, &n);
	struct key *k = root;
	while (n > 0 && start <= n) {
		size_t end = start;
		while (end < n && u[end] != SEP)
			end++;
		if (end == start)
			die("empty key name in path");
		/* A '\' written \u{5C} stays in the name: Windows forbids it,
		 * hostile hives hold it. */
		struct name comp = units_to_name(u + start, end - start);
		if (stored_len(comp) > UINT16_MAX)
			die("key name too long");
		struct key *next = NULL;
		for (size_t i = 0; i < k->nkids && !next; i++)
			if (name_cmp(k->kids[i]->name, comp) == 0)
				next = k->kids[i];
		if (next)
			free(comp.u);
		else
			next = new_key(k, comp);
		k = next;
		start = end + 1;
	}
	free(u);
	return k;
}

static void add_value(struct key *k, const struct token *t, size_t n)
{
	if (n < 3)
		die("usage: value NAME TYPE DATA...");
	struct value v = {{NULL, 0}, 0, NULL, 0, desc_line, 0};
	if (!word_is(&t[0], "@"))
		v.name = string_name(&t[0]);
	if (stored_len(v.name) > UINT16_MAX)
		die("value name too long");
	for (size_t i = 0; i < k->nvals; i++)
		if (name_cmp(k->vals[i].name, v.name) == 0)
			die("value already set on line %d", k->vals[i].line);
	v.type = parse_type(&t[1]);
	struct bytes b = parse_data(v.type, t + 2, n - 2);
	v.data = b.p;
	v.len = b.len;
	k->vals = xrealloc(k->vals, (k->nvals + 1) * sizeof *k->vals);
	k->vals[k->nvals++] = v;
}

static size_t tokenize(char *line, struct token **toks, size_t *cap)
{
	size_t n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == 0 || *p == '#')
			return n;
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*toks = xrealloc(*toks, *cap * sizeof **toks);
		}
		struct token *t = &(*toks)[n++];
		t->quoted = *p == '"';
		if (t->quoted) {
			char *end = strchr(p + 1, '"');
			if (!end)
				die("unterminated string");
			t->s = p + 1;
			t->len = (size_t)(end - p - 1);
			p = end + 1;
			if (*p && *p != ' ' && *p != '\t')
				die("a string must be followed by a space");
		} else {
			t->s = p;
			while (*p && *p != ' ' && *p != '\t' && *p != '"')
				p++;
			t->len = (size_t)(p - t->s);
		}
	}
}

void parse_description(const char *path, struct desc *d)
{
	size_t len, cap = 0;
	char *text = read_file(path, &len), *line = text;
	struct token *t = NULL;
	struct key *cur = NULL;
	if (strlen(text) != len)
		die("%s: NUL byte in the description", path);
	desc_path = path;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = 0;
		desc_line++;
		size_t n = tokenize(line, &t, &cap);
		line = nl ? nl + 1 : NULL;
		if (n == 0)
			continue;
		if (word_is(&t[0], "filename") && n == 2 && !d->seen_filename++) {
			d->filename = string_name(&t[1]);
		} else if (word_is(&t[0], "root") && n == 2 && !d->seen_root++) {
			free(d->root.name.u);
			d->root.name = string_name(&t[1]);
			if (d->root.name.n == 0)
				die("the root key needs a name");
		} else if (word_is(&t[0], "time") && n == 2 && !d->seen_time++) {
			d->time = parse_time(&t[1]);
		} else if (word_is(&t[0], "version") && n == 2 && !d->seen_version++) {
			if (t[1].len != 3 || t[1].s[0] != '1' || t[1].s[1] != '.' ||
			    t[1].s[2] < '3' || t[1].s[2] > '6')
				die("version must be 1.3 .. 1.6");
			d->minor = (uint32_t)(t[1].s[2] - '0');
		} else if (word_is(&t[0], "key") &&
			   (n == 2 || (n == 4 && word_is(&t[2], "time")))) {
			if (!t[1].quoted)
				die("the key path must be quoted (\"\" for the root)");
			cur = find_key(&d->root, &t[1]);
			if (n == 4) {
				int64_t time = parse_time(&t[3]);
				if (cur->time_line && cur->time != time)
					die("key's time already set on line %d", cur->time_line);
				cur->time = time;
				cur->time_line = desc_line;
			}
		} else if (word_is(&t[0], "value")) {
			if (!cur)
				die("value before any key");
			add_value(cur, t + 1, n - 1);
		} else {
			die("unknown or repeated line '%.*s'", (int)t[0].len, t[0].s);
		}
	}
	desc_line = 0;
	free(t);
	free(text);
}
