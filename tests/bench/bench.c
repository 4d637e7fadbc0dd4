/* Benchmark: a shot and a compare against a bare libhivex walk of the same
 * hive, measured in the same run. Prints figures and ratios; asserts
 * nothing (speed goals are read from these figures, not from tests).
 *
 *   bench HIVE [OTHER_HIVE] [REPEATS] [MOUNT]
 *
 * The compare is of HIVE's snapshot with OTHER_HIVE's (default: HIVE's
 * again, taken a second time), both mounted at MOUNT (default HKLM\BENCH,
 * where no persistence location is). The compare is timed again with no
 * locations at all: the difference is what tagging changes with the
 * built-in persistence locations costs (give MOUNT HKLM\SYSTEM for a
 * SYSTEM hive to see it where the locations are). */
#include <errno.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "regdiff.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long sink;

static void walk(hive_h *h, hive_node_h node)
{
	char *name = hivex_node_name(h, node);
	sink += name ? strlen(name) : 0;
	free(name);
	sink += (unsigned long long)hivex_node_timestamp(h, node);
	hive_value_h *vals = hivex_node_values(h, node);
	for (size_t i = 0; vals && vals[i]; i++) {
		char *key = hivex_value_key(h, vals[i]);
		hive_type t;
		size_t len;
		char *data = hivex_value_value(h, vals[i], &t, &len);
		sink += len + (key ? strlen(key) : 0);
		free(key);
		free(data);
	}
	free(vals);
	hive_node_h *kids = hivex_node_children(h, node);
	for (size_t i = 0; kids && kids[i]; i++)
		walk(h, kids[i]);
	free(kids);
}

static double bare_walk(const char *path)
{
	double t = now();
	hive_h *h = hivex_open(path, 0);
	if (!h) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	walk(h, hivex_root(h));
	hivex_close(h);
	return now() - t;
}

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "bench: %s: %s\n", what, regdiff_error_message());
		exit(2);
	}
}

static double shot(const char *hive, const char *out, const char *mount)
{
	double t = now();
	regdiff_source *src;
	check(regdiff_source_open_hive(&src, hive, mount), hive);
	check(regdiff_shot_to_file(NULL, out, &src, 1, NULL), out);
	regdiff_source_free(src);
	return now() - t;
}

#define MATCH_REPEATS 20

/* locs: NULL for the built-in locations. With again, each change is also
 * matched MATCH_REPEATS times against those: tagging timed apart from the
 * noise of the rest of the compare. */
static double compare(const char *a, const char *b, const regdiff_locations *locs,
		      const regdiff_locations *again, unsigned long long *changes,
		      unsigned long long *flagged)
{
	double t = now();
	regdiff_snapshot *sa, *sb;
	check(regdiff_snapshot_open(&sa, a), a);
	check(regdiff_snapshot_open(&sb, b), b);
	regdiff_diff *d;
	regdiff_diff_options o = REGDIFF_DIFF_OPTIONS_INIT;
	o.locations = locs;
	check(regdiff_diff_new(&d, sa, sb, &o), "diff");
	const regdiff_change *c;
	int rc;
	*changes = *flagged = 0;
	while ((rc = regdiff_diff_next(&c, d)) == 0) {
		(*changes)++;
		*flagged += c->persistence != NULL;
		for (int i = 0; again && i < MATCH_REPEATS; i++)
			*flagged += regdiff_locations_match(again, c) != NULL;
	}
	if (rc != REGDIFF_ITEROVER)
		check(rc, "diff");
	regdiff_diff_free(d);
	regdiff_snapshot_free(sa);
	regdiff_snapshot_free(sb);
	return now() - t;
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench HIVE [OTHER_HIVE] [REPEATS]\n");
		return 2;
	}
	const char *hive = argv[1], *other = argc > 2 ? argv[2] : argv[1];
	int repeats = argc > 3 ? atoi(argv[3]) : 3;
	const char *mount = argc > 4 ? argv[4] : "HKLM\\BENCH";
	regdiff_locations *none, *builtin;
	check(regdiff_locations_new(&none, REGDIFF_LOCATIONS_NO_BUILTIN), "locations");
	check(regdiff_locations_new(&builtin, 0), "locations");
	char a[4096], b[4096];
	snprintf(a, sizeof a, "%s/regdiff-bench-a.rds",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	snprintf(b, sizeof b, "%s/regdiff-bench-b.rds",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	double walk_t = 1e9, shot_t = 1e9, cmp_t = 1e9, bare_t = 1e9, match_t = 1e9;
	unsigned long long changes = 0, flagged = 0, unflagged;
	for (int i = 0; i < repeats; i++) {
		walk_t = best(walk_t, bare_walk(hive));
		shot_t = best(shot_t, shot(hive, a, mount));
		shot(other, b, mount);
		cmp_t = best(cmp_t, compare(a, b, NULL, NULL, &changes, &flagged));
		bare_t = best(bare_t, compare(a, b, none, NULL, &changes, &unflagged));
		match_t = best(match_t, compare(a, b, none, builtin, &changes, &unflagged));
	}
	match_t = (match_t - bare_t) / MATCH_REPEATS;
	regdiff_locations_free(none);
	regdiff_locations_free(builtin);
	printf("hive: %s\n", hive);
	printf("bare libhivex walk: %.3f s\n", walk_t);
	printf("shot:               %.3f s  (%.2fx the walk; goal <= 1.5x)\n", shot_t,
	       shot_t / walk_t);
	printf("compare:            %.3f s  (%.2fx the walk; goal <= 0.5x; %llu changes)\n", cmp_t,
	       cmp_t / walk_t, changes);
	printf("compare, no locations: %.3f s  (%llu changes flagged at %s)\n", bare_t, flagged,
	       mount);
	printf("tagging every change:  %.3f s  (%.0f%% of the compare; %.2f us a change)\n",
	       match_t, 100 * match_t / cmp_t, changes ? 1e6 * match_t / (double)changes : 0.0);
	remove(a);
	remove(b);
	return 0;
}
