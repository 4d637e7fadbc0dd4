/* regdiff_bench_walk HIVE: the bare walk as a process of its own, the
 * baseline of every ratio regdiff_bench prints. It links libhivex and
 * nothing else, so that its start costs what a minimal program's does. */
#include <stdio.h>

#include "walk.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: regdiff_bench_walk HIVE\n");
		return 2;
	}
	return bench_bare_walk(argv[1]);
}
