#pragma once
// What a stage will hold in memory, estimated from its config before it
// runs, so a launch that cannot fit is seen before it spends anything:
//   weights      what the stage trains in fp32 (the optimizer's masters),
//                the rest at the stage's precision (bf16 holds it in bf16)
//   gradients    fp32, for the parameters the stage trains
//   optimizer    AdamW's two fp32 moments for them
//   activations  what the backward pass keeps, per transformer layer
//                s*b*h*(34 + 5*a*s/h) bytes at 16-bit precision (Korthikanti
//                et al. 2022, no recomputation), twice that in fp32, for the
//                language model (always: gradients flow through it to the
//                connector), the connector, and the tower when it trains
// The sequence is the language model's longest (max_seq_len): an upper
// bound. Workspace, the allocator's slack and the CUDA context are not in it.

#include "RunConfig.h"
#include "base/Json.h"

#include <cstdint>
#include <string>

namespace cosw {

struct MemoryEstimate {
    int64_t weights = 0;
    int64_t gradients = 0;
    int64_t optimizer = 0;
    int64_t activations = 0;
    int64_t batch = 0;              // samples per micro-batch
    int64_t sequence = 0;           // language-model tokens per sample assumed
    int bytesPerActivation = 4;     // 2 under bf16
    int64_t total() const { return weights + gradients + optimizer + activations; }
    Json toJson() const;
};

MemoryEstimate estimateStageMemory(const RunConfig &run, size_t stage);

// "812 MiB", "12.4 GiB": binary units, '.' as the decimal point.
std::string formatBytes(int64_t bytes);

} // namespace cosw
