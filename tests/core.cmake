# The snapshot writer and reader, and the diff engine, on snapshots built
# in memory from text descriptions (core_util.c).
regdiff_unit_test(test_snapshot test_snapshot.c core_util.c test_util.c)
# The summaries' hash, its memo of short messages among them.
regdiff_unit_test(test_hash test_hash.c test_util.c)
# The deflater's queue of blocks, and which library makes them.
regdiff_unit_test(test_deflater test_deflater.c test_util.c)
if(LIBDEFLATE_FOUND)
  target_link_libraries(test_deflater PRIVATE PkgConfig::LIBDEFLATE)
  target_compile_definitions(test_deflater PRIVATE REGDIFF_HAVE_LIBDEFLATE)
endif()
# Output files: gathered writes, commit and abort, a FIFO in place.
if(NOT WIN32)
  regdiff_unit_test(test_outfile test_outfile.c test_util.c)
  set_tests_properties(test_outfile PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
endif()
regdiff_unit_test(test_diff test_diff.c core_util.c test_util.c)
regdiff_unit_test(test_childidx test_childidx.c core_util.c test_util.c)
regdiff_unit_test(test_limits test_limits.c core_util.c test_util.c)
# Snapshot bombs, read by the CLI in child processes under a memory check.
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  regdiff_unit_test(test_bombs test_bombs.c test_util.c)
  file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/bombs)
  set_tests_properties(test_bombs PROPERTIES
    ENVIRONMENT "REGDIFF_CLI=$<TARGET_FILE:regdiff_cli>"
    LABELS memory-bound
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/bombs)
endif()
# A hive source shot twice, and truncated between open and shot; a
# Windows installation folder opened with an origin, then removed; what
# the headers promise a caller (test_promises).
if(TARGET fixtures)
  foreach(_t test_source_hive test_install test_promises)
    regdiff_unit_test(${_t} ${_t}.c test_util.c)
    add_dependencies(${_t} fixtures)
    target_compile_definitions(${_t} PRIVATE
      REGDIFF_TEST_FIXTURE_DIR="${REGDIFF_FIXTURE_DIR}")
    set_tests_properties(${_t} PROPERTIES
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  endforeach()
endif()
# Two hive sides opened and shot at once (regdiff_sides_open, regdiff_sides_shoot).
if(TARGET fixtures AND NOT WIN32)
  find_package(Threads REQUIRED)
  regdiff_unit_test(test_sides_shoot test_sides_shoot.c test_util.c)
  add_dependencies(test_sides_shoot fixtures)
  target_link_libraries(test_sides_shoot PRIVATE Threads::Threads)
  target_compile_definitions(test_sides_shoot PRIVATE
    REGDIFF_TEST_FIXTURE_DIR="${REGDIFF_FIXTURE_DIR}")
endif()
# The temporary snapshots of a direct compare (lib/tempsnap.c).
if(TARGET fixtures AND NOT WIN32)
  regdiff_unit_test(test_tempsnap test_tempsnap.c test_util.c)
  add_dependencies(test_tempsnap fixtures)
  target_compile_definitions(test_tempsnap PRIVATE
    REGDIFF_TEST_FIXTURE_DIR="${REGDIFF_FIXTURE_DIR}")
endif()
# Several diffs of one snapshot pair at once, interleaved and in threads.
find_package(Threads REQUIRED)
regdiff_unit_test(test_shared_diff test_shared_diff.c core_util.c test_util.c)
target_link_libraries(test_shared_diff PRIVATE Threads::Threads)
set_tests_properties(test_shared_diff PROPERTIES WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
# The writer's queue: the writer fed on a thread of its own during a shot.
regdiff_unit_test(test_writer_queue test_writer_queue.c test_util.c)
