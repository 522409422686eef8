#pragma once
// bf16 autocast on CUDA for the duration of a scope. LibTorch 2.4 replaced the
// CUDA-only autocast switches with per-device ones; this guard hides which
// one the build has.

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

namespace cosw {

class AutocastGuard {
public:
    // Enabled only when `bf16` is asked for on a CUDA device; a no-op otherwise.
    AutocastGuard(bool bf16, const torch::Device &device) : m_enabled(bf16 && device.is_cuda())
    {
        if (m_enabled)
            set(true);
    }
    ~AutocastGuard()
    {
        if (m_enabled) {
            set(false);
            at::autocast::clear_cache();
        }
    }
    AutocastGuard(const AutocastGuard &) = delete;
    AutocastGuard &operator=(const AutocastGuard &) = delete;

private:
    static void set(bool on)
    {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
        at::autocast::set_autocast_enabled(at::kCUDA, on);
#else
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(on);
#endif
    }

    bool m_enabled;
};

} // namespace cosw
