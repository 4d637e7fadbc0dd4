# Report tests: how data, types and times are shown (test_render), and the
# TXT and JSON lines reports on hand-built changes (test_report), compared
# with the golden files in tests/golden/ (rewrite them with
# `test_report --regen <dir>`, then read every line).

regdiff_unit_test(test_render test_render.c test_util.c)
regdiff_unit_test(test_report test_report.c test_util.c)
target_compile_definitions(test_report PRIVATE
  REGDIFF_TEST_GOLDEN_DIR="${CMAKE_CURRENT_SOURCE_DIR}/golden")
# test_report writes its report files into its working folder.
set_tests_properties(test_report PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

# A second opinion on the JSON lines: Python's own parser must read every
# line as an object, and the hostile value name must come back exactly
# (NUL, ESC, BEL, quote, backslash and an unpaired surrogate).
find_package(Python3 COMPONENTS Interpreter QUIET)
if(Python3_Interpreter_FOUND AND NOT CMAKE_CROSSCOMPILING)
  set(_regdiff_jsonl ${CMAKE_CURRENT_BINARY_DIR}/report_all_check.jsonl)
  add_test(NAME report_jsonl_write COMMAND test_report --write-jsonl ${_regdiff_jsonl})
  set_tests_properties(report_jsonl_write PROPERTIES FIXTURES_SETUP report_jsonl)
  add_test(NAME report_jsonl_python COMMAND ${Python3_EXECUTABLE} -c
"import json, sys
data = open(sys.argv[1], 'rb').read()
lines = data.split(b'\\n')
assert lines.pop() == b'', 'no final line end'
rows = [json.loads(line.decode('utf-8')) for line in lines]
assert all(type(r) is dict and list(r)[0] == 'op' for r in rows)
evil = 'a' + chr(0) + chr(27) + ']0' + chr(59) + 'x' + chr(7) + chr(34) + chr(92) + chr(0xD800) + 'z'
assert evil in [r.get('value') for r in rows], 'hostile value name not exact'
assert len(rows) == 27, len(rows)
print(len(rows), 'JSON lines read')"
    ${_regdiff_jsonl})
  set_tests_properties(report_jsonl_python PROPERTIES FIXTURES_REQUIRED report_jsonl)
endif()

# A report of a 64 MiB value in bounded memory (test_bigvalue.c). Peak
# memory under the sanitizers says nothing of the report's own, so the
# test runs in builds without them.
if(NOT REGDIFF_SANITIZE AND NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  regdiff_unit_test(test_bigvalue test_bigvalue.c core_util.c test_util.c)
  set_tests_properties(test_bigvalue PROPERTIES TIMEOUT 300 LABELS memory-bound)
endif()

# Filters and the noise profile: rules, the matcher, files, counts in
# every report format.
regdiff_unit_test(test_filter test_filter.c test_util.c)

# The data-to-text API (regdiff_data_to_text), which the TXT report uses.
regdiff_unit_test(test_data_text test_data_text.c test_util.c)

# Shot exclusions in the snapshot footer: written, read back, refused.
regdiff_unit_test(test_exclusion test_exclusion.c test_util.c)
