# falco_add_plugin(<name> SOURCES <src>... [LIBRARIES <lib>...] [STATIC] [OUTPUT_NAME <n>])
#
# Builds a Falco plugin from C sources that use <falco/plugin.h>.
#  - default: a shared object lib<name>.so that exports exactly the plugin_*
#    symbols the FALCO_* capability macros emit (hidden visibility plus a
#    linker version script), links the SDK statically, and refuses undefined
#    symbols at link time, so it needs nothing at run time but libc. That
#    check is left out in sanitizer builds (-fsanitize= in FALCO_SANITIZE,
#    CMAKE_C_FLAGS[_<CONFIG>], the linker flags or the directory's options),
#    whose runtime the host executable brings; FALCO_PLUGIN_ALLOW_UNDEFINED
#    leaves it out always.
#  - STATIC: an object library compiled with FALCO_PLUGIN_STATIC, for linking
#    into a host binary; each FALCO_PLUGIN(id, ...) then defines
#    falco_plugin_api_<id>() returning its filled plugin_api struct.
include_guard(GLOBAL)

set(FALCO__PLUGIN_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})

# falco__sanitized(<out>): TRUE when this directory builds with a sanitizer,
# however it was asked for. clang links no sanitizer runtime into a shared
# object, so its references stay undefined until the host loads it.
function(falco__sanitized out)
  string(TOUPPER "${CMAKE_BUILD_TYPE}" cfg)
  get_property(copts DIRECTORY PROPERTY COMPILE_OPTIONS)
  get_property(lopts DIRECTORY PROPERTY LINK_OPTIONS)
  set(all "${FALCO_SANITIZE} ${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_${cfg}} ${CMAKE_MODULE_LINKER_FLAGS}"
          "${CMAKE_SHARED_LINKER_FLAGS} ${copts} ${lopts}")
  if(FALCO_SANITIZE OR all MATCHES "-fsanitize=")
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

# falco__no_undefined(<target>): refuse undefined symbols when <target> (a
# plugin module) links, unless the build is sanitized or
# FALCO_PLUGIN_ALLOW_UNDEFINED is set.
function(falco__no_undefined target)
  falco__sanitized(san)
  if(NOT san AND NOT FALCO_PLUGIN_ALLOW_UNDEFINED)
    target_link_options(${target} PRIVATE "LINKER:--no-undefined" "LINKER:-z,defs")
  endif()
endfunction()

function(falco_add_plugin name)
  cmake_parse_arguments(ARG "STATIC" "OUTPUT_NAME" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "falco_add_plugin(${name}): SOURCES is required")
  endif()
  if(TARGET falco::plugin)
    set(sdk falco::plugin)
  else()
    set(sdk falcoplugin)
  endif()
  if(ARG_STATIC)
    add_library(${name} OBJECT ${ARG_SOURCES})
    target_compile_definitions(${name} PUBLIC FALCO_PLUGIN_STATIC=1)
    target_link_libraries(${name} PUBLIC ${sdk} ${ARG_LIBRARIES})
    return()
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    PREFIX "lib")
  if(ARG_OUTPUT_NAME)
    set_target_properties(${name} PROPERTIES OUTPUT_NAME ${ARG_OUTPUT_NAME})
  endif()
  set(vscript ${FALCO__PLUGIN_CMAKE_DIR}/falco_plugin.map)
  target_link_options(${name} PRIVATE
    "LINKER:--version-script=${vscript}"
    "LINKER:--exclude-libs,ALL")
  falco__no_undefined(${name})
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${vscript})
  target_link_libraries(${name} PRIVATE ${sdk} ${ARG_LIBRARIES})
endfunction()
