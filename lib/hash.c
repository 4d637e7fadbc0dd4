/* SHA-256 and BLAKE2b-256 through libgcrypt; see hash.h for why. */
#include <gcrypt.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "hash.h"
#include "internal.h"

/* Most digests a shot makes are of one short message (a leaf key's time,
 * the names of a key's one subkey, a leaf key's few small values), and
 * three in four of those repeat one made before (a hive's keys share
 * timestamps and shapes): SYSTEM_WIN_10_1709 makes 72,000 of one
 * BLAKE2b block, 18,000 of them different. A final costs a BLAKE2b
 * compression (~300 ns; SHA-256 with SHA-NI ~90 ns) and libgcrypt's own
 * overhead; a look-up here an XXH3 and a memcmp. Each slot keeps the whole message, compared in
 * full: XXH3 only picks the slot, so crafted XXH3 collisions buy nothing. */
#define MEMO_SLOTS 64u
#define MEMO_MAX 128u /* one BLAKE2b block, two of SHA-256 */

typedef struct memo_slot {
	uint32_t len; /* of msg, plus one: 0 is an empty slot */
	uint8_t digest[REGDIFF__DIGEST_SIZE];
	uint8_t msg[MEMO_MAX];
} memo_slot;

/* The gcry handle, and a buffer for the many small updates a shot makes
 * (names, numbers, digests of subkeys): each gcry_md_write costs far more
 * than a memcpy. */
struct regdiff__hash {
	gcry_md_hd_t md;
	int algo;	      /* libgcrypt's */
	const uint8_t *empty; /* the digest of nothing */
	int off;	      /* regdiff__hash_set_off */
	int used;	      /* something was hashed since the last reset */
	int flushed;	      /* some of it went to md: buf is not the whole message */
	size_t n;
	memo_slot *memo; /* made on the first short final */
	uint64_t computed;
	uint8_t buf[1024];
};

/* The digests of nothing, kept to 16 bytes (the child-names digest of
 * every key without subkeys), given without a finalisation. */
static const uint8_t empty_blake2b[REGDIFF__DIGEST_SIZE] = {
    0x0e, 0x57, 0x51, 0xc0, 0x26, 0xe5, 0x43, 0xb2, 0xe8, 0xab, 0x2e, 0xb0, 0x60, 0x99, 0xda, 0xa1};
static const uint8_t empty_sha256[REGDIFF__DIGEST_SIZE] = {
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24};

static void flush(regdiff__hash *h)
{
	if (h->n) {
		gcry_md_write(h->md, h->buf, h->n);
		h->flushed = 1;
	}
	h->n = 0;
}

/* libgcrypt must have been initialised (by the application or by us)
 * before any other call; gcry_check_version is that initialisation and
 * is harmless when the application did it already. */
int regdiff__hash_setup(void)
{
	if (!gcry_control(GCRYCTL_ANY_INITIALIZATION_P) && !gcry_check_version(NULL))
		return regdiff__error(REGDIFF_EUNSUPPORTED, "libgcrypt could not be initialised");
	return 0;
}

int regdiff__hash_new(regdiff__hash **out, regdiff__hash_alg alg)
{
	*out = NULL;
	int rc = regdiff__hash_setup();
	if (rc)
		return rc;
	regdiff__hash *h = regdiff__malloc(sizeof *h);
	if (!h)
		return REGDIFF_ENOMEM;
	h->n = 0;
	h->off = 0;
	h->used = 0;
	h->flushed = 0;
	h->memo = NULL;
	h->computed = 0;
	int sha = alg == REGDIFF__HASH_SHA256;
	h->algo = sha ? GCRY_MD_SHA256 : GCRY_MD_BLAKE2B_256;
	h->empty = sha ? empty_sha256 : empty_blake2b;
	gcry_error_t e = gcry_md_open(&h->md, h->algo, 0);
	if (e) {
		free(h);
		return regdiff__error(REGDIFF_EUNSUPPORTED, "%s unavailable in libgcrypt: %s",
				      sha ? "SHA-256" : "BLAKE2b-256", gcry_strerror(e));
	}
	*out = h;
	return 0;
}

void regdiff__hash_update(regdiff__hash *h, const void *p, size_t n)
{
	if (h->off)
		return;
	h->used |= n > 0;
	if (n <= sizeof h->buf - h->n) {
		if (n)
			memcpy(h->buf + h->n, p, n);
		h->n += n;
		return;
	}
	flush(h);
	if (n < sizeof h->buf) {
		memcpy(h->buf, p, n);
		h->n = n;
	} else {
		gcry_md_write(h->md, p, n);
		h->flushed = 1;
	}
}

/* The slot for the message in buf, or NULL (too long, part of it in md
 * already, or no memory for the memo: then it is not kept). */
static memo_slot *memo_slot_of(regdiff__hash *h)
{
	if (h->flushed || h->n > MEMO_MAX)
		return NULL;
	if (!h->memo && !(h->memo = calloc(MEMO_SLOTS, sizeof *h->memo)))
		return NULL;
	return &h->memo[XXH3_64bits(h->buf, h->n) & (MEMO_SLOTS - 1)];
}

void regdiff__hash_final(regdiff__hash *h, uint8_t out[REGDIFF__DIGEST_SIZE])
{
	/* Kept to 16 bytes: second preimages (what forging the after state
	 * needs) stay 2^128 work, and records stay small. */
	if (!h->used) {
		memcpy(out, h->empty, REGDIFF__DIGEST_SIZE);
		return;
	}
	memo_slot *m = memo_slot_of(h);
	if (m && m->len == h->n + 1 && memcmp(m->msg, h->buf, h->n) == 0) {
		memcpy(out, m->digest, REGDIFF__DIGEST_SIZE);
		regdiff__hash_reset(h);
		return;
	}
	if (m) {
		m->len = (uint32_t)h->n + 1;
		memcpy(m->msg, h->buf, h->n);
	}
	flush(h);
	memcpy(out, gcry_md_read(h->md, h->algo), REGDIFF__DIGEST_SIZE);
	h->computed++;
	if (m)
		memcpy(m->digest, out, REGDIFF__DIGEST_SIZE);
	regdiff__hash_reset(h);
}

void regdiff__hash_reset(regdiff__hash *h)
{
	/* Nothing written to it since the last reset, the gcry state is
	 * fresh already. */
	if (h->flushed)
		gcry_md_reset(h->md);
	h->n = 0;
	h->used = 0;
	h->flushed = 0;
}

void regdiff__hash_set_off(regdiff__hash *h, int off)
{
	regdiff__hash_reset(h);
	h->off = off;
}

int regdiff__hash_is_off(const regdiff__hash *h)
{
	return h->off;
}

uint64_t regdiff__hash_computed(const regdiff__hash *h)
{
	return h->computed;
}

void regdiff__hash_free(regdiff__hash *h)
{
	if (!h)
		return;
	gcry_md_close(h->md);
	free(h->memo);
	free(h);
}
