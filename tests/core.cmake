# The snapshot writer and reader, and the diff engine, on snapshots built
# in memory from text descriptions (core_util.c).
regdiff_unit_test(test_snapshot test_snapshot.c core_util.c test_util.c)
regdiff_unit_test(test_diff test_diff.c core_util.c test_util.c)
regdiff_unit_test(test_limits test_limits.c core_util.c test_util.c)
# Snapshot bombs, read by the CLI in child processes under a memory check.
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  add_executable(test_bombs test_bombs.c test_util.c)
  target_link_libraries(test_bombs PRIVATE regdiff_static PkgConfig::ZLIB)
  target_include_directories(test_bombs PRIVATE ${PROJECT_SOURCE_DIR}/lib ${CMAKE_CURRENT_SOURCE_DIR})
  if(XXHASH_FOUND)
    target_link_libraries(test_bombs PRIVATE PkgConfig::XXHASH)
  else()
    target_include_directories(test_bombs PRIVATE ${XXHASH_INCLUDE_DIR})
    target_compile_definitions(test_bombs PRIVATE XXH_INLINE_ALL)
  endif()
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/bombs)
  add_test(NAME test_bombs
    COMMAND test_bombs $<TARGET_FILE:regdiff_cli> ${CMAKE_CURRENT_BINARY_DIR}/bombs)
endif()
