/* Child tables (snapshot format 4): a compare inflates only the blocks
 * near what changed, gives the changes it gave without them, refuses a
 * table that does not match its key or its records, and version 3
 * snapshots (no tables) still compare the same. */
#include <stdlib.h>
#include <string.h>

#include "core_util.h"
#include "snapshot_format.h"
#include "snapshot_priv.h"

/* HKLM\SOFTWARE with 200 subkeys of about 2 KB each (14 blocks): the
 * one numbered changed (if any) holds other data, the one numbered
 * missing is left out, and SOFTWARE has a value top (if not 0). */
static void wide_tree_of(cu_tree *t, int changed, int missing, int top)
{
	cu_parse(t, "HKLM !synthetic\n"
		    "  SOFTWARE @1 !mount\n");
	if (top)
		cu_parsef(t, "    =top dword d:%d\n", top);
	for (int i = 0; i < 200; i++)
		if (i != missing)
			cu_parsef(t,
				  "    K%03d @%d\n"
				  "      =a dword d:%d\n"
				  "      =v binary r:2000:%d\n"
				  "      Sub @2\n"
				  "        =x sz s:x%d\n",
				  i, 100 + i, i, i == changed ? 7777 : i, i);
}

static void wide_tree(cu_tree *t, int changed)
{
	wide_tree_of(t, changed, -1, 0);
}

/* The changes between before and after as text, and the blocks the diff
 * inflated. */
static char *diff_counted(regdiff_snapshot *before, regdiff_snapshot *after, unsigned flags,
			  uint64_t *inflated)
{
	regdiff_diff_options o = REGDIFF_DIFF_OPTIONS_INIT;
	o.flags = flags;
	regdiff_diff *d = NULL;
	CHECK_RC(regdiff_diff_new(&d, before, after, &o), 0);
	const regdiff_change *c;
	int rc;
	size_t n = 0;
	while ((rc = regdiff_diff_next(&c, d)) == 0)
		n++;
	CHECK_RC(rc, REGDIFF_ITEROVER);
	*inflated = regdiff__diff_inflated(d);
	regdiff_diff_free(d);
	int rc2;
	char *text = cu_diff_text_opts(before, after, &o, &rc2);
	CHECK_RC(rc2, REGDIFF_ITEROVER);
	CHECK(n > 0);
	return text;
}

typedef struct pair {
	cu_tree t[2];
	regdiff__buf f[2];
	regdiff_snapshot *s[2];
} pair;

static void pair_make(pair *p, unsigned version)
{
	memset(p, 0, sizeof *p);
	cu_format_version = version;
	for (int s = 0; s < 2; s++) {
		wide_tree(&p->t[s], s ? 100 : -1);
		p->s[s] = cu_snapshot(&p->t[s], &p->f[s]);
	}
	cu_format_version = RDS_FORMAT_VERSION;
}

static void pair_free(pair *p)
{
	for (int s = 0; s < 2; s++) {
		regdiff_snapshot_free(p->s[s]);
		regdiff__buf_free(&p->f[s]);
		cu_tree_free(&p->t[s]);
	}
}

/* One change in one of 200 subkeys: versions 4 and 5 inflate the block
 * of that subkey and the one table block on each side; version 3 every
 * block of both sides, and says the same. Mixed, nothing is paired (the
 * subtree digests differ by version, 4 and 5 by hash) and the changes are
 * the same again. */
static void test_compare_reads_what_changed(void)
{
	pair v5, v4, v3;
	pair_make(&v5, 5);
	pair_make(&v4, 4);
	pair_make(&v3, 3);
	CHECK_U64(v5.s[0]->version, 5);
	CHECK_U64(v5.s[0]->nblocks, 14);
	CHECK_U64(v5.s[0]->ntblocks, 1);
	CHECK_U64(v4.s[0]->version, 4);
	CHECK_U64(v3.s[0]->version, 3);
	CHECK_U64(v4.s[0]->nblocks, 14);
	CHECK_U64(v4.s[0]->ntblocks, 1);
	CHECK_U64(v4.s[0]->nchildren, 2); /* HKLM's and SOFTWARE's */
	CHECK_U64(v3.s[0]->ntblocks + v3.s[0]->nchildren, 0);
	for (unsigned flags = 0; flags <= REGDIFF_DIFF_KEY_TIMES; flags += REGDIFF_DIFF_KEY_TIMES) {
		uint64_t n5, n4, n3, nmix, n45, n54;
		char *t5 = diff_counted(v5.s[0], v5.s[1], flags, &n5);
		char *t45 = diff_counted(v4.s[0], v5.s[1], flags, &n45);
		char *t54 = diff_counted(v5.s[0], v4.s[1], flags, &n54);
		char *t4 = diff_counted(v4.s[0], v4.s[1], flags, &n4);
		char *t3 = diff_counted(v3.s[0], v3.s[1], flags, &n3);
		char *mix = diff_counted(v3.s[0], v4.s[1], flags, &nmix);
		cu_check_text(__FILE__, __LINE__, t4,
			      "~val HKLM\\SOFTWARE\\K100 :v binary <2000 bytes 52e33eed470389a9> > "
			      "binary <2000 bytes d0c5a92c594285e1>\n");
		cu_check_text(__FILE__, __LINE__, t3, t4);
		cu_check_text(__FILE__, __LINE__, mix, t4);
		cu_check_text(__FILE__, __LINE__, t5, t4);
		cu_check_text(__FILE__, __LINE__, t45, t4);
		cu_check_text(__FILE__, __LINE__, t54, t4);
		/* Times are compared from the tables' keys only: without
		 * times digests in them, every child is read. */
		uint64_t want4 = flags ? 28 : 4;
		CHECK_U64(n5, want4);
		CHECK_U64(n4, want4);
		CHECK_U64(n3, 28);
		CHECK_U64(nmix, 28);
		CHECK_U64(n45, 28);
		CHECK_U64(n54, 28);
		free(t5);
		free(t45);
		free(t54);
		free(t4);
		free(t3);
		free(mix);
	}
	pair_free(&v5);
	pair_free(&v4);
	pair_free(&v3);
}

/* With key times, a key whose time alone changed is reported as
 * modified, one whose subkeys changed too is not (its child-names
 * digests differ): the same across versions, whose child-names digests
 * are BLAKE2b in all of them. */
static void test_key_times_across_versions(void)
{
	static const char *const tree[2] = {"R @1\n"
					    "  A @5\n"
					    "    =v dword d:1\n"
					    "  B @6\n"
					    "    C @7\n",
					    "R @1\n"
					    "  A @9\n"
					    "    =v dword d:1\n"
					    "  B @10\n"
					    "    C @7\n"
					    "    D @1\n"};
	static const unsigned versions[][2] = {{5, 5}, {4, 5}, {5, 4}, {3, 5}, {4, 4}};
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		regdiff__buf f[2] = {{0}, {0}};
		regdiff_snapshot *s[2];
		for (int k = 0; k < 2; k++) {
			cu_format_version = versions[i][k];
			s[k] = cu_snapshot_of(tree[k], &f[k]);
		}
		cu_format_version = RDS_FORMAT_VERSION;
		int rc;
		char *text = cu_diff_text(s[0], s[1], REGDIFF_DIFF_KEY_TIMES, &rc);
		CHECK_RC(rc, REGDIFF_ITEROVER);
		cu_check_text(__FILE__, __LINE__, text,
			      "~key R\\A @5>9\n"
			      "+key R\\B\\D @0>1\n");
		free(text);
		for (int k = 0; k < 2; k++) {
			regdiff_snapshot_free(s[k]);
			regdiff__buf_free(&f[k]);
		}
	}
}

/* The entry of child i of key ordinal's table in u (unpacked): NULL if
 * there is none. */
static uint8_t *table_child(cu_unpacked *u, uint64_t ordinal, size_t i)
{
	for (size_t j = 0; j < u->ntlvs; j++) {
		const uint8_t *e = u->tlvs[j].bytes.data;
		if (u->tlvs[j].tag != RDS_TLV_CHILDREN || regdiff__get_u64(e) != ordinal)
			continue;
		uint32_t block = regdiff__get_u32(e + 8), offset = regdiff__get_u32(e + 12);
		if (block >= u->ntables || i >= regdiff__get_u32(e + 16))
			return NULL;
		return u->tables[block].raw.data + offset + RDS_DIGEST_SIZE + i * RDS_CHILD_ENTRY;
	}
	return NULL;
}

/* The after side with its table forged by forge(entry of K100, entry of
 * K100 before): the compare must fail with a message holding want, never
 * report fewer changes. */
static void forged(pair *p, void (*forge)(uint8_t *, const uint8_t *), const char *want)
{
	uint64_t sw = cu_find(&p->t[1], "HKLM\\SOFTWARE");
	cu_unpacked ub, ua;
	cu_unpack(p->f[0].data, p->f[0].len, &ub);
	cu_unpack(p->f[1].data, p->f[1].len, &ua);
	uint8_t *was = table_child(&ub, sw, 100), *e = table_child(&ua, sw, 100);
	CHECK(was && e);
	if (was && e)
		forge(e, was);
	regdiff__buf file = {0};
	cu_pack(&ua, &file);
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&s, file.data, file.len), 0);
	int rc = 0; /* set by cu_diff_text; checked (and failing) without it */
	char *text = s ? cu_diff_text(p->s[0], s, 0, &rc) : NULL;
	CHECK_RC(rc, REGDIFF_EFORMAT);
	CHECK(strstr(regdiff_error_message(), want) != NULL);
	free(text);
	regdiff_snapshot_free(s);
	regdiff__buf_free(&file);
	cu_unpacked_free(&ua);
	cu_unpacked_free(&ub);
}

/* K100's digest made the one before: would pass over the change. */
static void forge_digest(uint8_t *e, const uint8_t *was)
{
	memcpy(e + 8, was + 8, RDS_DIGEST_SIZE);
}

/* K100's record number moved onto its first value. */
static void forge_ordinal(uint8_t *e, const uint8_t *was)
{
	(void)was;
	regdiff__put_u64(e, regdiff__get_u64(e) + 1);
}

/* K100's flags say it was not read: its digest is the same, so only its
 * record can say otherwise. */
static void forge_flags(uint8_t *e, const uint8_t *was)
{
	(void)was;
	e[8 + RDS_DIGEST_SIZE] |= RDS_KEY_MOUNT;
}

static void test_forged_table(void)
{
	pair p;
	pair_make(&p, 4);
	forged(&p, forge_digest, "child table does not match its key");
	forged(&p, forge_ordinal, "child table does not match its records");
	forged(&p, forge_flags, "child table does not match its records");
	pair_free(&p);
}

/* Other changes around child tables, before and after: the changes are
 * those of version 3 snapshots of the same trees. */
static void test_same_changes(void)
{
	static const int v[][6] = {
	    /* before: changed, missing, top; after: the same */
	    {-1, -1, 1, -1, -1, 2},  /* SOFTWARE's value changed */
	    {-1, -1, 1, 5, -1, 2},   /* ... and a subkey's */
	    {-1, -1, 0, -1, 50, 0},  /* a subkey deleted */
	    {-1, 50, 0, 199, -1, 0}, /* one added, the last one changed */
	    {-1, -1, 0, 0, 199, 0},  /* the first changed, the last deleted */
	    {-1, -1, 3, -1, -1, 3},  /* the same */
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char *text[2];
		for (unsigned version = 3; version <= 4; version++) {
			cu_format_version = version;
			cu_tree t[2] = {{0}, {0}};
			regdiff__buf f[2] = {{0}, {0}};
			regdiff_snapshot *s[2];
			for (int k = 0; k < 2; k++) {
				wide_tree_of(&t[k], v[i][3 * k], v[i][3 * k + 1], v[i][3 * k + 2]);
				s[k] = cu_snapshot(&t[k], &f[k]);
			}
			int rc;
			text[version - 3] = cu_diff_text(s[0], s[1], 0, &rc);
			CHECK_RC(rc, REGDIFF_ITEROVER);
			for (int k = 0; k < 2; k++) {
				regdiff_snapshot_free(s[k]);
				regdiff__buf_free(&f[k]);
				cu_tree_free(&t[k]);
			}
		}
		cu_format_version = RDS_FORMAT_VERSION;
		cu_check_text(__FILE__, __LINE__, text[1], text[0]);
		CHECK((text[0][0] == '\0') == (i == 5));
		free(text[0]);
		free(text[1]);
	}
}

int main(void)
{
	test_compare_reads_what_changed();
	test_key_times_across_versions();
	test_forged_table();
	test_same_changes();
	return tu_result("test_childidx");
}
