/* Fuzz target: the snapshot reader. The input is a snapshot file, or a
 * recipe (recipe.h: an input starting with 'R') built into one whose
 * checksums hold, so that mutations reach the parsers behind them.
 *
 * The snapshot is opened from memory, its metadata read, every block
 * verified, and it is compared with a small valid snapshot both ways,
 * with both report formats (checked as fuzz_check_report does), and with
 * a small one with child tables, both ways. One that
 * verifies is also compared with itself, which must find no change. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "recipe.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Metadata comes from the file: it must be there, and safe to print. */
static void check_string(const char *what, const char *s)
{
	if (!s)
		fuzz_fail("%s is NULL", what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			fuzz_fail("%s holds control character 0x%02x", what, *p);
}

static void check_metadata(const regdiff_snapshot *s)
{
	regdiff_snapshot_info info = REGDIFF_SNAPSHOT_INFO_INIT;
	int rc = regdiff_snapshot_get_info(&info, s);
	if (rc)
		fuzz_fail("get_info failed on an open snapshot: %s", regdiff_error_message());
	check_string("producer", info.producer);
	check_string("computer", info.computer);
	check_string("user", info.user);
	for (size_t i = 0; i < info.sources; i++) {
		regdiff_snapshot_source src = REGDIFF_SNAPSHOT_SOURCE_INIT;
		if (regdiff_snapshot_get_source(&src, s, i))
			fuzz_fail("source %zu of %zu missing", i, info.sources);
		check_string("mount", src.mount);
		check_string("kind", src.kind_name);
		check_string("location", src.location);
	}
	size_t kept = regdiff_snapshot_problems_kept(s);
	if (kept > info.problems)
		fuzz_fail("%zu problems kept of %llu", kept, (unsigned long long)info.problems);
	for (size_t i = 0; i < kept; i++) {
		const char *path, *what;
		if (regdiff_snapshot_get_problem(&path, &what, s, i))
			fuzz_fail("problem %zu of %zu missing", i, kept);
		check_string("problem path", path);
		check_string("problem", what);
	}
}

/* Compares before with after into a report of the given format; returns
 * the number of changes other than REGDIFF_NOT_COMPARED, or -1 when the
 * diff stopped at an error (corrupt content is found as it is read). */
static long long compare(regdiff_snapshot *before, regdiff_snapshot *after,
			 regdiff_report_format format, unsigned diff_flags)
{
	regdiff_diff_options dopts = REGDIFF_DIFF_OPTIONS_INIT;
	dopts.flags = diff_flags;
	regdiff_diff *diff;
	int rc = regdiff_diff_new(&diff, before, after, &dopts);
	if (rc) {
		fuzz_check_error(rc);
		return -1;
	}
	regdiff_report_options ropts = REGDIFF_REPORT_OPTIONS_INIT;
	ropts.format = format;
	fuzz_out out = {.fail_after = SIZE_MAX};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	rc = regdiff_report_write(&counts, diff, &ropts, fuzz_out_write, &out);
	long long changes = -1;
	if (rc) {
		fuzz_check_error(rc);
	} else {
		uint64_t lines = 0;
		for (int op = 0; op < REGDIFF_OP_COUNT; op++)
			lines += counts.by_op[op];
		fuzz_check_report(&out, &ropts, lines);
		changes = (long long)(lines - counts.by_op[REGDIFF_NOT_COMPARED]);
	}
	fuzz_out_free(&out);
	regdiff_diff_free(diff);
	return changes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *built = NULL;
	const uint8_t *file = data;
	size_t len = size;
	if (size >= 2 && data[0] == RECIPE_MAGIC) {
		if (recipe_build(data, size, &built, &len))
			return 0;
		file = built;
	}
	regdiff_snapshot *s = NULL, *same = NULL, *small = NULL, *tables = NULL;
	int rc = regdiff_snapshot_open_memory(&s, file, len);
	if (rc) {
		fuzz_check_error(rc);
		goto done;
	}
	check_metadata(s);
	int verified = regdiff_snapshot_verify(s);
	if (verified)
		fuzz_check_error(verified);
	if (fuzz_small_snapshot(&small))
		fuzz_fail("cannot open the small snapshot: %s", regdiff_error_message());
	compare(small, s, REGDIFF_REPORT_JSONL, 0);
	compare(s, small, REGDIFF_REPORT_TXT, REGDIFF_DIFF_KEY_TIMES);
	/* Child tables are used when both sides have them (and times are not
	 * compared): against one with tables, an input made from its seeds
	 * (fuzz_seed tables) reaches the pairing of children. */
	if (fuzz_tables_snapshot(&tables))
		fuzz_fail("cannot open the tables snapshot: %s", regdiff_error_message());
	compare(tables, s, REGDIFF_REPORT_JSONL, 0);
	compare(s, tables, REGDIFF_REPORT_TXT, 0);
	if (verified == 0) {
		if (regdiff_snapshot_open_memory(&same, file, len))
			fuzz_fail("a snapshot opened once fails the second time: %s",
				  regdiff_error_message());
		long long changes = compare(s, same, REGDIFF_REPORT_JSONL, REGDIFF_DIFF_KEY_TIMES);
		if (changes != 0)
			fuzz_fail("a verified snapshot compared with itself: %lld changes (-1: "
				  "error: %s)",
				  changes, regdiff_error_message());
	}
done:
	regdiff_snapshot_free(same);
	regdiff_snapshot_free(small);
	regdiff_snapshot_free(tables);
	regdiff_snapshot_free(s);
	free(built);
	return 0;
}
