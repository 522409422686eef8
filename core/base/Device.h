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

} // namespace cosw
