# The console page (Emscripten only). Everything lands in <repo>/build/web, whatever the build
# directory: index.html, style.css, glue.js, dypls-console.js/.wasm, the subset font, and a .br
# and a .gz beside each for the relay to serve. DYPLS_WEB_DIR moves it (shell/mutate.sh builds planted
# bugs into its own directory, leaving build/web alone).
set(DYPLS_WEB_DIR ${CMAKE_SOURCE_DIR}/build/web CACHE PATH "where the console page is written")
set(_text ${CMAKE_CURRENT_SOURCE_DIR}/text)
set(_gen ${CMAKE_CURRENT_SOURCE_DIR}/gen_text.py)
set(_python /usr/bin/python3)  # Debian's, which sees python3-fonttools
set(_font_source /usr/share/fonts/truetype/wqy/wqy-microhei.ttc)
# The subsetter also reads the sources that carry user-facing messages.
file(GLOB _message_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/core/*.cpp
     ${CMAKE_SOURCE_DIR}/src/console/*.cpp ${CMAKE_SOURCE_DIR}/src/console/*.h
     ${CMAKE_SOURCE_DIR}/src/sandbox/*.cpp)

set(_generated ${CMAKE_CURRENT_BINARY_DIR}/generated)
add_custom_command(
  OUTPUT ${_generated}/ui_text.h
  COMMAND ${CMAKE_COMMAND} -E make_directory ${_generated}
  COMMAND ${_python} ${_gen} header ${_generated}/ui_text.h
  DEPENDS ${_gen} ${_text}/strings.tsv ${_text}/cities.txt ${_message_sources}
  COMMENT "Generating the console's text header")
add_custom_command(
  OUTPUT ${DYPLS_WEB_DIR}/dypls-font.ttf ${DYPLS_WEB_DIR}/dypls-font-rest.ttf
  COMMAND ${CMAKE_COMMAND} -E make_directory ${DYPLS_WEB_DIR}
  COMMAND ${_python} ${_gen} font ${DYPLS_WEB_DIR}/dypls-font.ttf ${_font_source}
  COMMAND ${_python} ${_gen} font-rest ${DYPLS_WEB_DIR}/dypls-font-rest.ttf ${_font_source}
  DEPENDS ${_gen} ${_text}/strings.tsv ${_text}/cities.txt ${_message_sources}
  COMMENT "Subsetting the CJK font: the page's own glyphs first, the rest of the common set after")

set(_web_sources index.html style.css glue.js favicon.svg)
set(_web_outputs)
foreach(_file ${_web_sources})
  add_custom_command(
    OUTPUT ${DYPLS_WEB_DIR}/${_file}
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/web/${_file} ${DYPLS_WEB_DIR}/${_file}
    DEPENDS ${CMAKE_SOURCE_DIR}/web/${_file})
  list(APPEND _web_outputs ${DYPLS_WEB_DIR}/${_file})
endforeach()

add_executable(dypls_console
  main.cpp app.cpp widgets.cpp city_picker.cpp item_hooks.cpp tour.cpp frame_stats.cpp
  glyph_check.cpp imgui_input.cpp touch_pan.cpp window_at.cpp panel_credentials.cpp
  panel_stock.cpp panel_buy.cpp panel_numbers.cpp panel_activity.cpp panel_settings.cpp
  ${CMAKE_SOURCE_DIR}/src/platform/browser.cpp ${CMAKE_SOURCE_DIR}/src/platform/durable.cpp
  ${CMAKE_SOURCE_DIR}/src/platform/fetch_transport.cpp
  ${CMAKE_SOURCE_DIR}/src/platform/web_storage.cpp
  ${_generated}/ui_text.h)
target_include_directories(dypls_console PRIVATE ${_generated} ${CMAKE_SOURCE_DIR}/src/platform)
target_link_libraries(dypls_console PRIVATE dypls_console_logic dypls_imgui)
dypls_warnings(dypls_console)
set_target_properties(dypls_console PROPERTIES OUTPUT_NAME dypls-console SUFFIX ".js"
                                               RUNTIME_OUTPUT_DIRECTORY ${DYPLS_WEB_DIR})
# Closure (ADVANCED) minifies Emscripten's loader and our EM_JS code: JS outside it (web/glue.js)
# reaches the program only through quoted names (Module['x'], window['dyplsGlue']['y']), which
# Closure keeps. emcc runs whatever EM_CLOSURE_COMPILER names; shell/setup.sh installs the pinned
# google-closure-compiler into tools/node_modules (tools/package-lock.json).
set(DYPLS_CLOSURE_COMPILER ${CMAKE_SOURCE_DIR}/tools/node_modules/.bin/google-closure-compiler
    CACHE FILEPATH "google-closure-compiler for emcc --closure 1")
if(NOT EXISTS ${DYPLS_CLOSURE_COMPILER})
  message(FATAL_ERROR "${DYPLS_CLOSURE_COMPILER} not found: run shell/setup.sh (it installs "
                      "google-closure-compiler, pinned by tools/package-lock.json)")
endif()
set_property(TARGET dypls_console PROPERTY RULE_LAUNCH_LINK
             "${CMAKE_COMMAND} -E env EM_CLOSURE_COMPILER=${DYPLS_CLOSURE_COMPILER}")
target_link_options(dypls_console PRIVATE
  -Os --closure 1 -sUSE_GLFW=3 -sUSE_WEBGL2=1 -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -sALLOW_MEMORY_GROWTH=1 -sFETCH=1 -sENVIRONMENT=web -sDYNAMIC_EXECUTION=0 -sFILESYSTEM=0
  -sEXPORTED_FUNCTIONS=_main,_malloc,_free
  -sEXPORTED_RUNTIME_METHODS=UTF8ToString,stringToUTF8,lengthBytesUTF8)

# Precompressed copies, so the relay can send Content-Encoding: br or gzip without compressing:
# brotli -q 11 (Debian's brotli) for browsers that accept it, gzip -9 for the rest.
set(_gzip_inputs ${_web_outputs} ${DYPLS_WEB_DIR}/dypls-font.ttf
                 ${DYPLS_WEB_DIR}/dypls-font-rest.ttf)
set(_compressed ${DYPLS_WEB_DIR}/dypls-console.js ${DYPLS_WEB_DIR}/dypls-console.wasm ${_gzip_inputs})
add_custom_target(dypls_page ALL
  COMMAND gzip -9 -k -f -n ${_compressed}
  COMMAND brotli -q 11 -k -f ${_compressed}
  DEPENDS dypls_console ${_gzip_inputs}
  COMMENT "Precompressing the page into build/web/*.gz and *.br")
