/* crafthive - writes hostile registry hives that mkhive cannot describe:
 * cells shared between keys and values, big-data (db) values over
 * libhivex's 8 MB limit, sibling names equal but for case, and key names
 * of 65,535 characters. Every cell is laid out here byte by byte (no
 * hivex), in one hive bin after the base block.
 *
 * usage: crafthive SCENARIO OUT [ARGS]
 *
 *   amplify OUT      key Amp: 110,000 value list entries naming one value
 *                    cell, whose 8,000,000 bytes of big data are 490
 *                    segments that are all one cell (~462 KB)
 *   shared OUT       keys K1, K2, K3 sharing one value list, its values A
 *                    and B sharing one data cell; each key's index of
 *                    subkey lists (ri) naming one list of subkeys S1, S2
 *   big OUT TYPE SIZE SEED [shared]
 *                    value Big of TYPE and SIZE bytes in big-data segments
 *                    (data from SEED); with "shared", all its segments
 *                    are one cell; and a REG_DWORD Small = 1
 *   dups OUT a|b     a: keys "SAME" (value x = 2) and "Same" (x = 1) under
 *                    the root, key Vals with values "NAME" = 2 and
 *                    "Name" = 1; b: "Same" (x = 1) and "Name" = 1 only
 *   longnames OUT    8 nested keys with names of 65,535 characters, the
 *                    deepest with 10,000 values whose data cannot be read
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_BIN 0x1000u
#define HBIN_HEADER 0x20u
#define SEGMENT 16344u /* data bytes in one big-data segment, as Windows */
#define FILETIME_2020 132223104000000000ULL
#define NONE 0xffffffffu

static unsigned char *f;
static size_t flen, fcap;

static void die(const char *what)
{
	fprintf(stderr, "crafthive: %s\n", what);
	exit(1);
}

static void put16(size_t at, unsigned v)
{
	f[at] = (unsigned char)v;
	f[at + 1] = (unsigned char)(v >> 8);
}

static void put32(size_t at, unsigned long v)
{
	put16(at, (unsigned)(v & 0xffff));
	put16(at + 2, (unsigned)(v >> 16 & 0xffff));
}

static void put64(size_t at, unsigned long long v)
{
	put32(at, (unsigned long)(v & 0xffffffffu));
	put32(at + 4, (unsigned long)(v >> 32));
}

static unsigned long get32(size_t at)
{
	return f[at] | (unsigned long)f[at + 1] << 8 | (unsigned long)f[at + 2] << 16 |
	       (unsigned long)f[at + 3] << 24;
}

/* A new allocated cell with room for n bytes after its size field; its
 * file offset. Cells are handed out in order, 8-byte aligned. */
static size_t cell(size_t n)
{
	size_t size = (4 + n + 7) & ~(size_t)7;
	if (flen + size > fcap) {
		fcap = (flen + size) * 2;
		if (!(f = realloc(f, fcap)))
			die("out of memory");
	}
	size_t at = flen;
	memset(f + at, 0, size);
	put32(at, (unsigned long)(0x100000000ULL - size));
	flen += size;
	return at;
}

/* What a cell offset is stored as: relative to the first hive bin. */
static unsigned long rel(size_t at)
{
	return (unsigned long)(at - FIRST_BIN);
}

static size_t nk(const char *name, size_t len, size_t parent, size_t nsub, size_t list,
		 size_t nval, size_t vlist)
{
	size_t at = cell(0x4c + len);
	memcpy(f + at + 4, "nk", 2);
	put16(at + 6, parent ? 0x20 : 0x2c); /* compressed name (and root) */
	put64(at + 8, FILETIME_2020);
	put32(at + 0x14, parent ? rel(parent) : 0);
	put32(at + 0x18, (unsigned long)nsub);
	put32(at + 0x20, nsub ? rel(list) : NONE);
	put32(at + 0x24, NONE);
	put32(at + 0x28, (unsigned long)nval);
	put32(at + 0x2c, nval ? rel(vlist) : NONE);
	put32(at + 0x30, NONE);
	put32(at + 0x34, NONE);
	put16(at + 0x4c, (unsigned)len);
	memcpy(f + at + 0x50, name, len);
	return at;
}

/* The nk cell's subkey list (set once its subkeys exist). */
static void set_subkeys(size_t key, const size_t *kids, size_t n)
{
	size_t at = cell(4 + 8 * n);
	memcpy(f + at + 4, "lh", 2);
	put16(at + 6, (unsigned)n);
	for (size_t i = 0; i < n; i++)
		put32(at + 8 + 8 * i, rel(kids[i])); /* hash 0: libhivex ignores it */
	put32(key + 0x18, (unsigned long)n);
	put32(key + 0x20, rel(at));
}

static size_t value_list(const size_t *vals, size_t n)
{
	size_t at = cell(4 * n);
	for (size_t i = 0; i < n; i++)
		put32(at + 4 + 4 * i, rel(vals[i]));
	return at;
}

static void set_values(size_t key, size_t list, size_t n)
{
	put32(key + 0x28, (unsigned long)n);
	put32(key + 0x2c, rel(list));
}

static size_t vk(const char *name, unsigned long type, unsigned long len, unsigned long data)
{
	size_t n = strlen(name);
	size_t at = cell(0x14 + n);
	memcpy(f + at + 4, "vk", 2);
	put16(at + 6, (unsigned)n);
	put32(at + 8, len);
	put32(at + 0xc, data);
	put32(at + 0x10, type);
	put16(at + 0x14, 1); /* compressed name */
	memcpy(f + at + 0x18, name, n);
	return at;
}

static size_t dword_value(const char *name, unsigned long v)
{
	return vk(name, 4, 0x80000004u, v); /* kept in the value cell */
}

static unsigned char fill(unsigned long seed, size_t i)
{
	return (unsigned char)((i * 2654435761u + seed * 40503u) >> 13);
}

/* A big-data cell holding size bytes; with shared, every segment is the
 * same cell. */
static size_t big_data(size_t size, unsigned long seed, int shared)
{
	size_t nseg = (size + SEGMENT - 1) / SEGMENT;
	if (nseg > 0xffff)
		die("too large for one big-data cell");
	size_t db = cell(12);
	size_t list = cell(4 * nseg);
	memcpy(f + db + 4, "db", 2);
	put16(db + 6, (unsigned)nseg);
	put32(db + 8, rel(list));
	size_t one = 0;
	for (size_t i = 0; i < nseg; i++) {
		size_t n = size - i * SEGMENT < SEGMENT ? size - i * SEGMENT : SEGMENT;
		if (!shared || !one) {
			one = cell(n + 4);
			for (size_t j = 0; j < n; j++)
				f[one + 4 + j] = fill(seed, i * SEGMENT + j);
		}
		put32(list + 4 + 4 * i, rel(one));
	}
	return db;
}

static void begin(void)
{
	flen = FIRST_BIN + HBIN_HEADER;
	fcap = 1 << 20;
	if (!(f = calloc(fcap, 1)))
		die("out of memory");
}

static void finish(const char *out, size_t root)
{
	size_t bins = (flen - FIRST_BIN + 0xfff) & ~(size_t)0xfff;
	size_t end = FIRST_BIN + bins;
	if (end > fcap && !(f = realloc(f, end)))
		die("out of memory");
	if (end > flen) {
		memset(f + flen, 0, end - flen);
		put32(flen, (unsigned long)(end - flen)); /* one free cell */
	}
	memset(f, 0, FIRST_BIN);
	memcpy(f, "regf", 4);
	put32(4, 1);
	put32(8, 1);
	put64(0xc, FILETIME_2020);
	put32(0x14, 1);
	put32(0x18, 5);
	put32(0x1c, 0);
	put32(0x20, 1);
	put32(0x24, rel(root));
	put32(0x28, (unsigned long)bins);
	put32(0x2c, 1);
	unsigned long sum = 0;
	for (size_t i = 0; i < 0x1fc; i += 4)
		sum ^= get32(i);
	put32(0x1fc, sum);
	memcpy(f + FIRST_BIN, "hbin", 4);
	put32(FIRST_BIN + 8, (unsigned long)bins);
	put64(FIRST_BIN + 0x14, FILETIME_2020);
	FILE *o = fopen(out, "wb");
	if (!o || fwrite(f, 1, end, o) != end || fclose(o) != 0)
		die("cannot write the output");
	free(f);
}

static size_t root_key(void)
{
	return nk("ROOT", 4, 0, 0, 0, 0, 0);
}

static void amplify(const char *out)
{
	enum { ENTRIES = 110000 };
	begin();
	size_t root = root_key();
	size_t amp = nk("Amp", 3, root, 0, 0, 0, 0);
	set_subkeys(root, &amp, 1);
	size_t v = vk("V", 3, 8000000, rel(big_data(8000000, 1, 1)));
	size_t list = cell(4 * ENTRIES);
	for (size_t i = 0; i < ENTRIES; i++)
		put32(list + 4 + 4 * i, rel(v));
	set_values(amp, list, ENTRIES);
	finish(out, root);
}

static void shared(const char *out)
{
	begin();
	size_t root = root_key();
	size_t data = cell(100);
	memset(f + data + 4, 'x', 100);
	size_t vals[2] = {vk("A", 3, 100, rel(data)), vk("B", 3, 100, rel(data))};
	size_t list = value_list(vals, 2);
	size_t kids[3], subs[2];
	for (int i = 0; i < 3; i++) {
		char name[3] = {'K', (char)('1' + i), 0};
		kids[i] = nk(name, 2, root, 0, 0, 0, 0);
		set_values(kids[i], list, 2);
	}
	set_subkeys(root, kids, 3);
	subs[0] = nk("S1", 2, kids[0], 0, 0, 0, 0);
	subs[1] = nk("S2", 2, kids[0], 0, 0, 0, 0);
	set_subkeys(kids[0], subs, 2);
	size_t lh = get32(kids[0] + 0x20) + FIRST_BIN;
	for (int i = 0; i < 3; i++) {
		size_t ri = cell(8);
		memcpy(f + ri + 4, "ri", 2);
		put16(ri + 6, 1);
		put32(ri + 8, rel(lh));
		put32(kids[i] + 0x18, 2);
		put32(kids[i] + 0x20, rel(ri));
	}
	finish(out, root);
}

static void big(const char *out, unsigned long type, size_t size, unsigned long seed, int share)
{
	begin();
	size_t root = root_key();
	size_t vals[2] = {vk("Big", type, (unsigned long)size, rel(big_data(size, seed, share))),
			  dword_value("Small", 1)};
	set_values(root, value_list(vals, 2), 2);
	finish(out, root);
}

static void dups(const char *out, int both)
{
	begin();
	size_t root = root_key();
	size_t kids[3], vals[2];
	size_t n = 0;
	if (both) {
		kids[n] = nk("SAME", 4, root, 0, 0, 0, 0);
		vals[0] = dword_value("x", 2);
		set_values(kids[n++], value_list(vals, 1), 1);
	}
	kids[n] = nk("Same", 4, root, 0, 0, 0, 0);
	vals[0] = dword_value("x", 1);
	set_values(kids[n++], value_list(vals, 1), 1);
	kids[n] = nk("Vals", 4, root, 0, 0, 0, 0);
	size_t nv = 0;
	if (both)
		vals[nv++] = dword_value("NAME", 2);
	vals[nv++] = dword_value("Name", 1);
	set_values(kids[n++], value_list(vals, nv), nv);
	set_subkeys(root, kids, n);
	finish(out, root);
}

static void longnames(const char *out)
{
	enum { DEPTH = 8, NAME = 65535, VALUES = 10000 };
	char *name = malloc(NAME);
	if (!name)
		die("out of memory");
	begin();
	size_t parent = root_key();
	size_t root = parent;
	for (int d = 0; d < DEPTH; d++) {
		memset(name, 'a' + d, NAME);
		size_t k = nk(name, NAME, parent, 0, 0, 0, 0);
		set_subkeys(parent, &k, 1);
		parent = k;
	}
	size_t *vals = malloc(VALUES * sizeof *vals);
	if (!vals)
		die("out of memory");
	for (size_t i = 0; i < VALUES; i++) {
		char vname[16];
		snprintf(vname, sizeof vname, "v%zu", i);
		/* Its data cell lies past the end of the file. */
		vals[i] = vk(vname, 3, 100, 0x7ffffff0u);
	}
	set_values(parent, value_list(vals, VALUES), VALUES);
	finish(out, root);
	free(vals);
	free(name);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "amplify"))
		amplify(argv[2]);
	else if (argc >= 3 && !strcmp(argv[1], "shared"))
		shared(argv[2]);
	else if (argc >= 6 && !strcmp(argv[1], "big"))
		big(argv[2], strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0),
		    strtoul(argv[5], NULL, 0), argc > 6 && !strcmp(argv[6], "shared"));
	else if (argc >= 4 && !strcmp(argv[1], "dups"))
		dups(argv[2], !strcmp(argv[3], "a"));
	else if (argc >= 3 && !strcmp(argv[1], "longnames"))
		longnames(argv[2]);
	else {
		fprintf(stderr, "usage: crafthive amplify|shared|big|dups|longnames OUT [ARGS]\n"
				"(see the comment at the top of tests/tools/crafthive.c)\n");
		return 2;
	}
	return 0;
}
