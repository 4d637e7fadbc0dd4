# CLI tests: each tests/cli/<name>.sh is one ctest test, cli_<name>, run as
#   sh <name>.sh REGDIFF FIXTURE_DIR GOLDEN_DIR WORK_DIR
# on the fixture hives (tests/fixtures.cmake). Golden files are in
# tests/cli/golden; REGDIFF_UPDATE_GOLDEN=1 rewrites them (then read them).
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  set(_regdiff_cli_tests
    usage
    version_help
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
    line_up
    tmpdir)
  # Peak memory and time mean nothing under sanitizers: bounds apply
  # without them only.
  if(REGDIFF_SANITIZE)
    set(_regdiff_bounds 0)
  else()
    set(_regdiff_bounds 1)
  endif()
  foreach(_t ${_regdiff_cli_tests})
    add_test(NAME cli_${_t}
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/${_t}.sh
        $<TARGET_FILE:regdiff_cli> "${REGDIFF_FIXTURE_DIR}"
        ${CMAKE_CURRENT_SOURCE_DIR}/cli/golden ${CMAKE_CURRENT_BINARY_DIR}/cli/${_t})
    set_tests_properties(cli_${_t} PROPERTIES
      SKIP_RETURN_CODE 77
      ENVIRONMENT "REGDIFF_EXPECT_VERSION=${PROJECT_VERSION};REGDIFF_MKHIVE=$<$<TARGET_EXISTS:mkhive>:$<TARGET_FILE:mkhive>>;REGDIFF_CRAFTHIVE=$<$<TARGET_EXISTS:crafthive>:$<TARGET_FILE:crafthive>>;REGDIFF_BOUNDS=${_regdiff_bounds}")
  endforeach()
endif()
