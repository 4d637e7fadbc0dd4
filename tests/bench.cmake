# Benchmark program (not a test): tests/bench/bench.c.
if(HIVEX_FOUND)
  add_executable(regdiff_bench bench/bench.c)
  target_link_libraries(regdiff_bench PRIVATE regdiff_static PkgConfig::HIVEX PkgConfig::ZLIB)
  if(XXHASH_FOUND)
    target_link_libraries(regdiff_bench PRIVATE PkgConfig::XXHASH)
  endif()
endif()
