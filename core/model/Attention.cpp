#include "Attention.h"

#include "BatchedMatmul.h"

#include <torch/version.h> // TORCH_VERSION_MAJOR picks the kernel

#include <atomic>
#include <cmath>

namespace cosw {

static std::atomic<AttentionKernel> g_kernel{AttentionKernel::Auto};

void setAttentionKernel(AttentionKernel kernel) { g_kernel = kernel; }
AttentionKernel attentionKernel() { return g_kernel; }

bool fusedAttentionAvailable()
{
#if TORCH_VERSION_MAJOR >= 2
    return true;
#else
    return false;
#endif
}

// Bottom-right aligned causal mask [Tq, Tk]: true where attention is allowed.
static torch::Tensor causalMask(int64_t tq, int64_t tk, const torch::Device &device)
{
    auto qi = torch::arange(tk - tq, tk, torch::TensorOptions().dtype(torch::kLong).device(device));
    auto kj = torch::arange(tk, torch::TensorOptions().dtype(torch::kLong).device(device));
    return kj.unsqueeze(0) <= qi.unsqueeze(1);
}

torch::Tensor attend(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v,
                     bool causal, torch::Tensor *weights, const torch::Tensor &mask)
{
    const int64_t tq = q.size(2), tk = k.size(2);
    // A single query at the end of the sequence sees every key.
    const bool needMask = causal && !(tq == 1);
#if TORCH_VERSION_MAJOR >= 2
    if (!weights && g_kernel == AttentionKernel::Auto) {
        if (mask.defined())
            return at::scaled_dot_product_attention(q, k, v, mask);
        if (!needMask)
            return at::scaled_dot_product_attention(q, k, v);
        if (tq == tk)
            return at::scaled_dot_product_attention(q, k, v, {}, 0.0, /*is_causal=*/true);
        return at::scaled_dot_product_attention(q, k, v, causalMask(tq, tk, q.device()));
    }
#endif
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    auto scores = batchedMatmul(q, k.transpose(-2, -1)) * scale; // [B, H, Tq, Tk]
    if (mask.defined() || needMask)
        scores = scores.masked_fill((mask.defined() ? mask : causalMask(tq, tk, q.device())).logical_not(),
                                    -std::numeric_limits<float>::infinity());
    auto probs = torch::softmax(scores, -1);
    if (weights)
        *weights = probs;
    return batchedMatmul(probs, v); // [B, H, Tq, d]
}

MultiHeadAttentionImpl::MultiHeadAttentionImpl(int64_t width, int64_t heads, int64_t kvWidth)
    : m_heads(heads)
{
    m_q = register_module("q_proj", torch::nn::Linear(width, width));
    m_k = register_module("k_proj", torch::nn::Linear(kvWidth, width));
    m_v = register_module("v_proj", torch::nn::Linear(kvWidth, width));
    m_out = register_module("out_proj", torch::nn::Linear(width, width));
}

torch::Tensor MultiHeadAttentionImpl::forward(const torch::Tensor &x, const torch::Tensor &context,
                                              torch::Tensor *weights, const AttentionPositions &positions)
{
    const int64_t b = x.size(0), tq = x.size(1), tk = context.size(1);
    const int64_t d = m_q->options.out_features() / m_heads;
    auto heads = [&](const torch::Tensor &t, int64_t len) {
        return t.view({b, len, m_heads, d}).transpose(1, 2); // [B, H, T, d]
    };
    auto plus = [](const torch::Tensor &t, const torch::Tensor &position) {
        return position.defined() ? t + position : t;
    };
    auto q = heads(m_q(plus(x, positions.query)), tq);
    auto k = heads(m_k(plus(context, positions.key)), tk);
    auto v = heads(m_v(context), tk);
    auto out = attend(q, k, v, /*causal=*/false, weights);   // [B, H, Tq, d]
    return m_out(out.transpose(1, 2).reshape({b, tq, m_heads * d}));
}

FeedForwardImpl::FeedForwardImpl(int64_t width, int64_t hidden, bool quickGelu)
    : m_quickGelu(quickGelu)
{
    m_fc1 = register_module("fc1", torch::nn::Linear(width, hidden));
    m_fc2 = register_module("fc2", torch::nn::Linear(hidden, width));
}

torch::Tensor FeedForwardImpl::forward(const torch::Tensor &x)
{
    auto h = m_fc1(x);                                                  // [..., hidden]
    h = m_quickGelu ? h * torch::sigmoid(1.702 * h) : torch::gelu(h); // CLIP's quick-GELU or GELU
    return m_fc2(h);                                                    // [..., width]
}

} // namespace cosw
