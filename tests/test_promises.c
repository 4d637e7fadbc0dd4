/* What the headers promise a library caller, held to it on the fixture
 * hives (issue 11, items 14 and 17): a source need not outlive its
 * snapshot; *out is NULL after a failure; a temporary file that cannot be
 * made blames $TMPDIR; regdiff_report_write with no writer only counts;
 * the HTML report names the sources compared.
 *
 * The fixture folder is built in (REGDIFF_TEST_FIXTURE_DIR); base.hiv and
 * changed.hiv differ by 50 changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define BASE REGDIFF_TEST_FIXTURE_DIR "/base.hiv"
#define CHANGED REGDIFF_TEST_FIXTURE_DIR "/changed.hiv"

/* snapshot.h: "Sources need not outlive the snapshots taken of them." */
static void test_source_freed_first(void)
{
	regdiff_source *src = NULL;
	regdiff_snapshot *a = NULL, *b = NULL;
	CHECK_RC(regdiff_source_open(&src, "HKLM\\T=" BASE), 0);
	CHECK_RC(regdiff_shot_take(&a, &src, 1, NULL), 0);
	CHECK_RC(regdiff_shot_take(&b, &src, 1, NULL), 0);
	regdiff_source_free(src);
	if (!a || !b)
		return;
	regdiff_snapshot_source info = REGDIFF_SNAPSHOT_SOURCE_INIT;
	CHECK_RC(regdiff_snapshot_get_source(&info, a, 0), 0);
	CHECK(info.mount && strcmp(info.mount, "HKLM\\T") == 0);
	CHECK(info.location && strcmp(info.location, BASE) == 0);
	regdiff_diff *d = NULL;
	const regdiff_change *c = NULL;
	CHECK_RC(regdiff_diff_new(&d, a, b, NULL), 0);
	CHECK_RC(regdiff_diff_next(&c, d), REGDIFF_ITEROVER);
	CHECK(c == NULL);
	regdiff_diff_free(d);
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
}

/* common.h: "After a failure a function leaves every pointer it returns
 * through an output parameter (*out) NULL." */
static void test_out_null(void)
{
	regdiff_source *src = (regdiff_source *)1;
	regdiff_snapshot *snap = (regdiff_snapshot *)1;
	regdiff_diff *diff = (regdiff_diff *)1;
	regdiff_side *side = (regdiff_side *)1;
	char *text = (char *)1;
	const char *note = "x";
	CHECK(regdiff_source_open(&src, "/nonexistent/SOFTWARE") < 0 && src == NULL);
	CHECK(regdiff_snapshot_open(&snap, "/nonexistent/s.rds") < 0 && snap == NULL);
	CHECK(regdiff_side_open(&side, "/nonexistent/s.rds", NULL) < 0 && side == NULL);
	CHECK(regdiff_diff_open(&diff, &note, BASE, "/nonexistent/s.rds", NULL, NULL, NULL) < 0 &&
	      diff == NULL);
	CHECK(regdiff_text_safe(&text, NULL, 1) < 0 && text == NULL);
}

/* snapshot.h: a temporary file that cannot be made fails naming its
 * folder and $TMPDIR, not the hive being shot. (Windows takes TMP or
 * TEMP, and has no setenv.) */
static void test_tmpdir_blamed(void)
{
#ifndef _WIN32
	const char *old = getenv("TMPDIR");
	char *saved = old ? strdup(old) : NULL;
	regdiff_source *src = NULL;
	regdiff_snapshot *s = (regdiff_snapshot *)1;
	CHECK_RC(regdiff_source_open(&src, BASE), 0);
	setenv("TMPDIR", "/nonexistent-tmp", 1);
	CHECK_RC(regdiff_shot_take(&s, &src, 1, NULL), REGDIFF_ENOTFOUND);
	CHECK(s == NULL);
	CHECK(strcmp(regdiff_error_message(), "cannot create a temporary file in /nonexistent-tmp "
					      "($TMPDIR): No such file or directory") == 0);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
	regdiff_source_free(src);
#endif
}

/* report.h: "write may be NULL to count the changes (counts) without
 * writing anything", the same counts as a report written. */
static void test_count_only(void)
{
	regdiff_report_counts counted = REGDIFF_REPORT_COUNTS_INIT,
			      written = REGDIFF_REPORT_COUNTS_INIT;
	regdiff_diff *d = NULL;
	tu_sink out = {0};
	CHECK_RC(regdiff_diff_open(&d, NULL, BASE, CHANGED, NULL, NULL, NULL), 0);
	CHECK_RC(regdiff_report_write(&counted, d, NULL, NULL, NULL), 0);
	regdiff_diff_free(d);
	d = NULL;
	CHECK_RC(regdiff_diff_open(&d, NULL, BASE, CHANGED, NULL, NULL, NULL), 0);
	CHECK_RC(regdiff_report_write(&written, d, NULL, tu_sink_write, &out), 0);
	regdiff_diff_free(d);
	CHECK_U64(counted.total, 50);
	CHECK(memcmp(&counted, &written, sizeof counted) == 0);
	CHECK(out.got.len > 0);
	regdiff__buf_free(&out.got);
}

/* The HTML report names what was compared: each side's mounts and the
 * files (or registry paths) they were read from. */
static void test_html_sources(void)
{
	if (!(regdiff_features() & REGDIFF_FEATURE_HTML)) {
		fprintf(stderr, "test_promises: no HTML in this build, its check skipped\n");
		return;
	}
	regdiff_diff *d = NULL;
	regdiff_report_options o = REGDIFF_REPORT_OPTIONS_INIT;
	o.format = REGDIFF_REPORT_HTML;
	tu_sink out = {0};
	CHECK_RC(regdiff_diff_open(&d, NULL, BASE, "HKLM\\T=" CHANGED, NULL, NULL, NULL), 0);
	CHECK_RC(regdiff_report_write(NULL, d, &o, tu_sink_write, &out), 0);
	regdiff_diff_free(d);
	CHECK(regdiff__buf_putc(&out.got, 0) == 0);
	const char *want =
	    "<tr><th>Sources</th><td>base.hiv: " BASE "</td><td>HKLM\\T: " CHANGED "</td></tr>";
	CHECK(out.got.data && strstr((const char *)out.got.data, want) != NULL);
	regdiff__buf_free(&out.got);
}

int main(void)
{
	test_source_freed_first();
	test_out_null();
	test_tmpdir_blamed();
	test_count_only();
	test_html_sources();
	return tu_result("test_promises");
}
