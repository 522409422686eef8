#pragma once
// RMSNorm as one pass over memory forward and two backward. Written as
// tensor operations (pow, mean, add, rsqrt, two products) it takes six passes
// forward and about a dozen backward, each allocating its result; the
// language model runs 2L + 1 of them per step.

#include <torch/torch.h>

namespace cosw {

// x [..., W] * rsqrt(mean(x^2 over W) + eps) * weight [W], differentiable in
// x and weight. CPU fp32 contiguous inputs take the fused loops; anything
// else (CUDA, bf16, strided) the tensor operations, computed in fp32.
torch::Tensor rmsNorm(const torch::Tensor &x, const torch::Tensor &weight, double eps);

} // namespace cosw
