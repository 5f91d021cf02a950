# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# community_add_test(tst_name SOURCES a.cpp ... LABELS unit|db|http|gui|slow
#                    [LIBS ...] [DB] [TIMEOUT s])
# One QtTest executable, registered with ctest. DB tests get the private PostgreSQL
# started by the `pg` ctest fixture; its conninfo is in COMMUNITY_TEST_PG.
function(community_add_test name)
  cmake_parse_arguments(T "DB" "TIMEOUT" "SOURCES;LABELS;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test community_testsupport ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set(env "QT_QPA_PLATFORM=offscreen;QT_NO_GLIB=1;COMMUNITY_BUILD_DIR=${CMAKE_BINARY_DIR};COMMUNITY_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  if(T_DB)
    list(APPEND env "COMMUNITY_TEST_PG=${COMMUNITY_TEST_PG_CONNINFO}")
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED pg)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                       ENVIRONMENT "${env}")
endfunction()
