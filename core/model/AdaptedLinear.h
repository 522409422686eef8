#pragma once
// A bias-optional linear layer that can carry low-rank adapters (LoRA):
//   y = x W^T + b + (alpha / r) * dropout(x) A^T B^T
// Its tensors keep a plain linear layer's names (weight, bias), so imported
// LLaMA checkpoints map one to one; the adapters are lora_a [r, in] and
// lora_b [out, r]. B starts at zero, so a fresh adapter leaves the layer as
// it was.

#include "ModelConfig.h"

#include <torch/torch.h>

namespace cosw {

class AdaptedLinearImpl : public torch::nn::Module {
public:
    // `lora` disabled (or not naming `projection`): a plain linear layer.
    AdaptedLinearImpl(int64_t in, int64_t out, bool bias, const LoraConfig &lora, const std::string &projection);
    torch::Tensor forward(const torch::Tensor &x); // [..., in] -> [..., out]

private:
    torch::Tensor m_weight; // [out, in]
    torch::Tensor m_bias;   // [out], or undefined
    torch::Tensor m_loraA;  // [r, in], or undefined
    torch::Tensor m_loraB;  // [out, r]
    double m_scale = 0.0;
    double m_dropout = 0.0;
};
TORCH_MODULE(AdaptedLinear);

// A fresh adapter's A [r, in], drawn as LibTorch draws a linear layer's
// weight (uniform within 1/sqrt(in)); from `generator` when given.
torch::Tensor freshLoraA(int64_t rank, int64_t in, c10::optional<at::Generator> generator = c10::nullopt);

} // namespace cosw
