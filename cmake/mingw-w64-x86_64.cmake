# Cross-building regdiff.exe and regdiff.dll for 64-bit Windows with
# Debian's mingw-w64 (gcc-mingw-w64-x86-64, libz-mingw-w64-dev,
# libgcrypt-mingw-w64-dev):
#   cmake --preset mingw && cmake --build --preset mingw
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_regdiff_triple x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${_regdiff_triple}-gcc)
set(CMAKE_RC_COMPILER ${_regdiff_triple}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${_regdiff_triple})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must see the mingw packages only, or it would hand the
# build the host's hivex and libxml2.
set(ENV{PKG_CONFIG_LIBDIR} /usr/${_regdiff_triple}/lib/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# zlib linked in statically (pkg_check_modules stores the library it finds
# in this cache variable), so that regdiff.dll needs no zlib1.dll.
if(EXISTS /usr/${_regdiff_triple}/lib/libz.a)
  set(pkgcfg_lib_ZLIB_z /usr/${_regdiff_triple}/lib/libz.a CACHE FILEPATH "static zlib")
endif()

# libgcrypt and libgpg-error (libgcrypt-mingw-w64-dev) linked in
# statically too, for the same reason.
if(EXISTS /usr/${_regdiff_triple}/lib/libgcrypt.a)
  set(pkgcfg_lib_GCRYPT_gcrypt /usr/${_regdiff_triple}/lib/libgcrypt.a CACHE FILEPATH
    "static libgcrypt")
endif()
if(EXISTS /usr/${_regdiff_triple}/lib/libgpg-error.a)
  set(pkgcfg_lib_GPGERROR_gpg-error /usr/${_regdiff_triple}/lib/libgpg-error.a CACHE FILEPATH
    "static libgpg-error")
endif()

# The C library's printf family in C99 form (%zu, %lld), as on POSIX;
# msvcrt's own does not know them.
set(CMAKE_C_FLAGS_INIT "-D__USE_MINGW_ANSI_STDIO=1")
# The executable and DLL need no mingw runtime DLLs beside them.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")

# xxHash is used header-only (XXH_INLINE_ALL): take the host's header
# (libxxhash-dev), copied into a folder of its own because /usr/include
# cannot be put before the mingw headers.
set(REGDIFF_XXHASH_HEADER /usr/include/xxhash.h CACHE FILEPATH
  "xxhash.h to build with header-only on Windows")
if(EXISTS "${REGDIFF_XXHASH_HEADER}")
  file(COPY "${REGDIFF_XXHASH_HEADER}" DESTINATION "${CMAKE_BINARY_DIR}/xxhash-include")
  set(XXHASH_INCLUDE_DIR "${CMAKE_BINARY_DIR}/xxhash-include" CACHE PATH
    "folder holding xxhash.h")
endif()

# ctest in this build runs the unit tests under Wine when there is one
# (in $WINEPREFIX, by default ~/.wine). The end-to-end Wine tests are run
# from the Linux build instead: see tests/wine.cmake.
find_program(REGDIFF_WINE NAMES wine)
if(REGDIFF_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${REGDIFF_WINE})
endif()
