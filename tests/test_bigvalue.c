/* Reports of values of any size in bounded memory (issue 8, item 6): a
 * snapshot holding a 60 MiB REG_BINARY (modified by one byte) and a
 * 16 Mi-unit REG_SZ (added) is reported as TXT and JSON lines in a child
 * process, whose peak resident memory must stay within what the two
 * snapshots' values take in memory (they are read whole) plus a bound
 * (REPORT_SLACK), where building each line whole took about 8 times the
 * data. The output's size is checked against the formats' rules.
 *
 *   test_bigvalue [MIB]   (60 by default: a snapshot holds at most 63 MiB) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core_util.h"
#include "report_internal.h"

/* What a report may take beyond the values themselves. */
#define REPORT_SLACK ((uint64_t)48 << 20)

static uint64_t out_bytes;

static int count_write(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	out_bytes += len;
	return 0;
}

static uint64_t peak_rss(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)ru.ru_maxrss << 10; /* Linux: KiB */
}

/* Runs in the child: one report of before -> after; prints its size and
 * the peak. */
static int report(regdiff_snapshot *a, regdiff_snapshot *b, regdiff_report_format format)
{
	regdiff_report_options opts = REGDIFF_REPORT_OPTIONS_INIT;
	regdiff_diff *diff = NULL;
	opts.format = format;
	int rc = regdiff_diff_new(&diff, a, b, NULL);
	if (rc == 0)
		rc = regdiff_report_write(NULL, diff, &opts, count_write, NULL);
	regdiff_diff_free(diff);
	if (rc < 0) {
		fprintf(stderr, "report failed: %s\n", regdiff_error_message());
		return 1;
	}
	printf("%" PRIu64 " %" PRIu64 "\n", out_bytes, peak_rss());
	fflush(stdout); /* the child ends with _exit() */
	return 0;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 60;
	size_t big = mib << 20, units = big / 4;
	uint8_t *bin = cu_pattern(big, 7);
	uint16_t *str = malloc(units * 2 + 2);
	if (!bin || !str)
		return 77;
	for (size_t i = 0; i < units; i++)
		str[i] = 'x';
	str[units] = 0;

	cu_tree ta = {0}, tb = {0};
	cu_parse(&ta, "HKLM !synthetic\n  SOFTWARE @1 !mount\n    Big @2\n");
	cu_add_value(&ta, "Bin", REGDIFF_REG_BINARY, bin, big);
	bin[big / 2] ^= 1;
	cu_parse(&tb, "HKLM !synthetic\n  SOFTWARE @1 !mount\n    Big @2\n");
	cu_add_value(&tb, "Bin", REGDIFF_REG_BINARY, bin, big);
	cu_add_value(&tb, "Str", REGDIFF_REG_SZ, str, units * 2 + 2);
	free(bin);
	free(str);
	regdiff__buf fa = {0}, fb = {0};
	regdiff_snapshot *a = cu_snapshot(&ta, &fa), *b = cu_snapshot(&tb, &fb);
	cu_tree_free(&ta);
	cu_tree_free(&tb);
	/* The snapshots' files stay in memory (fa, fb: compressed, small);
	 * the diff holds each side's value data whole, as read. */
	uint64_t values = 2 * (uint64_t)big + 2 * (uint64_t)units + 2;

	/* TXT: 2 lines of " XX" per byte; the string between quotes.
	 * JSON lines: data and data_hex of each side as hex, the string once
	 * as text and once as hex. */
	uint64_t txt_min = 2 * 3 * (uint64_t)big + units,
		 jsonl_min = 4 * 2 * (uint64_t)big + units + 4 * (uint64_t)units;
	int failed = 0;
	for (int f = 0; f < 2; f++) {
		fflush(stdout);
		int fds[2];
		if (pipe(fds) != 0)
			return 1;
		pid_t pid = fork();
		if (pid == 0) {
			close(fds[0]);
			dup2(fds[1], 1);
			_exit(report(a, b, f ? REGDIFF_REPORT_JSONL : REGDIFF_REPORT_TXT));
		}
		close(fds[1]);
		char line[128] = "";
		FILE *in = fdopen(fds[0], "r");
		if (!in || !fgets(line, sizeof line, in))
			line[0] = '\0';
		if (in)
			fclose(in);
		int status;
		waitpid(pid, &status, 0);
		uint64_t bytes = 0, peak = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		    sscanf(line, "%" SCNu64 " %" SCNu64, &bytes, &peak) != 2) {
			fprintf(stderr, "FAILED: the %s report did not run (status 0x%x: '%s')\n",
				f ? "jsonl" : "txt", (unsigned)status, line);
			failed = 1;
			continue;
		}
		uint64_t want = f ? jsonl_min : txt_min, bound = values + REPORT_SLACK;
		printf("%s: %" PRIu64 " bytes of report, peak %" PRIu64 " MiB (bound %" PRIu64
		       " MiB: values %" PRIu64 " MiB + %" PRIu64 " MiB)\n",
		       f ? "jsonl" : "txt", bytes, peak >> 20, bound >> 20, values >> 20,
		       REPORT_SLACK >> 20);
		if (bytes < want || bytes > want + 4096) {
			fprintf(stderr,
				"FAILED: %s report of %" PRIu64 " bytes, want %" PRIu64
				" and a little\n",
				f ? "jsonl" : "txt", bytes, want);
			failed = 1;
		}
		if (peak > bound) {
			fprintf(stderr, "FAILED: %s report peaked at %" PRIu64 " MiB\n",
				f ? "jsonl" : "txt", peak >> 20);
			failed = 1;
		}
	}
	regdiff_snapshot_free(a);
	regdiff_snapshot_free(b);
	regdiff__buf_free(&fa);
	regdiff__buf_free(&fb);
	return failed;
}
