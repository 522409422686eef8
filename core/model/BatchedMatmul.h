#pragma once
// Batched matrix products for attention. LibTorch 1.13's CPU bmm runs each
// matrix of a batch as its own addmm on tensor views (three selects, shape
// checks, a BLAS call): for attention's 64 x 64 matrices that costs two to
// four times the products themselves (32 products of 64 x 64 x 64: 200-410 us
// through bmm, 67-103 us as plain BLAS calls, one thread, AVX-512 kernel).

#include <torch/torch.h>

namespace cosw {

// a [..., M, K] x b [..., K, N] -> [..., M, N], differentiable, with a and b
// of the same batch shape. On the CPU in fp32 (outside autocast) each matrix
// of the batch is one BLAS sgemm call reading a and b in place (transposed
// views and broadcast batch dimensions included); anything else is
// torch::matmul.
torch::Tensor batchedMatmul(const torch::Tensor &a, const torch::Tensor &b);

} // namespace cosw
