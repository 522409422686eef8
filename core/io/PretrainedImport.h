#pragma once
// Pretrained towers and language models from Hugging Face model directories
// (config.json, model.safetensors or sharded model-0000N-of-0000M.safetensors
// with model.safetensors.index.json; fp32, fp16 or bf16), mapped to the
// workbench's tensor names (docs/tensor-names.md) and configs.
//
// Supported: CLIP's vision tower (CLIPVisionModel, or the vision half of a
// CLIPModel) and LLaMA-layout decoders (LLaMA, Vicuna, Mistral with
// sequences up to its sliding window, Qwen2 with its q/k/v biases). Anything
// else is refused naming what does not fit.

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
    StateDict weights;        // "vision.*" or "lm.*", in the source's dtype
};

// Every tensor of a Hugging Face model directory, by its name there, in its
// stored dtype: a bf16 model is imported and kept in bf16 (half the memory
// and disk of fp32, nothing lost), and a run converts it as it loads it.
// Throws InputError naming the directory or file: no config.json, no
// weights, an index naming an absent shard or a tensor its shard lacks.
StateDict readHfWeights(const std::string &dir);

// Throw InputError naming the directory and key or tensor for an unsupported
// architecture or activation, a missing tensor or one of the wrong shape.
PretrainedPart importVisionTower(const std::string &dir);
PretrainedPart importLanguageModel(const std::string &dir);

// A pretrained-part directory: config.json {format: cos-workbench-pretrained,
// part, architecture, source, vision|lm}, model.safetensors and, for a
// language model whose source has one, its tokenizer.model. Written whole or
// not at all; refuses an existing non-empty directory.
void savePretrainedPart(const std::string &dir, const PretrainedPart &part);

// What a pretrained-part directory's config.json says: the part's config
// section as the model config spells it, plus architecture and source.
struct PretrainedPartInfo {
    std::string part;
    std::string architecture;
    std::string source;
    Json section;
};
// Throws InputError naming the file when it is not a pretrained-part
// directory or holds another part than `part` (vision | lm).
PretrainedPartInfo readPretrainedPartInfo(const std::string &dir, const std::string &part);

// Copies the weights of the pretrained parts `config` names
// (vision.pretrained, lm.pretrained) over `weights`, a fresh model's. Throws
// InputError naming the file and tensor when one is missing from either side
// or has another shape.
void applyPretrained(const ModelConfig &config, StateDict &weights);

} // namespace cosw
