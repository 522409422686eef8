#pragma once
// Checkpoint directories (DESIGN §4):
//   DIR/model.safetensors  weights under the module names (docs/tensor-names.md)
//   DIR/adapters.safetensors  LoRA adapters, when the model carries them
//   DIR/config.json        {"format": "cos-workbench-checkpoint", "version": 1, "model": {...}}
// A checkpoint is written to a temporary sibling directory and renamed into
// place, so a crash never leaves half of one.

#include "model/Mllm.h"
#include "model/ModelConfig.h"
#include "Safetensors.h"

#include <torch/torch.h>

#include <functional>
#include <string>

namespace cosw {

struct Checkpoint {
    ModelConfig config;
    StateDict weights;
};

// Parameters and buffers of a module, by their dotted names, detached.
StateDict stateDict(const torch::nn::Module &module);
// Copies `weights` into the module. Missing or unexpected names and shape
// mismatches throw InputError naming the tensor and `source`.
void loadStateDict(torch::nn::Module &module, const StateDict &weights, const std::string &source);

// Refuses to replace an existing non-empty directory (InputError).
// `writeExtra`, when set, adds files to the temporary directory before it is
// renamed into place (trainer state, optimizer, tokenizer).
void saveCheckpoint(const std::string &dir, const Checkpoint &checkpoint,
                    const std::function<void(const std::string &tmpDir)> &writeExtra = {});
// Throws InputError naming the file on a missing, malformed or inconsistent
// checkpoint (tensor names and shapes are checked against the config).
Checkpoint loadCheckpoint(const std::string &dir);
// A model built from the checkpoint's config holding its weights; names and
// shapes that do not match the config throw InputError naming `source`.
Mllm instantiate(const Checkpoint &checkpoint, const std::string &source);

} // namespace cosw
