#pragma once
// LLaMA-style decoder (DESIGN §3): RMSNorm, rotary positions, SwiGLU MLP,
// causal attention with optional grouped-query attention, tied or untied
// embeddings. Module and tensor names follow the LLaMA checkpoint layout
// (embed_tokens, layers.N.self_attn.q_proj, ..., norm, lm_head) so such
// weights map one to one.

#include "AdaptedLinear.h"
#include "ModelConfig.h"

#include <torch/torch.h>

namespace cosw {

// Keys and values of every layer seen so far: [B, kv_heads, T, head_dim],
// and the position of each row's next token [B, 1].
struct KvCache {
    std::vector<torch::Tensor> keys;
    std::vector<torch::Tensor> values;
    torch::Tensor next;
    int64_t length() const { return keys.empty() || !keys[0].defined() ? 0 : keys[0].size(2); }
};

class RmsNormImpl : public torch::nn::Module {
public:
    RmsNormImpl(int64_t width, double eps);
    torch::Tensor forward(const torch::Tensor &x); // [..., W] -> [..., W]

private:
    double m_eps;
    torch::Tensor m_weight;
};
TORCH_MODULE(RmsNorm);

// cos and sin of every token's rotary angles, [B, 1, T, head_dim] each, in
// fp32: made once per forward from the positions and shared by every layer.
struct RotaryTables {
    torch::Tensor cos;
    torch::Tensor sin;
};
// positions [B, T], real-valued: scaled visual tokens sit between integer
// positions. Angle i of a head is position * theta^(-2i/d).
RotaryTables rotaryTables(const torch::Tensor &positions, int64_t headDim, double theta);

class CausalSelfAttentionImpl : public torch::nn::Module {
public:
    explicit CausalSelfAttentionImpl(const LmConfig &config);
    // x [B, T, W] at the positions of `rotary` -> [B, T, W]. With a cache,
    // this layer's keys/values are appended to it. mask [B, 1, T, T]: see attend().
    // weights, when given, receive the attention [B, H, T, S] (unfused kernel).
    torch::Tensor forward(const torch::Tensor &x, const RotaryTables &rotary, torch::Tensor *cacheK,
                          torch::Tensor *cacheV, const torch::Tensor &mask = {}, torch::Tensor *weights = nullptr);

private:
    LmConfig m_config;
    AdaptedLinear m_q{nullptr}, m_k{nullptr}, m_v{nullptr}, m_o{nullptr};
};
TORCH_MODULE(CausalSelfAttention);

class SwiGluImpl : public torch::nn::Module {
public:
    SwiGluImpl(int64_t width, int64_t hidden, const LoraConfig &lora = {});
    torch::Tensor forward(const torch::Tensor &x); // [B, T, W] -> [B, T, hidden] -> [B, T, W]

private:
    AdaptedLinear m_gate{nullptr}, m_up{nullptr}, m_down{nullptr};
};
TORCH_MODULE(SwiGlu);

class DecoderLayerImpl : public torch::nn::Module {
public:
    explicit DecoderLayerImpl(const LmConfig &config);
    torch::Tensor forward(const torch::Tensor &x, const RotaryTables &rotary, torch::Tensor *cacheK,
                          torch::Tensor *cacheV, const torch::Tensor &mask = {}, torch::Tensor *weights = nullptr);

private:
    RmsNorm m_inputNorm{nullptr}, m_postAttentionNorm{nullptr};
    CausalSelfAttention m_attn{nullptr};
    SwiGlu m_mlp{nullptr};
};
TORCH_MODULE(DecoderLayer);

class LanguageModelImpl : public torch::nn::Module {
public:
    explicit LanguageModelImpl(const LmConfig &config);

    torch::Tensor embed(const torch::Tensor &ids); // [B, T] (on any device) -> [B, T, W]
    // embeddings [B, T, W] at positions [B, T] -> hidden [B, T, W]. Without
    // positions they follow on from the cache's (or start at 0); the cache
    // grows by T. A mask [B, 1, T, T] (segmentMask) replaces the causal one;
    // not with a cache. `attention`, when given, receives every layer's
    // attention weights [B, H, T, S], in layer order.
    torch::Tensor forward(const torch::Tensor &embeddings, KvCache *cache = nullptr,
                          const torch::Tensor &positions = {}, const torch::Tensor &mask = {},
                          std::vector<torch::Tensor> *attention = nullptr);
    torch::Tensor logits(const torch::Tensor &hidden); // [B, T, W] -> [B, T, V]
    // Mean next-token cross-entropy of hidden states [B, S, W] against
    // labels [B, S]: position t predicts token t + 1, positions labelled
    // kIgnoreLabel do not count. The head runs only where a label follows;
    // prompts and visual tokens, most of a sequence, need no logits.
    torch::Tensor nextTokenLoss(const torch::Tensor &hidden, const torch::Tensor &labels);
    // Text alone, positions from 0: ids [B, T] -> logits [B, T, V].
    torch::Tensor textLogits(const torch::Tensor &ids);

    const LmConfig &config() const { return m_config; }

private:
    LmConfig m_config;
    torch::nn::Embedding m_embed{nullptr};
    torch::nn::ModuleList m_layers{nullptr};
    RmsNorm m_norm{nullptr};
    torch::nn::Linear m_head{nullptr}; // absent with tied embeddings
};
TORCH_MODULE(LanguageModel);

// Where each token of a text sequence [B, T] sits and what it may see, for
// independent turns (TurnLayout): positions [B, T] (float) and segments
// [B, T] (long) as conversationTokens() gives them. Undefined: consecutive
// positions and plain causal attention.
struct TextLayout {
    torch::Tensor positions;
    torch::Tensor segments;
    bool defined() const { return segments.defined(); }
};

// Attention mask [B, 1, S, S] of sequences in segments [B, S] (0: seen by
// every token; k > 0: seen only by segment k): causal, and a token sees
// segment 0 and its own segment. Independent turns (TurnLayout).
torch::Tensor segmentMask(const torch::Tensor &segments);

// Rotates pairs (i, i + d/2) of x [B, H, T, d] by the tables' angles
// (LLaMA's rotate-half convention).
torch::Tensor applyRotary(const torch::Tensor &x, const RotaryTables &rotary);

} // namespace cosw
