/* Names: the upper-case table, Windows' name order and the UTF-16 <->
 * UTF-8 conversions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name_internal.h"
#include "test_util.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static regdiff_name name_of(const uint16_t *units, size_t len)
{
	regdiff_name n = {units, len};
	return n;
}

/* A name from ASCII text, for readable ordering cases. */
#define ASCII_MAX 16
typedef struct {
	uint16_t units[ASCII_MAX];
	size_t len;
} ascii_name;

static ascii_name ascii(const char *s)
{
	ascii_name a = {{0}, strlen(s)};
	for (size_t i = 0; i < a.len && i < ASCII_MAX; i++)
		a.units[i] = (uint8_t)s[i];
	return a;
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* compare(a, b) and compare(b, a) must agree. */
static int ordered(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
	int ab = sign(regdiff_name_compare(name_of(a, alen), name_of(b, blen)));
	int ba = sign(regdiff_name_compare(name_of(b, blen), name_of(a, alen)));
	return ab == -ba ? ab : 99;
}

static int ascii_order(const char *a, const char *b)
{
	ascii_name x = ascii(a), y = ascii(b);
	return ordered(x.units, x.len, y.units, y.len);
}

/* to_utf8 gives exactly the expected bytes (expect has no terminator). */
static int utf8_is(const uint16_t *units, size_t n, unsigned flags, const char *expect,
		   size_t expect_len)
{
	char *out = NULL;
	size_t len = 12345;
	int rc = regdiff_name_to_utf8(&out, &len, name_of(units, n), flags);
	int ok = rc == 0 && out && len == expect_len && memcmp(out, expect, len) == 0 &&
		 out[len] == '\0';
	if (!ok)
		fprintf(stderr, "  to_utf8: rc %d, len %zu, expected len %zu\n", rc, len,
			expect_len);
	regdiff_free(out);
	return ok;
}
#define UTF8_IS(units, flags, lit) CHECK(utf8_is(units, COUNT(units), flags, lit, sizeof(lit) - 1))

/* from_utf8 gives exactly the expected units. */
static int units_are(const char *utf8, size_t len, const uint16_t *expect, size_t expect_len)
{
	uint16_t *out = NULL;
	size_t n = 12345;
	int rc = regdiff_name_from_utf8(&out, &n, utf8, len);
	int ok = rc == 0 && out && n == expect_len &&
		 (n == 0 || memcmp(out, expect, n * sizeof(uint16_t)) == 0) && out[n] == 0;
	if (!ok)
		fprintf(stderr, "  from_utf8: rc %d, n %zu, expected %zu\n", rc, n, expect_len);
	regdiff_free(out);
	return ok;
}
#define UNITS_ARE(lit, units) CHECK(units_are(lit, sizeof(lit) - 1, units, COUNT(units)))

/* from_utf8 rejects the input with REGDIFF_EINVAL, a message naming why,
 * and leaves nothing to free. */
static int rejects(const char *utf8, size_t len, const char *why)
{
	uint16_t *out = (uint16_t *)&out;
	size_t n = 12345;
	int rc = regdiff_name_from_utf8(&out, &n, utf8, len);
	const char *msg = regdiff_error_message();
	int ok = rc == REGDIFF_EINVAL && out == NULL && n == 0 && strstr(msg, why) != NULL;
	if (!ok)
		fprintf(stderr, "  from_utf8: rc %d, message \"%s\", expected \"%s\"\n", rc, msg,
			why);
	return ok;
}
#define REJECTS(lit, why) CHECK(rejects(lit, sizeof(lit) - 1, why))

static void test_upcase(void)
{
	CHECK(regdiff_name_upcase('a') == 'A');
	CHECK(regdiff_name_upcase('z') == 'Z');
	CHECK(regdiff_name_upcase('A') == 'A');
	CHECK(regdiff_name_upcase('_') == '_');
	CHECK(regdiff_name_upcase('{') == '{');
	CHECK(regdiff_name_upcase(0x0000) == 0x0000);
	for (unsigned c = 0; c < 0x80; c++)
		CHECK(regdiff_name_upcase((uint16_t)c) == (c >= 'a' && c <= 'z' ? c - 32 : c));

	CHECK(regdiff_name_upcase(0x00E9) == 0x00C9); /* é -> É */
	CHECK(regdiff_name_upcase(0x00C9) == 0x00C9);
	CHECK(regdiff_name_upcase(0x00F7) == 0x00F7); /* ÷ has no case */
	CHECK(regdiff_name_upcase(0x00DF) == 0x00DF); /* ß: upper case is "SS" */
	CHECK(regdiff_name_upcase(0x00FF) == 0x0178); /* ÿ -> Ÿ */
	/* Windows keeps apart what Unicode's upper case would merge
	 * (tools/upcase_windows.txt, docs/snapshot-format.md). */
	CHECK(regdiff_name_upcase(0x00B5) == 0x00B5); /* micro sign, not Greek Mu */
	CHECK(regdiff_name_upcase(0x0131) == 0x0131); /* dotless ı, not I */
	CHECK(regdiff_name_upcase(0x017F) == 0x017F); /* long ſ, not S */
	CHECK(regdiff_name_upcase(0x0130) == 0x0130); /* İ is already upper */
	CHECK(regdiff_name_upcase(0x01C6) == 0x01C4); /* ǆ -> Ǆ */
	CHECK(regdiff_name_upcase(0x01C5) == 0x01C5); /* title case ǅ stays */
	CHECK(regdiff_name_upcase(0x03B1) == 0x0391); /* α -> Α */
	CHECK(regdiff_name_upcase(0x03C2) == 0x03C2); /* final ς, not Σ */
	CHECK(regdiff_name_upcase(0x03C3) == 0x03A3); /* σ -> Σ */
	CHECK(regdiff_name_upcase(0x0390) == 0x0390); /* ΐ: upper case is 3 chars */
	CHECK(regdiff_name_upcase(0x1F80) == 0x1F88); /* ᾀ -> ᾈ, the simple mapping */
	CHECK(regdiff_name_upcase(0x1C80) == 0x1C80); /* rounded ve, not В */
	CHECK(regdiff_name_upcase(0x10D0) == 0x1C90); /* Georgian ა -> Ა */
	CHECK(regdiff_name_upcase(0x0436) == 0x0416); /* ж -> Ж */
	CHECK(regdiff_name_upcase(0x044F) == 0x042F); /* я -> Я */
	CHECK(regdiff_name_upcase(0x0451) == 0x0401); /* ё -> Ё */
	CHECK(regdiff_name_upcase(0x0561) == 0x0531); /* Armenian ա -> Ա */
	CHECK(regdiff_name_upcase(0x24D0) == 0x24B6); /* circled a */
	CHECK(regdiff_name_upcase(0xFF41) == 0xFF21); /* fullwidth a */
	CHECK(regdiff_name_upcase(0xFB00) == 0xFB00); /* ﬀ: upper case is "FF" */
	CHECK(regdiff_name_upcase(0xFFFF) == 0xFFFF);
	for (unsigned c = 0xD800; c <= 0xDFFF; c++)
		CHECK(regdiff_name_upcase((uint16_t)c) == c);

	/* The whole table: as many units change as tools/gen_upcase.py
	 * counted (REGDIFF__UPCASE_CHANGED), upper case is stable, and the
	 * inline lookup agrees with the exported one. */
	unsigned changed = 0, unstable = 0, disagree = 0;
	for (unsigned c = 0; c <= 0xFFFF; c++) {
		uint16_t u = regdiff_name_upcase((uint16_t)c);
		changed += u != c;
		unstable += regdiff_name_upcase(u) != u;
		disagree += regdiff__upcase((uint16_t)c) != u;
	}
	CHECK(changed == 1163);
	CHECK(unstable == 0);
	CHECK(disagree == 0);
}

static void test_compare(void)
{
	CHECK(ascii_order("run", "RUN") == 0);
	CHECK(ascii_order("Run", "rUn") == 0);
	CHECK(ascii_order("", "") == 0);
	CHECK(ascii_order("", "a") == -1);
	CHECK(ascii_order("run", "runonce") == -1);
	CHECK(ascii_order("RUN", "runonce") == -1);
	CHECK(ascii_order("abc", "abd") == -1);
	CHECK(ascii_order("ABC", "abd") == -1);
	CHECK(ascii_order("b", "A") == 1);
	/* '_' (0x5F) is above the upper-case letters and 'a' compares as
	 * 'A' (0x41), unlike a plain byte order where 'a' (0x61) > '_'. */
	CHECK(ascii_order("_", "Z") == 1);
	CHECK(ascii_order("_", "z") == 1);
	CHECK(ascii_order("a_b", "AB") == 1);
	CHECK(ascii_order("a_b", "ab") == 1);
	CHECK(ascii_order("A_B", "aB") == 1);
	CHECK(ascii_order("[", "a") == 1);
	CHECK(ascii_order("@", "a") == -1);

	static const uint16_t e_acute[] = {0x00E9}, E_acute[] = {0x00C9};
	CHECK(ordered(e_acute, 1, E_acute, 1) == 0);
	static const uint16_t sigma_final[] = {0x03C2}, sigma_cap[] = {0x03A3};
	/* Windows keeps final sigma apart from Σ: it sorts after it. */
	CHECK(ordered(sigma_final, 1, sigma_cap, 1) == 1);
	static const uint16_t sigma[] = {0x03C3};
	CHECK(ordered(sigma, 1, sigma_cap, 1) == 0);
	static const uint16_t zhe[] = {0x0436, 'x'}, ZHE[] = {0x0416, 'X'};
	CHECK(ordered(zhe, 2, ZHE, 2) == 0);
	/* ß stays ß (0xDF), so it sorts after "SS" rather than equal to it. */
	static const uint16_t sharp_s[] = {0x00DF}, SS[] = {'S', 'S'};
	CHECK(ordered(sharp_s, 1, SS, 2) == 1);
	/* ÿ compares as Ÿ (U+0178), above every Latin-1 letter. */
	static const uint16_t y_diaeresis[] = {0x00FF}, a_grave[] = {0x00E0};
	CHECK(ordered(y_diaeresis, 1, a_grave, 1) == 1);
	/* Order is by code unit, not code point: U+1F600 is the units
	 * D83D DE00, which sort before U+FF21. */
	static const uint16_t emoji[] = {0xD83D, 0xDE00}, fullwidth_A[] = {0xFF21};
	CHECK(ordered(emoji, 2, fullwidth_A, 1) == -1);
	/* A NUL inside a name is an ordinary unit. */
	static const uint16_t with_nul[] = {'a', 0, 'b'}, prefix_a[] = {'A'};
	CHECK(ordered(with_nul, 3, prefix_a, 1) == 1);
	CHECK(ordered(with_nul, 2, with_nul, 3) == -1);
	/* An empty name may have no units at all. */
	CHECK(ordered(NULL, 0, prefix_a, 1) == -1);
	CHECK(ordered(NULL, 0, NULL, 0) == 0);
}

static void test_to_utf8(void)
{
	static const uint16_t a[] = {'R', 'u', 'n'};
	UTF8_IS(a, REGDIFF_TEXT_PLAIN, "Run");
	static const uint16_t latin[] = {0x00E9, 0x00FF};
	UTF8_IS(latin, REGDIFF_TEXT_PLAIN, "\xC3\xA9\xC3\xBF");
	static const uint16_t three[] = {0x0800, 0x20AC, 0xFFFF};
	UTF8_IS(three, REGDIFF_TEXT_PLAIN, "\xE0\xA0\x80\xE2\x82\xAC\xEF\xBF\xBF");
	static const uint16_t two_edge[] = {0x007F, 0x0080, 0x07FF};
	UTF8_IS(two_edge, REGDIFF_TEXT_PLAIN, "\x7F\xC2\x80\xDF\xBF");

	/* Surrogates: pairs combine, anything unpaired becomes U+FFFD. */
	static const uint16_t pair[] = {0xD83D, 0xDE00};
	UTF8_IS(pair, REGDIFF_TEXT_PLAIN, "\xF0\x9F\x98\x80");
	static const uint16_t pair_edges[] = {0xD800, 0xDC00, 0xDBFF, 0xDFFF};
	UTF8_IS(pair_edges, REGDIFF_TEXT_PLAIN, "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
	static const uint16_t lone_high[] = {0xD800, 'A'};
	UTF8_IS(lone_high, REGDIFF_TEXT_PLAIN,
		"\xEF\xBF\xBD"
		"A");
	static const uint16_t lone_low[] = {'A', 0xDC00, 'B'};
	UTF8_IS(lone_low, REGDIFF_TEXT_PLAIN,
		"A\xEF\xBF\xBD"
		"B");
	static const uint16_t high_at_end[] = {'A', 0xD83D};
	UTF8_IS(high_at_end, REGDIFF_TEXT_PLAIN, "A\xEF\xBF\xBD");
	static const uint16_t low_then_high[] = {0xDE00, 0xD83D};
	UTF8_IS(low_then_high, REGDIFF_TEXT_PLAIN, "\xEF\xBF\xBD\xEF\xBF\xBD");
	static const uint16_t low_low[] = {0xDC00, 0xDFFF};
	UTF8_IS(low_low, REGDIFF_TEXT_PLAIN, "\xEF\xBF\xBD\xEF\xBF\xBD");
	static const uint16_t high_high_low[] = {0xD83D, 0xD83D, 0xDE00};
	UTF8_IS(high_high_low, REGDIFF_TEXT_PLAIN, "\xEF\xBF\xBD\xF0\x9F\x98\x80");
	static const uint16_t lone_only[] = {0xDBFF};
	UTF8_IS(lone_only, REGDIFF_TEXT_SAFE, "\xEF\xBF\xBD");

	/* Controls: kept with PLAIN (a NUL too), pictured with SAFE. */
	static const uint16_t controls[] = {0x00, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F, 0xA0, 'x'};
	UTF8_IS(controls, REGDIFF_TEXT_PLAIN, "\x00\x1B\x1F\x7F\xC2\x80\xC2\x85\xC2\x9F\xC2\xA0x");
	UTF8_IS(controls, REGDIFF_TEXT_SAFE,
		"\xE2\x90\x80" /* NUL -> U+2400 */
		"\xE2\x90\x9B" /* ESC -> U+241B */
		"\xE2\x90\x9F" /* US -> U+241F */
		"\xE2\x90\xA1" /* DEL -> U+2421 */
		"\xEF\xBF\xBD" /* PAD (0x80) -> U+FFFD */
		"\xEF\xBF\xBD" /* NEL (0x85) -> U+FFFD */
		"\xEF\xBF\xBD" /* APC (0x9F) -> U+FFFD */
		"\xC2\xA0"     /* NBSP is printable */
		"x");
	static const uint16_t tab_nl[] = {'\t', '\n', ' '};
	UTF8_IS(tab_nl, REGDIFF_TEXT_SAFE, "\xE2\x90\x89\xE2\x90\x8A ");

	/* Bidi controls (a right-to-left override) are replaced with SAFE,
	 * kept with PLAIN; a neighbour (U+2010, a hyphen) is kept. */
	static const uint16_t bidi[] = {'a', 0x202E, 'b', 0x2066, 0x2010};
	UTF8_IS(bidi, REGDIFF_TEXT_PLAIN,
		"a\xE2\x80\xAE"
		"b\xE2\x81\xA6\xE2\x80\x90");
	UTF8_IS(bidi, REGDIFF_TEXT_SAFE,
		"a\xEF\xBF\xBD"
		"b\xEF\xBF\xBD\xE2\x80\x90");

	/* Invisible characters too (as HTML shows them marked): zero-width
	 * space and joiner, word joiner, BOM, soft hyphen, line and paragraph
	 * separators, a tag character (U+E0041, a surrogate pair); U+2010
	 * and U+200A (hair space, visible width) are kept. */
	static const uint16_t hidden[] = {'a',	  0x200B, 0x200D, 0x2060, 0xFEFF, 0x00AD,
					  0x2028, 0x2029, 0xDB40, 0xDC41, 0x200A, 'z'};
	UTF8_IS(hidden, REGDIFF_TEXT_SAFE,
		"a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
		"\xEF\xBF\xBD\xEF\xBF\xBD\xE2\x80\x8Az");
	UTF8_IS(hidden, REGDIFF_TEXT_PLAIN,
		"a\xE2\x80\x8B\xE2\x80\x8D\xE2\x81\xA0\xEF\xBB\xBF\xC2\xAD\xE2\x80\xA8"
		"\xE2\x80\xA9\xF3\xA0\x81\x81\xE2\x80\x8Az");

	/* Empty names give "" (not NULL); len may be NULL. */
	char *out = NULL;
	CHECK(regdiff_name_to_utf8(&out, NULL, name_of(NULL, 0), REGDIFF_TEXT_PLAIN) == 0);
	CHECK(out != NULL && out[0] == '\0');
	regdiff_free(out);
	out = NULL;
	CHECK(regdiff_name_to_utf8(&out, NULL, name_of(a, 3), REGDIFF_TEXT_SAFE) == 0);
	CHECK(out != NULL && strcmp(out, "Run") == 0);
	regdiff_free(out);

	/* Bad arguments. */
	out = (char *)&out;
	size_t len = 7;
	CHECK(regdiff_name_to_utf8(&out, &len, name_of(a, 3), 1u << 5) == REGDIFF_EINVAL);
	CHECK(out == NULL && len == 0);
	CHECK(strstr(regdiff_error_message(), "unknown text flags 0x20") != NULL);
	CHECK(regdiff_name_to_utf8(&out, &len, name_of(NULL, 2), 0) == REGDIFF_EINVAL);
	CHECK(out == NULL);
	CHECK(regdiff_name_to_utf8(NULL, &len, name_of(a, 3), 0) == REGDIFF_EINVAL);
}

static void test_appenders(void)
{
	regdiff__buf b = {0};
	static const uint16_t units[] = {'k', 0x00E9, 0x0007};
	CHECK(regdiff__buf_append(&b, "[", 1) == 0);
	CHECK(regdiff__utf16_to_utf8_buf(&b, units, 3, REGDIFF_TEXT_SAFE) == 0);
	CHECK(regdiff__utf16_to_utf8_buf(&b, NULL, 0, REGDIFF_TEXT_SAFE) == 0);
	CHECK(regdiff__utf16_to_utf8_buf(&b, units, 2, REGDIFF_TEXT_PLAIN) == 0);
	static const char expect1[] = "[k\xC3\xA9\xE2\x90\x87k\xC3\xA9";
	CHECK(b.len == sizeof(expect1) - 1 && memcmp(b.data, expect1, b.len) == 0);

	/* REG_SZ data as stored: UTF-16LE bytes, here "A", U+1F600, U+00E9,
	 * a lone low surrogate and a NUL terminator. */
	b.len = 0;
	static const uint8_t bytes[] = {0x41, 0x00, 0x3D, 0xD8, 0x00, 0xDE,
					0xE9, 0x00, 0x00, 0xDC, 0x00, 0x00};
	CHECK(regdiff__utf16le_bytes_to_utf8_buf(&b, bytes, sizeof(bytes), REGDIFF_TEXT_PLAIN) ==
	      0);
	static const char expect2[] = "A\xF0\x9F\x98\x80\xC3\xA9\xEF\xBF\xBD\x00";
	CHECK(b.len == sizeof(expect2) - 1 && memcmp(b.data, expect2, b.len) == 0);
	b.len = 0;
	CHECK(regdiff__utf16le_bytes_to_utf8_buf(&b, bytes, sizeof(bytes), REGDIFF_TEXT_SAFE) == 0);
	static const char expect3[] = "A\xF0\x9F\x98\x80\xC3\xA9\xEF\xBF\xBD\xE2\x90\x80";
	CHECK(b.len == sizeof(expect3) - 1 && memcmp(b.data, expect3, b.len) == 0);

	/* A pair split across the end of the data is not a pair. */
	b.len = 0;
	CHECK(regdiff__utf16le_bytes_to_utf8_buf(&b, bytes + 2, 2, REGDIFF_TEXT_PLAIN) == 0);
	CHECK(b.len == 3 && memcmp(b.data, "\xEF\xBF\xBD", 3) == 0);

	/* Failures leave the buffer as it was. */
	b.len = 0;
	CHECK(regdiff__buf_append(&b, "x", 1) == 0);
	CHECK(regdiff__utf16le_bytes_to_utf8_buf(&b, bytes, 3, REGDIFF_TEXT_PLAIN) ==
	      REGDIFF_EINVAL);
	CHECK(strstr(regdiff_error_message(), "odd length 3 bytes") != NULL);
	CHECK(regdiff__utf16_to_utf8_buf(&b, units, 3, 2) == REGDIFF_EINVAL);
	CHECK(b.len == 1 && b.data[0] == 'x');
	regdiff__buf_free(&b);
}

static void test_from_utf8(void)
{
	static const uint16_t ascii_units[] = {'S', 'o', 'f', 't', 'w', 'a', 'r', 'e', '\\', 'X'};
	UNITS_ARE("Software\\X", ascii_units);
	static const uint16_t nul_inside[] = {'a', 0, 'b'};
	UNITS_ARE("a\0b", nul_inside);
	static const uint16_t mixed[] = {0x00E9, 0x20AC, 0xD83D, 0xDE00, 'z'};
	UNITS_ARE("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z", mixed);

	/* The edges of every accepted range. */
	static const uint16_t edges[] = {0x0000, 0x007F, 0x0080, 0x07FF, 0x0800, 0xD7FF,
					 0xE000, 0xFFFF, 0xD800, 0xDC00, 0xDBFF, 0xDFFF};
	UNITS_ARE("\x00\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF"
		  "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF",
		  edges);

	/* Only len bytes are read; an empty input gives an empty name. */
	static const uint16_t ab[] = {'a', 'b'};
	CHECK(units_are("abc", 2, ab, 2));
	CHECK(units_are("", 0, NULL, 0));
	CHECK(units_are(NULL, 0, NULL, 0));

	REJECTS("\xC0\x80", "at byte 0: overlong encoding");
	REJECTS("ab\xC1\xBF", "at byte 2: overlong encoding");
	REJECTS("\xE0\x80\x80", "overlong encoding");
	REJECTS("\xE0\x9F\xBF", "overlong encoding");
	REJECTS("\xF0\x80\x80\x80", "overlong encoding");
	REJECTS("\xF0\x8F\xBF\xBF", "overlong encoding");
	REJECTS("\xED\xA0\x80", "encoded surrogate");
	REJECTS("\xED\xBF\xBF", "encoded surrogate");
	REJECTS("\xED\xA0\xBD\xED\xB8\x80", "encoded surrogate"); /* CESU-8 pair */
	REJECTS("\xF4\x90\x80\x80", "above U+10FFFF");
	REJECTS("\xF5\x80\x80\x80", "above U+10FFFF");
	REJECTS("\xF7\xBF\xBF\xBF", "above U+10FFFF");
	REJECTS("\xF8\x88\x80\x80\x80", "invalid byte 0xF8");
	REJECTS("\xFF", "invalid byte 0xFF");
	REJECTS("\xFE", "invalid byte 0xFE");
	REJECTS("\x80", "at byte 0: unexpected continuation byte 0x80");
	REJECTS("a\xC3\xA9\xBF", "at byte 3: unexpected continuation byte 0xBF");
	REJECTS("\xC3", "at byte 0: truncated sequence");
	REJECTS("x\xE2\x82", "at byte 1: truncated sequence");
	REJECTS("\xF0\x9F\x98", "truncated sequence");
	REJECTS("\xE2\x28\xA1", "at byte 1: byte 0x28 is not a continuation byte");
	REJECTS("\xF0\x9F\x98z", "at byte 3: byte 0x7A is not a continuation byte");
	REJECTS("\xC3\xC3\xA9", "byte 0xC3 is not a continuation byte");
	CHECK(rejects("\xC3\xA9", 1, "truncated sequence"));

	uint16_t *out = (uint16_t *)&out;
	CHECK(regdiff_name_from_utf8(&out, NULL, NULL, 1) == REGDIFF_EINVAL);
	CHECK(out == NULL);
	CHECK(regdiff_name_from_utf8(NULL, NULL, "a", 1) == REGDIFF_EINVAL);
	out = NULL;
	CHECK(regdiff_name_from_utf8(&out, NULL, "ok", 2) == 0);
	CHECK(out != NULL && out[0] == 'o' && out[1] == 'k' && out[2] == 0);
	regdiff_free(out);
}

/* Every scalar value survives UTF-16 -> UTF-8 -> UTF-16, and UTF-8 made by
 * to_utf8 is what from_utf8 accepts. */
static void test_round_trip(void)
{
	unsigned bad = 0;
	regdiff__buf b = {0};
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		uint16_t in[2];
		size_t n = 1;
		if (cp < 0x10000) {
			in[0] = (uint16_t)cp;
		} else {
			in[0] = (uint16_t)(0xD800 | (cp - 0x10000) >> 10);
			in[1] = (uint16_t)(0xDC00 | (cp & 0x3FF));
			n = 2;
		}
		b.len = 0;
		uint16_t *back = NULL;
		size_t back_len = 0;
		if (regdiff__utf16_to_utf8_buf(&b, in, n, REGDIFF_TEXT_PLAIN) != 0 ||
		    regdiff_name_from_utf8(&back, &back_len, (const char *)b.data, b.len) != 0 ||
		    back_len != n || memcmp(back, in, n * sizeof(uint16_t)) != 0) {
			if (bad++ < 5)
				fprintf(stderr, "  round trip of U+%04X failed\n", (unsigned)cp);
		}
		regdiff_free(back);
	}
	regdiff__buf_free(&b);
	CHECK(bad == 0);

	/* A longer name with every kind of unit. */
	static const uint16_t name[] = {'H',  'K',    'L',    'M',    '\\', 0x00DF, 0x0416,
					0x00, 0xD83D, 0xDE00, 0xFFFD, 0x7F, 0xE000, 0x0085};
	char *utf8 = NULL;
	size_t len = 0;
	uint16_t *back = NULL;
	size_t back_len = 0;
	CHECK(regdiff_name_to_utf8(&utf8, &len, name_of(name, COUNT(name)), REGDIFF_TEXT_PLAIN) ==
	      0);
	CHECK(len == 23);
	CHECK(regdiff_name_from_utf8(&back, &back_len, utf8, len) == 0);
	CHECK(back_len == COUNT(name) && memcmp(back, name, sizeof(name)) == 0);
	regdiff_free(utf8);
	regdiff_free(back);
}

/* Text from outside the registry, as the CLI's info shows it. */
static void test_text_safe(void)
{
	char *out = (char *)1;
	/* A right-to-left override, ESC, a byte that is not UTF-8, a NUL
	 * byte inside len, and a character outside the BMP kept as it is. */
	static const char hostile[] = "evil\xe2\x80\xaetxt\x1b\xff\0\xf0\x9f\x98\x80.exe";
	CHECK_RC(regdiff_text_safe(&out, hostile, sizeof hostile - 1), 0);
	CHECK(out && strcmp(out, "evil\xef\xbf\xbdtxt\xe2\x90\x9b\xef\xbf\xbd\xe2\x90\x80"
				 "\xf0\x9f\x98\x80.exe") == 0);
	regdiff_free(out);
	CHECK_RC(regdiff_text_safe(&out, "", 0), 0);
	CHECK(out && out[0] == '\0');
	regdiff_free(out);
	out = (char *)1;
	CHECK_RC(regdiff_text_safe(&out, NULL, 3), REGDIFF_EINVAL);
	CHECK(out == NULL);
	/* A success leaves no message of an earlier failure behind. */
	CHECK(regdiff_error_last()->code == REGDIFF_EINVAL && regdiff_error_message()[0]);
	CHECK_RC(regdiff_text_safe(&out, "x", 1), 0);
	CHECK(regdiff_error_last()->code == REGDIFF_OK &&
	      strcmp(regdiff_error_last()->message, "") == 0);
	regdiff_free(out);
	/* The version macros and the library agree. */
	CHECK(regdiff_version_number() == REGDIFF_VERSION_NUMBER);
	CHECK(REGDIFF_VERSION_NUMBER ==
	      REGDIFF_VERSION_MAJOR * 10000 + REGDIFF_VERSION_MINOR * 100 + REGDIFF_VERSION_PATCH);
	CHECK(strcmp(regdiff_version(), REGDIFF_VERSION_STRING) == 0);
}

int main(void)
{
	test_upcase();
	test_compare();
	test_to_utf8();
	test_appenders();
	test_from_utf8();
	test_round_trip();
	test_text_safe();
	return tu_result("test_name");
}
