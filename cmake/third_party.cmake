# Third-party code, from Debian: mbedTLS and Dear ImGui sources unpacked by shell/setup.sh,
# nlohmann/json from nlohmann-json3-dev.

# mbedTLS 3.6 LTS (Debian 13's source package), configured down to SHA-1 and SHA-256
# (cmake/mbedtls/dypls_mbedtls_config.h: no PSA, no threading), and only the files a link pulls in
# compiled: the core does HMAC and Base64 itself (src/core/crypto.cpp), so md.c, base64.c and
# constant_time.c were compiled for nothing (checked with the linkers' maps: -Wl,-Map for native,
# wasm-ld --trace for the page and the wasm tests).
set(_mbed ${DYPLS_THIRD_PARTY}/mbedtls-3.6)
add_library(dypls_mbedtls STATIC ${_mbed}/library/sha1.c ${_mbed}/library/sha256.c
                                 ${_mbed}/library/platform_util.c)
target_include_directories(dypls_mbedtls SYSTEM PUBLIC ${_mbed}/include
                                                       ${CMAKE_SOURCE_DIR}/cmake/mbedtls)
# Public: every file that includes an mbedTLS header must see the same configuration.
target_compile_definitions(dypls_mbedtls PUBLIC MBEDTLS_CONFIG_FILE="dypls_mbedtls_config.h")
set_target_properties(dypls_mbedtls PROPERTIES POSITION_INDEPENDENT_CODE ON)

# nlohmann/json without the rest of /usr/include (emcc must not see glibc's headers).
set(_json_dir ${CMAKE_BINARY_DIR}/nlohmann-include)
if(NOT EXISTS ${_json_dir}/nlohmann/json.hpp)
  if(NOT EXISTS /usr/include/nlohmann/json.hpp)
    message(FATAL_ERROR "nlohmann/json.hpp not found: run shell/setup.sh (nlohmann-json3-dev)")
  endif()
  file(MAKE_DIRECTORY ${_json_dir})
  file(CREATE_LINK /usr/include/nlohmann ${_json_dir}/nlohmann SYMBOLIC)
endif()
add_library(dypls_json INTERFACE)
target_include_directories(dypls_json SYSTEM INTERFACE ${_json_dir})

if(EMSCRIPTEN)
  set(_imgui ${DYPLS_THIRD_PARTY}/imgui-1.90)
  add_library(dypls_imgui STATIC
    ${_imgui}/imgui.cpp ${_imgui}/imgui_draw.cpp ${_imgui}/imgui_tables.cpp
    ${_imgui}/imgui_widgets.cpp ${_imgui}/misc/cpp/imgui_stdlib.cpp
    ${_imgui}/backends/imgui_impl_glfw.cpp ${_imgui}/backends/imgui_impl_opengl3.cpp)
  target_include_directories(dypls_imgui SYSTEM PUBLIC ${_imgui} ${_imgui}/backends
                                                       ${_imgui}/misc/cpp)
  # WebGL2; the test engine hooks let browser tests find each widget's rectangle.
  target_compile_definitions(dypls_imgui PUBLIC IMGUI_IMPL_OPENGL_ES3 IMGUI_ENABLE_TEST_ENGINE
                                                IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
endif()
