#include "LanguageModel.h"

#include "Attention.h"
#include "FusedRmsNorm.h"
#include "base/Device.h"
#include "text/Conversation.h"

namespace cosw {

RmsNormImpl::RmsNormImpl(int64_t width, double eps) : m_eps(eps)
{
    m_weight = register_parameter("weight", torch::ones({width}));
}

torch::Tensor RmsNormImpl::forward(const torch::Tensor &x)
{
    return rmsNorm(x, m_weight, m_eps); // [..., W]
}

RotaryTables rotaryTables(const torch::Tensor &positions, int64_t headDim, double theta)
{
    const int64_t half = headDim / 2;
    auto opts = torch::TensorOptions().dtype(torch::kFloat).device(positions.device());
    auto inv = torch::pow(theta, -torch::arange(half, opts) * (2.0 / static_cast<double>(headDim))); // [d/2]
    auto angles = positions.to(opts).unsqueeze(-1) * inv;                                             // [B, T, d/2]
    return {torch::cat({angles.cos(), angles.cos()}, -1).unsqueeze(1),                                 // [B, 1, T, d]
            torch::cat({angles.sin(), angles.sin()}, -1).unsqueeze(1)};
}

torch::Tensor applyRotary(const torch::Tensor &x, const RotaryTables &rotary)
{
    const int64_t half = x.size(3) / 2;
    const bool same = rotary.cos.scalar_type() == x.scalar_type();
    auto rotated = torch::cat({-x.slice(-1, half), x.slice(-1, 0, half)}, -1); // rotate_half
    return x * (same ? rotary.cos : rotary.cos.to(x.scalar_type()))
           + rotated * (same ? rotary.sin : rotary.sin.to(x.scalar_type()));
}

CausalSelfAttentionImpl::CausalSelfAttentionImpl(const LmConfig &c) : m_config(c)
{
    const int64_t hd = c.headDim();
    auto linear = [&](const char *name, int64_t in, int64_t out, bool bias) {
        return register_module(name, AdaptedLinear(in, out, bias, c.lora, name));
    };
    m_q = linear("q_proj", c.width, c.heads * hd, c.attentionBias);
    m_k = linear("k_proj", c.width, c.kvHeads * hd, c.attentionBias);
    m_v = linear("v_proj", c.width, c.kvHeads * hd, c.attentionBias);
    m_o = linear("o_proj", c.heads * hd, c.width, false);
}

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor &x, const RotaryTables &rotary,
                                               torch::Tensor *cacheK, torch::Tensor *cacheV, const torch::Tensor &mask,
                                               torch::Tensor *weights)
{
    const int64_t b = x.size(0), t = x.size(1), h = m_config.heads, kvh = m_config.kvHeads;
    const int64_t hd = m_config.headDim();
    auto q = m_q(x).view({b, t, h, hd}).transpose(1, 2);   // [B, H, T, hd]
    auto k = m_k(x).view({b, t, kvh, hd}).transpose(1, 2); // [B, KV, T, hd]
    auto v = m_v(x).view({b, t, kvh, hd}).transpose(1, 2); // [B, KV, T, hd]
    q = applyRotary(q, rotary);
    k = applyRotary(k, rotary);
    if (cacheK) {
        if (cacheK->defined()) {
            k = torch::cat({*cacheK, k}, 2); // [B, KV, S, hd]
            v = torch::cat({*cacheV, v}, 2);
        }
        *cacheK = k;
        *cacheV = v;
    }
    if (kvh != h) {
        k = k.repeat_interleave(h / kvh, 1); // [B, H, S, hd]
        v = v.repeat_interleave(h / kvh, 1);
    }
    auto out = attend(q, k, v, /*causal=*/true, weights, mask); // [B, H, T, hd]; weights [B, H, T, S]
    return m_o(out.transpose(1, 2).reshape({b, t, h * hd})); // [B, T, W]
}

SwiGluImpl::SwiGluImpl(int64_t width, int64_t hidden, const LoraConfig &lora)
{
    auto linear = [&](const char *name, int64_t in, int64_t out) {
        return register_module(name, AdaptedLinear(in, out, false, lora, name));
    };
    m_gate = linear("gate_proj", width, hidden);
    m_up = linear("up_proj", width, hidden);
    m_down = linear("down_proj", hidden, width);
}

torch::Tensor SwiGluImpl::forward(const torch::Tensor &x)
{
    // [..., W] -> gate, up [..., mlp_hidden] -> [..., W]. The SiLU runs in
    // fp32 under bf16 autocast: LibTorch 1.13's CPU SiLU and its backward in
    // bf16 are 2.5x slower than casting to fp32 and back (and round less).
    auto gate = m_gate(x);
    return m_down(torch::silu(gate.to(torch::kFloat)).to(gate.scalar_type()) * m_up(x));
}

DecoderLayerImpl::DecoderLayerImpl(const LmConfig &c)
{
    m_inputNorm = register_module("input_layernorm", RmsNorm(c.width, c.normEps));
    m_attn = register_module("self_attn", CausalSelfAttention(c));
    m_postAttentionNorm = register_module("post_attention_layernorm", RmsNorm(c.width, c.normEps));
    m_mlp = register_module("mlp", SwiGlu(c.width, c.mlpHidden, c.lora));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor &x, const RotaryTables &rotary,
                                        torch::Tensor *cacheK, torch::Tensor *cacheV, const torch::Tensor &mask,
                                        torch::Tensor *weights)
{
    auto h = x + m_attn(m_inputNorm(x), rotary, cacheK, cacheV, mask, weights);
    return h + m_mlp(m_postAttentionNorm(h));
}

LanguageModelImpl::LanguageModelImpl(const LmConfig &c) : m_config(c)
{
    m_embed = register_module("embed_tokens", torch::nn::Embedding(c.vocabSize, c.width));
    m_embed->weight.data().normal_(0.0, 0.02);
    m_layers = register_module("layers", torch::nn::ModuleList());
    for (int i = 0; i < c.layers; ++i)
        m_layers->push_back(DecoderLayer(c));
    m_norm = register_module("norm", RmsNorm(c.width, c.normEps));
    if (!c.tieEmbeddings)
        m_head = register_module("lm_head",
                                 torch::nn::Linear(torch::nn::LinearOptions(c.width, c.vocabSize).bias(false)));
}

torch::Tensor LanguageModelImpl::embed(const torch::Tensor &ids)
{
    return m_embed(toDevice(ids, m_embed->weight.device()));
}

torch::Tensor LanguageModelImpl::forward(const torch::Tensor &embeddings, KvCache *cache,
                                         const torch::Tensor &positions, const torch::Tensor &mask,
                                         std::vector<torch::Tensor> *attention)
{
    const int64_t b = embeddings.size(0), t = embeddings.size(1);
    TORCH_CHECK(!(cache && mask.defined()), "a mask is for whole sequences, not with a cache");
    const int64_t length = cache ? cache->length() : 0;
    TORCH_CHECK(length + t <= m_config.maxSeqLen, "sequence of ", length + t, " tokens exceeds max_seq_len ",
                m_config.maxSeqLen);
    torch::Tensor pos = positions;
    if (!pos.defined()) {
        auto opts = torch::TensorOptions().dtype(torch::kFloat).device(embeddings.device());
        auto next = cache && cache->next.defined() ? cache->next : torch::zeros({b, 1}, opts);
        pos = next + torch::arange(t, opts).unsqueeze(0); // [B, T]
    }
    TORCH_CHECK(pos.dim() == 2 && pos.size(0) == b && pos.size(1) == t, "positions must be [", b, ", ", t, "]");
    if (cache && cache->keys.empty()) {
        cache->keys.resize(m_layers->size());
        cache->values.resize(m_layers->size());
    }
    const RotaryTables rotary = rotaryTables(pos, m_config.headDim(), m_config.ropeTheta);
    auto x = embeddings;
    if (attention)
        attention->assign(m_layers->size(), {});
    for (size_t i = 0; i < m_layers->size(); ++i)
        x = m_layers[i]->as<DecoderLayer>()->forward(x, rotary, cache ? &cache->keys[i] : nullptr,
                                                     cache ? &cache->values[i] : nullptr, mask,
                                                     attention ? &(*attention)[i] : nullptr);
    if (cache)
        cache->next = pos.slice(1, t - 1).floor() + 1.0; // [B, 1]
    return m_norm(x);
}

torch::Tensor LanguageModelImpl::logits(const torch::Tensor &hidden)
{
    if (m_config.tieEmbeddings)
        return torch::matmul(hidden, m_embed->weight.t()); // [B, T, V]
    return m_head(hidden);
}

torch::Tensor LanguageModelImpl::textLogits(const torch::Tensor &ids)
{
    return logits(forward(embed(ids))); // [B, T, V]
}

torch::Tensor segmentMask(const torch::Tensor &segments)
{
    const int64_t s = segments.size(1);
    auto query = segments.unsqueeze(2);                                                     // [B, S, 1]
    auto key = segments.unsqueeze(1);                                                       // [B, 1, S]
    auto causal = torch::ones({s, s}, segments.options().dtype(torch::kBool)).tril();      // [S, S]
    return (key.eq(0).logical_or(key.eq(query)).logical_and(causal)).unsqueeze(1);         // [B, 1, S, S]
}

torch::Tensor LanguageModelImpl::nextTokenLoss(const torch::Tensor &hidden, const torch::Tensor &labels)
{
    // Which positions count is read off host labels where given: finding
    // them on a GPU would make the host wait for the forward pass.
    const torch::Device device = hidden.device();
    const int64_t w = hidden.size(2);
    auto next = labels.slice(1, 1).reshape({-1});                              // [B*(S-1)]
    auto counted = next.ne(kIgnoreLabel).nonzero().squeeze(1);                 // [N]
    auto targets = toDevice(next.index_select(0, counted), device);            // [N]
    auto rows = hidden.slice(1, 0, -1).reshape({-1, w}).index_select(0, toDevice(counted, device)); // [N, W]
    return torch::nn::functional::cross_entropy(logits(rows).to(torch::kFloat), targets);
}

} // namespace cosw
