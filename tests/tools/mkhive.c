/* mkhive - writes a registry hive file from a text description.
 *
 * usage: mkhive DESCRIPTION.txt OUT.hiv
 *
 * The description format is documented in fixtures/README.md. No hive is
 * copied from anywhere: the empty hive (base block, one hbin holding the
 * root key and its security cell) is laid out here byte by byte, keys and
 * values are added with hivex's write API, and the file is then patched
 * where hivex cannot go: names its UTF-8 API cannot carry (NUL, unpaired
 * surrogates), key times (hivex stamps its own), and subkey lists sorted and
 * hashed as Windows keeps them. Last, the file is read back with hivex and
 * compared with the description, so a fixture is exactly what its text says
 * or mkhive fails.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hivex.h>

/* Base block fields. */
enum {
	RB_SIZE = 0x1000,
	RB_SEQ1 = 0x04,
	RB_SEQ2 = 0x08,
	RB_TIME = 0x0C,
	RB_MAJOR = 0x14,
	RB_MINOR = 0x18,
	RB_TYPE = 0x1C,
	RB_FORMAT = 0x20,
	RB_ROOT = 0x24,
	RB_LENGTH = 0x28,
	RB_CLUSTER = 0x2C,
	RB_NAME = 0x30,
	RB_NAME_UNITS = 32, /* 64 bytes, NUL included */
	RB_CHECKSUM = 0x1FC
};

/* hbin header and cell fields, offsets from the start of the hbin or of the
 * cell's size field (which is what hivex's handles point at). */
enum {
	HBIN_SIZE = 0x1000,
	HBIN_HEADER = 0x20,
	HBIN_OFFSET = 0x04,
	HBIN_LENGTH = 0x08,
	HBIN_TIME = 0x14,
	NK_FLAGS = 0x06,
	NK_TIME = 0x08,
	NK_NSUBKEYS = 0x18,
	NK_SUBKEYS = 0x20,
	NK_VSUBKEYS = 0x24,
	NK_VALUES = 0x2C,
	NK_SK = 0x30,
	NK_CLASS = 0x34,
	NK_NAME_LEN = 0x4C,
	NK_NAME = 0x50,
	VK_NAME_LEN = 0x06,
	VK_FLAGS = 0x14,
	VK_NAME = 0x18,
	SK_FLINK = 0x08,
	SK_BLINK = 0x0C,
	SK_REFCOUNT = 0x10,
	SK_DESC_LEN = 0x14,
	SK_DESC = 0x18,
	LH_COUNT = 0x06,
	LH_ENTRIES = 0x08
};

#define NK_HIVE_ENTRY 0x0004
#define NK_NO_DELETE 0x0008
#define NK_COMP_NAME 0x0020
#define VK_COMP_NAME 0x0001

#define FILETIME_2020 132223104000000000LL /* 2020-01-01T00:00:00Z */
#define SEP 0x110000u			   /* a literal '\' in a key path: beyond any code point */
#define MAX_DATA (16u << 20)

/* The root key's security: owner Administrators, group SYSTEM; full control
 * for Administrators and SYSTEM, read for Everyone, all inherited by
 * subkeys. hivex needs the root to have one; Windows needs it valid. */
static const uint8_t root_sd[] = {
    /* SECURITY_DESCRIPTOR_RELATIVE: revision 1, control SE_SELF_RELATIVE |
     * SE_DACL_PRESENT, owner at 92, group at 108, no SACL, DACL at 20 */
    1, 0, 0x04, 0x80, 92, 0, 0, 0, 108, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
    /* ACL: revision 2, size 72, 3 ACEs */
    2, 0, 72, 0, 3, 0, 0, 0,
    /* ACCESS_ALLOWED, CONTAINER_INHERIT, KEY_ALL_ACCESS, S-1-5-32-544 */
    0, 2, 24, 0, 0x3F, 0, 0x0F, 0, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0,
    /* ACCESS_ALLOWED, CONTAINER_INHERIT, KEY_ALL_ACCESS, S-1-5-18 */
    0, 2, 20, 0, 0x3F, 0, 0x0F, 0, 1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
    /* ACCESS_ALLOWED, CONTAINER_INHERIT, KEY_READ, S-1-1-0 */
    0, 2, 20, 0, 0x19, 0, 0x02, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
    /* owner S-1-5-32-544 */
    1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0,
    /* group S-1-5-18 */
    1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};

struct name {
	uint16_t *u;
	size_t n;
};

struct value {
	struct name name;
	uint32_t type;
	uint8_t *data;
	size_t len;
	int line;
	size_t off; /* the vk cell, once written */
};

struct key {
	struct name name;
	struct key *parent;
	struct key **kids;
	size_t nkids;
	struct value *vals;
	size_t nvals;
	int64_t time;
	int time_line; /* where an explicit time was given, 0 if none */
	size_t off;    /* the nk cell, once written */
};

struct desc {
	struct name filename;
	int64_t time;
	uint32_t minor;
	struct key root;
	int seen_filename, seen_root, seen_time, seen_version;
};

struct token {
	int quoted;
	const char *s;
	size_t len;
};

static const char *g_path; /* the description, for messages */
static int g_line;
static char *g_tmp; /* removed when mkhive fails */

#ifdef __GNUC__
__attribute__((format(printf, 1, 2), noreturn))
#endif
static void
die(const char *fmt, ...);

static void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "mkhive: ");
	if (g_line)
		fprintf(stderr, "%s:%d: ", g_path, g_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (g_tmp)
		remove(g_tmp);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		die("out of memory");
	return p;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

/* ---- names ---------------------------------------------------------- */

/* Simple upper-case mapping for ASCII, Latin-1, Latin Extended-A, Greek,
 * Cyrillic and full-width Latin; other units map to themselves. Enough to
 * order and hash the fixtures' names as Windows does. */
static uint16_t upcase(uint16_t c)
{
	if (c < 0x80)
		return c >= 'a' && c <= 'z' ? (uint16_t)(c - 0x20) : c;
	if (c < 0x100) {
		if (c == 0xB5)
			return 0x39C;
		if (c == 0xFF)
			return 0x178;
		return c >= 0xE0 && c != 0xF7 ? (uint16_t)(c - 0x20) : c;
	}
	if (c < 0x180) {
		if (c == 0x131)
			return 'I';
		if (c == 0x17F)
			return 'S';
		if (c <= 0x137 || (c >= 0x14A && c <= 0x177))
			return c & 1 ? (uint16_t)(c - 1) : c;
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return c & 1 ? c : (uint16_t)(c - 1);
		return c;
	}
	if (c == 0x3AC)
		return 0x386;
	if (c >= 0x3AD && c <= 0x3AF)
		return (uint16_t)(c - 0x25);
	if ((c >= 0x3B1 && c <= 0x3C1) || (c >= 0x3C3 && c <= 0x3CB))
		return (uint16_t)(c - 0x20);
	if (c == 0x3C2)
		return 0x3A3;
	if (c == 0x3CC)
		return 0x38C;
	if (c == 0x3CD || c == 0x3CE)
		return (uint16_t)(c - 0x3F);
	if (c >= 0x430 && c <= 0x44F)
		return (uint16_t)(c - 0x20);
	if (c >= 0x450 && c <= 0x45F)
		return (uint16_t)(c - 0x50);
	if (c >= 0xFF41 && c <= 0xFF5A)
		return (uint16_t)(c - 0x20);
	return c;
}

/* Windows' order of sibling names: unit by unit after upper-casing. */
static int name_cmp(struct name a, struct name b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	for (size_t i = 0; i < n; i++) {
		uint16_t x = upcase(a.u[i]), y = upcase(b.u[i]);
		if (x != y)
			return x < y ? -1 : 1;
	}
	return a.n < b.n ? -1 : a.n > b.n;
}

/* The hash Windows keeps beside each entry of an lh subkey list. */
static uint32_t lh_hash(struct name a)
{
	uint32_t h = 0;
	for (size_t i = 0; i < a.n; i++)
		h = h * 37 + upcase(a.u[i]);
	return h;
}

static int is_latin1(struct name a)
{
	for (size_t i = 0; i < a.n; i++)
		if (a.u[i] > 0xFF)
			return 0;
	return 1;
}

/* Whether UTF-8 can carry the name through hivex's API: no NUL (it takes C
 * strings) and no unpaired surrogate. */
static int utf8_expressible(struct name a)
{
	for (size_t i = 0; i < a.n; i++) {
		uint16_t c = a.u[i];
		if (c == 0 || (c >= 0xDC00 && c <= 0xDFFF))
			return 0;
		if (c >= 0xD800 && c <= 0xDBFF) {
			if (i + 1 == a.n || a.u[i + 1] < 0xDC00 || a.u[i + 1] > 0xDFFF)
				return 0;
			i++;
		}
	}
	return 1;
}

/* UTF-8 for a name utf8_expressible() accepts. Caller frees. */
static char *to_utf8(struct name a)
{
	char *s = xcalloc(a.n * 3 + 1, 1), *o = s;
	for (size_t i = 0; i < a.n; i++) {
		uint32_t c = a.u[i];
		if (c >= 0xD800 && c <= 0xDBFF)
			c = 0x10000 + ((c - 0xD800) << 10) + (a.u[++i] - 0xDC00);
		if (c < 0x80) {
			*o++ = (char)c;
		} else if (c < 0x800) {
			*o++ = (char)(0xC0 | c >> 6);
			*o++ = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			*o++ = (char)(0xE0 | c >> 12);
			*o++ = (char)(0x80 | (c >> 6 & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		} else {
			*o++ = (char)(0xF0 | c >> 18);
			*o++ = (char)(0x80 | (c >> 12 & 0x3F));
			*o++ = (char)(0x80 | (c >> 6 & 0x3F));
			*o++ = (char)(0x80 | (c & 0x3F));
		}
	}
	return s;
}

/* Stored form of a name: Latin-1 bytes when every unit fits (the
 * "compressed" flag), else UTF-16LE, as both Windows and hivex choose. */
static size_t stored_len(struct name a)
{
	return is_latin1(a) ? a.n : a.n * 2;
}

static void store_name(uint8_t *p, struct name a)
{
	int latin1 = is_latin1(a);
	for (size_t i = 0; i < a.n; i++) {
		if (latin1)
			p[i] = (uint8_t)a.u[i];
		else
			put16(p + 2 * i, a.u[i]);
	}
}

/* The name hivex is given for a name it cannot take: as long, stored the
 * same way (so the cell fits the real name), and, for keys, different from
 * every sibling. Candidate k spells k in base 36 with digits and capitals,
 * or with CJK ideographs when the name must be stored as UTF-16. */
static struct name placeholder(struct name real, unsigned k)
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	struct name p = {xcalloc(real.n, sizeof(uint16_t)), real.n};
	int latin1 = is_latin1(real);
	for (size_t i = 0; i < p.n; i++) {
		unsigned d = k % 36;
		k /= 36;
		p.u[i] = latin1 ? (uint16_t)digits[d] : (uint16_t)(0x4E00 + d);
	}
	return p;
}

/* ---- parsing -------------------------------------------------------- */

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
		put16(u, i < a.n ? a.u[i] : 0);
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
		put64(le, v);
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
		struct name comp = units_to_name(u + start, end - start);
		for (size_t i = 0; i < comp.n; i++)
			if (comp.u[i] == '\\')
				die("a key name cannot hold a backslash");
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
	struct value v = {{NULL, 0}, 0, NULL, 0, g_line, 0};
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

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("%s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t n = 0, got;
	do {
		buf = xrealloc(buf, n + 65536 + 1);
		got = fread(buf + n, 1, 65536, f);
		n += got;
	} while (got > 0);
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

static void parse(const char *path, struct desc *d)
{
	size_t len, cap = 0;
	char *text = read_file(path, &len), *line = text;
	struct token *t = NULL;
	struct key *cur = NULL;
	if (strlen(text) != len)
		die("%s: NUL byte in the description", path);
	g_path = path;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (nl && nl > line && nl[-1] == '\r')
			nl[-1] = 0;
		g_line++;
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
				cur->time_line = g_line;
			}
		} else if (word_is(&t[0], "value")) {
			if (!cur)
				die("value before any key");
			add_value(cur, t + 1, n - 1);
		} else {
			die("unknown or repeated line '%.*s'", (int)t[0].len, t[0].s);
		}
	}
	g_line = 0;
	free(t);
	free(text);
}

/* ---- writing -------------------------------------------------------- */

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static uint32_t checksum(const uint8_t *rb)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < RB_CHECKSUM; i += 4)
		sum ^= get32(rb + i);
	return sum;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		die("%s: cannot write", path);
}

/* The empty hive: base block, then one hbin with the root nk, the one sk
 * cell and a free cell for the rest. */
static void write_empty_hive(const struct desc *d, const char *path)
{
	uint8_t *f = xcalloc(RB_SIZE + HBIN_SIZE, 1);
	uint8_t *bin = f + RB_SIZE;
	size_t nk = HBIN_HEADER, nk_len = align8(NK_NAME + stored_len(d->root.name));
	size_t sk = nk + nk_len, sk_len = align8(SK_DESC + sizeof root_sd);
	size_t free_at = sk + sk_len;
	if (free_at + 8 > HBIN_SIZE)
		die("root name too long");

	memcpy(f, "regf", 4);
	put32(f + RB_SEQ1, 1);
	put32(f + RB_SEQ2, 1);
	put64(f + RB_TIME, (uint64_t)d->time);
	put32(f + RB_MAJOR, 1);
	put32(f + RB_MINOR, d->minor);
	put32(f + RB_TYPE, 0);
	put32(f + RB_FORMAT, 1);
	put32(f + RB_ROOT, (uint32_t)nk);
	put32(f + RB_LENGTH, HBIN_SIZE);
	put32(f + RB_CLUSTER, 1);
	/* Like Windows, keep the tail of a long name: 31 units and a NUL. */
	size_t skip = d->filename.n > RB_NAME_UNITS - 1 ? d->filename.n - (RB_NAME_UNITS - 1) : 0;
	for (size_t i = skip; i < d->filename.n; i++)
		put16(f + RB_NAME + 2 * (i - skip), d->filename.u[i]);
	put32(f + RB_CHECKSUM, checksum(f));

	memcpy(bin, "hbin", 4);
	put32(bin + HBIN_OFFSET, 0);
	put32(bin + HBIN_LENGTH, HBIN_SIZE);
	put64(bin + HBIN_TIME, (uint64_t)d->time);

	uint8_t *c = bin + nk;
	put32(c, (uint32_t) - (int32_t)nk_len);
	memcpy(c + 4, "nk", 2);
	put16(c + NK_FLAGS,
	      NK_HIVE_ENTRY | NK_NO_DELETE | (is_latin1(d->root.name) ? NK_COMP_NAME : 0));
	put64(c + NK_TIME, (uint64_t)d->root.time);
	put32(c + NK_SUBKEYS, UINT32_MAX);
	put32(c + NK_VSUBKEYS, UINT32_MAX);
	put32(c + NK_VALUES, UINT32_MAX);
	put32(c + NK_SK, (uint32_t)sk);
	put32(c + NK_CLASS, UINT32_MAX);
	put16(c + NK_NAME_LEN, (uint16_t)stored_len(d->root.name));
	store_name(c + NK_NAME, d->root.name);

	c = bin + sk;
	put32(c, (uint32_t) - (int32_t)sk_len);
	memcpy(c + 4, "sk", 2);
	put32(c + SK_FLINK, (uint32_t)sk); /* the only sk: a list of one */
	put32(c + SK_BLINK, (uint32_t)sk);
	put32(c + SK_REFCOUNT, 1);
	put32(c + SK_DESC_LEN, sizeof root_sd);
	memcpy(c + SK_DESC, root_sd, sizeof root_sd);

	put32(bin + free_at, (uint32_t)(HBIN_SIZE - free_at));
	write_file(path, f, RB_SIZE + HBIN_SIZE);
	free(f);
}

/* Adds k's subkeys and values under node k->off with hivex. */
static void build(hive_h *h, struct key *k)
{
	for (size_t i = 0; i < k->nkids; i++) {
		struct key *kid = k->kids[i];
		if (utf8_expressible(kid->name)) {
			char *s = to_utf8(kid->name);
			kid->off = hivex_node_add_child(h, k->off, s);
			if (kid->off == 0)
				die("hivex_node_add_child(%s): %s", s, strerror(errno));
			free(s);
		}
		/* A placeholder must differ from every sibling: those hivex has
		 * (EEXIST) and those still to come. */
		for (unsigned cand = 0; kid->off == 0; cand++) {
			struct name hv = placeholder(kid->name, cand);
			int clash = 0;
			for (size_t j = 0; j < k->nkids && !clash; j++)
				clash = name_cmp(k->kids[j]->name, hv) == 0;
			if (!clash) {
				char *s = to_utf8(hv);
				kid->off = hivex_node_add_child(h, k->off, s);
				if (kid->off == 0 && errno != EEXIST)
					die("hivex_node_add_child(%s): %s", s, strerror(errno));
				free(s);
			}
			free(hv.u);
			if (cand > 100000)
				die("no placeholder for a key name");
		}
		build(h, kid);
	}
	if (k->nvals == 0)
		return;
	hive_set_value *sv = xcalloc(k->nvals, sizeof *sv);
	for (size_t i = 0; i < k->nvals; i++) {
		struct value *v = &k->vals[i];
		struct name hv = v->name;
		if (!utf8_expressible(hv))
			hv = placeholder(v->name, 0);
		sv[i].key = to_utf8(hv);
		if (hv.u != v->name.u)
			free(hv.u);
		sv[i].t = v->type;
		sv[i].len = v->len;
		sv[i].value = (char *)v->data;
	}
	if (hivex_node_set_values(h, k->off, k->nvals, sv, 0) != 0)
		die("hivex_node_set_values: %s", strerror(errno));
	hive_value_h *vh = hivex_node_values(h, k->off);
	if (!vh)
		die("hivex_node_values: %s", strerror(errno));
	for (size_t i = 0; i < k->nvals; i++) {
		if (!vh[i])
			die("hivex wrote fewer values than asked");
		k->vals[i].off = vh[i];
		free(sv[i].key);
	}
	free(vh);
	free(sv);
}

static int kid_cmp(const void *a, const void *b)
{
	return name_cmp((*(struct key *const *)a)->name, (*(struct key *const *)b)->name);
}

static uint8_t *cell(uint8_t *f, size_t size, size_t off, size_t need, const char *id)
{
	if (off < RB_SIZE || off + 4 > size)
		die("cell 0x%zx outside the file", off);
	int32_t len = (int32_t)get32(f + off);
	if (len >= 0 || (size_t) - (int64_t)len < need || off + (size_t) - (int64_t)len > size ||
	    (id && memcmp(f + off + 4, id, 2) != 0))
		die("cell 0x%zx is not the %s cell mkhive expects", off, id ? id : "data");
	return f + off;
}

/* Sets what hivex cannot: each key's time, names it could not be given, and
 * the subkey list in Windows order with Windows' hashes (hivex orders and
 * hashes by UTF-8 bytes). */
static void patch_key(uint8_t *f, size_t size, struct key *k)
{
	uint8_t *nk = cell(f, size, k->off, NK_NAME + stored_len(k->name), "nk");
	put64(nk + NK_TIME, (uint64_t)k->time);
	if (k->parent) {
		uint16_t flags = get16(nk + NK_FLAGS) & ~NK_COMP_NAME;
		put16(nk + NK_FLAGS, flags | (is_latin1(k->name) ? NK_COMP_NAME : 0));
		put16(nk + NK_NAME_LEN, (uint16_t)stored_len(k->name));
		store_name(nk + NK_NAME, k->name);
	}
	for (size_t i = 0; i < k->nvals; i++) {
		struct value *v = &k->vals[i];
		uint8_t *vk = cell(f, size, v->off, VK_NAME + stored_len(v->name), "vk");
		uint16_t flags = get16(vk + VK_FLAGS) & ~VK_COMP_NAME;
		put16(vk + VK_FLAGS, flags | (v->name.n && is_latin1(v->name) ? VK_COMP_NAME : 0));
		put16(vk + VK_NAME_LEN, (uint16_t)stored_len(v->name));
		store_name(vk + VK_NAME, v->name);
	}
	if (k->nkids == 0)
		return;
	if (get32(nk + NK_NSUBKEYS) != k->nkids)
		die("key 0x%zx has %u subkeys, expected %zu", k->off, get32(nk + NK_NSUBKEYS),
		    k->nkids);
	size_t lh_off = (size_t)get32(nk + NK_SUBKEYS) + RB_SIZE;
	uint8_t *lh = cell(f, size, lh_off, LH_ENTRIES + 8 * k->nkids, "lh");
	if (get16(lh + LH_COUNT) != k->nkids)
		die("lh list 0x%zx does not hold every subkey", lh_off);
	for (size_t i = 0; i < k->nkids; i++) {
		size_t j = 0;
		while (j < k->nkids && get32(lh + LH_ENTRIES + 8 * j) + RB_SIZE != k->kids[i]->off)
			j++;
		if (j == k->nkids)
			die("lh list 0x%zx misses subkey 0x%zx", lh_off, k->kids[i]->off);
	}
	qsort(k->kids, k->nkids, sizeof *k->kids, kid_cmp);
	for (size_t i = 0; i < k->nkids; i++) {
		put32(lh + LH_ENTRIES + 8 * i, (uint32_t)(k->kids[i]->off - RB_SIZE));
		put32(lh + LH_ENTRIES + 8 * i + 4, lh_hash(k->kids[i]->name));
		patch_key(f, size, k->kids[i]);
	}
}

static void patch(const char *path, struct desc *d)
{
	size_t size;
	uint8_t *f = (uint8_t *)read_file(path, &size);
	if (size < RB_SIZE + HBIN_SIZE || memcmp(f + RB_SIZE, "hbin", 4) != 0)
		die("hivex wrote an unexpected file");
	patch_key(f, size, &d->root);
	/* hivex leaves the base block's time alone today; set it anyway. */
	put64(f + RB_TIME, (uint64_t)d->time);
	put32(f + RB_CHECKSUM, checksum(f));
	write_file(path, f, size);
	free(f);
}

/* ---- checking ------------------------------------------------------- */

/* Whether the name stored at p (len bytes) is want. */
static int same_stored(const uint8_t *p, size_t len, int latin1, struct name want)
{
	if (want.n == 0)
		return len == 0;
	if (latin1 != is_latin1(want) || len != stored_len(want))
		return 0;
	for (size_t i = 0; i < want.n; i++)
		if ((latin1 ? p[i] : get16(p + 2 * i)) != want.u[i])
			return 0;
	return 1;
}

static void check_name(hive_h *h, size_t off, int is_key, struct name want)
{
	char *got = is_key ? hivex_node_name(h, off) : hivex_value_key(h, off);
	if (utf8_expressible(want)) {
		char *s = to_utf8(want);
		if (!got || strcmp(got, s) != 0)
			die("read back: name '%s' reads as '%s'", s, got ? got : "(error)");
		free(s);
	}
	free(got);
}

static void check_key(hive_h *h, const uint8_t *f, const struct key *k)
{
	const uint8_t *nk = f + k->off;
	if (k->parent)
		check_name(h, k->off, 1, k->name);
	if (!same_stored(nk + NK_NAME, get16(nk + NK_NAME_LEN),
			 !!(get16(nk + NK_FLAGS) & NK_COMP_NAME), k->name))
		die("read back: key 0x%zx has the wrong name", k->off);
	if (hivex_node_timestamp(h, k->off) != k->time)
		die("read back: key 0x%zx has the wrong time", k->off);

	hive_node_h *kids = hivex_node_children(h, k->off);
	size_t n = 0;
	if (!kids)
		die("read back: hivex_node_children: %s", strerror(errno));
	for (; kids[n]; n++)
		if (n >= k->nkids || kids[n] != k->kids[n]->off)
			die("read back: key 0x%zx has the wrong subkeys", k->off);
	if (n != k->nkids)
		die("read back: key 0x%zx has %zu subkeys, not %zu", k->off, n, k->nkids);
	free(kids);

	hive_value_h *vals = hivex_node_values(h, k->off);
	if (!vals)
		die("read back: hivex_node_values: %s", strerror(errno));
	for (n = 0; vals[n]; n++) {
		const struct value *v = &k->vals[n];
		if (n >= k->nvals || vals[n] != v->off)
			die("read back: key 0x%zx has the wrong values", k->off);
		const uint8_t *vk = f + v->off;
		check_name(h, v->off, 0, v->name);
		if (!same_stored(vk + VK_NAME, get16(vk + VK_NAME_LEN),
				 !!(get16(vk + VK_FLAGS) & VK_COMP_NAME), v->name))
			die("read back: value 0x%zx has the wrong name", v->off);
		hive_type type;
		size_t len;
		char *data = hivex_value_value(h, v->off, &type, &len);
		if (!data || (uint32_t)type != v->type || len != v->len ||
		    (len && memcmp(data, v->data, len) != 0))
			die("read back: value on line %d reads differently", v->line);
		free(data);
	}
	if (n != k->nvals)
		die("read back: key 0x%zx has %zu values, not %zu", k->off, n, k->nvals);
	free(vals);

	for (size_t i = 0; i < k->nkids; i++)
		check_key(h, f, k->kids[i]);
}

static void check(const char *path, const struct desc *d)
{
	size_t size;
	uint8_t *f = (uint8_t *)read_file(path, &size);
	hive_h *h = hivex_open(path, 0);
	if (!h)
		die("read back: hivex_open: %s", strerror(errno));
	if (hivex_root(h) != d->root.off || hivex_last_modified(h) != d->time)
		die("read back: wrong root or base block time");
	check_key(h, f, &d->root);
	hivex_close(h);
	free(f);
}

static void free_key(struct key *k)
{
	for (size_t i = 0; i < k->nkids; i++) {
		free_key(k->kids[i]);
		free(k->kids[i]);
	}
	for (size_t i = 0; i < k->nvals; i++) {
		free(k->vals[i].name.u);
		free(k->vals[i].data);
	}
	free(k->kids);
	free(k->vals);
	free(k->name.u);
}

int main(int argc, char **argv)
{
	static const uint16_t root_name[] = {'R', 'O', 'O', 'T'};
	struct desc d;
	if (argc != 3) {
		fprintf(stderr, "usage: mkhive DESCRIPTION.txt OUT.hiv\n");
		return 2;
	}
	memset(&d, 0, sizeof d);
	d.time = FILETIME_2020;
	d.minor = 3;
	d.root.time = FILETIME_2020;
	d.root.name.n = 4;
	d.root.name.u = xcalloc(4, sizeof(uint16_t));
	memcpy(d.root.name.u, root_name, sizeof root_name);
	parse(argv[1], &d);

	g_tmp = xcalloc(strlen(argv[2]) + 5, 1);
	strcat(strcpy(g_tmp, argv[2]), ".tmp");
	write_empty_hive(&d, g_tmp);
	hive_h *h = hivex_open(g_tmp, HIVEX_OPEN_WRITE);
	if (!h)
		die("hivex_open(%s): %s", g_tmp, strerror(errno));
	d.root.off = hivex_root(h);
	build(h, &d.root);
	if (hivex_commit(h, g_tmp, 0) != 0)
		die("hivex_commit: %s", strerror(errno));
	hivex_close(h);
	patch(g_tmp, &d);
	check(g_tmp, &d);
	if (rename(g_tmp, argv[2]) != 0)
		die("%s: %s", argv[2], strerror(errno));
	free(g_tmp);
	g_tmp = NULL;
	free_key(&d.root);
	free(d.filename.u);
	return 0;
}
