# Header-only dependencies, all from Debian packages:
#   libxtensor-dev 0.24.3 (xtensor + xtl 0.7.2), nlohmann-json3-dev 3.11, doctest-dev 2.4.9.
# Native builds find them in /usr/include. Emscripten's toolchain restricts searches to its
# sysroot and /usr/include must never be on emcc's include path (glibc headers would win),
# so for both builds we expose only the four library folders through a directory of symlinks.

set(_host_include /usr/include)
foreach(_lib xtensor xtl nlohmann doctest)
  if(NOT EXISTS ${_host_include}/${_lib})
    message(FATAL_ERROR "${_host_include}/${_lib} not found: run `npm run setup` "
                        "(apt packages libxtensor-dev, doctest-dev)")
  endif()
endforeach()
file(STRINGS ${_host_include}/xtensor/xtensor_config.hpp _xt_ver REGEX "define XTENSOR_VERSION_(MAJOR|MINOR)")
string(REGEX MATCHALL "[0-9]+" _xt_ver "${_xt_ver}")
if(NOT _xt_ver STREQUAL "0;24")
  message(WARNING "xtensor ${_xt_ver} found; the engine is written and tested against 0.24")
endif()

set(_shim ${CMAKE_BINARY_DIR}/third_party/include)
file(MAKE_DIRECTORY ${_shim})
foreach(_lib xtensor xtl nlohmann doctest)
  if(NOT EXISTS ${_shim}/${_lib})
    file(CREATE_LINK ${_host_include}/${_lib} ${_shim}/${_lib} SYMBOLIC)
  endif()
endforeach()

add_library(ae_third_party INTERFACE)
target_include_directories(ae_third_party SYSTEM INTERFACE ${_shim})
# xtensor runs without xsimd (XTENSOR_USE_XSIMD stays undefined): Debian's xsimd 8 is too old
# for xtensor's SIMD mode. Our hot kernels are hand-written (engine/src/kernels).

if(AE_BUILD_TESTS)
  # doctest's CMake helpers (doctest_discover_tests) live outside the Emscripten sysroot.
  find_package(doctest CONFIG REQUIRED NO_CMAKE_FIND_ROOT_PATH)
  include(doctest)
endif()
