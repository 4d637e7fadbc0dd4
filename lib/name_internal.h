/* Internal name helpers: the upper-case lookup inlined into hot loops and
 * UTF-16 to UTF-8 appenders for the report formatters. */
#ifndef REGDIFF_NAME_INTERNAL_H
#define REGDIFF_NAME_INTERNAL_H

#include "internal.h"

/* Generated tables, defined in name_upcase.h (see tools/gen_upcase.py). */
extern const uint8_t regdiff__upcase_index[256];
extern const uint16_t regdiff__upcase_delta[][256];

/* regdiff_name_upcase() without the call: sorting compares every name. */
static inline uint16_t regdiff__upcase(uint16_t unit)
{
	return (uint16_t)(unit +
			  regdiff__upcase_delta[regdiff__upcase_index[unit >> 8]][unit & 0xFF]);
}

/* Characters at or above U+00A0 that would hide, reorder or break what is
 * around them: bidirectional controls, zero-width and invisible format
 * characters (U+00AD, U+200B, U+2060, U+FEFF, ...), line and paragraph
 * separators, tag characters (U+E0000-E007F), noncharacters U+FFFE/F.
 * REGDIFF_TEXT_SAFE shows them as U+FFFD, HTML as a marked code: one list,
 * so that the formats agree. */
bool regdiff__hidden_char(uint32_t cp);

/* Appends n UTF-16 code units to out as UTF-8 (no terminator), following
 * flags (enum regdiff_text_flags) like regdiff_name_to_utf8(). Returns 0,
 * REGDIFF_ENOMEM or REGDIFF_EINVAL (unknown flags); out is unchanged on
 * failure. */
int regdiff__utf16_to_utf8_buf(regdiff__buf *out, const uint16_t *units, size_t n, unsigned flags);

/* The same for UTF-16LE data as stored in REG_SZ values: nbytes bytes,
 * which must be even (REGDIFF_EINVAL otherwise). */
int regdiff__utf16le_bytes_to_utf8_buf(regdiff__buf *out, const uint8_t *bytes, size_t nbytes,
				       unsigned flags);

#endif
