/* Fuzz target: the hive source, libhivex included. The input is written to
 * a temporary file named NTUSER.DAT (so the mount comes from the user name
 * embedded in the hive, as for a real user hive), opened as a source and
 * snapshotted into memory. A snapshot that was written must open and
 * verify, and is compared with a small one into a checked JSON lines
 * report. Crashes inside libhivex count: regdiff must not hand it what
 * makes it crash. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"

static char dir[4096], path[4200];

static void remove_dir(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* A memory file system where there is one: every input is a file. */
	const char *tmp = getenv("TMPDIR");
	if (access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	snprintf(dir, sizeof dir, "%s/regdiff-fuzz-hive-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		fuzz_fail("cannot make a folder like %s", dir);
	snprintf(path, sizeof path, "%s/NTUSER.DAT", dir);
	atexit(remove_dir);
	return 0;
}

static void write_file(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		fuzz_fail("cannot write %s", path);
	while (size > 0) {
		ssize_t n = write(fd, data, size);
		if (n <= 0)
			fuzz_fail("cannot write %s", path);
		data += n;
		size -= (size_t)n;
	}
	close(fd);
}

static void compare_with_small(regdiff_snapshot *snap)
{
	regdiff_snapshot *small;
	if (fuzz_small_snapshot(&small))
		fuzz_fail("cannot open the small snapshot: %s", regdiff_error_message());
	regdiff_diff *diff;
	if (regdiff_diff_new(&diff, small, snap, NULL))
		fuzz_fail("cannot compare a fresh snapshot: %s", regdiff_error_message());
	regdiff_report_options opts = REGDIFF_REPORT_OPTIONS_INIT;
	opts.format = REGDIFF_REPORT_JSONL;
	fuzz_out out = {.fail_after = SIZE_MAX};
	regdiff_report_counts counts = REGDIFF_REPORT_COUNTS_INIT;
	if (regdiff_report_write(&counts, diff, &opts, fuzz_out_write, &out))
		fuzz_fail("a fresh snapshot fails to compare: %s", regdiff_error_message());
	uint64_t lines = 0;
	for (int op = 0; op < REGDIFF_OP_COUNT; op++)
		lines += counts.by_op[op];
	fuzz_check_report(&out, &opts, lines);
	fuzz_out_free(&out);
	regdiff_diff_free(diff);
	regdiff_snapshot_free(small);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	write_file(data, size);
	regdiff_source *src = NULL;
	int rc = regdiff_source_open_hive(&src, path, NULL);
	if (rc) {
		fuzz_check_error(rc);
		return 0;
	}
	void *buf = NULL;
	size_t len = 0;
	rc = regdiff_shot_to_memory(&buf, &len, &src, 1, NULL);
	regdiff_source_free(src);
	if (rc) {
		fuzz_check_error(rc);
		return 0;
	}
	regdiff_snapshot *snap;
	if (regdiff_snapshot_open_memory(&snap, buf, len))
		fuzz_fail("a fresh snapshot does not open: %s", regdiff_error_message());
	if (regdiff_snapshot_verify(snap))
		fuzz_fail("a fresh snapshot does not verify: %s", regdiff_error_message());
	compare_with_small(snap);
	regdiff_snapshot_free(snap);
	regdiff_free(buf);
	return 0;
}
