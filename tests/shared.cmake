# Tests over the real hives in ../shared/hives (REGDIFF_SHARED_HIVES), used
# in place by path. Each skips (exit 77) when that folder is absent.

if(HIVEX_FOUND)
  # regdiff's diff of a before/after pair against an independent libhivex
  # walk of both hives.
  regdiff_unit_test(shared_regipy_pair shared/test_regipy_pair.c)
  target_compile_definitions(shared_regipy_pair PRIVATE
    REGDIFF_SHARED_HIVES="${REGDIFF_SHARED_HIVES}")
  add_test(NAME shared_hivex_pair
    COMMAND shared_regipy_pair hivex/images/minimal hivex/images/special)
  # Two different users' hives: thousands of changes of every kind, values
  # modified, and parents spelt in another case ("Software"/"SOFTWARE").
  add_test(NAME shared_cross_pair
    COMMAND shared_regipy_pair regipy/regipy_tests/data/NTUSER.DAT
      regipy/regipy_tests/data/NTUSER_BAGMRU.DAT)
  set_tests_properties(shared_regipy_pair shared_hivex_pair shared_cross_pair PROPERTIES
    SKIP_RETURN_CODE 77)

  # Two bare hives lined up by the library's rule (regdiff_diff_open).
  regdiff_unit_test(shared_line_up shared/test_line_up.c)
  target_compile_definitions(shared_line_up PRIVATE
    REGDIFF_SHARED_HIVES="${REGDIFF_SHARED_HIVES}")
  set_tests_properties(shared_line_up PROPERTIES SKIP_RETURN_CODE 77)

  # Dirty hives: Windows' own recoveries matched, broken logs refused
  # with their reason, every other set replayed or stopped with a reason.
  add_test(NAME shared_logs
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/shared/logs.sh
      $<TARGET_FILE:regdiff_cli> ${CMAKE_CURRENT_BINARY_DIR}/shared_logs
      ${REGDIFF_SHARED_HIVES})
  set_tests_properties(shared_logs PROPERTIES SKIP_RETURN_CODE 77)

  # Redo and undo scripts of real before/after pairs imported with
  # hivexregedit give the other side exactly.
  add_test(NAME shared_regscript
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/shared/regscript.sh
      $<TARGET_FILE:regdiff_cli> ${CMAKE_CURRENT_BINARY_DIR}/shared_regscript
      ${REGDIFF_SHARED_HIVES})
  set_tests_properties(shared_regscript PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)

  # The noise profile on a real user's hive at two dates: how many changes
  # it removes, and that every persistence change stays.
  add_test(NAME shared_noise_measure
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/shared/noise_measure.sh
      $<TARGET_FILE:regdiff_cli> ${CMAKE_CURRENT_BINARY_DIR}/shared_noise_measure
      ${REGDIFF_SHARED_HIVES})
  set_tests_properties(shared_noise_measure PROPERTIES SKIP_RETURN_CODE 77)

  # Folders assembled as Windows installations from regipy's hives.
  add_test(NAME shared_install
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/shared/install.sh
      $<TARGET_FILE:regdiff_cli> ${CMAKE_CURRENT_BINARY_DIR}/shared_install
      ${REGDIFF_SHARED_HIVES})
  set_tests_properties(shared_install PROPERTIES SKIP_RETURN_CODE 77)

  # Every file of the corpus through shot, info and compare: a clean
  # snapshot or one line of refusal, never a crash, hang or stray file.
  add_test(NAME shared_hives_sweep
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/shared/sweep.sh
      $<TARGET_FILE:regdiff_cli> ${CMAKE_CURRENT_BINARY_DIR}/shared_sweep
      ${REGDIFF_SHARED_HIVES})
  set_tests_properties(shared_hives_sweep PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 1200)
  # Peak memory and time per command, bounded where they mean something
  # (not under sanitizers).
  if(NOT REGDIFF_SANITIZE)
    set_tests_properties(shared_hives_sweep PROPERTIES
      ENVIRONMENT "SWEEP_MAX_KB=300000;SWEEP_MAX_SECONDS=10")
  endif()
endif()

if(HIVEX_FOUND)
  # A hive's value data as the walk gets it (read in place, libhivex's
  # copy handed over, or copied) against libhivex's own reading of each
  # value; the counts of each way: HIVE KEPT GIVEN COPIED FAILED (by
  # default SYSTEM_WIN_10_1709's).
  regdiff_unit_test(shared_hive_data shared/test_hive_data.c test_util.c)
  target_compile_definitions(shared_hive_data PRIVATE
    REGDIFF_SHARED_HIVES="${REGDIFF_SHARED_HIVES}")
  add_test(NAME shared_hive_data_ntuser
    COMMAND shared_hive_data regipy/regipy_tests/data/NTUSER.DAT 4094 0 0 0)
  # Values in big-data segments only.
  add_test(NAME shared_hive_data_bigdata
    COMMAND shared_hive_data yarp/hives_for_tests/BigDataHive 0 2 0 0)
  # Three values whose data libhivex refuses.
  add_test(NAME shared_hive_data_delta
    COMMAND shared_hive_data yarp/hives_for_tests/System_Delta 817 0 0 3)
  set_tests_properties(shared_hive_data shared_hive_data_ntuser
    shared_hive_data_bigdata shared_hive_data_delta PROPERTIES SKIP_RETURN_CODE 77)
endif()
