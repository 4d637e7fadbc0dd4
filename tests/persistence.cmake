# Persistence flagging (test_persistence: the matcher, user tables, the tags
# of a diff of the persist_* fixture hives, TXT and JSON lines) and the HTML
# report (test_html: parsed back with libxml2's HTML parser; html_chromium:
# opened in headless Chromium, skipped where it is not installed).

regdiff_unit_test(test_persistence test_persistence.c test_util.c)
# Every row of the built-in table, in every view it names, and next to it.
regdiff_unit_test(test_persistence_rows test_persistence_rows.c test_util.c)
target_compile_definitions(test_persistence PRIVATE
  REGDIFF_TEST_FIXTURE_DIR="${REGDIFF_FIXTURE_DIR}"
  REGDIFF_TEST_DOCS_DIR="${PROJECT_SOURCE_DIR}/docs")
# test_persistence writes a locations file into its working folder.
set_tests_properties(test_persistence PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
if(TARGET fixtures)
  add_dependencies(test_persistence fixtures)
endif()

if(LIBXML2_FOUND)
  regdiff_unit_test(test_html test_html.c test_util.c)
  target_compile_definitions(test_html PRIVATE
    REGDIFF_TEST_FIXTURE_DIR="${REGDIFF_FIXTURE_DIR}")
  if(TARGET fixtures)
    add_dependencies(test_html fixtures)
  endif()
  # The first reports of a process, in threads at once: libxml2 loaded once.
  if(NOT WIN32)
    find_package(Threads REQUIRED)
    regdiff_unit_test(test_html_threads test_html_threads.c test_util.c)
    target_link_libraries(test_html_threads PRIVATE Threads::Threads)
  endif()
endif()

# The report in a real browser. Needs the fixtures; skips without Chromium.
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  add_test(NAME html_chromium
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/html/chromium.sh
      $<TARGET_FILE:regdiff_cli> "${REGDIFF_FIXTURE_DIR}" ${CMAKE_CURRENT_BINARY_DIR}/html_chromium)
  set_tests_properties(html_chromium PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()

# compare's --locations, --full-data and --format html.
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING AND LIBXML2_FOUND)
  add_test(NAME html_cli_options
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/html/cli_options.sh
      $<TARGET_FILE:regdiff_cli> "${REGDIFF_FIXTURE_DIR}" ${CMAKE_CURRENT_BINARY_DIR}/html_cli_options)
  set_tests_properties(html_cli_options PROPERTIES SKIP_RETURN_CODE 77)
endif()

# libxml2 unavailable (it is loaded for the first HTML report, on Linux):
# tests/html/nolib.sh, with a library of its soname lacking its functions.
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING AND LIBXML2_FOUND AND TARGET regdiff)
  add_library(stub_xml2 MODULE html/stub_xml2.c)
  set_target_properties(stub_xml2 PROPERTIES PREFIX "" SUFFIX "" OUTPUT_NAME ${REGDIFF_LIBXML2_SONAME}
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/stub_xml2)
  target_link_options(stub_xml2 PRIVATE -Wl,-soname,${REGDIFF_LIBXML2_SONAME})
  add_test(NAME html_nolib
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/html/nolib.sh
      $<TARGET_FILE:regdiff_cli> "${REGDIFF_FIXTURE_DIR}" ${CMAKE_CURRENT_BINARY_DIR}/html_nolib
      $<TARGET_FILE:regdiff> ${REGDIFF_LIBXML2_SONAME} $<TARGET_FILE:stub_xml2>)
  set_tests_properties(html_nolib PROPERTIES SKIP_RETURN_CODE 77)
endif()
