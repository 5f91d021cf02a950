# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# community_add_plugin(<id> VERSION x.y.z [COMPAT_VERSION x.y] [DESCRIPTION "..."]
#                      SOURCES ... [DEPENDS dep[@minVersion] ...]
#                      [OPTIONAL_DEPENDS dep[@minVersion] ...] [LIBS ...]
#                      [OUTPUT_DIRECTORY dir])
# Builds a Qt plugin (MODULE) into the common plugin folder. The metadata JSON
# (<id>.json, consumed by Q_PLUGIN_METADATA(... FILE "<id>.json")) is generated here from
# these arguments, so the build and the metadata cannot disagree.
function(community_add_plugin id)
  cmake_parse_arguments(P "" "VERSION;COMPAT_VERSION;DESCRIPTION;OUTPUT_DIRECTORY"
                        "SOURCES;DEPENDS;OPTIONAL_DEPENDS;LIBS" ${ARGN})
  if(NOT P_VERSION)
    message(FATAL_ERROR "community_add_plugin(${id}): VERSION is required")
  endif()
  if(NOT P_COMPAT_VERSION)
    set(P_COMPAT_VERSION ${P_VERSION})
  endif()
  if(NOT P_OUTPUT_DIRECTORY)
    set(P_OUTPUT_DIRECTORY ${COMMUNITY_PLUGIN_OUTPUT_DIR})
  endif()
  set(deps "")
  foreach(kind required optional)
    if(kind STREQUAL "required")
      set(list ${P_DEPENDS})
    else()
      set(list ${P_OPTIONAL_DEPENDS})
    endif()
    foreach(d IN LISTS list)
      string(REPLACE "@" ";" parts "${d}")
      list(GET parts 0 dep_id)
      list(LENGTH parts n)
      if(n GREATER 1)
        list(GET parts 1 dep_ver)
      else()
        set(dep_ver "0.0.0")
      endif()
      if(deps)
        string(APPEND deps ",")
      endif()
      string(APPEND deps "\n    {\"id\": \"${dep_id}\", \"version\": \"${dep_ver}\", \"type\": \"${kind}\"}")
    endforeach()
  endforeach()
  set(meta_dir ${CMAKE_CURRENT_BINARY_DIR}/${id}_metadata)
  set(json "{\n  \"id\": \"${id}\",\n  \"version\": \"${P_VERSION}\",\n  \"compatVersion\": \"${P_COMPAT_VERSION}\",\n  \"description\": \"${P_DESCRIPTION}\",\n  \"dependencies\": [${deps}\n  ]\n}\n")
  file(CONFIGURE OUTPUT ${meta_dir}/${id}.json CONTENT "${json}" @ONLY)
  add_library(${id} MODULE ${P_SOURCES})
  target_include_directories(${id} PRIVATE ${meta_dir})
  target_link_libraries(${id} PRIVATE community_core ${P_LIBS})
  set_target_properties(${id} PROPERTIES
    PREFIX "" OUTPUT_NAME "community_${id}"
    LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIRECTORY}
    AUTOMOC_MOC_OPTIONS "-I${meta_dir}")
endfunction()
