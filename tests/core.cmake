# The snapshot writer and reader, and the diff engine, on snapshots built
# in memory from text descriptions (core_util.c).
regdiff_unit_test(test_snapshot test_snapshot.c core_util.c test_util.c)
regdiff_unit_test(test_diff test_diff.c core_util.c test_util.c)
regdiff_unit_test(test_limits test_limits.c core_util.c test_util.c)
