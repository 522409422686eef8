#include "Device.h"

#include "CpuFeatures.h"

#include "Errors.h"
#include "Messages.h"

namespace cosw {

torch::Device parseDevice(const std::string &name)
{
    if (name == "cpu")
        return torch::Device(torch::kCPU);
    if (name.rfind("cuda", 0) != 0)
        throw InputError(fill(msg("device '%1': expected cpu, cuda or cuda:N"), {name}));
    torch::Device device(torch::kCPU);
    try {
        device = torch::Device(name);
    } catch (const c10::Error &) {
        throw InputError(fill(msg("device '%1': expected cpu, cuda or cuda:N"), {name}));
    }
    if (!torch::cuda::is_available())
        throw InputError(fill(msg("device '%1': this build or machine has no CUDA device"), {name}));
    const int64_t count = static_cast<int64_t>(torch::cuda::device_count());
    if (device.has_index() && device.index() >= count)
        throw InputError(fill(msg("device '%1': only %2 CUDA device(s) present"), {name, std::to_string(count)}));
    return device;
}

void synchronize(const torch::Device &device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.has_index() ? device.index() : -1);
}

torch::Tensor toDevice(const torch::Tensor &t, const torch::Device &device)
{
    if (!t.defined() || t.device() == device)
        return t;
    if (device.is_cuda() && t.is_cpu())
        return t.pin_memory().to(device, /*non_blocking=*/true);
    return t.to(device);
}

bool bf16Supported(const torch::Device &device, std::string *why)
{
    if (device.is_cuda() || (device.is_cpu() && cpuFeatures().nativeBf16()))
        return true;
    if (why)
        *why = device.is_cpu() ? msg("this CPU has no bf16 products (AVX512-BF16 or AMX); use fp32")
                               : msg("bf16 autocast runs on CUDA devices and CPUs with AVX512-BF16 or AMX");
    return false;
}

} // namespace cosw
