#pragma once
// Precompiled header for every target that uses LibTorch. torch/torch.h costs
// ~35 s per translation unit on a small machine; compiled once here it costs
// that once per build. Widget headers never include this.
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>
