# Names: upper-case table, order, UTF-16 <-> UTF-8.
regdiff_unit_test(test_name test_name.c test_util.c)
