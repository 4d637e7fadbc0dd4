/* xxh3_forge: two service ImagePath datas with the same XXH3-64, the
 * attack of issue 8 item 1 made real, for the test that regdiff sees
 * through it.
 *
 *   xxh3_forge OUTDIR
 *
 * writes OUTDIR/before.txt and OUTDIR/after.txt (mkhive descriptions of a
 * SYSTEM-like hive whose VendorAgent service has the vendor's ImagePath,
 * and the same hive with the ImagePath forged), OUTDIR/old.hex and
 * OUTDIR/new.hex (the two datas as lowercase hex). Exits 1 if the two
 * datas do not collide, so a test built on them cannot pass for the
 * wrong reason.
 *
 * Why it works. For inputs over 240 bytes, XXH3-64 (default secret, seed
 * 0) keeps eight 64-bit lanes. Each 64-byte stripe s of a 1024-byte block
 * adds, for each of its eight words v[j], v[j] to lane j^1 and
 * lo32(x) * hi32(x) to lane j, where x = v[j] ^ secret word (s + j). The
 * lanes are only scrambled at the end of a block, and the last 64 bytes
 * of the input are mixed in apart. So two datas of the same length whose
 * stripes differ only within the first block, with equal last 64 bytes
 * and equal lane sums over that block, hash alike. A word whose x has a
 * zero half adds nothing through the product; with one such word free in
 * its low half (stripe 5) and one free in its high half (stripe 6), any
 * 64-bit sum is reached. The forged data is the attacker's text, then
 * two stripes computed to put every lane sum back where the vendor's
 * data left it. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEN 512u	/* 7 stripes accumulated, the 8th mixed in as last */
#define FIX_A 5u	/* stripe whose words are free in their low half */
#define FIX_B 6u	/* ... in their high half */
#define TAIL (LEN - 64) /* the last stripe: kept as the vendor's */

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void wr64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

/* What stripe s of data adds to each lane (XXH3_scalarRound). */
static void stripe_sum(const uint8_t *data, unsigned s, uint64_t lanes[8])
{
	for (unsigned j = 0; j < 8; j++) {
		uint64_t v = rd64(data + 64 * s + 8 * j);
		uint64_t x = v ^ rd64(XXH3_kSecret + 8 * s + 8 * j);
		lanes[j ^ 1] += v;
		lanes[j] += (x & 0xffffffffu) * (x >> 32);
	}
}

/* UTF-16LE of an ASCII string, NUL included, into p; returns bytes. */
static size_t put_utf16(uint8_t *p, const char *s)
{
	size_t n = 0;
	do {
		p[n++] = (uint8_t)*s;
		p[n++] = 0;
	} while (*s++);
	return n;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* A SYSTEM-like hive: the service, a neighbour service and other keys,
 * so that the forged subtree sits among unchanged ones. */
static void write_desc(const char *dir, const char *name, const uint8_t *image)
{
	char h[2 * LEN + 1], text[8192];
	hex(h, image, LEN);
	snprintf(text, sizeof text,
		 "# Made by tests/tools/xxh3_forge.c: see there.\n"
		 "filename \"\\??\\C:\\Windows\\System32\\config\\SYSTEM\"\n"
		 "root \"ROOT\"\n"
		 "key \"Select\"\n"
		 "  value \"Current\" REG_DWORD 1\n"
		 "key \"ControlSet001\\Services\\Beep\"\n"
		 "  value \"ImagePath\" REG_EXPAND_SZ \"system32\\drivers\\Beep.sys\"\n"
		 "  value \"Start\" REG_DWORD 1\n"
		 "key \"ControlSet001\\Services\\VendorAgent\"\n"
		 "  value \"DisplayName\" REG_SZ \"Vendor Agent\"\n"
		 "  value \"ImagePath\" REG_EXPAND_SZ hex %s\n"
		 "  value \"Start\" REG_DWORD 2\n"
		 "  value \"Type\" REG_DWORD 16\n"
		 "key \"ControlSet001\\Services\\VendorAgent\\Parameters\"\n"
		 "  value \"LogLevel\" REG_SZ \"info\"\n",
		 h);
	write_file(dir, name, text);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: xxh3_forge OUTDIR\n");
		return 2;
	}
	/* The vendor's command line, padded with spaces to 255 UTF-16 units
	 * and a NUL: 512 bytes. */
	static const char vendor_cmd[] =
	    "\"C:\\Program Files\\Vendor\\Agent\\agent.exe\" --service --config "
	    "\"C:\\ProgramData\\Vendor\\Agent\\config.xml\" --log "
	    "\"C:\\ProgramData\\Vendor\\Agent\\logs\\agent.log\" --log-level info "
	    "--update-channel stable --max-workers 4 --heartbeat-seconds 300";
	uint8_t before[LEN], after[LEN];
	memset(before, 0, sizeof before);
	char cmd[LEN / 2];
	memset(cmd, ' ', sizeof cmd - 1);
	cmd[sizeof cmd - 1] = '\0';
	_Static_assert(sizeof vendor_cmd <= sizeof cmd, "vendor command line too long");
	memcpy(cmd, vendor_cmd, sizeof vendor_cmd - 1);
	put_utf16(before, cmd);

	/* The attacker's: its own program, NUL-terminated (all Windows reads
	 * of the path stop there), then the two fixing stripes and the
	 * vendor's last stripe. */
	memset(after, 0, sizeof after);
	put_utf16(after, "C:\\Users\\Public\\evil.exe");
	memcpy(after + TAIL, before + TAIL, LEN - TAIL);

	uint64_t want[8] = {0}, have[8] = {0};
	for (unsigned s = 0; s < TAIL / 64; s++) {
		stripe_sum(before, s, want);
		if (s != FIX_A && s != FIX_B)
			stripe_sum(after, s, have);
	}
	for (unsigned j = 0; j < 8; j++) {
		/* Word j of both fixing stripes feeds lane j^1. */
		uint64_t t = want[j ^ 1] - have[j ^ 1];
		uint64_t ka = rd64(XXH3_kSecret + 8 * FIX_A + 8 * j);
		uint64_t kb = rd64(XXH3_kSecret + 8 * FIX_B + 8 * j);
		uint32_t a = (uint32_t)t - (uint32_t)kb;
		uint64_t carry = ((uint64_t)a + (uint32_t)kb) >> 32;
		uint32_t b = (uint32_t)(t >> 32) - (uint32_t)(ka >> 32) - (uint32_t)carry;
		wr64(after + 64 * FIX_A + 8 * j, (ka & 0xffffffff00000000u) | a);
		wr64(after + 64 * FIX_B + 8 * j, (uint64_t)b << 32 | (kb & 0xffffffffu));
	}

	uint64_t ha = XXH3_64bits(before, LEN), hb = XXH3_64bits(after, LEN);
	if (ha != hb || memcmp(before, after, LEN) == 0) {
		fprintf(stderr, "xxh3_forge: no collision (%016llx, %016llx)\n",
			(unsigned long long)ha, (unsigned long long)hb);
		return 1;
	}
	write_desc(argv[1], "before.txt", before);
	write_desc(argv[1], "after.txt", after);
	char h[2 * LEN + 2];
	hex(h, before, LEN);
	strcat(h, "\n");
	write_file(argv[1], "old.hex", h);
	hex(h, after, LEN);
	strcat(h, "\n");
	write_file(argv[1], "new.hex", h);
	printf("XXH3-64 of both: %016llx\n", (unsigned long long)ha);
	return 0;
}
