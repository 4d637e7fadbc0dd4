/* The clock both parts of regdiff_bench time with (bench.c, floor.c). */
#ifndef REGDIFF_BENCH_CLOCK_H
#define REGDIFF_BENCH_CLOCK_H

#include <time.h>

/* Seconds on the monotonic clock. */
static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
