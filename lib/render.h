/* Value data and times as the reports show them. The rules (which bytes
 * count as a well-formed string, how numbers and times are written) are
 * specified in docs/report-formats.md; both formats share them so that a
 * value reads the same in either. */
#ifndef REGDIFF_RENDER_H
#define REGDIFF_RENDER_H

#include "internal.h"

/* True when d is REG_SZ or REG_EXPAND_SZ data that is exactly a string:
 * even length, no NUL unit except at most one final terminator. *units
 * gets the string's length in UTF-16 units, without the terminator. */
bool regdiff__data_sz(const regdiff_data *d, size_t *units);

/* True when d is REG_LINK data that is exactly a string: even length, no
 * NUL unit at all (a link has no terminator). */
bool regdiff__data_link(const regdiff_data *d);

/* True when d is REG_MULTI_SZ data that is a well-formed list: non-empty
 * strings, each ended by a NUL unit, then one more NUL unit ("\0" alone is
 * the empty list). *count gets the number of strings. */
bool regdiff__data_multi_sz(const regdiff_data *d, size_t *count);

/* Walks a list accepted by regdiff__data_multi_sz: *pos starts at 0; each
 * call gives the next string's first byte offset and length in units.
 * Returns false after the last string. */
bool regdiff__multi_sz_next(const regdiff_data *d, size_t *pos, size_t *start, size_t *units);

/* Number data: true for REG_DWORD / REG_DWORD_BIG_ENDIAN of exactly 4
 * bytes and REG_QWORD of exactly 8, with the value (big-endian decoded as
 * big-endian) in *value and its width in hex digits in *digits. */
bool regdiff__data_number(const regdiff_data *d, uint64_t *value, int *digits);

enum regdiff__hex_flags {
	REGDIFF__HEX_UPPER = 1u << 0, /* "AB" rather than "ab" */
	REGDIFF__HEX_SPACED = 1u << 1 /* " AB" for each byte */
};

/* Appends n bytes as hex. */
int regdiff__render_hex(regdiff__buf *out, const uint8_t *bytes, size_t n, unsigned flags);

/* Appends the TXT (Regshot) form of d: "text", "a", "b", 0x0000002A,
 * 0x000000000000002A, (NULL!) or " E7 01" bytes. Text is terminal-safe
 * (REGDIFF_TEXT_SAFE). */
int regdiff__render_txt_data(regdiff__buf *out, const regdiff_data *d);

/* The text of d as regdiff_data_to_text() describes it (flags are its
 * REGDIFF_DATA_TEXT_*), appended a piece at a time: after each piece,
 * piece(ctx) (when given) drains out and returns 0 to go on, or returns 1
 * to stop here (enough is rendered) or a negative code to fail. The TXT
 * report and regdiff_data_to_text() both write data through it. */
int regdiff__data_text(regdiff__buf *out, const regdiff_data *d, unsigned flags,
		       int (*piece)(void *ctx), void *ctx);

/* Whether regdiff__data_text shows d, with flags, as " XX" bytes. */
bool regdiff__data_text_hex(const regdiff_data *d, unsigned flags);

/* The same a piece at a time, for data of any size in bounded memory:
 * init (flags as regdiff__data_text's; d->not_read is not looked at: such
 * data has no bytes), then next appends the next piece (covering at most
 * max bytes of the data, about 3 * max bytes of text) until done. */
typedef struct regdiff__txt_cursor {
	const regdiff_data *d;
	int kind;
	unsigned text_flags; /* REGDIFF_TEXT_* for strings */
	bool done, in_string;
	size_t pos;		  /* bytes done (hex) or the list's position (lists) */
	size_t start, units, off; /* the current string, and units done */
	size_t item;		  /* strings of a list begun */
} regdiff__txt_cursor;
void regdiff__txt_cursor_init(regdiff__txt_cursor *cur, const regdiff_data *d, unsigned flags);
int regdiff__txt_cursor_next(regdiff__buf *out, regdiff__txt_cursor *cur, size_t max);

/* The data bytes one piece of a streamed rendering covers. */
#define REGDIFF__PIECE ((size_t)16 << 10)

/* Whether a and b read the same in TXT (then a report shows their bytes
 * instead), found in bounded memory with ta and tb as scratch. */
int regdiff__txt_data_same(const regdiff_data *a, const regdiff_data *b, regdiff__buf *ta,
			   regdiff__buf *tb, bool *same);

/* The longest text regdiff__filetime_iso8601 writes, with its NUL. */
#define REGDIFF__ISO8601_MAX 48

/* Writes a FILETIME as ISO 8601 UTC with 7 fraction digits,
 * "2020-01-01T00:00:00.0000000Z", into buf. Years outside 0000-9999
 * (possible only for forged times) get as many digits as they need and a
 * '-' when negative. Returns buf. */
char *regdiff__filetime_iso8601(int64_t filetime, char buf[REGDIFF__ISO8601_MAX]);

/* Decodes one UTF-8 sequence from p[0..n), n > 0, strictly (no overlongs,
 * no surrogates, nothing above U+10FFFF). An invalid or truncated
 * sequence gives U+FFFD for its first byte. Returns the bytes used. */
size_t regdiff__utf8_decode(const uint8_t *p, size_t n, uint32_t *cp);

/* Appends UTF-8 text from outside the registry (a comment, a computer name
 * read from a hive) made terminal-safe: invalid bytes become U+FFFD, and
 * controls are shown as REGDIFF_TEXT_SAFE shows them in names. */
int regdiff__render_safe_utf8(regdiff__buf *out, const char *text, size_t len);

/* Walks the '\' of a key path that are part of a name rather than
 * separators (regdiff_change.key_ends): *pos starts at 0; each call gives
 * the index of the next one in *at. Returns false after the last. A
 * change without key_ends has none. */
bool regdiff__key_inner_backslash(const regdiff_change *c, size_t *pos, size_t *at);

/* Appends name made terminal-safe (REGDIFF_TEXT_SAFE) with the '\' that
 * are part of a name shown as U+29F5 (a reverse solidus operator, "⧵"),
 * so that it cannot read as a path: of c's key when c is given (name is
 * c->key), else every '\' of name (a value name). */
int regdiff__render_txt_name(regdiff__buf *b, regdiff_name name, const regdiff_change *c);

/* Appends what a NOT_COMPARED change names ("values", "subkeys", "data",
 * "other", "hive"; comma-separated) and, into sides, its sides ("before",
 * "after"), each list written by item(b, word, first). */
int regdiff__render_not_read(regdiff__buf *b, unsigned not_read, int sides,
			     int (*item)(regdiff__buf *b, const char *word, int first));

#endif
