/* The cryptographic hashes behind every equality the diff takes without
 * reading (subtree, times and child-names summaries), from libgcrypt and
 * kept to their first 16 bytes. XXH3 stays for what it is good at,
 * checksums against accidents and hash tables: it is no defence against
 * data crafted to collide, and malware writes the after state.
 *
 * Two functions, equally strong at 16 bytes (second preimages 2^128
 * work): SHA-256, which processors since about 2017 compute in hardware
 * (SHA-NI: three times BLAKE2b's speed there, and about its speed
 * without), for the subtree and times digests from format version 5 on;
 * BLAKE2b-256 for them in versions 3 and 4, and for every version's
 * child-names digest, which the diff compares across versions (few are
 * computed: one per key with subkeys). */
#ifndef REGDIFF_HASH_H
#define REGDIFF_HASH_H

#include <stddef.h>
#include <stdint.h>

#define REGDIFF__DIGEST_SIZE 16u

typedef struct regdiff__hash regdiff__hash;

/* Initialises libgcrypt if nobody has: done by regdiff__hash_new, and
 * needed once before threads hash at the same time. */
int regdiff__hash_setup(void);

typedef enum regdiff__hash_alg {
	REGDIFF__HASH_BLAKE2B = 1,
	REGDIFF__HASH_SHA256 = 2,
} regdiff__hash_alg;

/* A new hash context of alg, ready for updates; the caller frees it. */
int regdiff__hash_new(regdiff__hash **out, regdiff__hash_alg alg);
void regdiff__hash_update(regdiff__hash *h, const void *p, size_t n);
/* Writes the digest of everything since the last reset and resets h. */
void regdiff__hash_final(regdiff__hash *h, uint8_t out[REGDIFF__DIGEST_SIZE]);
void regdiff__hash_reset(regdiff__hash *h);
/* Off: updates are dropped and every final gives the digest of nothing,
 * at no cost (a snapshot whose subtree digests nobody reads). */
void regdiff__hash_set_off(regdiff__hash *h, int off);
/* Whether h is off: callers skip preparing what they would hash. */
int regdiff__hash_is_off(const regdiff__hash *h);
void regdiff__hash_free(regdiff__hash *h); /* accepts NULL */

/* How many digests h computed: finals given from its memo of short
 * messages, or for no input at all, are not counted. */
uint64_t regdiff__hash_computed(const regdiff__hash *h);

#endif
