/* The bare libhivex walk every figure is measured against. */
#ifndef REGDIFF_BENCH_WALK_H
#define REGDIFF_BENCH_WALK_H

/* Opens hive with libhivex and reads what any tool must read at least:
 * every key's name and time, every value's name, type and data. 0 when
 * it read the hive. */
int bench_bare_walk(const char *hive);

#endif
