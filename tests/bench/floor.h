/* The least a shot can cost: see floor.c. */
#ifndef REGDIFF_BENCH_FLOOR_H
#define REGDIFF_BENCH_FLOOR_H

/* The bare walk of hive, in this process: 0 when it read the hive. */
typedef int (*bench_walk_fn)(const char *hive);

/* Measures in this process, repeats times each and interleaved, the bare
 * walk of hive and what any shot of it must do besides (snapshot: a shot
 * of it), and prints them and the floor they make on two cores. work: a
 * folder for a scratch file. Returns 0, or -1 with a message printed when
 * a part could not be measured. */
int bench_floor(const char *hive, const char *snapshot, const char *work, int repeats,
		bench_walk_fn walk);

#endif
