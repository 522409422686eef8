#include "Device.h"

#include "CpuFeatures.h"

#include "Errors.h"

namespace cosw {

torch::Device parseDevice(const std::string &name)
{
    if (name == "cpu")
        return torch::Device(torch::kCPU);
    if (name.rfind("cuda", 0) != 0)
        throw InputError("device '" + name + "': expected cpu, cuda or cuda:N");
    torch::Device device(torch::kCPU);
    try {
        device = torch::Device(name);
    } catch (const c10::Error &) {
        throw InputError("device '" + name + "': expected cpu, cuda or cuda:N");
    }
    if (!torch::cuda::is_available())
        throw InputError("device '" + name + "': this build or machine has no CUDA device");
    const int64_t count = static_cast<int64_t>(torch::cuda::device_count());
    if (device.has_index() && device.index() >= count)
        throw InputError("device '" + name + "': only " + std::to_string(count) + " CUDA device(s) present");
    return device;
}

void synchronize(const torch::Device &device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.has_index() ? device.index() : -1);
}

bool bf16Supported(const torch::Device &device, std::string *why)
{
    if (device.is_cuda() || (device.is_cpu() && cpuFeatures().nativeBf16()))
        return true;
    if (why)
        *why = device.is_cpu() ? "this CPU has no bf16 products (AVX512-BF16 or AMX); use fp32"
                               : "bf16 autocast runs on CUDA devices and CPUs with AVX512-BF16 or AMX";
    return false;
}

} // namespace cosw
