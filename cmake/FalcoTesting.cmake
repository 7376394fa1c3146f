# falco_add_test(<name> SOURCES <src>... [LIBRARIES <lib>...] [ENV <k=v>...] [TIMEOUT <s>])
# A cmocka test executable registered with ctest under its own name.
include_guard(GLOBAL)
find_package(PkgConfig REQUIRED)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)

function(falco_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBRARIES;ENV;ARGS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE PkgConfig::CMOCKA ${ARG_LIBRARIES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/common)
  add_test(NAME ${name} COMMAND ${name} ${ARG_ARGS})
  set(env "FALCO_TEST_DATA_DIR=${FALCO_TEST_DATA_DIR}"
          "FALCO_BUILD_DIR=${PROJECT_BINARY_DIR}"
          "FALCO_SOURCE_DIR=${PROJECT_SOURCE_DIR}" ${ARG_ENV})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}")
  if(ARG_TIMEOUT)
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
  else()
    set_tests_properties(${name} PROPERTIES TIMEOUT 120)
  endif()
endfunction()
