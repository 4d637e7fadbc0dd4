/* The cryptographic hash behind every equality the diff takes without
 * reading (subtree, times and child-names summaries): BLAKE2b-256 from
 * libgcrypt, kept to its first 16 bytes. XXH3 stays for what it is good
 * at, checksums against accidents and hash tables: it is no defence
 * against data crafted to collide, and malware writes the after state. */
#ifndef REGDIFF_HASH_H
#define REGDIFF_HASH_H

#include <stddef.h>
#include <stdint.h>

#define REGDIFF__DIGEST_SIZE 16u

typedef struct regdiff__hash regdiff__hash;

/* Initialises libgcrypt if nobody has: done by regdiff__hash_new, and
 * needed once before threads hash at the same time. */
int regdiff__hash_setup(void);

/* A new hash context, ready for updates; the caller frees it. */
int regdiff__hash_new(regdiff__hash **out);
void regdiff__hash_update(regdiff__hash *h, const void *p, size_t n);
/* Writes the digest of everything since the last reset and resets h. */
void regdiff__hash_final(regdiff__hash *h, uint8_t out[REGDIFF__DIGEST_SIZE]);
void regdiff__hash_reset(regdiff__hash *h);
/* Off: updates are dropped and every final gives the digest of nothing,
 * at no cost (a snapshot whose subtree digests nobody reads). */
void regdiff__hash_set_off(regdiff__hash *h, int off);
void regdiff__hash_free(regdiff__hash *h); /* accepts NULL */

/* How many digests h computed: finals given from its memo of short
 * messages, or for no input at all, are not counted. */
uint64_t regdiff__hash_computed(const regdiff__hash *h);

#endif
