/* Snapshots shared by several diffs: each diff reads through readers of
 * its own, so two diffs of one pair may be interleaved, and diffs in
 * several threads may read the same snapshots (run under ASan/TSan-free
 * builds alike: the snapshot is not written after it is opened). */
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

#include "core_util.h"

static const char before[] = "R @1\n"
			     "  =v dword d:1\n"
			     "  A @2\n"
			     "    =w sz s:hello\n"
			     "    Sub @3\n"
			     "  C @4\n";
static const char after[] = "R @1\n"
			    "  =v dword d:2\n"
			    "  A @2\n"
			    "    =w sz s:world\n"
			    "  B @5\n"
			    "    =x sz s:new\n"
			    "  C @4\n";
static const char want[] = "~val R :v dword d:1 > dword d:2\n"
			   "~val R\\A :w sz s:hello > sz s:world\n"
			   "-key R\\A\\Sub @3>0\n"
			   "+key R\\B @0>5\n"
			   "+val R\\B :x sz s:new\n";

/* One change as a line: its op number, key and value. */
static void line_of(regdiff__buf *b, const regdiff_change *c)
{
	regdiff__buf_printf(b, "%d ", (int)c->op);
	cu_text_units(b, c->key.units, c->key.len);
	regdiff__buf_putc(b, ':');
	cu_text_units(b, c->value.units, c->value.len);
	regdiff__buf_putc(b, '\n');
}

/* Two diffs of the same pair, advanced in turn: each sees every change. */
static void test_interleaved(regdiff_snapshot *a, regdiff_snapshot *b)
{
	regdiff_diff *d1 = NULL, *d2 = NULL;
	regdiff__buf t1 = {0}, t2 = {0};
	CHECK_RC(regdiff_diff_new(&d1, a, b, NULL), 0);
	CHECK_RC(regdiff_diff_new(&d2, a, b, NULL), 0);
	int rc1 = 0, rc2 = 0;
	while (d1 && d2 && (rc1 == 0 || rc2 == 0)) {
		const regdiff_change *c;
		if (rc1 == 0 && (rc1 = regdiff_diff_next(&c, d1)) == 0)
			line_of(&t1, c);
		/* The second diff lags one step behind the first at the start. */
		if (t1.len && rc2 == 0 && (rc2 = regdiff_diff_next(&c, d2)) == 0)
			line_of(&t2, c);
	}
	CHECK_RC(rc1, REGDIFF_ITEROVER);
	CHECK_RC(rc2, REGDIFF_ITEROVER);
	regdiff__buf_putc(&t1, 0);
	regdiff__buf_putc(&t2, 0);
	CHECK_TEXT((char *)t1.data, "5 R:v\n"
				    "5 R\\A:w\n"
				    "1 R\\A\\Sub:\n"
				    "2 R\\B:\n"
				    "4 R\\B:x\n"
				    "");
	CHECK_TEXT((char *)t2.data, (char *)t1.data);
	regdiff__buf_free(&t1);
	regdiff__buf_free(&t2);
	regdiff_diff_free(d1);
	regdiff_diff_free(d2);

	/* A snapshot against itself: two readers of one snapshot. */
	int rc;
	char *got = cu_diff_text(a, a, 0, &rc);
	CHECK_RC(rc, REGDIFF_ITEROVER);
	CHECK_TEXT(got, "");
	free(got);
}

enum { THREADS = 4, ROUNDS = 50 };

typedef struct job {
	regdiff_snapshot *a, *b;
	int failures;
} job;

static void run_job(job *j)
{
	for (int i = 0; i < ROUNDS; i++) {
		int rc;
		char *got = cu_diff_text(j->a, j->b, 0, &rc);
		if (rc != REGDIFF_ITEROVER || !got || strcmp(got, want) != 0)
			j->failures++;
		free(got);
	}
}

#ifdef _WIN32
static DWORD WINAPI thread_main(LPVOID p)
{
	run_job(p);
	return 0;
}
#else
static void *thread_main(void *p)
{
	run_job(p);
	return NULL;
}
#endif

/* Diffs in several threads at once over the same two snapshots. */
static void test_threads(regdiff_snapshot *a, regdiff_snapshot *b)
{
	job jobs[THREADS];
#ifdef _WIN32
	HANDLE t[THREADS];
#else
	pthread_t t[THREADS];
#endif
	for (int i = 0; i < THREADS; i++) {
		jobs[i] = (job){a, b, 0};
#ifdef _WIN32
		t[i] = CreateThread(NULL, 0, thread_main, &jobs[i], 0, NULL);
		CHECK(t[i] != NULL);
#else
		CHECK(pthread_create(&t[i], NULL, thread_main, &jobs[i]) == 0);
#endif
	}
	for (int i = 0; i < THREADS; i++) {
#ifdef _WIN32
		WaitForSingleObject(t[i], INFINITE);
		CloseHandle(t[i]);
#else
		pthread_join(t[i], NULL);
#endif
		CHECK(jobs[i].failures == 0);
	}
}

/* The snapshot of text in a file, so that readers share a descriptor. */
static regdiff_snapshot *file_snapshot(const char *text, const char *path)
{
	regdiff__buf mem = {0};
	regdiff_snapshot *s = cu_snapshot_of(text, &mem);
	regdiff_snapshot_free(s);
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(mem.data, 1, mem.len, f) == mem.len);
	if (f)
		fclose(f);
	regdiff__buf_free(&mem);
	s = NULL;
	CHECK_RC(regdiff_snapshot_open(&s, path), 0);
	return s;
}

int main(void)
{
	regdiff__buf fa = {0}, fb = {0};
	regdiff_snapshot *a = cu_snapshot_of(before, &fa);
	regdiff_snapshot *b = cu_snapshot_of(after, &fb);
	int rc;
	char *got = cu_diff_text(a, b, 0, &rc);
	CHECK_TEXT(got, want);
	free(got);
	test_interleaved(a, b);
	test_threads(a, b);
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	regdiff__buf_free(&fa);
	regdiff__buf_free(&fb);

	a = file_snapshot(before, "shared_before.rds");
	b = file_snapshot(after, "shared_after.rds");
	test_interleaved(a, b);
	test_threads(a, b);
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	remove("shared_before.rds");
	remove("shared_after.rds");
	return tu_result("test_shared_diff");
}
