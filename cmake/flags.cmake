# Compile and link flags shared by every engine target, one flag per line.
add_library(ae_flags INTERFACE)
target_compile_options(ae_flags INTERFACE
  -Wall
  -Wextra
  -Wno-unused-parameter)

if(EMSCRIPTEN)
  # emcc runs acorn-optimizer.js at -O2 and above; Debian ships acorn in /usr/share/nodejs.
  set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs PARENT_SCOPE)
  set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)
  target_compile_options(ae_flags INTERFACE
    -msimd128
    -fexceptions)
  target_link_options(ae_flags INTERFACE
    -msimd128
    -fexceptions
    -sALLOW_MEMORY_GROWTH=1)
else()
  if(AE_NATIVE_ARCH)
    target_compile_options(ae_flags INTERFACE -march=native)
  endif()
endif()
