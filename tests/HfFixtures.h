#pragma once
// Tiny pretrained checkpoints in the layouts people download from Hugging
// Face, written by the tests: a CLIP vision tower and LLaMA / Qwen2
// decoders, bf16 and sharded, so imports meet the real files' shapes.

#include "base/Json.h"
#include "io/Safetensors.h"

#include <QString>

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

namespace cosw::test::hf {

// CLIP tower: width 16, 2 heads, 3 blocks, MLP 24, 28 px images of 7 px patches.
constexpr int kWidth = 16, kHeads = 2, kLayers = 3, kMlp = 24, kImage = 28, kPatch = 7;
// Decoder: width 16, 4 heads over 2 key/value heads, 2 layers, MLP 24.
constexpr int kVocab = 40, kLmWidth = 16, kLmHeads = 4, kKvHeads = 2, kLmLayers = 2, kLmMlp = 24;

// Random tensors rounded to bf16, kept in fp32 for the reference.
struct Source {
    std::map<std::string, torch::Tensor> tensors;
    void add(const std::string &name, std::vector<int64_t> shape, double scale = 0.2);
    const torch::Tensor &operator[](const std::string &name) const { return tensors.at(name); }
};

// Writes `source` as a Hugging Face directory: bf16 shards of about half the
// tensors each, with model.safetensors.index.json, and `config`.
void writeHfDirectory(const QString &dir, const Source &source, const Json &config);

// A whole CLIP model's config (the tower under vision_config) and the
// tower's tensors, with the pooled output's norm the import leaves out.
Json clipConfig();
Source clipTensors();

// qwen2: Qwen2's layout, LLaMA's plus biases on q, k and v.
Json llamaConfig(bool tied, bool qwen2 = false, int vocab = kVocab);
Source llamaTensors(bool tied, bool qwen2 = false, int vocab = kVocab);

// DIR/tokenizer.model as LLaMA's is made (BPE, identity normalizer, spaces
// kept, byte fallback; <unk> 0, <s> 1, </s> 2), trained by SentencePiece
// itself (the spm-train helper, COS_SPM_TRAIN) on the bundled benchmark's
// words; 400 pieces. Returns the helper's complaint, empty on success.
constexpr int kTokenizerVocab = 400;
QString writeTokenizerModel(const QString &dir, int vocab = kTokenizerVocab);

} // namespace cosw::test::hf
