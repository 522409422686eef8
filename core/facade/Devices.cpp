#include "Devices.h"

#include <torch/torch.h>

#include <unistd.h>

// A CPU-only LibTorch still ships the CUDA headers of ATen but not the CUDA
// runtime's, so names and memory are read only where both are present.
#if __has_include(<ATen/cuda/CUDAContext.h>) && __has_include(<cuda_runtime_api.h>)
#include <ATen/cuda/CUDAContext.h>
#define COS_HAVE_CUDA_PROPERTIES 1
#endif

namespace cosw {

std::vector<DeviceInfo> availableDevices()
{
    // The CPU's memory is the machine's.
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    std::vector<DeviceInfo> devices{{"cpu", {}, pages > 0 && pageSize > 0 ? int64_t(pages) * pageSize : 0}};
    const int count = torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
    for (int i = 0; i < count; ++i) {
        DeviceInfo info{"cuda:" + std::to_string(i), {}, 0};
#ifdef COS_HAVE_CUDA_PROPERTIES
        if (const cudaDeviceProp *p = at::cuda::getDeviceProperties(i)) {
            info.name = p->name;
            info.memoryBytes = static_cast<int64_t>(p->totalGlobalMem);
        }
#endif
        devices.push_back(info);
    }
    return devices;
}

std::string libtorchVersion()
{
    return TORCH_VERSION;
}

} // namespace cosw
