#pragma once
// Pretrained towers and language models from Hugging Face model directories
// (config.json, model.safetensors or sharded model-0000N-of-0000M.safetensors
// with model.safetensors.index.json; fp32, fp16 or bf16), mapped to the
// workbench's tensor names (docs/tensor-names.md) and configs.
//
// Supported: CLIP's vision tower (CLIPVisionModel, or the vision half of a
// CLIPModel) and LLaMA-layout decoders (LLaMA, Vicuna, Mistral without
// sliding windows). Anything else is refused naming what does not fit.

#include "io/Safetensors.h"
#include "model/ModelConfig.h"

#include <string>

namespace cosw {

struct PretrainedPart {
    std::string part;         // vision | lm
    std::string architecture; // what config.json said, e.g. CLIPVisionModel
    std::string source;       // the directory it came from
    VisionConfig vision;      // for part vision
    LmConfig lm;              // for part lm
    StateDict weights;        // "vision.*" or "lm.*", fp32
};

// Every tensor of a Hugging Face model directory, by its name there, fp32.
// Throws InputError naming the directory or file: no config.json, no
// weights, an index naming an absent shard or a tensor its shard lacks.
StateDict readHfWeights(const std::string &dir);

// Throw InputError naming the directory and key or tensor for an unsupported
// architecture or activation, a missing tensor or one of the wrong shape.
PretrainedPart importVisionTower(const std::string &dir);
PretrainedPart importLanguageModel(const std::string &dir);

// A pretrained-part directory: config.json {format: cos-workbench-pretrained,
// part, architecture, source, vision|lm} and model.safetensors. Written
// whole or not at all; refuses an existing non-empty directory.
void savePretrainedPart(const std::string &dir, const PretrainedPart &part);

} // namespace cosw
