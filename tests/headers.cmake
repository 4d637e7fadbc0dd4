# Every public header alone, as C99 -pedantic and as C++ (tests/headers.sh).
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  include(CheckLanguage)
  check_language(CXX)
  set(_regdiff_cxx "")
  if(CMAKE_CXX_COMPILER)
    set(_regdiff_cxx ${CMAKE_CXX_COMPILER})
  endif()
  add_test(NAME headers_alone
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/headers.sh ${PROJECT_SOURCE_DIR}/include
      ${CMAKE_C_COMPILER} "${_regdiff_cxx}")
  set_tests_properties(headers_alone PROPERTIES SKIP_RETURN_CODE 77)
endif()
