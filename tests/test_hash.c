/* The summaries' hashes (lib/hash.h): BLAKE2b-256 and SHA-256 kept to 16
 * bytes, pinned to digests computed apart from regdiff (Python's
 * hashlib.blake2b, digest_size=32, and hashlib.sha256, first 16 bytes),
 * whatever path a final takes: the memo
 * of short messages (a hit, a miss, a slot taken over by another message
 * of the same length), a message past the memo's limit, one flushed to
 * libgcrypt in parts. */
#include <string.h>
#include <xxhash.h>

#include "hash.h"
#include "test_util.h"

typedef struct known {
	regdiff__hash_alg alg;
	uint8_t abc[16], m128[16], m129[16], m3000[16], empty[16];
} known;

static const known blake2b = {REGDIFF__HASH_BLAKE2B,
			      {0xbd, 0xdd, 0x81, 0x3c, 0x63, 0x42, 0x39, 0x72, 0x31, 0x71, 0xef,
			       0x3f, 0xee, 0x98, 0x57, 0x9b},
			      {0xc3, 0x58, 0x2f, 0x71, 0xeb, 0xb2, 0xbe, 0x66, 0xfa, 0x5d, 0xd7,
			       0x50, 0xf8, 0x0b, 0xaa, 0xe9},
			      {0xf7, 0xf3, 0xc4, 0x6b, 0xa2, 0x56, 0x4f, 0xf4, 0xc4, 0xc1, 0x62,
			       0xda, 0x1f, 0x5b, 0x60, 0x5f},
			      {0xe3, 0x69, 0x84, 0x76, 0x0c, 0x9b, 0x9e, 0xea, 0x71, 0xb6, 0x88,
			       0x34, 0x54, 0x3c, 0x80, 0x48},
			      {0x0e, 0x57, 0x51, 0xc0, 0x26, 0xe5, 0x43, 0xb2, 0xe8, 0xab, 0x2e,
			       0xb0, 0x60, 0x99, 0xda, 0xa1}};

static const known sha256 = {REGDIFF__HASH_SHA256,
			     {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
			      0xde, 0x5d, 0xae, 0x22, 0x23},
			     {0x47, 0x1f, 0xb9, 0x43, 0xaa, 0x23, 0xc5, 0x11, 0xf6, 0xf7, 0x2f,
			      0x8d, 0x16, 0x52, 0xd9, 0xc8},
			     {0x50, 0x99, 0xc6, 0xa5, 0x62, 0x03, 0xf9, 0x68, 0x7f, 0x7d, 0x33,
			      0xf4, 0xbf, 0xdf, 0x57, 0x6d},
			     {0xe8, 0xca, 0x4b, 0xf8, 0x3f, 0x56, 0x15, 0x2c, 0x01, 0x64, 0x9f,
			      0x88, 0xbd, 0x7c, 0x91, 0xb1},
			     {0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
			      0xc8, 0x99, 0x6f, 0xb9, 0x24}};

static void digest_of(regdiff__hash *h, const uint8_t *p, size_t n, uint8_t out[16])
{
	/* In pieces of 7, as the writer's many small updates come. */
	for (size_t i = 0; i < n; i += 7)
		regdiff__hash_update(h, p + i, n - i < 7 ? n - i : 7);
	regdiff__hash_final(h, out);
}

static void check_digest(regdiff__hash *h, const char *what, const uint8_t *p, size_t n,
			 const uint8_t want[16])
{
	uint8_t got[16];
	digest_of(h, p, n, got);
	CHECK_BYTES(what, got, 16, want, 16);
}

static void test_known_digests(const known *k)
{
	uint8_t m[3000];
	for (size_t i = 0; i < sizeof m; i++)
		m[i] = (uint8_t)(i < 129 ? i : i % 251);
	uint8_t big[3000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i % 251);
	regdiff__hash *h;
	CHECK_RC(regdiff__hash_new(&h, k->alg), 0);
	if (!h)
		return;
	/* Each twice: computed, then from the memo where it is short. */
	for (int round = 0; round < 2; round++) {
		check_digest(h, "empty", NULL, 0, k->empty);
		check_digest(h, "abc", (const uint8_t *)"abc", 3, k->abc);
		check_digest(h, "128 bytes", m, 128, k->m128);
		check_digest(h, "129 bytes", m, 129, k->m129);
		check_digest(h, "3000 bytes", big, sizeof big, k->m3000);
		/* Past the buffer in one update: straight to libgcrypt. */
		regdiff__hash_update(h, big, sizeof big);
		uint8_t got[16];
		regdiff__hash_final(h, got);
		CHECK_BYTES("3000 bytes at once", got, 16, k->m3000, 16);
	}
	/* Round two computed only what is over one block. */
	CHECK_U64(regdiff__hash_computed(h), 5 + 3);
	/* A reset forgets the message, not the memo. */
	regdiff__hash_update(h, "xyz", 3);
	regdiff__hash_reset(h);
	check_digest(h, "abc after a reset", (const uint8_t *)"abc", 3, k->abc);
	CHECK_U64(regdiff__hash_computed(h), 8);
	regdiff__hash_free(h);
}

/* Messages of one length whose XXH3 picks the same memo slot (equal in
 * the low 8 bits: the same slot for any memo of up to 256): each is told
 * apart by its bytes, never given the other's digest. */
static void test_slot_shared(void)
{
	uint8_t a[16] = "slot-0000000000", b[16];
	uint64_t want = XXH3_64bits(a, 16) & 255;
	for (unsigned i = 1;; i++) {
		memcpy(b, a, 16);
		memcpy(b + 5, &i, sizeof i);
		if ((XXH3_64bits(b, 16) & 255) == want)
			break;
	}
	regdiff__hash *h, *fresh;
	CHECK_RC(regdiff__hash_new(&h, REGDIFF__HASH_SHA256), 0);
	CHECK_RC(regdiff__hash_new(&fresh, REGDIFF__HASH_SHA256), 0);
	if (!h || !fresh)
		return;
	uint8_t da[16], db[16], got[16];
	/* fresh computes each only once: its own memo slot holds one. */
	digest_of(fresh, a, 16, da);
	digest_of(fresh, b, 16, db);
	CHECK(memcmp(da, db, 16) != 0);
	const uint8_t *seq[] = {a, a, b, b, a, b};
	for (size_t i = 0; i < sizeof seq / sizeof *seq; i++) {
		digest_of(h, seq[i], 16, got);
		CHECK_BYTES("slot shared", got, 16, seq[i] == a ? da : db, 16);
	}
	/* a, b and a again and b again after each took the slot over. */
	CHECK_U64(regdiff__hash_computed(h), 4);
	/* A prefix of a (another length) in the same slot or not: its own. */
	regdiff__hash *p;
	CHECK_RC(regdiff__hash_new(&p, REGDIFF__HASH_SHA256), 0);
	if (p) {
		uint8_t want15[16];
		digest_of(p, a, 15, want15);
		digest_of(h, a, 15, got);
		CHECK_BYTES("prefix", got, 16, want15, 16);
		regdiff__hash_free(p);
	}
	regdiff__hash_free(h);
	regdiff__hash_free(fresh);
}

int main(void)
{
	test_known_digests(&blake2b);
	test_known_digests(&sha256);
	test_slot_shared();
	return tu_result("test_hash");
}
