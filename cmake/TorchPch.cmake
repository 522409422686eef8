# Which sources get the LibTorch precompiled header, and unity builds.
#
# Including torch/torch.h costs a translation unit about 25 s of compiler time
# even from a precompiled header: GCC still instantiates and emits the inline
# code the headers use. So a source whose includes never reach LibTorch is
# compiled without the header, and the sources that do reach it are compiled
# a few at a time in unity files, which pay that cost once per file instead of
# once per source. The decision is read off the include lines at configure
# time; a source that later starts to need LibTorch still compiles (its own
# includes bring it in), only more slowly until the next configure.

option(COS_UNITY_BUILD "Compile the LibTorch sources of the big targets a few at a time (faster full builds, coarser rebuilds)" ON)
set(COS_UNITY_BATCH_SIZE 6 CACHE STRING "Sources per unity file")

# Project headers named in quotes are looked up beside the including file,
# then in these folders.
set(COS_INCLUDE_ROOTS ${PROJECT_SOURCE_DIR}/core ${PROJECT_SOURCE_DIR}/widgets
    ${PROJECT_SOURCE_DIR}/app/cos-batch ${PROJECT_SOURCE_DIR}/app/cos-workbench ${PROJECT_SOURCE_DIR}/tests)

# Sets ${out} to TRUE when ${file} includes a LibTorch header, directly or
# through project headers. Answers are remembered for the whole configure run.
function(cos_reaches_torch file out)
  string(MAKE_C_IDENTIFIER "${file}" key)
  get_property(known GLOBAL PROPERTY COS_REACHES_TORCH_${key} SET)
  if(known)
    get_property(answer GLOBAL PROPERTY COS_REACHES_TORCH_${key})
    set(${out} ${answer} PARENT_SCOPE)
    return()
  endif()
  # A header guard stops include cycles; so does this provisional answer.
  set_property(GLOBAL PROPERTY COS_REACHES_TORCH_${key} FALSE)
  set(answer FALSE)
  file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
  get_filename_component(here "${file}" DIRECTORY)
  foreach(line IN LISTS lines)
    if(line MATCHES "<(torch|ATen|c10)/")
      set(answer TRUE)
      break()
    endif()
    if(NOT line MATCHES "\"([^\"]+)\"")
      continue()
    endif()
    set(name "${CMAKE_MATCH_1}")
    foreach(root IN ITEMS ${here} ${COS_INCLUDE_ROOTS})
      if(EXISTS "${root}/${name}")
        get_filename_component(header "${root}/${name}" REALPATH)
        cos_reaches_torch("${header}" nested)
        if(nested)
          set(answer TRUE)
        endif()
        break()
      endif()
    endforeach()
    if(answer)
      break()
    endif()
  endforeach()
  set_property(GLOBAL PROPERTY COS_REACHES_TORCH_${key} ${answer})
  set(${out} ${answer} PARENT_SCOPE)
endfunction()

# Keeps ${target}'s precompiled header (LibTorch) to the sources that reach
# LibTorch and compiles those in unity files when there are several.
function(cos_torch_sources target)
  get_target_property(sources ${target} SOURCES)
  get_target_property(dir ${target} SOURCE_DIR)
  set(torch_sources 0)
  foreach(source IN LISTS sources)
    if(NOT source MATCHES "\\.cpp$")
      continue()
    endif()
    get_filename_component(path "${source}" ABSOLUTE BASE_DIR "${dir}")
    cos_reaches_torch("${path}" torch)
    if(torch)
      math(EXPR torch_sources "${torch_sources} + 1")
    else()
      set_source_files_properties("${path}" TARGET_DIRECTORY ${target} PROPERTIES
        SKIP_PRECOMPILE_HEADERS ON SKIP_UNITY_BUILD_INCLUSION ON)
    endif()
  endforeach()
  # AUTOMOC's one generated source holds the target's moc output (none at all
  # for most targets); it never needs LibTorch.
  get_target_property(binary_dir ${target} BINARY_DIR)
  set_source_files_properties("${binary_dir}/${target}_autogen/mocs_compilation.cpp" TARGET_DIRECTORY ${target}
    PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
  if(torch_sources GREATER 1)
    set_target_properties(${target} PROPERTIES
      UNITY_BUILD ${COS_UNITY_BUILD} UNITY_BUILD_BATCH_SIZE ${COS_UNITY_BATCH_SIZE})
  endif()
endfunction()
