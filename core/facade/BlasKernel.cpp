#include "BlasKernel.h"

#include "base/Messages.h"

#include <torch/torch.h>

#include <dlfcn.h>
#include <strings.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace cosw {

namespace {

// Set for the re-executed process: "chosen:<detected kernel>" or
// "rejected:<tried kernel>:<detected kernel>".
constexpr const char *kChoiceVariable = "COS_BLAS_KERNEL_CHOICE";

// The widest vector ISA a kernel family uses: 1 SSE, 2 AVX, 3 AVX2, 4 AVX-512;
// 0 for a name this table does not know.
int kernelLevel(const std::string &kernel)
{
    static const char *const sse[] = {"Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Core2",
                                      "Penryn", "Dunnington", "Nehalem", "Atom", "Athlon", "Opteron",
                                      "Opteron_SSE3", "Barcelona", "Bobcat", "Nano"};
    static const char *const avx[] = {"Sandybridge", "Bulldozer", "Piledriver", "Steamroller"};
    static const char *const avx2[] = {"Haswell", "Zen", "Excavator", "SkylakeX_AVX2"};
    static const char *const avx512[] = {"SkylakeX", "Cooperlake", "SapphireRapids"};
    auto in = [&](const auto &list) {
        for (const char *name : list)
            if (strcasecmp(name, kernel.c_str()) == 0)
                return true;
        return false;
    };
    return in(sse) ? 1 : in(avx) ? 2 : in(avx2) ? 3 : in(avx512) ? 4 : 0;
}

// What an earlier start of this program decided, read from kChoiceVariable.
struct EarlierChoice {
    bool chosen = false;   // restarted with a kernel chosen for this CPU
    bool rejected = false; // that kernel computed wrong products; back on the detected one
    std::string tried;     // the rejected kernel
    std::string detected;  // what OpenBLAS picked by itself
};

EarlierChoice earlierChoice()
{
    EarlierChoice c;
    const char *marker = std::getenv(kChoiceVariable);
    const std::string m = marker ? marker : "";
    if (m.rfind("chosen:", 0) == 0) {
        c.chosen = true;
        c.detected = m.substr(7);
    } else if (m.rfind("rejected:", 0) == 0) {
        const size_t colon = m.find(':', 9);
        c.rejected = true;
        c.tried = m.substr(9, colon - 9);
        c.detected = colon == std::string::npos ? std::string() : m.substr(colon + 1);
    }
    return c;
}

template <typename Fn>
Fn openBlasFunction(const char *name)
{
    return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

std::string detectedKernel()
{
    auto corename = openBlasFunction<char *(*)()>("openblas_get_corename");
    const char *name = corename ? corename() : nullptr;
    return name ? std::string(name) : std::string();
}

// One product of odd sizes (every edge path of a kernel) against a
// double-precision loop.
bool productMatchesReference()
{
    const int64_t m = 67, k = 53, n = 61;
    auto a = torch::empty({m, k}), b = torch::empty({k, n});
    auto pa = a.accessor<float, 2>(), pb = b.accessor<float, 2>();
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < k; ++j)
            pa[i][j] = float((i * 7 + j * 3) % 11 - 5) / 8.0f;
    for (int64_t i = 0; i < k; ++i)
        for (int64_t j = 0; j < n; ++j)
            pb[i][j] = float((i * 5 + j * 9) % 13 - 6) / 4.0f;
    auto c = torch::mm(a, b);
    auto pc = c.accessor<float, 2>();
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
            double ref = 0.0;
            for (int64_t l = 0; l < k; ++l)
                ref += double(pa[i][l]) * double(pb[l][j]);
            if (std::abs(double(pc[i][j]) - ref) > 1e-3 * (1.0 + std::abs(ref)))
                return false;
        }
    return true;
}

// This program again, with the arguments it was started with.
void reexecute()
{
    std::vector<std::string> args;
    std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
    for (std::string arg; std::getline(cmdline, arg, '\0');)
        args.push_back(arg);
    std::vector<char *> argv;
    for (std::string &arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);
    if (!args.empty())
        execv("/proc/self/exe", argv.data());
    // Still here: the program could not be started again; carry on as it is.
    std::fprintf(stderr, "%s\n", msg("warning: could not restart with a faster BLAS kernel; matrix products stay slow"));
    unsetenv(kChoiceVariable);
}

} // namespace

// The widest kernel family this CPU runs, empty below AVX2.
static std::string widestKernel(const CpuFeatures &cpu)
{
    if (cpu.avx512)
        return cpu.avx512Bf16 ? "Cooperlake" : "SkylakeX";
    if (cpu.avx2 && cpu.fma)
        return "Haswell";
    return {};
}

std::string chooseOpenBlasKernel(const std::string &detected, const CpuFeatures &cpu, bool userSetCoretype)
{
    if (userSetCoretype)
        return {};
    const int level = kernelLevel(detected);
    if (level == 0 || level >= 3)
        return {};
    return widestKernel(cpu);
}

std::string widerKernelThan(const std::string &kernel, const CpuFeatures &cpu)
{
    const std::string widest = widestKernel(cpu);
    const int level = kernelLevel(kernel);
    return level > 0 && !widest.empty() && level < kernelLevel(widest) ? widest : std::string();
}

BlasInfo blasInfo()
{
    BlasInfo info;
    auto config = openBlasFunction<char *(*)()>("openblas_get_config");
    auto threads = openBlasFunction<int (*)()>("openblas_get_num_threads");
    info.kernel = detectedKernel();
    if (info.kernel.empty() && !config) {
        info.library = "unknown BLAS";
        info.choice = "not OpenBLAS";
        return info;
    }
    info.library = config && config() ? std::string(config()) : std::string("OpenBLAS");
    info.threads = threads ? threads() : 0;
    const EarlierChoice earlier = earlierChoice();
    const char *coretype = std::getenv("OPENBLAS_CORETYPE");
    if (earlier.chosen)
        info.choice = "chosen for this CPU; detected " + earlier.detected;
    else if (earlier.rejected)
        info.choice = "detected; " + earlier.tried + " gave wrong products";
    else if (coretype && *coretype) {
        info.choice = std::string("set by OPENBLAS_CORETYPE=") + coretype;
        const std::string wider = widerKernelThan(info.kernel, cpuFeatures());
        if (!wider.empty())
            info.choice += "; this CPU also runs " + wider;
    } else {
        info.choice = "detected";
    }
    return info;
}

bool setBlasThreads(int threads)
{
    auto set = openBlasFunction<void (*)(int)>("openblas_set_num_threads");
    if (!set || threads < 1)
        return false;
    set(threads);
    return true;
}

void setCpuThreads(int threads)
{
    torch::set_num_threads(threads);
    setBlasThreads(threads);
}

std::string blasSummary(const BlasInfo &info)
{
    if (info.kernel.empty())
        return info.library;
    // openblas_get_config: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64";
    // the name and version are enough, the kernel follows.
    std::string library = info.library;
    const size_t version = library.find(' ');
    const size_t end = version == std::string::npos ? version : library.find(' ', version + 1);
    if (end != std::string::npos)
        library = library.substr(0, end);
    std::string out = library + " (kernel " + info.kernel + ", " + info.choice + ")";
    if (info.threads > 0)
        out += ", " + std::to_string(info.threads) + (info.threads == 1 ? " thread" : " threads");
    return out;
}

void ensureBlasKernel()
{
    const std::string detected = detectedKernel();
    if (detected.empty())
        return; // not OpenBLAS
    const EarlierChoice earlier = earlierChoice();
    if (earlier.rejected)
        return;
    if (earlier.chosen) {
        if (!productMatchesReference()) {
            std::fprintf(stderr, "%s\n",
                         fill(msg("warning: OpenBLAS kernel %1 computed a wrong matrix product here; using %2"),
                              {detected, earlier.detected})
                             .c_str());
            setenv(kChoiceVariable, ("rejected:" + detected + ":" + earlier.detected).c_str(), 1);
            unsetenv("OPENBLAS_CORETYPE");
            reexecute();
        }
        return;
    }
    const char *coretype = std::getenv("OPENBLAS_CORETYPE");
    const std::string choice = chooseOpenBlasKernel(detected, cpuFeatures(), coretype && *coretype);
    if (choice.empty())
        return;
    setenv("OPENBLAS_CORETYPE", choice.c_str(), 1);
    setenv(kChoiceVariable, ("chosen:" + detected).c_str(), 1);
    reexecute();
    unsetenv("OPENBLAS_CORETYPE");
}

} // namespace cosw
