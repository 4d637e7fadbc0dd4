# The hashes the diff relies on (issue 8 item 1): a real XXH3-64 collision
# between two service ImagePath datas (tests/tools/xxh3_forge.c) put in
# two hives must show as the one modification it is.
if(HIVEX_FOUND AND NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  add_executable(xxh3_forge ${CMAKE_CURRENT_LIST_DIR}/tools/xxh3_forge.c)
  # XXH3's internals (its default secret) are only in the inline build.
  if(XXHASH_FOUND)
    target_include_directories(xxh3_forge PRIVATE ${XXHASH_INCLUDE_DIRS})
  else()
    target_include_directories(xxh3_forge PRIVATE ${XXHASH_INCLUDE_DIR})
  endif()
  add_test(NAME cli_forged_xxh3
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/forged_xxh3.sh
      $<TARGET_FILE:regdiff_cli> "${REGDIFF_FIXTURE_DIR}"
      ${CMAKE_CURRENT_SOURCE_DIR}/cli/golden ${CMAKE_CURRENT_BINARY_DIR}/cli/forged_xxh3)
  set_tests_properties(cli_forged_xxh3 PROPERTIES
    SKIP_RETURN_CODE 77
    ENVIRONMENT "REGDIFF_MKHIVE=$<TARGET_FILE:mkhive>;REGDIFF_XXH3_FORGE=$<TARGET_FILE:xxh3_forge>")
endif()
