# ccache with precompiled headers needs these sloppiness settings, otherwise
# every translation unit that uses the LibTorch PCH is a cache miss.
if(COS_USE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(COS_CCACHE ccache)
  if(COS_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER
        env CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
        ${COS_CCACHE})
  endif()
endif()
