# The README's examples, run (tests/cli/readme.sh, cases json, shell, c):
# its JSON line is what a real compare writes, its shell commands run on
# fixtures, and each of its C blocks is extracted here, at configure time,
# into a program built with the library (a block without main() becomes
# main's body) whose hive paths under /mnt/ are made relative, to run in
# the test's folder. Whatever the README shows is what is compiled.
set(REGDIFF_README_C "")
if(NOT WIN32 AND NOT CMAKE_CROSSCOMPILING)
  set(_readme ${PROJECT_SOURCE_DIR}/README.md)
  set(_dir ${CMAKE_CURRENT_BINARY_DIR}/readme)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_readme})
  file(REMOVE_RECURSE ${_dir})
  file(MAKE_DIRECTORY ${_dir})
  execute_process(COMMAND awk -v dir=${_dir} "
    /^```/ && on { close(f); on = 0; next }
    /^```c$/ { f = dir \"/example_\" ++n \".c\"; on = 1; next }
    on { gsub(\"/mnt/\", \"mnt/\"); print > f }" ${_readme}
    COMMAND_ERROR_IS_FATAL ANY)
  file(GLOB _examples ${_dir}/example_*.c)
  if(TARGET regdiff)
    set(_lib regdiff)
  else()
    set(_lib regdiff_static)
  endif()
  foreach(_src ${_examples})
    file(READ ${_src} _body)
    if(NOT _body MATCHES "main\\(")
      file(WRITE ${_src} "#include <stdio.h>\n#include <regdiff.h>\nint main(void)\n{\n${_body}return 0;\n}\n")
    endif()
    get_filename_component(_name ${_src} NAME_WE)
    add_executable(readme_${_name} ${_src})
    target_link_libraries(readme_${_name} PRIVATE ${_lib})
    list(APPEND REGDIFF_README_C $<TARGET_FILE:readme_${_name}>)
  endforeach()
endif()
