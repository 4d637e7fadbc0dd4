/* regdiff - value data as text.
 *
 * The text the TXT report shows for a value's data (docs/report-formats.md,
 * "Data" and "TXT"), for a program that shows data itself: the TXT report
 * is written by the same code, so the two always agree. No caller needs to
 * decode UTF-16 or numbers from the bytes.
 *
 * What the bytes may be, and how each is shown:
 * - Alignment: regdiff_data.bytes may be at any address (it points into a
 *   snapshot's block); every unit and number is read byte by byte.
 * - REG_SZ, REG_EXPAND_SZ: "text", in double quotes (quotes inside are not
 *   escaped, as in Regshot), when the data is exactly a string: an even
 *   length, UTF-16LE with no NUL unit but at most one final terminator.
 *   With or without its terminator it is the same text; "" is the empty
 *   string.
 * - REG_MULTI_SZ: "a", "b", "c" when the data is exactly a list: non-empty
 *   strings, each ended by a NUL unit, then one more NUL unit; a single NUL
 *   unit is the empty list, shown "".
 * - REG_DWORD, REG_DWORD_BIG_ENDIAN: 0x0000002A (8 upper-case hex digits)
 *   for exactly 4 bytes, little- or big-endian; REG_QWORD:
 *   0x000000000000002A for exactly 8 bytes, little-endian.
 * - REG_LINK: bytes, as Regshot shows it; with REGDIFF_DATA_TEXT_LINK, a
 *   string "text" when it is exactly one (an even length, no NUL unit at
 *   all: a link has no terminator).
 * - REG_NONE, REG_BINARY, the resource types, any other type number, and
 *   data a type above does not hold exactly (an odd length, a missing list
 *   terminator, an embedded NUL or bytes after the terminator, a number of
 *   the wrong size): bytes, each as a space and two upper-case hex digits,
 *   " E7 01 14 00" (the first space included, as the report writes it
 *   after "name: ").
 * - No bytes at all, of any type: (NULL!) (Regshot's marker), also with
 *   REGDIFF_DATA_TEXT_HEX.
 * - Data that could not be read (not_read is 1): (data not read: N bytes),
 *   N being stated_len, the size its source states.
 * - Strings with an unpaired surrogate (invalid UTF-16) show it as U+FFFD,
 *   or as bytes with REGDIFF_DATA_TEXT_STRICT.
 * The text is UTF-8, NUL-terminated, and never holds a NUL byte. Shown as
 * text, different bytes can read alike (a string with or without its
 * terminator, U+FFFD, control pictures, a string holding '", "'):
 * REGDIFF_DATA_TEXT_HEX gives the exact bytes.
 */
#ifndef REGDIFF_DATA_H
#define REGDIFF_DATA_H

#include "common.h"
#include "diff.h"

#ifdef __cplusplus
extern "C" {
#endif

enum regdiff_data_text_flags {
	/* Strings made safe for a terminal, as REGDIFF_TEXT_SAFE makes names
	 * (name.h): controls become their Unicode pictures, bidirectional and
	 * invisible format characters U+FFFD. The TXT report's form. Without
	 * it, strings are exact but for unpaired surrogates. */
	REGDIFF_DATA_TEXT_SAFE = 1u << 0,
	/* The bytes as hex, " E7 01", whatever the type and bytes. */
	REGDIFF_DATA_TEXT_HEX = 1u << 1,
	/* REG_LINK that is exactly a string as "text" (JSON lines and HTML
	 * reports show it so; TXT, as Regshot, shows bytes). */
	REGDIFF_DATA_TEXT_LINK = 1u << 2,
	/* Strings and lists holding an unpaired surrogate (not valid UTF-16)
	 * as bytes, rather than with U+FFFD in its place. */
	REGDIFF_DATA_TEXT_STRICT = 1u << 3
};

/* The smallest max (but 0) that regdiff_data_to_text() accepts: room for
 * every text that is never shortened (a number, (NULL!), (data not read:
 * N bytes)) and for the longest "\u2026(N bytes)". */
#define REGDIFF_DATA_TEXT_MIN 48

/* The text of data, as described above; flags are regdiff_data_text_flags
 * (0: exact strings, links as bytes). max is the longest text wanted, in
 * bytes without the NUL: a longer one is cut, at a whole character (a
 * whole " XX" byte for hex), and ends with "\u2026(N bytes)" (U+2026,
 * an ellipsis, then the size), N being
 * data->len, the whole within max; only the part kept is rendered, so a
 * short text of large data costs little. max 0 is no limit; otherwise it
 * must be at least REGDIFF_DATA_TEXT_MIN (else REGDIFF_EINVAL). The caller
 * owns *out (regdiff_free()); NULL after a failure. */
REGDIFF_API int regdiff_data_to_text(char **out, const regdiff_data *data, unsigned flags,
				     size_t max);

/* The same into the caller's buffer buf of size bytes. *needed (when
 * needed is not NULL) gets the size the text takes with its NUL, whatever
 * happens but an invalid argument (then 0). buf NULL with size 0 only asks
 * for *needed and returns 0. A text that does not fit fails with
 * REGDIFF_ELIMIT and leaves buf "" (nothing partial): call again with a
 * buffer of *needed bytes, or with max = size - 1 for a text shortened to
 * fit. */
REGDIFF_API int regdiff_data_to_text_buf(char *buf, size_t size, size_t *needed,
					 const regdiff_data *data, unsigned flags, size_t max);

#ifdef __cplusplus
}
#endif
#endif
