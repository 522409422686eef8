#pragma once
// Device names as users write them: cpu, cuda, cuda:N.

#include <torch/torch.h>

#include <string>

namespace cosw {

// Throws InputError when the name is malformed or the device does not exist
// on this machine (cuda without a GPU, an index past the device count).
torch::Device parseDevice(const std::string &name);

// Whether bf16 autocast runs its products in hardware here: on CUDA, and on
// CPUs with AVX512-BF16 or AMX. Elsewhere the reason, for the error message.
bool bf16Supported(const torch::Device &device, std::string *why = nullptr);

// Waits for queued work on the device so wall-clock timings are honest.
void synchronize(const torch::Device &device);

// `t` on `device`. A host tensor goes to a GPU through page-locked memory
// without waiting: a copy from ordinary host memory first waits for
// everything queued on the device, which would stall every training step.
torch::Tensor toDevice(const torch::Tensor &t, const torch::Device &device);

} // namespace cosw
