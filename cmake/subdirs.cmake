# Adds every immediate subfolder of the current folder that has a CMakeLists.txt, so a new layer or
# test folder joins the build without editing a shared list (and without merge conflicts).
# Globbing the CMakeLists.txt files themselves (CONFIGURE_DEPENDS) re-runs CMake when one appears.
function(wraith_add_subdirs)
  file(GLOB lists CONFIGURE_DEPENDS RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/*/CMakeLists.txt)
  list(SORT lists)
  foreach(list_file ${lists})
    get_filename_component(child ${list_file} DIRECTORY)
    add_subdirectory(${child})
  endforeach()
endfunction()
