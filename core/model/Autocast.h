#pragma once
// bf16 autocast on CUDA or the CPU for the duration of a scope. LibTorch 2.4
// replaced the per-backend autocast switches with per-device-type ones; this
// guard hides which one the build has.

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

namespace cosw {

class AutocastGuard {
public:
    // Enabled when `bf16` is asked for on a CUDA device or the CPU (where
    // callers first check that the CPU has bf16 products, bf16Supported());
    // a no-op otherwise.
    AutocastGuard(bool bf16, const torch::Device &device)
        : m_enabled(bf16 && (device.is_cuda() || device.is_cpu())), m_cuda(device.is_cuda())
    {
        if (m_enabled)
            set(m_cuda, true);
    }
    ~AutocastGuard()
    {
        if (m_enabled) {
            set(m_cuda, false);
            at::autocast::clear_cache();
        }
    }
    AutocastGuard(const AutocastGuard &) = delete;
    AutocastGuard &operator=(const AutocastGuard &) = delete;

private:
    static void set(bool cuda, bool on)
    {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        const auto type = cuda ? at::kCUDA : at::kCPU;
        at::autocast::set_autocast_dtype(type, at::kBFloat16);
        at::autocast::set_autocast_enabled(type, on);
#else
        if (cuda) {
            at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
            at::autocast::set_enabled(on);
        } else {
            at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
            at::autocast::set_cpu_enabled(on);
        }
#endif
    }

    bool m_enabled;
    bool m_cuda;
};

// Whether CPU autocast is on in this thread.
inline bool cpuAutocastEnabled()
{
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    return at::autocast::is_autocast_enabled(at::kCPU);
#else
    return at::autocast::is_cpu_enabled();
#endif
}

// LayerNorm of a half-precision input computed in fp32, as CUDA autocast
// does by itself: under CPU autocast LibTorch 1.13's layer_norm refuses a bf16
// input with fp32 weights. Other inputs (fp32, fp64) pass unchanged.
inline torch::Tensor layerNormFp32(torch::nn::LayerNorm &norm, const torch::Tensor &x)
{
    const bool half = x.scalar_type() == torch::kBFloat16 || x.scalar_type() == torch::kHalf;
    return norm(half ? x.to(torch::kFloat) : x);
}

} // namespace cosw
