# The install tree, used as a user would use it: pkg-config, find_package,
# the tool, the man page and the shared library's exported symbols.
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  add_test(NAME install
    COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER}
      sh ${CMAKE_CURRENT_SOURCE_DIR}/install/run.sh
      ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR}
      ${CMAKE_CURRENT_BINARY_DIR}/install-test
      ${CMAKE_INSTALL_BINDIR} ${CMAKE_INSTALL_LIBDIR} ${CMAKE_INSTALL_INCLUDEDIR}
      ${CMAKE_INSTALL_MANDIR} $<IF:$<TARGET_EXISTS:regdiff>,ON,OFF> "${REGDIFF_SANITIZE}")
  set_tests_properties(install PROPERTIES TIMEOUT 300)
endif()
