# falco_add_plugin(<name> SOURCES <src>... [LIBRARIES <lib>...] [STATIC] [OUTPUT_NAME <n>])
#
# Builds a Falco plugin from C sources that use <falco/plugin.h>.
#  - default: a shared object lib<name>.so that exports exactly the plugin_*
#    symbols the FALCO_* capability macros emit (hidden visibility plus a
#    linker version script), links the SDK statically, and refuses undefined
#    symbols at link time, so it needs nothing at run time but libc (set
#    FALCO_PLUGIN_ALLOW_UNDEFINED to lift that, e.g. for sanitizer builds).
#  - STATIC: an object library compiled with FALCO_PLUGIN_STATIC, for linking
#    into a host binary; each FALCO_PLUGIN(id, ...) then defines
#    falco_plugin_api_<id>() returning its filled plugin_api struct.
include_guard(GLOBAL)

set(FALCO__PLUGIN_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})

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
  # Refuse undefined symbols at link time, except in sanitizer builds where
  # the sanitizer runtime lives in the host executable (clang links it there).
  if(NOT FALCO_SANITIZE AND NOT FALCO_PLUGIN_ALLOW_UNDEFINED)
    target_link_options(${name} PRIVATE "LINKER:--no-undefined" "LINKER:-z,defs")
  endif()
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${vscript})
  target_link_libraries(${name} PRIVATE ${sdk} ${ARG_LIBRARIES})
endfunction()
