/* regdiff_sides_open: two hives opened at once are the sides opened one
 * after the other, and a failure is the before side's when it failed,
 * else the after side's, with neither side left open.
 * regdiff_sides_shoot: two hive sides shot at once give the diff they give
 * shot one after the other, and a side's snapshot (which has no subtree
 * digests) compares with a snapshot that has them; the progress callback sees both shots' counts
 * added up, from both threads (POSIX) but never from two at once; and a
 * cancel from the after side's thread comes back with its message. The
 * fixture folder is built in (REGDIFF_TEST_FIXTURE_DIR). */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regdiff.h"
#include "test_util.h"

#define BEFORE REGDIFF_TEST_FIXTURE_DIR "/base.hiv"
#define AFTER REGDIFF_TEST_FIXTURE_DIR "/changed.hiv"

typedef struct watch {
	atomic_int inside; /* callbacks running now */
	int overlapped;	   /* ever two at once */
	pthread_t seen[2]; /* the threads that called */
	int nseen;
	uint64_t last_keys; /* the largest sum given */
	int cancel_in_other;
} watch;

static pthread_t main_thread;

static int progress(void *ctx, uint64_t keys, uint64_t values)
{
	(void)values;
	watch *w = ctx;
	if (atomic_fetch_add(&w->inside, 1) != 0)
		w->overlapped = 1;
	pthread_t self = pthread_self();
	int known = 0;
	for (int i = 0; i < w->nseen; i++)
		known |= pthread_equal(w->seen[i], self);
	if (!known && w->nseen < 2)
		w->seen[w->nseen++] = self;
	if (keys > w->last_keys)
		w->last_keys = keys;
	atomic_fetch_sub(&w->inside, 1);
	return w->cancel_in_other && !pthread_equal(self, main_thread);
}

static void open_sides(regdiff_side **b, regdiff_side **a)
{
	CHECK_RC(regdiff_side_open(b, BEFORE, NULL), 0);
	CHECK_RC(regdiff_side_open(a, AFTER, NULL), 0);
	const char *note;
	CHECK_RC(regdiff_sides_line_up(&note, *b, *a), 0);
}

/* Changes between the two sides once shot, and the keys of both. */
static void counts(regdiff_side *b, regdiff_side *a, uint64_t *changes, uint64_t *keys)
{
	regdiff_diff *d = NULL;
	regdiff_report_counts c = REGDIFF_REPORT_COUNTS_INIT;
	regdiff_snapshot_info ib = REGDIFF_SNAPSHOT_INFO_INIT, ia = REGDIFF_SNAPSHOT_INFO_INIT;
	CHECK_RC(regdiff_diff_new(&d, regdiff_side_snapshot(b), regdiff_side_snapshot(a), NULL), 0);
	CHECK_RC(regdiff_report_write(&c, d, NULL, NULL, NULL), 0);
	CHECK_RC(regdiff_snapshot_get_info(&ib, regdiff_side_snapshot(b)), 0);
	CHECK_RC(regdiff_snapshot_get_info(&ia, regdiff_side_snapshot(a)), 0);
	*changes = c.total;
	*keys = ib.keys + ia.keys;
	regdiff_diff_free(d);
}

static void test_same_as_one_by_one(void)
{
	regdiff_side *b1 = NULL, *a1 = NULL, *b2 = NULL, *a2 = NULL;
	open_sides(&b1, &a1);
	open_sides(&b2, &a2);
	CHECK_RC(regdiff_side_shoot(b1, NULL), 0);
	CHECK_RC(regdiff_side_shoot(a1, NULL), 0);
	watch w = {0};
	regdiff_shot_options o = REGDIFF_SHOT_OPTIONS_INIT;
	o.progress = progress;
	o.progress_ctx = &w;
	CHECK_RC(regdiff_sides_shoot(b2, a2, &o), 0);
	uint64_t c1 = 0, k1 = 0, c2 = 0, k2 = 0;
	counts(b1, a1, &c1, &k1);
	counts(b2, a2, &c2, &k2);
	CHECK_U64(c2, c1);
	CHECK_U64(c1, 50); /* the changes regdiff reports of base -> changed */
	CHECK_U64(k1, 63); /* 32 + 31 keys (fixtures/README.md) */
	CHECK_U64(k2, k1);
	/* Each shot's last call gives its whole count: the sum is both. */
	CHECK_U64(w.last_keys, k1);
	CHECK(!w.overlapped);
	CHECK_U64(w.nseen, 2);
	/* Shot already: nothing to do. */
	CHECK_RC(regdiff_sides_shoot(b2, a2, NULL), 0);
	regdiff_side_free(b1);
	regdiff_side_free(a1);
	regdiff_side_free(b2);
	regdiff_side_free(a2);
}

static void test_cancel_in_thread(void)
{
	regdiff_side *b = NULL, *a = NULL;
	open_sides(&b, &a);
	watch w = {.cancel_in_other = 1};
	regdiff_shot_options o = REGDIFF_SHOT_OPTIONS_INIT;
	o.progress = progress;
	o.progress_ctx = &w;
	CHECK_RC(regdiff_sides_shoot(b, a, &o), REGDIFF_ECANCELED);
	CHECK(strcmp(regdiff_error_message(), "canceled") == 0);
	CHECK(regdiff_side_snapshot(a) == NULL);
	regdiff_side_free(b);
	regdiff_side_free(a);
}

static uint64_t count_changes(const regdiff_snapshot *before, const regdiff_snapshot *after)
{
	regdiff_diff *d = NULL;
	regdiff_report_counts c = REGDIFF_REPORT_COUNTS_INIT;
	CHECK_RC(regdiff_diff_new(&d, before, after, NULL), 0);
	CHECK_RC(regdiff_report_write(&c, d, NULL, NULL, NULL), 0);
	regdiff_diff_free(d);
	return c.total;
}

/* A side's snapshot is read whole by a compare; the other side here is a
 * snapshot with digests, as a saved one is: the changes are the same
 * either way round. */
static void test_with_saved_snapshot(void)
{
	regdiff_side *b = NULL, *a = NULL;
	open_sides(&b, &a);
	regdiff_source *src = regdiff_side_source(b);
	void *buf = NULL;
	size_t len = 0;
	CHECK_RC(regdiff_shot_to_memory(&buf, &len, &src, 1, NULL), 0);
	regdiff_snapshot *saved = NULL;
	CHECK_RC(regdiff_snapshot_open_memory(&saved, buf, len), 0);
	CHECK_RC(regdiff_sides_shoot(b, a, NULL), 0);
	CHECK_U64(count_changes(saved, regdiff_side_snapshot(a)), 50);
	CHECK_U64(count_changes(regdiff_side_snapshot(a), saved), 50);
	CHECK_U64(count_changes(saved, regdiff_side_snapshot(b)), 0);
	regdiff_snapshot_free(saved);
	regdiff_free(buf);
	regdiff_side_free(b);
	regdiff_side_free(a);
}

/* A caller built against version 1 of the options passes a shorter
 * struct: only its fields may be read (ASan sees a read past the end of
 * this allocation). */
static void test_old_options(void)
{
	regdiff_side *b = NULL, *a = NULL;
	open_sides(&b, &a);
	size_t v1 = offsetof(regdiff_shot_options, flags);
	regdiff_shot_options init = REGDIFF_SHOT_OPTIONS_INIT;
	init.version = 1;
	void *o = malloc(v1);
	CHECK(o != NULL);
	memcpy(o, &init, v1);
	CHECK_RC(regdiff_sides_shoot(b, a, o), 0);
	uint64_t changes, keys;
	counts(b, a, &changes, &keys);
	CHECK_U64(changes, 50);
	free(o);
	regdiff_side_free(b);
	regdiff_side_free(a);
}

/* A file that begins as a hive does and is none: both sides then go to
 * threads, and this one fails there. */
#define NOT_A_HIVE "sides_open_not_a_hive.hiv"
#define NOT_A_HIVE_2 "sides_open_not_a_hive_2.hiv"

static void write_not_a_hive(const char *path)
{
	uint8_t b[0x3000] = {'r', 'e', 'g', 'f'};
	CHECK(tu_write_file(path, b, sizeof b));
}

static void check_failed(int rc, regdiff_side *b, regdiff_side *a, int want, const char *name)
{
	CHECK_RC(rc, want);
	CHECK(b == NULL);
	CHECK(a == NULL);
	const char *m = regdiff_error_message();
	CHECK(strncmp(m, name, strlen(name)) == 0);
	CHECK(strchr(m, '\n') == NULL);
}

static void test_sides_open(void)
{
	regdiff_side *b = NULL, *a = NULL, *b1 = NULL, *a1 = NULL;
	/* At once: as one after the other, the after side lined up too. */
	CHECK_RC(regdiff_sides_open(&b, &a, BEFORE, AFTER, NULL), 0);
	CHECK(regdiff_side_source(b) != NULL);
	CHECK(regdiff_side_source(a) != NULL);
	const char *note;
	CHECK_RC(regdiff_sides_line_up(&note, b, a), 0);
	open_sides(&b1, &a1);
	CHECK_RC(regdiff_sides_shoot(b, a, NULL), 0);
	CHECK_RC(regdiff_sides_shoot(b1, a1, NULL), 0);
	uint64_t c = 0, k = 0, c1 = 0, k1 = 0;
	counts(b, a, &c, &k);
	counts(b1, a1, &c1, &k1);
	CHECK_U64(c, 50);
	CHECK_U64(c, c1);
	CHECK_U64(k, 63);
	regdiff_side_free(b);
	regdiff_side_free(a);
	regdiff_side_free(b1);
	regdiff_side_free(a1);

	/* A snapshot beside a hive (one after the other). */
	regdiff_source *src = NULL;
	CHECK_RC(regdiff_source_open(&src, BEFORE), 0);
	CHECK_RC(regdiff_shot_to_file(NULL, "sides_open_base.rds", &src, 1, NULL), 0);
	regdiff_source_free(src);
	b = a = NULL;
	CHECK_RC(regdiff_sides_open(&b, &a, "sides_open_base.rds", AFTER, NULL), 0);
	CHECK(regdiff_side_snapshot(b) != NULL);
	CHECK(regdiff_side_source(b) == NULL);
	CHECK_RC(regdiff_sides_line_up(&note, b, a), 0);
	CHECK_RC(regdiff_sides_shoot(b, a, NULL), 0);
	counts(b, a, &c, &k);
	CHECK_U64(c, 50);
	regdiff_side_free(b);
	regdiff_side_free(a);

	/* Failures: the after side's (on its thread), the before side's
	 * when both fail, and the before side's one after the other. */
	write_not_a_hive(NOT_A_HIVE);
	write_not_a_hive(NOT_A_HIVE_2);
	b = a = NULL;
	check_failed(regdiff_sides_open(&b, &a, BEFORE, NOT_A_HIVE, NULL), b, a, REGDIFF_EHIVE,
		     NOT_A_HIVE ": ");
	check_failed(regdiff_sides_open(&b, &a, NOT_A_HIVE_2, NOT_A_HIVE, NULL), b, a,
		     REGDIFF_EHIVE, NOT_A_HIVE_2 ": ");
	check_failed(regdiff_sides_open(&b, &a, "sides_open_missing.hiv", AFTER, NULL), b, a,
		     REGDIFF_ENOTFOUND, "sides_open_missing.hiv");
	check_failed(regdiff_sides_open(&b, &a, BEFORE, "sides_open_missing.hiv", NULL), b, a,
		     REGDIFF_ENOTFOUND, "sides_open_missing.hiv");
	CHECK_RC(regdiff_sides_open(&b, NULL, BEFORE, AFTER, NULL), REGDIFF_EINVAL);
	remove(NOT_A_HIVE);
	remove(NOT_A_HIVE_2);
	remove("sides_open_base.rds");
}

int main(void)
{
	main_thread = pthread_self();
	test_sides_open();
	test_same_as_one_by_one();
	test_cancel_in_thread();
	test_old_options();
	test_with_saved_snapshot();
	CHECK_RC(regdiff_sides_shoot(NULL, NULL, NULL), REGDIFF_EINVAL);
	return tu_result("test_sides_shoot");
}
