# CLI tests: each tests/cli/<name>.sh is one ctest test, cli_<name> (or,
# cut into cases, one cli_<name>.<case> per case: tests/shell.cmake), run as
#   sh <name>.sh REGDIFF FIXTURE_DIR GOLDEN_DIR WORK_DIR
# on the fixture hives (tests/fixtures.cmake). Golden files are in
# tests/cli/golden; REGDIFF_UPDATE_GOLDEN=1 rewrites them (then read them).
# A new script is one line in the list below; a new case, one "#case NAME"
# line in its script.
include(${CMAKE_CURRENT_LIST_DIR}/shell.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/readme.cmake)
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  set(_regdiff_cli_tests
    usage
    version_help
    startup
    golden
    roundtrip
    exit_status
    info
    mounts
    multi_source
    txt_options
    bad_input
    atomic
    corrupt
    hostile
    problems
    progress
    watch
    logs
    crafted
    outputs
    locations_input
    backslash_names
    casefold
    private
    regscript
    filters
    install
    bom
    line_up
    tmpdir
    shot_exclude

    readme)
  # Peak memory and time mean nothing under sanitizers: bounds apply
  # without them only.
  if(REGDIFF_SANITIZE)
    set(_regdiff_bounds 0)
  else()
    set(_regdiff_bounds 1)
  endif()
  list(JOIN REGDIFF_README_C ":" _regdiff_readme_c)
  set(REGDIFF_SHELL_TESTS)
  foreach(_t ${_regdiff_cli_tests})
    regdiff_shell_test(cli_${_t} ${CMAKE_CURRENT_SOURCE_DIR}/cli/${_t}.sh
      $<TARGET_FILE:regdiff_cli> "${REGDIFF_FIXTURE_DIR}"
      ${CMAKE_CURRENT_SOURCE_DIR}/cli/golden @WORK@)
  endforeach()
  set_tests_properties(${REGDIFF_SHELL_TESTS} PROPERTIES SKIP_RETURN_CODE 77)
  set_property(TEST ${REGDIFF_SHELL_TESTS} APPEND PROPERTY ENVIRONMENT
    "REGDIFF_EXPECT_VERSION=${PROJECT_VERSION}"
    "REGDIFF_MKHIVE=$<$<TARGET_EXISTS:mkhive>:$<TARGET_FILE:mkhive>>"
    "REGDIFF_CRAFTHIVE=$<$<TARGET_EXISTS:crafthive>:$<TARGET_FILE:crafthive>>"
    "REGDIFF_BOUNDS=${_regdiff_bounds}"
    "REGDIFF_README_C=${_regdiff_readme_c}"
    "REGDIFF_SHARED_HIVES=${REGDIFF_SHARED_HIVES}"
    "REGDIFF_CLI_STATIC=${REGDIFF_CLI_STATIC}")
endif()

# Every option of the tool's tables in its command's help and in the man
# page (test_cli_help.c). Not in the Windows build: wine_unit runs its
# test_*.exe without arguments, and the tables are the same there.
if(NOT WIN32)
  add_executable(test_cli_help test_cli_help.c)
  target_include_directories(test_cli_help PRIVATE ${PROJECT_SOURCE_DIR}/cli)
  # The objects and, through them, the library the tool links.
  target_link_libraries(test_cli_help PRIVATE regdiff_cli_objects)
  add_test(NAME cli_help_options COMMAND test_cli_help ${PROJECT_SOURCE_DIR}/docs/regdiff.1)
endif()
