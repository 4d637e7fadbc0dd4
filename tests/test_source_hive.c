/* A hive source used the way a library caller may use it: shot twice
 * (issue 11, item 11). Runs on the base fixture, which holds 32 keys and 48 values.

 * The fixture folder is built in (REGDIFF_TEST_FIXTURE_DIR). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static void check_shot(regdiff_source *src, const char *what)
{
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_shot_take(&s, &src, 1, NULL), 0);
	if (!s)
		return;
	regdiff_snapshot_info info;
	CHECK_RC(regdiff_snapshot_get_info(s, &info), 0);
	CHECK_U64(info.keys, 32);
	CHECK_U64(info.values, 48);
	CHECK_U64(regdiff_snapshot_problems_kept(s), 0);
	const char *path = NULL, *problem = NULL;
	if (regdiff_snapshot_problems_kept(s) &&
	    regdiff_snapshot_get_problem(s, 0, &path, &problem) == 0)
		fprintf(stderr, "%s: first problem: %s: %s\n", what, path, problem);
	regdiff_snapshot_free(s);
}

/* The same source shot twice gives the same snapshot: the second walk
 * does not take the cells of the first for a loop. */
static void test_shot_twice(const char *hive)
{
	regdiff_source *src = NULL;
	CHECK_RC(regdiff_source_open_hive(&src, hive, "HKLM\\SOFTWARE"), 0);
	if (!src)
		return;
	regdiff_snapshot *a = NULL, *b = NULL;
	CHECK_RC(regdiff_shot_take(&a, &src, 1, NULL), 0);
	CHECK_RC(regdiff_shot_take(&b, &src, 1, NULL), 0);
	if (a && b) {
		regdiff_snapshot_info ia, ib;
		CHECK_RC(regdiff_snapshot_get_info(a, &ia), 0);
		CHECK_RC(regdiff_snapshot_get_info(b, &ib), 0);
		CHECK_U64(ia.keys, 32);
		CHECK_U64(ib.keys, 32);
		CHECK_U64(ia.values, 48);
		CHECK_U64(ib.values, 48);
		CHECK_U64(regdiff_snapshot_problems_kept(a), 0);
		CHECK_U64(regdiff_snapshot_problems_kept(b), 0);
		regdiff_diff *d = NULL;
		CHECK_RC(regdiff_diff_new(&d, a, b, NULL), 0);
		const regdiff_change *c = NULL;
		if (d)
			CHECK_RC(regdiff_diff_next(d, &c), REGDIFF_ITEROVER);
		regdiff_diff_free(d);
	}
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	check_shot(src, "third shot");
	regdiff_source_free(src);
}

int main(void)
{
	const char *hive = REGDIFF_TEST_FIXTURE_DIR "/base.hiv";
	test_shot_twice(hive);
	return tu_result("test_source_hive");
}
