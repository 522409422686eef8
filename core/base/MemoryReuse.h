#pragma once
// glibc gives a freed block of 128 KiB or more back to the system and trims
// the top of its heap, so a training step whose activations are megabytes
// faults every page of them in again on the next step: 28,000 page faults
// and about 13% of the `medium` config's step on a 2-core EPYC. These keep
// freed memory in the process for the next step instead.

#include <functional>

namespace cosw {

// Whether the environment already configures glibc's malloc (a glibc.malloc
// entry in GLIBC_TUNABLES, or MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_,
// MALLOC_TOP_PAD_, MALLOC_MMAP_MAX_): such settings are the user's and kept.
bool mallocSetByUser(const std::function<const char *(const char *)> &getenv);

// Blocks up to 32 MiB (glibc's largest threshold) come from the heap and the
// heap is not trimmed: peak memory is unchanged, but the process keeps its
// peak until it exits. For processes that train; not the desktop. Does
// nothing where mallocSetByUser() or the C library is not glibc. Returns
// whether the allocator took the settings: a sanitizer's allocator, which
// replaces glibc's malloc but not its mallopt interface, refuses them.
bool keepFreedMemoryForReuse();

} // namespace cosw
