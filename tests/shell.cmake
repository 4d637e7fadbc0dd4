# Shell tests (they source tests/testlib.sh).
#
# regdiff_shell_test(NAME SCRIPT ARG...) runs `sh SCRIPT ARG...` as the
# ctest test NAME; a script cut into cases ("#case CASE" lines) becomes one
# test NAME.CASE per case, run with REGDIFF_CASE=CASE, so that a case runs
# alone: `ctest -R cli_outputs.signals`. An ARG "@WORK@" is replaced by a
# work folder of the test's own in the build tree. The names of the tests
# made are appended to REGDIFF_SHELL_TESTS in the caller's scope, to set
# their properties (append to ENVIRONMENT: it holds REGDIFF_CASE).
function(regdiff_shell_test name script)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${script})
  file(STRINGS ${script} _cases REGEX "^#case [A-Za-z0-9_]+$")
  list(TRANSFORM _cases REPLACE "^#case " "")
  set(_made ${REGDIFF_SHELL_TESTS})
  if(NOT _cases)
    set(_cases "<none>")
  endif()
  foreach(_case ${_cases})
    if(_case STREQUAL "<none>")
      set(_test ${name})
    else()
      set(_test ${name}.${_case})
    endif()
    list(TRANSFORM ARGN REPLACE "^@WORK@$" "${CMAKE_CURRENT_BINARY_DIR}/shell/${_test}" OUTPUT_VARIABLE _args)
    add_test(NAME ${_test} COMMAND sh ${script} ${_args})
    if(NOT _case STREQUAL "<none>")
      set_property(TEST ${_test} APPEND PROPERTY ENVIRONMENT REGDIFF_CASE=${_case})
    endif()
    list(APPEND _made ${_test})
  endforeach()
  set(REGDIFF_SHELL_TESTS ${_made} PARENT_SCOPE)
endfunction()
