#pragma once
// Gradient clipping that leaves the norm on the device.

#include <torch/torch.h>

#include <vector>

namespace cosw {

// Scales the gradients of `parameters` so that their joint L2 norm is at
// most `maxNorm`, as torch::nn::utils::clip_grad_norm_ does, but without
// reading the norm back: on a GPU that read would make every step wait.
void clipGradientNorm(const std::vector<torch::Tensor> &parameters, double maxNorm);

} // namespace cosw
