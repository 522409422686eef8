#pragma once
// LoRA on weights, as token scaling is: functions from one state dict to
// another, so the trainer, checkpoints and `cos-batch merge-lora` share them.

#include "Safetensors.h"
#include "model/ModelConfig.h"

#include <cstdint>
#include <string>

namespace cosw {

// Whether a tensor is an adapter's (lora_a, lora_b).
bool isAdapterTensor(const std::string &name);

// `weights` plus fresh adapters for every projection `lora` targets that has
// none yet: A drawn from `seed`, B zero (the model's outputs do not change).
StateDict withFreshAdapters(const LoraConfig &lora, StateDict weights, uint64_t seed);

// The adapters folded into their layers, W + (alpha / r) B A, and removed:
// weights for the same model without adapters.
StateDict mergedAdapters(const LoraConfig &lora, StateDict weights);

} // namespace cosw
