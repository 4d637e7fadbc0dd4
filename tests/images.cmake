# Disk image tests (tests/images): images made at test time by
# tests/images/mkimages.sh from the fixture hives into the build folder,
# then read by regdiff. FAT32 images need no mount and are always made;
# the NTFS ones need an ntfs-3g FUSE mount and are skipped, saying why,
# where it cannot be made.
if(TSK_FOUND AND NOT CMAKE_CROSSCOMPILING)
  regdiff_unit_test(test_tempdir test_tempdir.c test_util.c)
endif()
if(TSK_FOUND AND HIVEX_FOUND AND NOT CMAKE_CROSSCOMPILING)
  set(_images ${CMAKE_CURRENT_BINARY_DIR}/images)
  # libtsk unavailable (no image needed): tests/images/nolib.sh.
  if(TARGET regdiff)
    add_test(NAME images_nolib
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/images/nolib.sh
        $<TARGET_FILE:regdiff_cli> "${REGDIFF_FIXTURE_DIR}" "" ${CMAKE_CURRENT_BINARY_DIR}/images_nolib
        $<TARGET_FILE:regdiff> ${REGDIFF_TSK_SONAME} ${REGDIFF_EWF_SONAME})
    set_tests_properties(images_nolib PROPERTIES SKIP_RETURN_CODE 77)
  endif()
  add_test(NAME images_make
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/images/mkimages.sh ${_images} ${REGDIFF_FIXTURE_DIR}
      $<TARGET_FILE:mkhive> ${PROJECT_SOURCE_DIR}/fixtures/install_software.txt)
  set_tests_properties(images_make PROPERTIES FIXTURES_SETUP regdiff_images)
  foreach(_t info errors compare hostile)
    add_test(NAME images_${_t}
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/images/${_t}.sh
        $<TARGET_FILE:regdiff_cli> "${REGDIFF_FIXTURE_DIR}" ${_images}
        ${CMAKE_CURRENT_BINARY_DIR}/images_${_t})
    set_tests_properties(images_${_t} PROPERTIES
      FIXTURES_REQUIRED regdiff_images SKIP_RETURN_CODE 77 TIMEOUT 1200
      ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/images/lsan.supp:print_suppressions=0")
  endforeach()
endif()
