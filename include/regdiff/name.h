/* regdiff - registry names.
 *
 * Key and value names are kept exactly as the registry holds them: UTF-16
 * code units, which may include NUL, control characters and unpaired
 * surrogates. They compare the way Windows orders them: code unit by code
 * unit after upper-casing each unit with a fixed table (Unicode simple
 * upper-case mappings of the BMP), so "run" and "RUN" are the same name.
 */
#ifndef REGDIFF_NAME_H
#define REGDIFF_NAME_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A borrowed run of UTF-16 code units; not NUL-terminated. */
typedef struct regdiff_name {
	const uint16_t *units;
	size_t len;
} regdiff_name;

/* The upper-case form of one UTF-16 code unit (surrogates map to
 * themselves). */
REGDIFF_API uint16_t regdiff_name_upcase(uint16_t unit);

/* <0, 0, >0 as a sorts before, equals or sorts after b, ignoring case. */
REGDIFF_API int regdiff_name_compare(regdiff_name a, regdiff_name b);

/* How regdiff_name_to_utf8 shows what UTF-8 cannot carry or a terminal
 * should not receive. */
enum regdiff_text_flags {
	/* Unpaired surrogates become U+FFFD; everything else is exact. */
	REGDIFF_TEXT_PLAIN = 0,
	/* Also: C0 controls and DEL become the Unicode control pictures
	 * (U+2400..U+241F, U+2421); C1 controls, bidirectional formatting
	 * characters (U+061C, U+200E-F, U+202A-E, U+2066-9), zero-width and
	 * other invisible format characters (U+00AD, U+180E, U+200B-D,
	 * U+2060-2065, U+206A-F, U+FEFF, U+FFF9-B, tag characters
	 * U+E0000-E007F), line and paragraph separators (U+2028-9) and
	 * U+FFFE/F become U+FFFD, so the text is safe to print on a terminal,
	 * reads as it is and hides nothing. */
	REGDIFF_TEXT_SAFE = 1u << 0
};

/* Converts a name to NUL-terminated UTF-8 (a NUL inside the name is kept
 * as a NUL byte with REGDIFF_TEXT_PLAIN, so use *len). The caller owns *out
 * and frees it with regdiff_free(). len may be NULL. */
REGDIFF_API int regdiff_name_to_utf8(char **out, size_t *len, regdiff_name name, unsigned flags);

/* Converts UTF-8 to UTF-16 code units; fails with REGDIFF_EINVAL on
 * invalid UTF-8. The caller owns *out (regdiff_free()). */
REGDIFF_API int regdiff_name_from_utf8(uint16_t **out, size_t *out_len, const char *utf8,
				       size_t len);

/* Makes len bytes of UTF-8 text from outside (a snapshot's metadata, a
 * message naming a file) safe to show on a terminal, as reports show
 * names: what REGDIFF_TEXT_SAFE does, each byte that is not part of
 * well-formed UTF-8 becoming U+FFFD. The caller owns *out, NUL-terminated
 * (regdiff_free()). */
REGDIFF_API int regdiff_text_safe(char **out, const char *text, size_t len);

#ifdef __cplusplus
}
#endif
#endif
