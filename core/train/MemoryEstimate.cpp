#include "MemoryEstimate.h"

#include "RunSummary.h"
#include "base/ByteSize.h"
#include "base/Numbers.h"

#include <algorithm>

namespace cosw {

namespace {

// One transformer layer's activations: s tokens of width h, a heads, b samples.
int64_t layerActivations(int64_t s, int64_t b, int64_t h, int64_t a, int bytes)
{
    const double sixteenBit = double(s) * double(b) * double(h) * (34.0 + 5.0 * double(a) * double(s) / double(h));
    return int64_t(sixteenBit * bytes / 2.0);
}

} // namespace

Json MemoryEstimate::toJson() const
{
    return Json::object({{"weights", weights}, {"gradients", gradients}, {"optimizer", optimizer},
                         {"activations", activations}, {"total", total()}, {"batch", batch},
                         {"sequence", sequence}, {"bytes_per_activation", bytesPerActivation}});
}

MemoryEstimate estimateStageMemory(const RunConfig &run, size_t index)
{
    const StageConfig &st = run.stages.at(index);
    const ModelConfig &m = run.stageModels.at(index);
    const ParameterCounts counts = countParameters(m);
    MemoryEstimate e;
    // auto is bf16 on CUDA; on a CPU it depends on the CPU, so fp32 bounds it.
    const bool bf16 = st.precision == "bf16" || (st.precision == "auto" && st.device.rfind("cuda", 0) == 0);
    e.bytesPerActivation = bf16 && st.kind != "vision" ? 2 : 4;
    const int64_t trained = counts.of(st.train);
    // What trains in fp32; what is frozen at the stage's precision.
    e.weights = trained * 4 + (counts.total() - trained) * e.bytesPerActivation;
    e.gradients = trained * 4;
    e.optimizer = trained * 8;
    e.batch = st.batchSize;

    const VisionConfig &v = m.vision;
    const int64_t patches = int64_t(v.grid()) * v.grid() + (v.classToken ? 1 : 0);
    if (st.kind == "vision" || st.trains("vision"))
        e.activations += int64_t(v.featureBlocks()) * layerActivations(patches, e.batch, v.width, v.heads, e.bytesPerActivation);
    if (st.kind == "vision")
        return e;

    const ConnectorConfig &c = m.connector;
    if (c.type != ConnectorType::Mlp && st.kind != "text") {
        // Queries attend to their window's cells: the scores are q x m^2 per window.
        for (const ScaleConfig &s : c.scales) {
            const int64_t cells = int64_t(v.grid() / s.windows) * (v.grid() / s.windows);
            const int64_t windows = int64_t(s.windows) * s.windows;
            const double perLayer = double(e.batch) * windows
                                    * (34.0 * s.queries * c.width + 5.0 * c.heads * s.queries * cells
                                       + 2.0 * cells * c.width);
            e.activations += int64_t(perLayer * c.layers * e.bytesPerActivation / 2.0);
        }
    }
    const LmConfig &l = m.lm;
    e.sequence = l.maxSeqLen;
    e.activations += int64_t(l.layers) * layerActivations(e.sequence, e.batch, l.width, l.heads, e.bytesPerActivation);
    return e;
}

std::string formatBytes(int64_t bytes)
{
    const ByteSize size = byteSize(bytes);
    return formatRealFixed(size.value, size.decimals) + " " + size.unit;
}

} // namespace cosw
