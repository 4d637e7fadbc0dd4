/* The least a shot can cost: see floor.c. */
#ifndef REGDIFF_BENCH_FLOOR_H
#define REGDIFF_BENCH_FLOOR_H

/* Measures in this process, repeats times each and interleaved, the bare
 * walk of hive and what any shot of it must do besides (snapshot: a shot
 * of it), and prints them and the floor they make on two cores, also as
 * whole processes against walk_process (the walk's process, seconds).
 * work: a folder for a scratch file. Returns 0, or -1 with a message
 * printed when a part could not be measured. */
int bench_floor(const char *hive, const char *snapshot, const char *work, int repeats,
		double walk_process);

#endif
