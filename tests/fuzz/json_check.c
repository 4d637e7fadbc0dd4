/* A strict JSON checker, written from RFC 8259's grammar rather than
 * taken from a parser, so that it rejects what lenient parsers let by. */
#include <string.h>

#include "json_check.h"

#define MAX_DEPTH 64
#define MAX_MEMBERS 256 /* members per object checked for duplicates */

typedef struct parser {
	const uint8_t *s;
	size_t n, pos;
	const char *why;
	int depth;
} parser;

static int fail(parser *p, const char *why)
{
	if (!p->why)
		p->why = why;
	return -1;
}

size_t json_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint8_t c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2, v = c & 0x1fu, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3, v = c & 0x0fu, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4, v = c & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static void skip_ws(parser *p)
{
	while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				 p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int is_hex(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static int string(parser *p)
{
	if (p->pos >= p->n || p->s[p->pos] != '"')
		return fail(p, "expected a string");
	p->pos++;
	while (p->pos < p->n) {
		uint8_t c = p->s[p->pos];
		if (c == '"') {
			p->pos++;
			return 0;
		}
		if (c < 0x20)
			return fail(p, "raw control character in a string");
		if (c == '\\') {
			if (p->pos + 1 >= p->n)
				return fail(p, "string ends in an escape");
			uint8_t e = p->s[p->pos + 1];
			if (e == 'u') {
				if (p->n - p->pos < 6)
					return fail(p, "short \\u escape");
				for (size_t i = 2; i < 6; i++)
					if (!is_hex(p->s[p->pos + i]))
						return fail(p, "bad \\u escape");
				p->pos += 6;
			} else if (e && strchr("\"\\/bfnrt", e)) {
				p->pos += 2;
			} else {
				return fail(p, "unknown escape");
			}
			continue;
		}
		uint32_t cp;
		size_t len = json_utf8_decode(p->s + p->pos, p->n - p->pos, &cp);
		if (len == 0)
			return fail(p, "invalid UTF-8");
		p->pos += len;
	}
	return fail(p, "unterminated string");
}

static int digits(parser *p)
{
	size_t start = p->pos;
	while (p->pos < p->n && is_digit(p->s[p->pos]))
		p->pos++;
	return p->pos > start ? 0 : fail(p, "expected a digit");
}

static int number(parser *p)
{
	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos < p->n && p->s[p->pos] == '0')
		p->pos++;
	else if (digits(p))
		return -1;
	if (p->pos < p->n && p->s[p->pos] == '.') {
		p->pos++;
		if (digits(p))
			return -1;
	}
	if (p->pos < p->n && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->n && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (digits(p))
			return -1;
	}
	return 0;
}

static int literal(parser *p, const char *word)
{
	size_t n = strlen(word);
	if (p->n - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
		return fail(p, "unexpected character");
	p->pos += n;
	return 0;
}

static int value(parser *p);

static int object(parser *p)
{
	size_t starts[MAX_MEMBERS], lens[MAX_MEMBERS], count = 0;
	p->pos++; /* '{' */
	skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == '}') {
		p->pos++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		size_t start = p->pos;
		if (string(p))
			return -1;
		size_t len = p->pos - start;
		for (size_t i = 0; i < count; i++)
			if (lens[i] == len && memcmp(p->s + starts[i], p->s + start, len) == 0) {
				p->pos = start;
				return fail(p, "member named twice");
			}
		if (count < MAX_MEMBERS) {
			starts[count] = start;
			lens[count++] = len;
		}
		skip_ws(p);
		if (p->pos >= p->n || p->s[p->pos] != ':')
			return fail(p, "expected ':'");
		p->pos++;
		if (value(p))
			return -1;
		skip_ws(p);
		if (p->pos >= p->n)
			return fail(p, "unterminated object");
		if (p->s[p->pos] == '}') {
			p->pos++;
			return 0;
		}
		if (p->s[p->pos] != ',')
			return fail(p, "expected ',' or '}'");
		p->pos++;
	}
}

static int array(parser *p)
{
	p->pos++; /* '[' */
	skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == ']') {
		p->pos++;
		return 0;
	}
	for (;;) {
		if (value(p))
			return -1;
		skip_ws(p);
		if (p->pos >= p->n)
			return fail(p, "unterminated array");
		if (p->s[p->pos] == ']') {
			p->pos++;
			return 0;
		}
		if (p->s[p->pos] != ',')
			return fail(p, "expected ',' or ']'");
		p->pos++;
	}
}

static int value(parser *p)
{
	skip_ws(p);
	if (p->pos >= p->n)
		return fail(p, "expected a value");
	if (++p->depth > MAX_DEPTH)
		return fail(p, "nested too deeply");
	int rc;
	switch (p->s[p->pos]) {
	case '{':
		rc = object(p);
		break;
	case '[':
		rc = array(p);
		break;
	case '"':
		rc = string(p);
		break;
	case 't':
		rc = literal(p, "true");
		break;
	case 'f':
		rc = literal(p, "false");
		break;
	case 'n':
		rc = literal(p, "null");
		break;
	default:
		if (p->s[p->pos] == '-' || is_digit(p->s[p->pos]))
			rc = number(p);
		else
			rc = fail(p, "unexpected character");
	}
	p->depth--;
	return rc;
}

int json_check_object(const uint8_t *s, size_t n, const char **why, size_t *at)
{
	parser p = {.s = s, .n = n};
	skip_ws(&p);
	int rc = p.pos < n && s[p.pos] == '{' ? value(&p) : fail(&p, "not an object");
	if (rc == 0) {
		skip_ws(&p);
		if (p.pos != n)
			rc = fail(&p, "text after the object");
	}
	*why = rc ? p.why : NULL;
	*at = p.pos;
	return rc;
}
