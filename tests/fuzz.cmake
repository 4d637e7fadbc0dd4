# Fuzz targets (tests/fuzz, README "Reliability"): the snapshot reader, the
# hive source and the report formatters.
#
# Every build makes fuzz_<target>_replay, the target with a main() that
# reads files, and ctest replays through it the crashes found so far
# (tests/fuzz/regressions/<target>) and the seed corpora, which
# fuzz_seeds makes in the build folder from the fixtures and the small
# shared hives. With REGDIFF_FUZZ=ON (the `fuzz` preset: clang, ASan,
# UBSan) it also makes the libFuzzer binaries fuzz_<target>, which
# tests/fuzz/run.sh (.ci/fuzz) runs.

if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  option(REGDIFF_FUZZ "Build the libFuzzer targets (needs clang; see the fuzz preset)" OFF)
  if(REGDIFF_FUZZ AND NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "REGDIFF_FUZZ needs clang (libFuzzer): use the fuzz preset")
  endif()
  set(_fuzz_src ${CMAKE_CURRENT_LIST_DIR}/fuzz)
  set(REGDIFF_FUZZ_SEEDS ${CMAKE_CURRENT_BINARY_DIR}/fuzz/seeds)

  add_library(regdiff_fuzz_util STATIC ${_fuzz_src}/fuzz_util.c ${_fuzz_src}/json_check.c
    ${_fuzz_src}/recipe.c)
  target_include_directories(regdiff_fuzz_util PUBLIC ${PROJECT_SOURCE_DIR}/lib ${_fuzz_src})
  target_link_libraries(regdiff_fuzz_util PUBLIC regdiff_static PkgConfig::ZLIB)
  if(XXHASH_FOUND)
    target_link_libraries(regdiff_fuzz_util PUBLIC PkgConfig::XXHASH)
  else()
    target_include_directories(regdiff_fuzz_util PUBLIC ${XXHASH_INCLUDE_DIR})
    target_compile_definitions(regdiff_fuzz_util PUBLIC XXH_INLINE_ALL)
  endif()
  if(HIVEX_FOUND)
    target_link_libraries(regdiff_fuzz_util PUBLIC PkgConfig::HIVEX)
  endif()
  if(LIBXML2_FOUND)
    target_link_libraries(regdiff_fuzz_util PUBLIC PkgConfig::LIBXML2)
  endif()

  # The checks the targets make must reject what they are there to catch.
  add_executable(fuzz_checks ${_fuzz_src}/test_checks.c)
  target_link_libraries(fuzz_checks PRIVATE regdiff_fuzz_util)
  add_test(NAME fuzz_checks COMMAND fuzz_checks)

  add_executable(fuzz_seed ${_fuzz_src}/fuzz_seed.c)
  target_link_libraries(fuzz_seed PRIVATE regdiff_fuzz_util)
  add_test(NAME fuzz_seeds
    COMMAND sh ${_fuzz_src}/make_seeds.sh $<TARGET_FILE:regdiff_cli> $<TARGET_FILE:fuzz_seed>
      "${REGDIFF_FIXTURE_DIR}" ${REGDIFF_SHARED_HIVES} ${REGDIFF_FUZZ_SEEDS})
  set_tests_properties(fuzz_seeds PROPERTIES FIXTURES_SETUP fuzz_seeds SKIP_RETURN_CODE 77
    ENVIRONMENT "REGDIFF_CRAFTHIVE=$<$<TARGET_EXISTS:crafthive>:$<TARGET_FILE:crafthive>>")

  if(HIVEX_FOUND)
    # A hive libhivex's unsafe mode would read past the end of (see
    # tests/fuzz/regressions/README.md): refused, deterministically.
    add_test(NAME fuzz_hivex_unsafe_past_end
      COMMAND sh ${_fuzz_src}/hivex_unsafe_past_end.sh $<TARGET_FILE:regdiff_cli>
        ${_fuzz_src}/regressions/hive/bins-past-eof ${CMAKE_CURRENT_BINARY_DIR}/fuzz/unsafe)
  endif()

  set(_fuzz_targets snapshot report)
  if(HIVEX_FOUND)
    list(APPEND _fuzz_targets hive)
  endif()
  foreach(_t ${_fuzz_targets})
    add_executable(fuzz_${_t}_replay ${_fuzz_src}/fuzz_${_t}.c ${_fuzz_src}/replay_main.c)
    target_link_libraries(fuzz_${_t}_replay PRIVATE regdiff_fuzz_util)
    add_test(NAME fuzz_replay_${_t}
      COMMAND fuzz_${_t}_replay ${_fuzz_src}/regressions/${_t} ${REGDIFF_FUZZ_SEEDS}/${_t})
    set_tests_properties(fuzz_replay_${_t} PROPERTIES FIXTURES_REQUIRED fuzz_seeds)
    if(REGDIFF_FUZZ)
      add_executable(fuzz_${_t} ${_fuzz_src}/fuzz_${_t}.c)
      target_compile_options(fuzz_${_t} PRIVATE -fsanitize=fuzzer)
      target_link_options(fuzz_${_t} PRIVATE -fsanitize=fuzzer)
      target_link_libraries(fuzz_${_t} PRIVATE regdiff_fuzz_util)
    endif()
  endforeach()
endif()
