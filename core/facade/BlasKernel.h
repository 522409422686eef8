#pragma once
// OpenBLAS chooses its kernels from the CPU model it knows. On a model newer
// than the library it falls back to generic SSE3 kernels (Prescott), and every
// matrix product runs several times slower than the CPU allows. These
// functions find that case and pick a kernel family the CPU's features
// support. Torch-free, so that widgets and tests can include it.

#include "base/CpuFeatures.h"

#include <string>

namespace cosw {

// The kernel family to request with OPENBLAS_CORETYPE, or empty to keep the
// detected one: only a fallback below AVX2 (Prescott, Core2, Nehalem,
// Sandybridge, ...) on a CPU with AVX2 or AVX-512 is replaced, never a kernel
// this function does not know, never a value the user set.
std::string chooseOpenBlasKernel(const std::string &detected, const CpuFeatures &cpu, bool userSetCoretype);

// A kernel family with wider vectors than `kernel` that this CPU runs, or
// empty: what to suggest to a user whose OPENBLAS_CORETYPE holds the BLAS
// back (Haswell on an AVX-512 CPU: 232 against 415 GFLOP/s on a 2-core AMD
// EPYC). Unknown names get no suggestion.
std::string widerKernelThan(const std::string &kernel, const CpuFeatures &cpu);

struct BlasInfo {
    std::string library;   // "OpenBLAS 0.3.21 ..." (openblas_get_config), or "unknown BLAS"
    std::string kernel;    // openblas_get_corename(); empty when the BLAS is not OpenBLAS
    int threads = 0;       // 0 where the library does not say
    std::string choice;    // how the kernel came to be: detected, chosen, set by the user (and what else the CPU runs), ...
};
// The BLAS this process runs on.
BlasInfo blasInfo();
// Runs OpenBLAS's products on `threads` threads. Its default is one per CPU
// whatever LibTorch's intra-op count, so without this a run given
// --threads 1 beside another still starts a BLAS thread per CPU. False where
// the BLAS is not OpenBLAS.
bool setBlasThreads(int threads);
// LibTorch's intra-op threads and the BLAS's, as a run's --threads asks.
void setCpuThreads(int threads);
// "OpenBLAS 0.3.21 (kernel Cooperlake, chosen: detected Prescott), 2 threads".
std::string blasSummary(const BlasInfo &info);

// First thing in main() (or a test's initMain()): where chooseOpenBlasKernel asks for a better kernel,
// re-executes the program with OPENBLAS_CORETYPE set (OpenBLAS reads it only
// as it loads); in the re-executed process, checks a product against a
// reference and, if it differs, re-executes once more with the detected
// kernel and a warning on stderr.
void ensureBlasKernel();

} // namespace cosw
