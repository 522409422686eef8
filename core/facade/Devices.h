#pragma once
// The compute devices this machine offers, as the GUI lists them. Torch-free
// so that widgets can include it.

#include <cstdint>
#include <string>
#include <vector>

namespace cosw {

struct DeviceInfo {
    std::string id;          // cpu, cuda:0, ... (what --device takes)
    std::string name;        // the GPU's name; empty where LibTorch cannot say
    int64_t memoryBytes = 0; // total device memory (the machine's for the CPU); 0 where unknown
};

// The CPU first, then every CUDA device LibTorch reports.
std::vector<DeviceInfo> availableDevices();

// The LibTorch this program was built with, e.g. "1.13.0".
std::string libtorchVersion();

} // namespace cosw
