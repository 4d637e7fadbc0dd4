# End-to-end tests of the Windows build under Wine (Debian's wine64), run
# from the Linux build against a cross-built regdiff.exe:
#   cmake --preset mingw && cmake --build --preset mingw
#   cmake --preset default -DREGDIFF_WINE_EXE=$PWD/build/mingw/bin/regdiff.exe
#   cmake --build --preset default && ctest --test-dir build/default -L wine
# (.ci/wine does all of this). Each tests/wine/<name>.sh is one test,
# wine_<name> (or one per case, wine_<name>.<case>), run as
#   sh <name>.sh REGDIFF_EXE REGDIFF FIXTURE_DIR GOLDEN_DIR WORK_DIR PREFIX
# All share one Wine prefix, made afresh by wine_prefix and removed by
# wine_cleanup, and run one at a time since they change its registry.
#
# In the Windows build this file builds what lands beside regdiff.exe for
# them: the helper program and test_live, the live source's unit test.

if(WIN32)
  add_executable(regdiff_wine_helper ${CMAKE_CURRENT_LIST_DIR}/wine/helper.c)
  target_link_libraries(regdiff_wine_helper PRIVATE advapi32)
  # The live source itself; run under Wine by wine_unit with the others.
  regdiff_unit_test(test_live ${CMAKE_CURRENT_LIST_DIR}/wine/test_live.c)
  target_link_libraries(test_live PRIVATE advapi32)
elseif(NOT CMAKE_CROSSCOMPILING)
  set(REGDIFF_WINE_EXE "" CACHE FILEPATH
    "A cross-built regdiff.exe to test under Wine (ctest -L wine); empty: no Wine tests")
endif()

if(REGDIFF_WINE_EXE AND NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  set(_regdiff_wine_prefix ${CMAKE_CURRENT_BINARY_DIR}/wine/prefix)
  set(_regdiff_wine_tests unit registry linux_snapshot denied watch churn sample killed hives
    backup regscript noise)

  add_test(NAME wine_prefix
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/wine/prefix.sh make ${_regdiff_wine_prefix})
  add_test(NAME wine_cleanup
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/wine/prefix.sh remove ${_regdiff_wine_prefix})
  set_tests_properties(wine_prefix PROPERTIES FIXTURES_SETUP wine)
  set_tests_properties(wine_cleanup PROPERTIES FIXTURES_CLEANUP wine)
  set(_regdiff_wine_all wine_prefix wine_cleanup)

  # One test per script, or per case of a script cut into cases
  # (tests/shell.cmake).
  set(REGDIFF_SHELL_TESTS)
  foreach(_t ${_regdiff_wine_tests})
    regdiff_shell_test(wine_${_t} ${CMAKE_CURRENT_SOURCE_DIR}/wine/${_t}.sh
      ${REGDIFF_WINE_EXE} $<TARGET_FILE:regdiff_cli> "${REGDIFF_FIXTURE_DIR}"
      ${CMAKE_CURRENT_SOURCE_DIR}/wine/golden @WORK@ ${_regdiff_wine_prefix})
  endforeach()
  set_tests_properties(${REGDIFF_SHELL_TESTS} PROPERTIES FIXTURES_REQUIRED wine)
  list(APPEND _regdiff_wine_all ${REGDIFF_SHELL_TESTS})
  set_tests_properties(${_regdiff_wine_all} PROPERTIES
    LABELS wine RESOURCE_LOCK wine_prefix SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
