/* Marvin32, the keyed hash Windows puts in the headers of transaction-log
 * entries (HvLE). Written from the published description (the algorithm
 * .NET uses for string hashing): two 32-bit lanes, one mixing round per
 * 4-byte word, the tail padded with 0x80, two final rounds. */
#include "hive_log.h"

static uint32_t rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void mix(uint32_t *lo, uint32_t *hi)
{
	*hi ^= *lo;
	*lo = rotl(*lo, 20);
	*lo += *hi;
	*hi = rotl(*hi, 9);
	*hi ^= *lo;
	*lo = rotl(*lo, 27);
	*lo += *hi;
	*hi = rotl(*hi, 19);
}

uint64_t regdiff__marvin32(const uint8_t *p, size_t n, uint64_t seed)
{
	uint32_t lo = (uint32_t)seed, hi = (uint32_t)(seed >> 32);
	for (; n >= 4; p += 4, n -= 4) {
		lo += regdiff__get_u32(p);
		mix(&lo, &hi);
	}
	uint32_t last = 0x80;
	for (size_t i = n; i-- > 0;)
		last = (last << 8) | p[i];
	lo += last;
	mix(&lo, &hi);
	mix(&lo, &hi);
	return ((uint64_t)hi << 32) | lo;
}
