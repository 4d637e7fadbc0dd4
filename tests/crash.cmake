# Kill tests (tests/crash/kill.sh): a shot or compare killed with SIGKILL
# at any moment leaves the earlier output intact. Timing-based, so each
# runs alone.
if(HIVEX_FOUND AND NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  foreach(_mode shot compare)
    add_test(NAME crash_kill_${_mode}
      COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/crash/kill.sh ${_mode}
        $<TARGET_FILE:regdiff_cli> $<TARGET_FILE:mkhive> ${CMAKE_CURRENT_BINARY_DIR}/crash/${_mode})
    set_tests_properties(crash_kill_${_mode} PROPERTIES RUN_SERIAL TRUE TIMEOUT 600)
  endforeach()
endif()
