#pragma once
// Scaled dot-product attention and the multi-head attention block shared by
// the vision tower and the resamplers.
//
// LibTorch >= 2.0 has a fused scaled_dot_product_attention; Debian's 1.13 does
// not. attend() uses the fused kernel where it exists and attention weights
// are not requested, and the manual softmax(QK^T/sqrt(d))V otherwise.

#include <torch/torch.h>

namespace cosw {

enum class AttentionKernel { Auto, Manual };

// Process-wide choice, for tests that compare the two paths.
void setAttentionKernel(AttentionKernel kernel);
AttentionKernel attentionKernel();
bool fusedAttentionAvailable();

// q [B, H, Tq, d], k/v [B, H, Tk, d] -> [B, H, Tq, d].
// causal: query i sits at absolute position Tk - Tq + i and sees keys <= it
// (so it also holds with a KV cache). weights, when non-null, receives the
// softmax probabilities [B, H, Tq, Tk]. A mask [B, 1, Tq, Tk] (true where
// attention is allowed) replaces the causal one.
torch::Tensor attend(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v,
                     bool causal, torch::Tensor *weights = nullptr, const torch::Tensor &mask = {});

// Position embeddings added to the inputs of the query projection [B, Tq, D]
// and of the key projection [B, Tk, kvWidth] only, as Qwen-VL's resampler
// does: where a query and a feature are decides who attends to what, and the
// values (what is read) stay free of them. Either may be undefined.
struct AttentionPositions {
    torch::Tensor query, key;
};

// Multi-head attention with biased projections (ViT / CLIP layout). With
// kvWidth != width it is a cross-attention from width-D queries to kvWidth
// features.
class MultiHeadAttentionImpl : public torch::nn::Module {
public:
    MultiHeadAttentionImpl(int64_t width, int64_t heads, int64_t kvWidth);

    // x [B, Tq, D], context [B, Tk, kvWidth] -> [B, Tq, D]; weights [B, H, Tq, Tk].
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &context,
                          torch::Tensor *weights = nullptr, const AttentionPositions &positions = {});

private:
    int64_t m_heads;
    torch::nn::Linear m_q{nullptr}, m_k{nullptr}, m_v{nullptr}, m_out{nullptr};
};
TORCH_MODULE(MultiHeadAttention);

// Two-layer MLP with a GELU (or CLIP's quick-GELU) in between.
class FeedForwardImpl : public torch::nn::Module {
public:
    FeedForwardImpl(int64_t width, int64_t hidden, bool quickGelu = false);
    torch::Tensor forward(const torch::Tensor &x); // [B, T, width] -> [B, T, hidden] -> [B, T, width]

private:
    bool m_quickGelu;
    torch::nn::Linear m_fc1{nullptr}, m_fc2{nullptr};
};
TORCH_MODULE(FeedForward);

} // namespace cosw
