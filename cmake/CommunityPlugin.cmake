# SPDX-License-Identifier: Apache-2.0
# SPDX-FileCopyrightText: Community Platform authors
#
# community_add_plugin(<id> VERSION x.y.z [COMPAT_VERSION x.y] [DESCRIPTION "..."]
#                      SOURCES ... [DEPENDS dep[@minVersion] ...]
#                      [OPTIONAL_DEPENDS dep[@minVersion] ...] [LIBS ...]
#                      [OUTPUT_DIRECTORY dir] [TARGET name] [MIGRATIONS dir]
#                      [OPENAPI file...])
# Builds a Qt plugin (MODULE) into the common plugin folder (or OUTPUT_DIRECTORY) as
# community_<id>.so. The metadata JSON (<id>.json, consumed by
# Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "<id>.json")) is generated here from
# these arguments, so the build and the metadata cannot disagree.
#
# COMPAT_VERSION defaults to "<major>.0": a dependant asking for any same-major minimum
# is satisfied (see PluginManager::resolve for the rule). TARGET defaults to <id>; test
# fixtures use it to build several plugins with one id into different folders.
# MIGRATIONS names a folder of NNNN_name.sql files; they are compiled into the plugin as
# Qt resources under :/migrations/<id> (return that from IPlugin::migrationsResource()).
# OPENAPI names the plugin's OpenAPI 3.1 fragments ({"paths": ..., "components": ...}),
# compiled in under :/openapi/<id>/; the host merges the fragments of the plugins it runs
# into /openapi.json.
function(community_add_plugin id)
  cmake_parse_arguments(P "" "VERSION;COMPAT_VERSION;DESCRIPTION;OUTPUT_DIRECTORY;TARGET;MIGRATIONS"
                        "SOURCES;DEPENDS;OPTIONAL_DEPENDS;LIBS;OPENAPI" ${ARGN})
  set(id_re "^[a-z][a-z0-9_-]*$")
  set(ver_re "^[0-9]+(\\.[0-9]+)*$")
  if(NOT id MATCHES "${id_re}")
    message(FATAL_ERROR "community_add_plugin(${id}): the id must match [a-z][a-z0-9_-]*")
  endif()
  if(P_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "community_add_plugin(${id}): unknown arguments: ${P_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT P_VERSION)
    message(FATAL_ERROR "community_add_plugin(${id}): VERSION is required")
  endif()
  if(NOT P_SOURCES)
    message(FATAL_ERROR "community_add_plugin(${id}): SOURCES is required")
  endif()
  if(NOT P_VERSION MATCHES "${ver_re}")
    message(FATAL_ERROR "community_add_plugin(${id}): VERSION '${P_VERSION}' is not x.y.z")
  endif()
  if(NOT P_COMPAT_VERSION)
    string(REGEX MATCH "^[0-9]+" major "${P_VERSION}")
    set(P_COMPAT_VERSION "${major}.0")
  endif()
  if(NOT P_COMPAT_VERSION MATCHES "${ver_re}")
    message(FATAL_ERROR "community_add_plugin(${id}): COMPAT_VERSION '${P_COMPAT_VERSION}' is not x.y.z")
  endif()
  if(NOT P_OUTPUT_DIRECTORY)
    set(P_OUTPUT_DIRECTORY ${COMMUNITY_PLUGIN_OUTPUT_DIR})
  endif()
  if(NOT P_TARGET)
    set(P_TARGET ${id})
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
      list(LENGTH parts n)
      list(GET parts 0 dep_id)
      if(n GREATER 2 OR NOT dep_id MATCHES "${id_re}")
        message(FATAL_ERROR "community_add_plugin(${id}): bad dependency '${d}' (want id[@x.y])")
      endif()
      set(dep_ver_json "")
      if(n EQUAL 2)
        list(GET parts 1 dep_ver)
        if(NOT dep_ver MATCHES "${ver_re}")
          message(FATAL_ERROR "community_add_plugin(${id}): bad version in dependency '${d}'")
        endif()
        set(dep_ver_json ", \"version\": \"${dep_ver}\"")
      endif()
      if(deps)
        string(APPEND deps ",")
      endif()
      string(APPEND deps "\n    {\"id\": \"${dep_id}\"${dep_ver_json}, \"type\": \"${kind}\"}")
    endforeach()
  endforeach()

  # The description is free text: escape it for JSON.
  string(REPLACE "\\" "\\\\" desc "${P_DESCRIPTION}")
  string(REPLACE "\"" "\\\"" desc "${desc}")
  string(REPLACE "\n" "\\n" desc "${desc}")

  set(meta_dir ${CMAKE_CURRENT_BINARY_DIR}/${P_TARGET}_metadata)
  set(json "{\n  \"id\": \"${id}\",\n  \"version\": \"${P_VERSION}\",\n  \"compatVersion\": \"${P_COMPAT_VERSION}\",\n  \"description\": \"${desc}\",\n  \"dependencies\": [${deps}\n  ]\n}\n")
  # file(CONFIGURE) only rewrites on change, so moc (which tracks the JSON through its
  # depfile) reruns exactly when the metadata changes.
  file(CONFIGURE OUTPUT ${meta_dir}/${id}.json CONTENT "${json}" @ONLY)

  set(extra_sources "")
  if(P_MIGRATIONS)
    get_filename_component(mig_dir "${P_MIGRATIONS}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    file(GLOB mig_files CONFIGURE_DEPENDS ${mig_dir}/*.sql)
    list(SORT mig_files)
    set(qrc "<!DOCTYPE RCC><RCC version=\"1.0\">\n<qresource prefix=\"/migrations/${id}\">\n")
    foreach(f IN LISTS mig_files)
      get_filename_component(fname ${f} NAME)
      string(APPEND qrc "  <file alias=\"${fname}\">${f}</file>\n")
    endforeach()
    string(APPEND qrc "</qresource>\n</RCC>\n")
    file(CONFIGURE OUTPUT ${meta_dir}/${id}_migrations.qrc CONTENT "${qrc}" @ONLY)
    list(APPEND extra_sources ${meta_dir}/${id}_migrations.qrc)
  endif()

  if(P_OPENAPI)
    # One or more fragments; each lands in :/openapi/<id>/ and the host merges them all.
    set(qrc "<!DOCTYPE RCC><RCC version=\"1.0\">\n<qresource prefix=\"/openapi/${id}\">\n")
    foreach(f IN LISTS P_OPENAPI)
      get_filename_component(api_file "${f}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
      get_filename_component(fname ${f} NAME)
      string(APPEND qrc "  <file alias=\"${fname}\">${api_file}</file>\n")
    endforeach()
    string(APPEND qrc "</qresource>\n</RCC>\n")
    file(CONFIGURE OUTPUT ${meta_dir}/${id}_openapi.qrc CONTENT "${qrc}" @ONLY)
    list(APPEND extra_sources ${meta_dir}/${id}_openapi.qrc)
  endif()

  add_library(${P_TARGET} MODULE ${P_SOURCES} ${extra_sources})
  target_include_directories(${P_TARGET} PRIVATE ${meta_dir})
  target_link_libraries(${P_TARGET} PRIVATE community_core ${P_LIBS})
  set_target_properties(${P_TARGET} PROPERTIES
    PREFIX "" OUTPUT_NAME "community_${id}"
    LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIRECTORY}
    AUTOMOC ON
    AUTORCC ON
    AUTOMOC_MOC_OPTIONS "-I${meta_dir}")
endfunction()
