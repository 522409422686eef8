#pragma once
// Training batches drawn from several datasets in fixed proportions (e.g. the
// questions of fine-tuning with 30% of pre-training's captions, so the reading
// learned from captions is not forgotten). Each batch comes from one source:
// batch b goes to the source furthest behind its share of b + 1 batches (ties:
// the first listed), so over any stretch the shares hold within one batch,
// and the order depends on nothing but the counts, which a resume restores
// from the sources' positions.

#include "BatchLoader.h"

#include <memory>
#include <vector>

namespace cosw {

class MixedBatchLoader {
public:
    struct Source {
        const ConversationDataset *dataset; // outlives the loader
        double weight;                      // > 0; the weights need not sum to 1
    };

    // One BatchLoader per source, with the same options (`seed` offset per
    // source so the sources shuffle independently).
    MixedBatchLoader(const std::vector<Source> &sources, const Tokenizer &tokenizer, int resolution, int channels,
                     int batchSize, uint64_t seed, int workers, bool skipBadImages,
                     TurnLayout turns = TurnLayout::Conversation, const ConversationTemplate &form = {});

    // The next batch; its `source` names the source it came from.
    TrainingBatch next();
    // Every source's position, in source order.
    std::vector<BatchLoader::Position> positions() const;
    // Continues from positions() as saved (one per source).
    void seek(const std::vector<BatchLoader::Position> &positions);
    // Every source's batches as BatchLoader::setShard makes them.
    void setShard(BatchShard shard);

    // Batches in one pass over the first source, with the others' shares.
    int64_t batchesPerEpoch() const;
    size_t sourceCount() const { return m_loaders.size(); }

private:
    int64_t drawnFrom(size_t source, const BatchLoader::Position &p) const;

    std::vector<std::unique_ptr<BatchLoader>> m_loaders;
    std::vector<double> m_shares;  // weights normalised to sum to 1
    std::vector<int64_t> m_drawn;  // batches taken from each source
};

} // namespace cosw
