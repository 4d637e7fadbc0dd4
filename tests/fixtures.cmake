# Fixture hives, generated at build time from the text descriptions in
# fixtures/ by tests/tools/mkhive (see fixtures/README.md). None is copied
# from anywhere.
#
# For other tests:
#   REGDIFF_FIXTURE_DIR  folder of the generated <name>.hiv files
#   REGDIFF_FIXTURES     the names, e.g. base, changed
# Both are empty where hivex is missing (no fixtures can be made there).

set(REGDIFF_FIXTURE_DIR "")
set(REGDIFF_FIXTURES "")

if(HIVEX_FOUND)
  set(REGDIFF_FIXTURE_DIR ${CMAKE_BINARY_DIR}/fixtures)

  # name, then what checkhive must find in it: keys (root included), values,
  # names hivex's UTF-8 API cannot convert. Update with the description.
  set(_regdiff_fixture_table
    base       32 48 0
    changed    31 51 0
    empty       1  0 0
    software_a 12  8 0
    software_b 12  9 0
    system_a    9 10 0
    hostile    55 12 2
    persist_software_a 48 23 0
    persist_software_b 52 26 0
    persist_system_a   25 18 0
    persist_system_b   27 22 0
    persist_ntuser_a   21  7 0
    persist_ntuser_b   33 19 0
    persist_usrclass_a 20  3 0
    persist_usrclass_b 23  6 0
    casefold_a 11 12 0
    casefold_b 11 12 0
    regfmt_a    7 23 0
    regfmt_b    8 29 0
    regfmt_c   10 31 0
    noise_software_a   16  5 0
    noise_software_b   17  7 0
    noise_system_a      7  2 0
    noise_system_b      8  5 0
    noise_ntuser_a     10  1 0
    noise_ntuser_b     10  3 0
    noise_usrclass_a    8  1 0
    noise_usrclass_b   10  4 0
    install_software   14  9 0
    install_system_a   14  7 0
    install_system_b   16  9 0)

  add_executable(mkhive ${CMAKE_CURRENT_LIST_DIR}/tools/mkhive.c
    ${CMAKE_CURRENT_LIST_DIR}/tools/mkhive_desc.c)
  target_link_libraries(mkhive PRIVATE PkgConfig::HIVEX)
  # Hostile hives beyond what a description can say (shared cells, big
  # data, colliding names), for the CLI tests and the fuzz seeds.
  add_executable(crafthive ${CMAKE_CURRENT_LIST_DIR}/tools/crafthive.c)
  add_executable(checkhive ${CMAKE_CURRENT_LIST_DIR}/tools/checkhive.c)
  target_link_libraries(checkhive PRIVATE PkgConfig::HIVEX)

  set(_regdiff_fixture_files "")
  set(_regdiff_checkhive_args "")
  list(LENGTH _regdiff_fixture_table _n)
  math(EXPR _last "${_n} - 1")
  foreach(_i RANGE 0 ${_last} 4)
    math(EXPR _k "${_i} + 1")
    math(EXPR _v "${_i} + 2")
    math(EXPR _b "${_i} + 3")
    list(GET _regdiff_fixture_table ${_i} _name)
    list(GET _regdiff_fixture_table ${_k} _keys)
    list(GET _regdiff_fixture_table ${_v} _values)
    list(GET _regdiff_fixture_table ${_b} _bad)
    set(_in ${CMAKE_CURRENT_LIST_DIR}/../fixtures/${_name}.txt)
    set(_out ${REGDIFF_FIXTURE_DIR}/${_name}.hiv)
    add_custom_command(OUTPUT ${_out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${REGDIFF_FIXTURE_DIR}
      COMMAND mkhive ${_in} ${_out}
      DEPENDS mkhive ${_in}
      COMMENT "Generating fixture ${_name}.hiv"
      VERBATIM)
    list(APPEND REGDIFF_FIXTURES ${_name})
    list(APPEND _regdiff_fixture_files ${_out})
    list(APPEND _regdiff_checkhive_args ${_out} ${_keys} ${_values} ${_bad})
  endforeach()

  add_custom_target(fixtures ALL DEPENDS ${_regdiff_fixture_files})

  # Every fixture opens with hivex in its normal mode and walks completely.
  add_test(NAME fixtures_open COMMAND checkhive ${_regdiff_checkhive_args})
endif()
