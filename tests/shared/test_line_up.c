/* The bare-hive rule through the library alone: regdiff_diff_open() on
 * regipy's NTUSER.DAT and NTUSER_modified.DAT lines their roots up (the
 * second's mount would be its file name) and finds the 14 changes made
 * between them, one at a persistence location (a Run value added), not
 * the 11,804 changes and 20 false flags of the roots left apart. Skips
 * when the shared hive folder is absent. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "regdiff.h"

#define EXIT_SKIP 77

int main(void)
{
	const char *dir = REGDIFF_SHARED_HIVES;
	char before[4096], after[4096];
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("SKIP: the shared hive folder %s is absent\n", dir);
		return EXIT_SKIP;
	}
	snprintf(before, sizeof before, "%s/regipy/regipy_tests/data/NTUSER.DAT", dir);
	snprintf(after, sizeof after, "%s/regipy/regipy_tests/data/NTUSER_modified.DAT", dir);

	regdiff_diff *d = NULL;
	const char *note = NULL;
	int rc = regdiff_diff_open(&d, &note, before, after, NULL, NULL, NULL);
	if (rc) {
		fprintf(stderr, "FAIL: regdiff_diff_open: %s\n", regdiff_error_last()->message);
		return 1;
	}
	char want[8300];
	snprintf(want, sizeof want,
		 "%s mounted at HKU\\vibranium, not NTUSER_modified.DAT (its mount is derived "
		 "from its file name): their roots compare",
		 after);
	int failed = strcmp(note, want) != 0;
	if (failed)
		fprintf(stderr, "FAIL: note \"%s\"\n", note);
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	/* No writer: counts only. */
	rc = regdiff_report_write(&counts, d, NULL, NULL, NULL);
	if (rc || counts.total != 14 || counts.persistence != 1 ||
	    counts.by_op[REGDIFF_NOT_COMPARED] != 0) {
		fprintf(
		    stderr,
		    "FAIL: rc %d, %llu changes (want 14), %llu at persistence locations (want 1)\n",
		    rc, (unsigned long long)counts.total, (unsigned long long)counts.persistence);
		failed = 1;
	}
	regdiff_diff_free(d);
	if (!failed)
		puts("ok: 14 changes, lined up");
	return failed;
}
