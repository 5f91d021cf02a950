# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# community_add_test(tst_name SOURCES a.cpp ... LABELS unit|db|http|gui|slow
#                    [LIBS ...] [DB] [TIMEOUT s])
# One QtTest executable, registered with ctest. DB tests get the private PostgreSQL
# started by the `pg` ctest fixture; its conninfo is in COMMUNITY_TEST_PG. http tests record
# their answers in COMMUNITY_RESPONSE_LOG (fixture `responselog` empties it first), which
# tst_responseschemas checks against the served OpenAPI document after all of them.
function(community_add_test name)
  cmake_parse_arguments(T "DB" "TIMEOUT" "SOURCES;LABELS;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test community_testsupport ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set(env "QT_QPA_PLATFORM=offscreen;QT_NO_GLIB=1;COMMUNITY_BUILD_DIR=${CMAKE_BINARY_DIR};COMMUNITY_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  set(fixtures)
  if(T_DB)
    list(APPEND env "COMMUNITY_TEST_PG=${COMMUNITY_TEST_PG_CONNINFO}")
    list(APPEND fixtures pg)
  endif()
  if("http" IN_LIST T_LABELS)
    list(APPEND env "COMMUNITY_RESPONSE_LOG=${COMMUNITY_RESPONSE_LOG}")
    list(APPEND fixtures responselog)
    set_property(GLOBAL APPEND PROPERTY COMMUNITY_HTTP_TESTS ${name})
  endif()
  if(fixtures)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${fixtures}")
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                       ENVIRONMENT "${env}")
endfunction()
