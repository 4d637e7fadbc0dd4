/* The diff engine: the exact changes, in order, between snapshots built in
 * memory from text descriptions (see core_util.h), rendered one per line
 * by cu_diff_text. */
#include <stdlib.h>
#include <string.h>

#include "core_util.h"
#include "snapshot_priv.h"

/* Diffs the snapshots of two descriptions; the changes must be want and
 * the diff must run to its end. */
static void diff_is(int line, const char *before, const char *after, unsigned flags,
		    const char *want)
{
	regdiff__buf fa = {0}, fb = {0};
	regdiff_snapshot *a = cu_snapshot_of(before, &fa);
	regdiff_snapshot *b = cu_snapshot_of(after, &fb);
	int rc;
	char *got = cu_diff_text(a, b, flags, &rc);
	cu_check_text(__FILE__, line, got, want);
	if (rc != REGDIFF_ITEROVER) {
		fprintf(stderr, "%s:%d: FAILED: diff ended with %d (%s)\n", __FILE__, line, rc,
			regdiff_error_message());
		tu_failures++;
	}
	free(got);
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	regdiff__buf_free(&fa);
	regdiff__buf_free(&fb);
}
#define DIFF_IS(before, after, flags, want) diff_is(__LINE__, before, after, flags, want)
/* Both with and without key times, where times play no part. */
#define DIFF_IS_BOTH(before, after, want)                                                          \
	do {                                                                                       \
		diff_is(__LINE__, before, after, 0, want);                                         \
		diff_is(__LINE__, before, after, REGDIFF_DIFF_KEY_TIMES, want);                    \
	} while (0)

static const char base[] = "R @1\n"
			   "  =v dword d:1\n"
			   "  A @2\n"
			   "    =w sz s:hello\n"
			   "    Sub @3\n"
			   "  C @4\n";

static void test_identical(void)
{
	DIFF_IS_BOTH(base, base, "");
	DIFF_IS_BOTH("", "", "");
	/* Two snapshot objects over the same bytes. */
	regdiff__buf f = {0};
	regdiff_snapshot *a = cu_snapshot_of(base, &f), *b = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&b, f.data, f.len), 0);
	int rc;
	char *got = cu_diff_text(a, b, REGDIFF_DIFF_KEY_TIMES, &rc);
	CHECK_TEXT(got, "");
	CHECK_RC(rc, REGDIFF_ITEROVER);
	free(got);
	regdiff_snapshot_free(b);
	regdiff_snapshot_free(a);
	regdiff__buf_free(&f);
}

/* A hive root on one side only is one entry, whatever its subtree; on
 * both sides it compares as any key. Keys unread alike on both sides are
 * counted, not listed, but for REGDIFF_DIFF_ALL_NOT_COMPARED. */
static void test_hive_roots(void)
{
	static const char one[] = "HKU\n"
				  "  S-1-5-18 !hive-root\n"
				  "    =v dword d:1\n";
	static const char two[] = "HKU\n"
				  "  S-1-5-18 !hive-root\n"
				  "    =v dword d:2\n"
				  "  S-1-5-21-1 @3 !hive-root\n"
				  "    =v dword d:1\n"
				  "    Software\n"
				  "      Run\n"
				  "        =x sz s:y\n"
				  "  S-1-5-21-1_Classes !hive-root\n";
	DIFF_IS_BOTH(one, two,
		     "~val HKU\\S-1-5-18 :v dword d:1 > dword d:2\n"
		     "?cmp HKU\\S-1-5-21-1 : not_read=0x41\n"
		     "?cmp HKU\\S-1-5-21-1_Classes : not_read=0x41\n");
	DIFF_IS_BOTH(two, one,
		     "~val HKU\\S-1-5-18 :v dword d:2 > dword d:1\n"
		     "?cmp HKU\\S-1-5-21-1 : not_read=0x42\n"
		     "?cmp HKU\\S-1-5-21-1_Classes : not_read=0x42\n");
	/* A plain key is added with its subtree. */
	DIFF_IS_BOTH("HKU\n", "HKU\n  K @3\n    =v dword d:1\n",
		     "+key HKU\\K @0>3\n+val HKU\\K :v dword d:1\n");

	static const char denied[] = "R\n"
				     "  A !values-unread\n"
				     "  B !subkeys-unread\n"
				     "  C\n"
				     "    =d binary !unreadable\n";
	static const char later[] = "R\n"
				    "  A !values-unread\n"
				    "  B !values-unread\n"
				    "  C\n"
				    "    =d binary !unreadable\n";
	DIFF_IS_BOTH(denied, denied, "");
	DIFF_IS_BOTH(denied, later, "?cmp R\\B : not_read=0xf\n");
	DIFF_IS(denied, denied, REGDIFF_DIFF_ALL_NOT_COMPARED,
		"?cmp R\\A : not_read=0x7\n"
		"?cmp R\\B : not_read=0xb\n"
		"?cmp R\\C :d not_read=0x13\n");
}

static void test_keys(void)
{
	static const char more[] = "R @1\n"
				   "  =v dword d:1\n"
				   "  A @2\n"
				   "    =w sz s:hello\n"
				   "    Sub @3\n"
				   "  B @5\n"
				   "    = sz s:dflt\n"
				   "    =x dword d:7\n"
				   "    Sub @6\n"
				   "      =y binary x:0102\n"
				   "      Deeper @7\n"
				   "    Sub2 @8\n"
				   "  C @4\n";
	/* Added with everything under it, in order; R's own time and values
	 * are the same, so no KEY_MODIFIED for R either way. */
	DIFF_IS_BOTH(base, more,
		     "+key R\\B @0>5\n"
		     "+val R\\B : sz s:dflt\n"
		     "+val R\\B :x dword d:7\n"
		     "+key R\\B\\Sub @0>6\n"
		     "+val R\\B\\Sub :y binary x:0102\n"
		     "+key R\\B\\Sub\\Deeper @0>7\n"
		     "+key R\\B\\Sub2 @0>8\n");
	DIFF_IS_BOTH(more, base,
		     "-key R\\B @5>0\n"
		     "-val R\\B : sz s:dflt\n"
		     "-val R\\B :x dword d:7\n"
		     "-key R\\B\\Sub @6>0\n"
		     "-val R\\B\\Sub :y binary x:0102\n"
		     "-key R\\B\\Sub\\Deeper @7>0\n"
		     "-key R\\B\\Sub2 @8>0\n");
	/* Added at the end and at the start of the siblings, and a whole root. */
	DIFF_IS_BOTH("R\n  B\n", "R\n  A @1\n  B\n  C @2\n    =c none\n",
		     "+key R\\A @0>1\n"
		     "+key R\\C @0>2\n"
		     "+val R\\C :c none -\n");
	DIFF_IS_BOTH("R\n", "Q @3\nR\nS @4\n  T @5\n",
		     "+key Q @0>3\n"
		     "+key S @0>4\n"
		     "+key S\\T @0>5\n");
	DIFF_IS_BOTH("", "R @1\n  =v dword d:1\n", "+key R @0>1\n+val R :v dword d:1\n");
	DIFF_IS_BOTH("R @1\n  =v dword d:1\n", "", "-key R @1>0\n-val R :v dword d:1\n");
	/* One replaced by another at the same place: the merge orders them. */
	DIFF_IS_BOTH("R\n  A\n    X @1\n  C\n", "R\n  A\n    Y @2\n  C\n",
		     "-key R\\A\\X @1>0\n"
		     "+key R\\A\\Y @0>2\n");
	/* Windows' order is by upper-cased units: "SS" (U+0053...) sorts
	 * before U+00DF, which upper-cases to itself; '_' (U+005F) sorts
	 * after 'Z' but 'a' is 'A'. */
	DIFF_IS_BOTH("R\n  a @2\n  %00DF @1\n", "R\n  SS @3\n  _ @4\n",
		     "-key R\\a @2>0\n"
		     "+key R\\SS @0>3\n"
		     "+key R\\_ @0>4\n"
		     "-key R\\%00DF @1>0\n");
}

static void test_values(void)
{
	static const char before[] = "R @1\n"
				     "  =a dword d:1\n"
				     "  =b sz s:old\n"
				     "  =c binary x:01\n"
				     "  =d dword d:5\n"
				     "  =e qword q:1\n"
				     "  =f binary x:01\n"
				     "  =g 0xFFFF0012 x:00\n";
	static const char after[] = "R @1\n"
				    "  =a dword d:1\n"
				    "  =b sz s:new\n"
				    "  =bb binary x:ff\n"
				    "  =d binary x:05000000\n"
				    "  =e qword q:1\n"
				    "  =f binary x:0100\n"
				    "  =g 0xFFFF0013 x:00\n";
	DIFF_IS_BOTH(before, after,
		     "~val R :b sz s:old > sz s:new\n"
		     "+val R :bb binary x:ff\n"
		     "-val R :c binary x:01\n"
		     "~val R :d dword d:5 > binary x:05000000\n"
		     "~val R :f binary x:01 > binary x:0100\n"
		     "~val R :g 0xFFFF0012 x:00 > 0xFFFF0013 x:00\n");
	/* Empty data against some data, and big data. */
	DIFF_IS_BOTH("R\n  =e binary\n  =h binary r:1000:1\n",
		     "R\n  =e binary x:00\n  =h binary r:1000:2\n",
		     "~val R :e binary - > binary x:00\n"
		     "~val R :h binary <1000 bytes deaf05dea8031178> > binary <1000 bytes "
		     "2d7d9480cd738451>\n");
	/* The default value (empty name): added, changed, deleted. */
	DIFF_IS_BOTH("R\n  =x none\n", "R\n  = sz s:d\n  =x none\n", "+val R : sz s:d\n");
	DIFF_IS_BOTH("R\n  = sz s:d\n", "R\n  = expand s:d\n", "~val R : sz s:d > expand s:d\n");
	DIFF_IS_BOTH("R\n  = sz s:d\n  =x none\n", "R\n  =x none\n", "-val R : sz s:d\n");
	/* Values of a key with a subkey, and in the subkey. */
	DIFF_IS_BOTH("R\n  =v dword d:1\n  S\n    =w dword d:2\n",
		     "R\n  =v dword d:3\n  S\n    =w dword d:4\n",
		     "~val R :v dword d:1 > dword d:3\n"
		     "~val R\\S :w dword d:2 > dword d:4\n");
	/* Odd names: NUL, a lone surrogate, a pair. */
	DIFF_IS_BOTH("R\n  =%0000 none\n  =%D800 none\n  =%D83D%DE00 none\n",
		     "R\n  =%0000 none x:01\n  =%D800 none x:02\n  =%D83D%DE00 none x:03\n",
		     "~val R :%0000 none - > none x:01\n"
		     "~val R :%D800 none - > none x:02\n"
		     "~val R :%D83D%DE00 none - > none x:03\n");
}

static void test_case_only(void)
{
	/* Names that differ only in case are the same names. */
	DIFF_IS_BOTH("R @1\n"
		     "  =Val dword d:1\n"
		     "  caf%00E9 @2\n"
		     "    =Path sz s:x\n"
		     "  Run @3\n",
		     "R @1\n"
		     "  =VAL dword d:1\n"
		     "  CAF%00C9 @2\n"
		     "    =path sz s:x\n"
		     "  rUN @3\n",
		     "");
	/* ... and a change under such a key is reported at the new name. */
	DIFF_IS_BOTH("R\n  run\n    =v dword d:1\n", "R\n  RUN\n    =V dword d:2\n",
		     "~val R\\RUN :V dword d:1 > dword d:2\n");
}

static void test_sources(void)
{
	static const char two[] = "HKLM !synthetic\n"
				  "  SOFTWARE @1 !mount\n"
				  "    =v dword d:1\n"
				  "  SYSTEM @2 !mount\n"
				  "    Select @3\n"
				  "      =Current dword d:1\n";
	static const char one[] = "HKLM !synthetic\n"
				  "  SOFTWARE @1 !mount\n"
				  "    =v dword d:1\n";
	DIFF_IS_BOTH(two, one,
		     "-key HKLM\\SYSTEM @2>0\n"
		     "-key HKLM\\SYSTEM\\Select @3>0\n"
		     "-val HKLM\\SYSTEM\\Select :Current dword d:1\n");
	DIFF_IS_BOTH(one, two,
		     "+key HKLM\\SYSTEM @0>2\n"
		     "+key HKLM\\SYSTEM\\Select @0>3\n"
		     "+val HKLM\\SYSTEM\\Select :Current dword d:1\n");
	/* Different parents: the synthetic keys themselves are no change. */
	DIFF_IS_BOTH(one, "HKU !synthetic\n  alice @5 !mount\n    =w dword d:2\n",
		     "-key HKLM\\SOFTWARE @1>0\n"
		     "-val HKLM\\SOFTWARE :v dword d:1\n"
		     "+key HKU\\alice @0>5\n"
		     "+val HKU\\alice :w dword d:2\n");
	/* Deeper synthetic parents. */
	DIFF_IS_BOTH("HKU !synthetic\n  S-1 !synthetic\n    Software @1 !mount\n",
		     "HKU !synthetic\n  S-1 !synthetic\n    Software @1 !mount\n"
		     "  S-2 !synthetic\n    Software @2 !mount\n",
		     "+key HKU\\S-2\\Software @0>2\n");
}

static void test_key_times(void)
{
	static const char t0[] = "R @1\n"
				 "  A @2\n"
				 "    =v dword d:1\n"
				 "    C @3\n"
				 "      =w dword d:2\n"
				 "  B @4\n";
	/* Only A's time: reported with the flag, nothing without. */
	static const char t1[] = "R @1\n"
				 "  A @20\n"
				 "    =v dword d:1\n"
				 "    C @3\n"
				 "      =w dword d:2\n"
				 "  B @4\n";
	DIFF_IS(t0, t1, 0, "");
	DIFF_IS(t0, t1, REGDIFF_DIFF_KEY_TIMES, "~key R\\A @2>20\n");
	DIFF_IS(t1, t0, REGDIFF_DIFF_KEY_TIMES, "~key R\\A @20>2\n");
	/* A's time and a value of A: the value explains it. */
	DIFF_IS(t0, "R @1\n  A @20\n    =v dword d:9\n    C @3\n      =w dword d:2\n  B @4\n",
		REGDIFF_DIFF_KEY_TIMES, "~val R\\A :v dword d:1 > dword d:9\n");
	/* ... a value added to A, or deleted from it. */
	DIFF_IS(t0,
		"R @1\n  A @20\n    =v dword d:1\n    =v2 none\n    C @3\n      =w dword d:2\n"
		"  B @4\n",
		REGDIFF_DIFF_KEY_TIMES, "+val R\\A :v2 none -\n");
	DIFF_IS(t0, "R @1\n  A @20\n    C @3\n      =w dword d:2\n  B @4\n", REGDIFF_DIFF_KEY_TIMES,
		"-val R\\A :v dword d:1\n");
	/* ... a direct subkey added or deleted. */
	DIFF_IS(t0,
		"R @1\n  A @20\n    =v dword d:1\n    C @3\n      =w dword d:2\n    D @5\n"
		"  B @4\n",
		REGDIFF_DIFF_KEY_TIMES, "+key R\\A\\D @0>5\n");
	DIFF_IS(t0, "R @1\n  A @20\n    =v dword d:1\n  B @4\n", REGDIFF_DIFF_KEY_TIMES,
		"-key R\\A\\C @3>0\n"
		"-val R\\A\\C :w dword d:2\n");
	/* A direct subkey whose content changed leaves A's set of subkeys
	 * as it was: A's time is reported, before what is below it. */
	DIFF_IS(t0, "R @1\n  A @20\n    =v dword d:1\n    C @3\n      =w dword d:7\n  B @4\n",
		REGDIFF_DIFF_KEY_TIMES,
		"~key R\\A @2>20\n"
		"~val R\\A\\C :w dword d:2 > dword d:7\n");
	/* A value renamed only in case is no value change. */
	DIFF_IS(t0, "R @1\n  A @20\n    =V dword d:1\n    C @3\n      =w dword d:2\n  B @4\n",
		REGDIFF_DIFF_KEY_TIMES, "~key R\\A @2>20\n");
	/* Times at several depths, in path order. */
	DIFF_IS(t0, "R @10\n  A @2\n    =v dword d:1\n    C @30\n      =w dword d:2\n  B @40\n",
		REGDIFF_DIFF_KEY_TIMES,
		"~key R @1>10\n"
		"~key R\\A\\C @3>30\n"
		"~key R\\B @4>40\n");
	DIFF_IS(t0, "R @10\n  A @2\n    =v dword d:1\n    C @30\n      =w dword d:2\n  B @40\n", 0,
		"");
	/* An added key's time is in +key, not reported again. */
	DIFF_IS("R @1\n", "R @9\n  N @5\n", REGDIFF_DIFF_KEY_TIMES, "+key R\\N @0>5\n");
}

/* ---- large snapshots ---- */

typedef struct wide {
	size_t pad;    /* size of Aaa's value, to move block boundaries */
	int changed;   /* the K whose Deep0\x differs, or -1 */
	unsigned mid;  /* Mid's value */
	unsigned tail; /* Tail's value */
	int added;     /* the K with an extra subkey, or -1 */
} wide;

/* Over 1300 keys and several blocks; Big's subtree spans blocks (its
 * summary is late) and so do many of the K keys'. */
static void wide_tree(cu_tree *t, const wide *w)
{
	cu_parse(t, "HKLM !synthetic\n"
		    "  SOFTWARE @1 !mount\n"
		    "    Aaa @2\n");
	uint8_t *p = cu_pattern(w->pad, 1);
	cu_add_value(t, "pad", REGDIFF_REG_BINARY, p, w->pad);
	free(p);
	cu_parse(t, "    Big @3\n");
	for (int i = 0; i < 120; i++) {
		cu_parsef(t,
			  "      K%03d @%d\n"
			  "        =a dword d:%d\n"
			  "        =v binary r:%d:%d\n",
			  i, 100 + i, i, 9000 + 61 * i, i);
		for (int j = 0; j < 10; j++)
			cu_parsef(t, "        Deep%d @4\n          =x sz s:%s%d\n", j,
				  i == w->changed && j == 0 ? "changed" : "deep", i);
		if (i == w->added)
			cu_parse(t, "        New @9\n");
	}
	cu_parsef(t,
		  "    Mid @5\n"
		  "      =m dword d:%u\n"
		  "    Zed @6\n"
		  "      =z binary r:70000:3\n"
		  "HKU !synthetic\n"
		  "  alice @7 !mount\n"
		  "    Tail @8\n"
		  "      =t dword d:%u\n",
		  w->mid, w->tail);
}

static int progress_calls;
static int count_progress(void *ctx, uint64_t keys, uint64_t values)
{
	(void)ctx;
	(void)keys;
	(void)values;
	progress_calls++;
	return 0;
}

static int cancel_progress(void *ctx, uint64_t keys, uint64_t values)
{
	(void)ctx;
	(void)keys;
	(void)values;
	return 1;
}

/* The changes between two wide trees, and how often progress was
 * called (keys compared, in 1024s). */
static char *wide_diff(const wide *wa, const wide *wb, int *rc, int *calls)
{
	cu_tree ta = {0}, tb = {0};
	wide_tree(&ta, wa);
	wide_tree(&tb, wb);
	regdiff__buf fa = {0}, fb = {0};
	regdiff_snapshot *a = cu_snapshot(&ta, &fa);
	regdiff_snapshot *b = cu_snapshot(&tb, &fb);
	CHECK(a->nblocks >= 5 && a->nlate > 3);
	regdiff_diff_options o = REGDIFF_DIFF_OPTIONS_INIT;
	o.progress = count_progress;
	progress_calls = 0;
	char *text = cu_diff_text_opts(a, b, &o, rc);
	*calls = progress_calls;
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	regdiff__buf_free(&fa);
	regdiff__buf_free(&fb);
	cu_tree_free(&ta);
	cu_tree_free(&tb);
	return text;
}

#define WIDE_IS(a, b, want, want_calls)                                                            \
	do {                                                                                       \
		int wrc_, calls_;                                                                  \
		char *got_ = wide_diff(a, b, &wrc_, &calls_);                                      \
		CHECK_TEXT(got_, want);                                                            \
		CHECK_RC(wrc_, REGDIFF_ITEROVER);                                                  \
		CHECK_U64(calls_, want_calls);                                                     \
		free(got_);                                                                        \
	} while (0)

static void test_large(void)
{
	const wide same = {1000, -1, 1, 1, -1};
	/* Equal: passed over at the top, so far too few keys are read for
	 * progress to be called (it is, once per 1024 keys, when they are:
	 * see test_api). */
	WIDE_IS(&same, &same, "", 0);
	/* One value deep inside Big, in a later block: exactly one change;
	 * the equal K keys around it are passed over unread. */
	wide deep = same;
	deep.changed = 77;
	WIDE_IS(&same, &deep,
		"~val HKLM\\SOFTWARE\\Big\\K077\\Deep0 :x sz s:deep77 > sz s:changed77\n", 0);
	deep.changed = 0;
	WIDE_IS(&same, &deep,
		"~val HKLM\\SOFTWARE\\Big\\K000\\Deep0 :x sz s:deep0 > sz s:changed0\n", 0);
	deep.changed = 119;
	WIDE_IS(&same, &deep,
		"~val HKLM\\SOFTWARE\\Big\\K119\\Deep0 :x sz s:deep119 > sz s:changed119\n", 0);
	wide added = same;
	added.added = 50;
	WIDE_IS(&same, &added, "+key HKLM\\SOFTWARE\\Big\\K050\\New @0>9\n", 0);
	WIDE_IS(&added, &same, "-key HKLM\\SOFTWARE\\Big\\K050\\New @9>0\n", 0);
	/* After all of HKLM (late, spanning blocks) is passed over. */
	wide tail = same;
	tail.tail = 2;
	WIDE_IS(&same, &tail, "~val HKU\\alice\\Tail :t dword d:1 > dword d:2\n", 0);

	/* Passing over Big, whose subtree ends in a later block, must leave
	 * the path of the keys still open whole: Mid's change comes out under
	 * its own path. */
	wide mid = same;
	mid.mid = 2;
	WIDE_IS(&same, &mid, "~val HKLM\\SOFTWARE\\Mid :m dword d:1 > dword d:2\n", 0);
	/* The same with the blocks laid out differently on the two sides:
	 * the merge stays in step (nothing after Big comes out as added and
	 * deleted). */
	wide shifted = mid;
	shifted.pad = 104947;
	WIDE_IS(&same, &shifted,
		"~val HKLM\\SOFTWARE\\Aaa :pad binary <1000 bytes deaf05dea8031178> > binary "
		"<104947 bytes 349f35ff99a0938d>\n"
		"~val HKLM\\SOFTWARE\\Mid :m dword d:1 > dword d:2\n",
		0);
}

/* Keys in t up to and including the one where the 1024th is read, and
 * the number of records before that key. */
static size_t records_before_key(const cu_tree *t, size_t nth)
{
	size_t keys = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->recs[i].tag == RDS_REC_KEY && ++keys == nth)
			return i;
	return t->n;
}

/* Progress and cancelling; options; one diff per snapshot at a time. */
static void test_api(void)
{
	cu_tree tb = {0};
	wide w = {1000, -1, 1, 1, -1};
	wide_tree(&tb, &w);
	regdiff__buf fb = {0}, fe = {0}, fs = {0};
	regdiff_snapshot *b = cu_snapshot(&tb, &fb);
	regdiff_snapshot *e = cu_snapshot_of("", &fe);
	regdiff_snapshot *small = cu_snapshot_of("R\n  =v dword d:1\n", &fs);
	size_t keys = 0;
	for (size_t i = 0; i < tb.n; i++)
		keys += tb.recs[i].tag == RDS_REC_KEY;

	/* Against an empty snapshot every record is read: progress every
	 * 1024 keys. */
	regdiff_diff_options o = REGDIFF_DIFF_OPTIONS_INIT;
	o.progress = count_progress;
	progress_calls = 0;
	int rc;
	char *text = cu_diff_text_opts(e, b, &o, &rc);
	CHECK_RC(rc, REGDIFF_ITEROVER);
	CHECK_U64(progress_calls, keys / 1024);
	CHECK(keys / 1024 >= 1);
	free(text);

	/* Cancelling ends the diff with REGDIFF_ECANCELED, for good: every
	 * record before the 1024th key was handed out (bar the synthetic
	 * HKLM). */
	o.progress = cancel_progress;
	regdiff_diff *d = NULL, *d2 = NULL;
	const regdiff_change *c;
	CHECK_RC(regdiff_diff_new(&d, e, b, &o), 0);
	size_t n = 0;
	while ((rc = regdiff_diff_next(&c, d)) == 0)
		n++;
	CHECK_RC(rc, REGDIFF_ECANCELED);
	CHECK_U64(n, records_before_key(&tb, 1024) - 1);
	CHECK_RC(regdiff_diff_next(&c, d), REGDIFF_ECANCELED);
	CHECK(regdiff_diff_before(d) == e && regdiff_diff_after(d) == b);
	regdiff_diff_free(d);

	/* Once over, it stays over. */
	CHECK_RC(regdiff_diff_new(&d, small, e, NULL), 0);
	CHECK_RC(regdiff_diff_next(&c, d), 0);
	CHECK(c->op == REGDIFF_KEY_DELETED);
	CHECK_RC(regdiff_diff_next(&c, d), 0);
	CHECK(c->op == REGDIFF_VALUE_DELETED);
	CHECK_RC(regdiff_diff_next(&c, d), REGDIFF_ITEROVER);
	CHECK_RC(regdiff_diff_next(&c, d), REGDIFF_ITEROVER);
	regdiff_diff_free(d);

	/* A snapshot may be in several diffs at once (each has readers of
	 * its own: tests/test_shared_diff.c), even on both sides of one;
	 * options of another version are refused. */
	CHECK_RC(regdiff_diff_new(&d, small, b, NULL), 0);
	CHECK_RC(regdiff_diff_new(&d2, small, e, NULL), 0);
	regdiff_diff_free(d2);
	CHECK_RC(regdiff_diff_new(&d2, e, b, NULL), 0);
	regdiff_diff_free(d2);
	regdiff_diff_free(d);
	CHECK_RC(regdiff_diff_new(&d, small, small, NULL), 0);
	CHECK_RC(regdiff_diff_next(&c, d), REGDIFF_ITEROVER);
	CHECK(c == NULL);
	regdiff_diff_free(d);
	o.version = 99;
	CHECK_RC(regdiff_diff_new(&d, small, b, &o), REGDIFF_EINVAL);
	CHECK_RC(regdiff_diff_new(&d, NULL, b, NULL), REGDIFF_EINVAL);
	CHECK_RC(regdiff_diff_next(&c, NULL), REGDIFF_EINVAL);
	regdiff_diff_free(NULL);
	CHECK(regdiff_diff_before(NULL) == NULL);

	regdiff_snapshot_free(b);
	regdiff_snapshot_free(e);
	regdiff_snapshot_free(small);
	regdiff__buf_free(&fb);
	regdiff__buf_free(&fe);
	regdiff__buf_free(&fs);
	cu_tree_free(&tb);
}

/* A damaged block is found when the snapshot is opened, before a diff (or
 * a report streamed from it) begins: also a block in a subtree the diff
 * would pass over. */
static void test_damaged(void)
{
	cu_tree t = {0};
	wide w = {1000, -1, 1, 1, -1};
	wide_tree(&t, &w);
	regdiff__buf fb = {0};
	regdiff_snapshot *b0 = cu_snapshot(&t, &fb);
	/* A byte in the middle of block 2's compressed data. */
	uint64_t block = b0->blocks[2].offset;
	uint64_t off = block + RDS_BLOCK_HEADER_SIZE + b0->blocks[2].csize / 2;
	regdiff_snapshot_free(b0);
	fb.data[off] ^= 0x10;
	regdiff_snapshot *b = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&b, fb.data, fb.len), REGDIFF_EFORMAT);
	CHECK(b == NULL);
	char want[96];
	snprintf(want, sizeof want,
		 "(memory): corrupt snapshot (checksum mismatch in block at offset %llu)",
		 (unsigned long long)block);
	CHECK(strcmp(regdiff_error_message(), want) == 0);
	regdiff__buf_free(&fb);
	cu_tree_free(&t);
}

/* A root with the empty name (only a crafted file has one): the key's
 * path is empty (under UBSan this also checks that set_path and
 * remember_key pass no NULL to memcpy for it). */
static void test_empty_names(void)
{
	DIFF_IS_BOTH("%. @1\n  =v dword d:1\n", "%. @1\n  =v dword d:2\n",
		     "~val  :v dword d:1 > dword d:2\n");
}

/* Changes carry where each name of their key ends, and persistence is
 * matched by those names: a key literally named
 * "Microsoft\Windows\CurrentVersion\Run" (one name holding backslashes, as
 * a hostile hive can) is not the Run key, whether it is found on one side
 * only (drained) or on both (its values merged). */
static void test_name_ends(void)
{
	static const char before[] = "HKLM !synthetic\n"
				     "  SOFTWARE @1 !mount\n"
				     "    Microsoft @1\n"
				     "      Windows @1\n"
				     "        CurrentVersion @1\n"
				     "          Run @1\n"
				     "            =Keep sz s:a\n"
				     "    Microsoft%005CWindows%005CCurrentVersion%005CRun @1\n"
				     "      =Evil sz s:a\n";
	static const char after[] = "HKLM !synthetic\n"
				    "  SOFTWARE @1 !mount\n"
				    "    Microsoft @1\n"
				    "      Windows @1\n"
				    "        CurrentVersion @1\n"
				    "          Run @1\n"
				    "            =Keep sz s:b\n"
				    "    Microsoft%005CWindows%005CCurrentVersion @1\n"
				    "      Run @1\n"
				    "        =Evil sz s:b\n"
				    "    Microsoft%005CWindows%005CCurrentVersion%005CRun @1\n"
				    "      =Evil sz s:b\n";
	regdiff__buf fa = {0}, fb = {0}, got = {0};
	regdiff_snapshot *a = cu_snapshot_of(before, &fa);
	regdiff_snapshot *b = cu_snapshot_of(after, &fb);
	regdiff_diff *d = NULL;
	const regdiff_change *c;
	int rc;
	CHECK_RC(regdiff_diff_new(&d, a, b, NULL), 0);
	while ((rc = regdiff_diff_next(&c, d)) == 0) {
		regdiff__buf_printf(&got, "%d", (int)c->op);
		for (size_t i = 0; i < c->key_count; i++)
			regdiff__buf_printf(&got, " %zu", c->key_ends[i]);
		regdiff__buf_printf(&got, " ");
		cu_text_units(&got, c->key.units, c->key.len);
		regdiff__buf_printf(&got, " :");
		cu_text_units(&got, c->value.units, c->value.len);
		regdiff__buf_printf(&got, " %s\n", c->persistence ? c->persistence->category : "-");
	}
	CHECK_RC(rc, REGDIFF_ITEROVER);
	regdiff__buf_putc(&got, 0);
	CHECK_TEXT((const char *)got.data,
		   "5 4 13 23 31 46 50 HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run "
		   ":Keep run\n"
		   "2 4 13 46 HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion : -\n"
		   "2 4 13 46 50 HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run : -\n"
		   "4 4 13 46 50 HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run :Evil -\n"
		   "5 4 13 50 HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run :Evil -\n");
	regdiff_diff_free(d);
	regdiff__buf_free(&got);
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	regdiff__buf_free(&fa);
	regdiff__buf_free(&fb);
}

/* A report of a diff already advanced would miss the changes handed out:
 * refused (issue 11, item 14), and nothing is written. A fresh diff of the
 * same snapshots reports in full. */
static void test_report_after_next(void)
{
	regdiff__buf fa = {0}, fb = {0};
	regdiff_snapshot *a = cu_snapshot_of(base, &fa);
	regdiff_snapshot *b = cu_snapshot_of("R @1\n  =v dword d:2\n  C @4\n", &fb);
	regdiff_diff *d = NULL;
	const regdiff_change *c = NULL;
	tu_sink out = {0};
	regdiff_report_counts counts = {.version = REGDIFF_REPORT_COUNTS_VERSION, .total = 9};
	CHECK_RC(regdiff_diff_new(&d, a, b, NULL), 0);
	CHECK_RC(regdiff_diff_next(&c, d), 0);
	CHECK_RC(regdiff_report_write(&counts, d, NULL, tu_sink_write, &out), REGDIFF_EINVAL);
	CHECK_TEXT(regdiff_error_message(), "report: the diff has already been advanced "
					    "(regdiff_diff_next); a report needs a new diff");
	CHECK_U64(out.calls, 0);
	CHECK_U64(counts.total, 0);
	const char *path = "test_diff_report_after_next.txt";
	remove(path);
	CHECK_RC(regdiff_report_to_file(NULL, d, NULL, path), REGDIFF_EINVAL);
	CHECK(remove(path) != 0); /* never made */
	regdiff_diff_free(d);

	d = NULL;
	CHECK_RC(regdiff_diff_new(&d, a, b, NULL), 0);
	CHECK_RC(regdiff_report_write(&counts, d, NULL, tu_sink_write, &out), 0);
	CHECK_U64(counts.total, 4); /* v changed; A, its value w and Sub removed */
	regdiff_diff_free(d);
	regdiff__buf_free(&out.got);
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	regdiff__buf_free(&fa);
	regdiff__buf_free(&fb);
}

#ifdef __GLIBC__
#include <malloc.h>

/* Whether mallinfo2 counts this program's allocations: not under a
 * sanitizer's or valgrind's allocator. */
static bool mallinfo_counts(void)
{
	size_t start = mallinfo2().uordblks;
	void *volatile p = malloc(100000);
	bool counts = p && mallinfo2().uordblks >= start + 100000;
	free(p);
	return counts;
}

/* Bytes the diff of a and b holds once it has run to its end (before it
 * is freed), tagging with locs (NULL: the built-in table). */
static size_t held_by_diff(const regdiff_snapshot *a, const regdiff_snapshot *b,
			   const regdiff_locations *locs, size_t *changes)
{
	regdiff_diff_options o = REGDIFF_DIFF_OPTIONS_INIT;
	o.locations = locs;
	regdiff_diff *d = NULL;
	size_t start = mallinfo2().uordblks, held = 0;
	CHECK_RC(regdiff_diff_new(&d, a, b, &o), 0);
	const regdiff_change *c;
	int rc;
	*changes = 0;
	while ((rc = regdiff_diff_next(&c, d)) == 0)
		++*changes;
	CHECK_RC(rc, REGDIFF_ITEROVER);
	held = mallinfo2().uordblks - start;
	regdiff_diff_free(d);
	return held;
}
#endif

/* The built-in persistence table is compiled for a diff's first change:
 * a diff that finds none holds exactly what one tagging with an empty
 * table of the caller's holds; one that finds a change holds the table
 * too, and tags with it. */
static void test_table_when_needed(void)
{
#ifdef __GLIBC__
	if (!mallinfo_counts())
		return;
	static const char changed[] = "R @1\n"
				      "  =v dword d:2\n"
				      "  A @2\n"
				      "    =w sz s:hello\n"
				      "    Sub @3\n"
				      "  C @4\n";
	regdiff__buf fa = {0}, fb = {0};
	regdiff_snapshot *a = cu_snapshot_of(base, &fa), *b = cu_snapshot_of(changed, &fb);
	regdiff_locations *empty = NULL;
	CHECK_RC(regdiff_locations_new(&empty, REGDIFF_LOCATIONS_NO_BUILTIN), 0);
	size_t n_builtin, n_empty;
	size_t builtin = held_by_diff(a, a, NULL, &n_builtin);
	size_t own = held_by_diff(a, a, empty, &n_empty);
	CHECK(n_builtin == 0 && n_empty == 0);
	if (builtin != own) {
		fprintf(stderr,
			"%s:%d: FAILED: a diff with no change holds %zu bytes, %zu with an "
			"empty table\n",
			__FILE__, __LINE__, builtin, own);
		tu_failures++;
	}
	builtin = held_by_diff(a, b, NULL, &n_builtin);
	own = held_by_diff(a, b, empty, &n_empty);
	CHECK(n_builtin == 1 && n_empty == 1);
	CHECK(builtin > own);
	regdiff_locations_free(empty);
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	regdiff__buf_free(&fa);
	regdiff__buf_free(&fb);
#endif
}

int main(void)
{
	test_identical();
	test_keys();
	test_hive_roots();
	test_values();
	test_case_only();
	test_sources();
	test_key_times();
	test_large();
	test_api();
	test_damaged();
	test_empty_names();
	test_name_ends();
	test_report_after_next();
	test_table_when_needed();
	return tu_result("test_diff");
}
