/* Snapshot "recipes": a snapshot file with its blocks uncompressed and its
 * hashes left out, so that a fuzzer's mutations reach the record and
 * footer parsers instead of stopping at a checksum. An attacker can
 * always write a file whose hashes match (XXH3 is no MAC), so what lies
 * behind the checksums must be as robust as what lies before them.
 *
 *   'R' | u8 flags | chunk...
 *   chunk: u8 kind | u32 records | u32 length | length bytes (uncompressed)
 *
 * The last chunk is the footer, the others are record blocks or child
 * table blocks (kind 3); each becomes a block of its kind and record
 * count. The header, the block hashes and the trailer are always made
 * valid. Unless flags has RECIPE_KEEP_INDEX, the footer's block index
 * entries (record and table blocks) are replaced by ones that match the
 * blocks made, and its record count by the record blocks' sum. A
 * truncated chunk takes what is left of the input. All integers are
 * little-endian. */
#ifndef REGDIFF_FUZZ_RECIPE_H
#define REGDIFF_FUZZ_RECIPE_H

#include <stddef.h>
#include <stdint.h>

#define RECIPE_MAGIC 'R'
#define RECIPE_KEEP_INDEX 0x01u

/* Builds the snapshot file of a recipe into *out (malloc'd; the caller
 * frees it). 0, or a negative REGDIFF_E* code (out of memory, or a chunk
 * too large for zlib). */
int recipe_build(const uint8_t *recipe, size_t n, uint8_t **out, size_t *out_len);

/* The recipe of a snapshot file (flags 0), for seed corpora: 0, or a
 * negative REGDIFF_E* code when the file's blocks cannot be walked. */
int recipe_of(const uint8_t *file, size_t n, uint8_t **out, size_t *out_len);

#endif
