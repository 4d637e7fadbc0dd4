# Benchmark program (not a test): tests/bench/bench.c; README "Performance".
if(HIVEX_FOUND)
  # The baseline walk as a program of its own, linked with libhivex alone.
  add_executable(regdiff_bench_walk bench/walk_main.c bench/walk.c)
  target_link_libraries(regdiff_bench_walk PRIVATE PkgConfig::HIVEX)
  add_executable(regdiff_bench bench/bench.c bench/floor.c bench/mutate.c bench/walk.c)
  target_link_libraries(regdiff_bench PRIVATE PkgConfig::HIVEX PkgConfig::GCRYPT)
  # The snapshot format's constants and readers (floor.c), header-only.
  target_include_directories(regdiff_bench PRIVATE ${PROJECT_SOURCE_DIR}/lib
                                                    ${PROJECT_SOURCE_DIR}/include)
  if(LIBDEFLATE_FOUND)
    target_link_libraries(regdiff_bench PRIVATE PkgConfig::LIBDEFLATE)
    target_compile_definitions(regdiff_bench PRIVATE REGDIFF_HAVE_LIBDEFLATE)
  endif()
  target_compile_definitions(regdiff_bench PRIVATE
    REGDIFF_BENCH_CLI="$<TARGET_FILE:regdiff_cli>"
    REGDIFF_BENCH_WALK="$<TARGET_FILE:regdiff_bench_walk>"
    REGDIFF_BENCH_HIVES="${REGDIFF_SHARED_HIVES}"
    REGDIFF_BENCH_WORK="${CMAKE_CURRENT_BINARY_DIR}/bench-work")
  add_dependencies(regdiff_bench regdiff_cli regdiff_bench_walk)
endif()
# The live source against a bare Win32 walk (Windows build, run under
# Wine or on Windows): tests/bench/live_bench.c.
if(WIN32)
  add_executable(regdiff_live_bench bench/live_bench.c)
  target_link_libraries(regdiff_live_bench PRIVATE advapi32)
endif()
