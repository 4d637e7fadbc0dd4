/* A strict JSON checker (RFC 8259) for the JSON lines reports: what any
 * conforming parser must accept. Stricter than most parsers: the text
 * must be well-formed UTF-8 (no overlong forms, no encoded surrogates),
 * and an object may not name a member twice. */
#ifndef REGDIFF_FUZZ_JSON_CHECK_H
#define REGDIFF_FUZZ_JSON_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* 0 if s[0..n) is one JSON object, with optional whitespace around it;
 * otherwise -1, with a static description in *why and the offset of the
 * fault in *at. */
int json_check_object(const uint8_t *s, size_t n, const char **why, size_t *at);

/* Decodes one UTF-8 sequence strictly: its length (1-4) with the code
 * point in *cp, or 0 if s[0..n) does not start with one. */
size_t json_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp);

#endif
