/* Mutated copies of a hive for the benchmark, made with libhivex's write
 * API so that the changes are of a real hive's kind and place. */
#ifndef REGDIFF_BENCH_MUTATE_H
#define REGDIFF_BENCH_MUTATE_H

enum bench_mutation {
	BENCH_SPREAD, /* one value added to each of n keys spread evenly over the hive */
	BENCH_SUBTREE /* one value added to each of n keys of one subtree */
};

/* Writes to out a copy of the hive at in with n values added as kind
 * says. 0 on success, -1 with a message on stderr. */
int bench_mutate(const char *in, const char *out, enum bench_mutation kind, int n);

#endif
