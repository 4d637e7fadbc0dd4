/* A hive source used the way a library caller may use it: shot twice
 * (issue 11, item 11), and with its file truncated between open and shot
 * (item 15), and mapped once (issue 17). Runs on the base fixture, which
 * holds 32 keys and 48 values.

 * The fixture folder is built in (REGDIFF_TEST_FIXTURE_DIR). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static void check_shot(regdiff_source *src, const char *what)
{
	regdiff_snapshot *s = NULL;
	CHECK_RC(regdiff_shot_take(&s, &src, 1, NULL), 0);
	if (!s)
		return;
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	CHECK_RC(regdiff_snapshot_get_info(&info, s), 0);
	CHECK_U64(info.keys, 32);
	CHECK_U64(info.values, 48);
	CHECK_U64(regdiff_snapshot_problems_kept(s), 0);
	const char *path = NULL, *problem = NULL;
	if (regdiff_snapshot_problems_kept(s) &&
	    regdiff_snapshot_get_problem(&path, &problem, s, 0) == 0)
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
		regdiff_snapshot_info ia = REGDIFF_SNAPSHOT_INFO_INIT,
				      ib = REGDIFF_SNAPSHOT_INFO_INIT;
		CHECK_RC(regdiff_snapshot_get_info(&ia, a), 0);
		CHECK_RC(regdiff_snapshot_get_info(&ib, b), 0);
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
			CHECK_RC(regdiff_diff_next(&c, d), REGDIFF_ITEROVER);
		regdiff_diff_free(d);
	}
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	check_shot(src, "third shot");
	regdiff_source_free(src);
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	int ok = in && out;
	char chunk[4096];
	size_t n;
	while (ok && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
		ok = fwrite(chunk, 1, n, out) == n;
	if (in)
		fclose(in);
	if (out && fclose(out))
		ok = 0;
	return ok ? 0 : -1;
}

/* A hive file cut short (here to nothing, then to half its header) after
 * the source was opened is read as it was when opened: libhivex and our
 * own view work on a private copy, where a mapped file would raise SIGBUS
 * in the caller. */
static void test_truncated_after_open(const char *hive)
{
	static const long cuts[] = {0, 0x800, 0x1800};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		const char *copy = "test_source_hive_cut.hiv";
		CHECK(copy_file(hive, copy) == 0);
		regdiff_source *src = NULL;
		CHECK_RC(regdiff_source_open_hive(&src, copy, "HKLM\\SOFTWARE"), 0);
		CHECK(truncate(copy, cuts[i]) == 0);
		if (src) {
			check_shot(src, "after truncation");
			check_shot(src, "after truncation, again");
		}
		regdiff_source_free(src);
		remove(copy);
	}
}

/* Maps of the private copies of hives ("memfd:regdiff-hive") in this
 * process. */
static int hive_copy_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024];
	int n = 0;
	while (f && fgets(line, sizeof line, f))
		n += strstr(line, "memfd:regdiff-hive") != NULL;
	if (f)
		fclose(f);
	return n;
}

/* An open hive source maps its copy of the hive once, libhivex's map and
 * ours being the same (issue 17: a shot held the hive twice), and a shot
 * through it reads the same. */
static void test_mapped_once(const char *hive)
{
	regdiff_source *src = NULL;
	CHECK_RC(regdiff_source_open_hive(&src, hive, "HKLM\\SOFTWARE"), 0);
	if (!src)
		return;
	CHECK_U64(hive_copy_maps(), 1);
	check_shot(src, "mapped once");
	regdiff_source_free(src);
	CHECK_U64(hive_copy_maps(), 0);
}

int main(void)
{
	const char *hive = REGDIFF_TEST_FIXTURE_DIR "/base.hiv";
	test_mapped_once(hive);
	test_shot_twice(hive);
	test_truncated_after_open(hive);
	return tu_result("test_source_hive");
}
