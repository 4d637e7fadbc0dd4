/* HTML reports made by several threads at once, the first ones of the
 * process: libxml2 is loaded by whichever comes first (lib/html_dl.c,
 * pthread_once) and every thread's page must be the one a lone report
 * writes. A program of its own, so that no earlier report has loaded it. */
#include <pthread.h>
#include <string.h>

#include "report_internal.h"
#include "test_util.h"

#define THREADS 4

static regdiff_change changes[2];
static pthread_barrier_t go;

typedef struct job {
	tu_sink out;
	int rc;
} job;

static int report(tu_sink *out)
{
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	o.format = REGDIFF_REPORT_HTML;
	tu_iter it = {.v = changes, .n = 2, .fail_at = SIZE_MAX};
	return regdiff__report_run(tu_iter_next, &it, NULL, NULL, &o, tu_sink_write, out, NULL);
}

static void *worker(void *arg)
{
	job *j = arg;
	pthread_barrier_wait(&go);
	j->rc = report(&j->out);
	return NULL;
}

int main(void)
{
	changes[0] = (regdiff_change){.op = REGDIFF_KEY_ADDED, .key = NM(u"HKLM\\SOFTWARE\\New")};
	changes[1] = (regdiff_change){.op = REGDIFF_VALUE_ADDED,
				      .key = NM(u"HKLM\\SOFTWARE\\New"),
				      .value = NM(u"<b>"),
				      .new_data = Z(REGDIFF_REG_SZ, u"a & b")};
	job jobs[THREADS] = {0};
	pthread_t t[THREADS];
	CHECK(pthread_barrier_init(&go, NULL, THREADS) == 0);
	for (int i = 0; i < THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, worker, &jobs[i]) == 0);
	for (int i = 0; i < THREADS; i++)
		CHECK(pthread_join(t[i], NULL) == 0);
	pthread_barrier_destroy(&go);

	tu_sink alone = {0};
	CHECK_RC(report(&alone), 0);
	CHECK(alone.got.len > 1000);
	for (int i = 0; i < THREADS; i++) {
		CHECK_RC(jobs[i].rc, 0);
		CHECK_BYTES("a thread's page", jobs[i].out.got.data, jobs[i].out.got.len,
			    alone.got.data, alone.got.len);
		regdiff__buf_free(&jobs[i].out.got);
	}
	CHECK(regdiff__buf_putc(&alone.got, 0) == 0);
	CHECK(strstr((const char *)alone.got.data, "<td class=\"v\">&lt;b&gt;</td>") != NULL);
	regdiff__buf_free(&alone.got);
	tu_arena_free();
	return tu_result("test_html_threads");
}
