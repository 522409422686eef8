#include "MixedBatchLoader.h"

#include "base/Errors.h"
#include "base/Messages.h"

#include <cmath>
#include <numeric>

namespace cosw {

MixedBatchLoader::MixedBatchLoader(const std::vector<Source> &sources, const Tokenizer &tokenizer, int resolution,
                                   int channels, int batchSize, uint64_t seed, int workers, bool skipBadImages,
                                   TurnLayout turns, const ConversationTemplate &form)
{
    if (sources.empty())
        throw InputError(msg("batch loader: no dataset to draw from"));
    double total = 0;
    for (const Source &s : sources) {
        if (!(s.weight > 0) || !std::isfinite(s.weight))
            throw InputError(fill(msg("%1: mix weight must be positive"), {s.dataset->source()}));
        total += s.weight;
    }
    for (size_t i = 0; i < sources.size(); ++i) {
        // Source 0 keeps the stage's seed, so a stage without a mix draws the
        // same batches as before mixes existed.
        m_loaders.push_back(std::make_unique<BatchLoader>(*sources[i].dataset, tokenizer, resolution, channels,
                                                          batchSize, seed + 7919 * i, workers, skipBadImages,
                                                          turns, form));
        m_shares.push_back(sources[i].weight / total);
    }
    m_drawn.assign(sources.size(), 0);
}

TrainingBatch MixedBatchLoader::next()
{
    const int64_t taken = std::accumulate(m_drawn.begin(), m_drawn.end(), int64_t(0));
    size_t pick = 0;
    double behind = -1e300;
    for (size_t i = 0; i < m_loaders.size(); ++i) {
        const double deficit = m_shares[i] * double(taken + 1) - double(m_drawn[i]);
        if (deficit > behind + 1e-12) {
            behind = deficit;
            pick = i;
        }
    }
    TrainingBatch batch = m_loaders[pick]->next();
    batch.source = static_cast<int>(pick);
    ++m_drawn[pick];
    return batch;
}

std::vector<BatchLoader::Position> MixedBatchLoader::positions() const
{
    std::vector<BatchLoader::Position> out;
    for (const auto &loader : m_loaders)
        out.push_back(loader->position());
    return out;
}

int64_t MixedBatchLoader::drawnFrom(size_t source, const BatchLoader::Position &p) const
{
    return p.epoch * m_loaders[source]->batchesPerEpoch() + p.offset / m_loaders[source]->batchSize();
}

void MixedBatchLoader::seek(const std::vector<BatchLoader::Position> &positions)
{
    if (positions.size() != m_loaders.size())
        throw InputError(fill(msg("data position names %1 datasets, the stage mixes %2"),
                              {std::to_string(positions.size()), std::to_string(m_loaders.size())}));
    for (size_t i = 0; i < m_loaders.size(); ++i) {
        m_loaders[i]->seek(positions[i]);
        m_drawn[i] = drawnFrom(i, m_loaders[i]->position());
    }
}

void MixedBatchLoader::setShard(BatchShard shard)
{
    for (const auto &loader : m_loaders)
        loader->setShard(shard);
}

int64_t MixedBatchLoader::batchesPerEpoch() const
{
    return std::max<int64_t>(1, std::llround(double(m_loaders[0]->batchesPerEpoch()) / m_shares[0]));
}

} // namespace cosw
