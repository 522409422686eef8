#include "AdaptedLinear.h"

#include <cmath>

namespace cosw {

torch::Tensor freshLoraA(int64_t rank, int64_t in, c10::optional<at::Generator> generator)
{
    // kaiming_uniform_ with a = sqrt(5), LibTorch's linear default, bounds
    // the draws by 1/sqrt(fan_in).
    const double bound = 1.0 / std::sqrt(static_cast<double>(in));
    return torch::empty({rank, in}).uniform_(-bound, bound, generator);
}

AdaptedLinearImpl::AdaptedLinearImpl(int64_t in, int64_t out, bool bias, const LoraConfig &lora,
                                     const std::string &projection)
{
    // Drawn by LibTorch's own linear layer, so a model without adapters
    // starts from the same weights as it always has for a seed.
    torch::nn::Linear plain(torch::nn::LinearOptions(in, out).bias(bias));
    m_weight = register_parameter("weight", plain->weight);
    if (bias)
        m_bias = register_parameter("bias", plain->bias);
    if (lora.adapts(projection)) {
        m_loraA = register_parameter("lora_a", freshLoraA(lora.rank, in));
        m_loraB = register_parameter("lora_b", torch::zeros({out, lora.rank}));
        m_scale = lora.scale();
        m_dropout = lora.dropout;
    }
}

torch::Tensor AdaptedLinearImpl::forward(const torch::Tensor &x)
{
    auto y = torch::nn::functional::linear(x, m_weight, m_bias); // [..., out]
    if (!m_loraA.defined())
        return y;
    auto d = m_dropout > 0 && is_training() ? torch::dropout(x, m_dropout, /*train=*/true) : x;
    auto low = torch::nn::functional::linear(d, m_loraA);            // [..., r]
    return y + torch::nn::functional::linear(low, m_loraB) * m_scale; // [..., out]
}

} // namespace cosw
