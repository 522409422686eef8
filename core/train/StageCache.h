#pragma once
// Stages whose result depends only on their inputs are cached by content
// hash, so every run of a comparison shares one result: the vision tower
// (stage 0) and the language model a text stage leaves (DESIGN §4). Entries
// are directories under cacheRoot(), written whole or not at all.

#include "io/Safetensors.h"

#include <string>

namespace cosw {

// $XDG_CACHE_HOME/cos-workbench (or ~/.cache/cos-workbench); COS_CACHE_DIR overrides.
std::string cacheRoot();

// 16 hex digits (FNV-1a, 64 bit) of `text`.
std::string contentHash(const std::string &text);

// contentHash of the names, shapes, dtypes and bytes of the tensors whose
// names start with `prefix`, in name order.
std::string tensorsHash(const StateDict &tensors, const std::string &prefix);

} // namespace cosw
