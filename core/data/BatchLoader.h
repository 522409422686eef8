#pragma once
// Training batches from a conversation dataset (of images, or of text
// alone): images decoded on background threads, sequences in the
// conversation template, a shuffled order per epoch that depends only on
// (seed, epoch), and a position to resume from.

#include "ConversationDataset.h"
#include "Tokenizer.h"

#include "model/LanguageModel.h"

#include <torch/torch.h>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace cosw {

struct TrainingBatch {
    torch::Tensor images;         // [B, ch, R, R] float, normalised as loadImage() does; undefined for text samples
    torch::Tensor ids;            // [B, T] long, one kImageTokenId per row (none for text), right-padded with <pad>
    torch::Tensor labels;         // [B, T] long, kIgnoreLabel on the prompt and the padding
    std::vector<size_t> indices;  // dataset index of each row (after any replacement)
    int skipped = 0;              // rows whose sample was replaced for an unreadable image
    int source = 0;               // which dataset of a mix it came from
    TextLayout layout;            // positions and segments of ids, independent turns only
};

// The rows of every batch a loader assembles when data-parallel ranks split
// it: part `index` of `count`, so each rank decodes only its own rows of the
// global batch, in the global order.
struct BatchShard {
    int index = 0;
    int count = 1;
    // Rows [begin, end) of a batch of `rows`: an even split, the first parts
    // taking one more where it does not divide (empty when rows < count).
    std::pair<int64_t, int64_t> rowsOf(int64_t rows) const;
};

class BatchLoader {
public:
    // Where the next batch starts: `offset` samples into epoch `epoch`'s order.
    struct Position {
        int64_t epoch = 0;
        int64_t offset = 0;
    };

    // `dataset` must outlive the loader. `workers` threads decode upcoming
    // batches ahead of next() (0: next() decodes them itself); the batches
    // are the same for every worker count. With `skipBadImages` a sample
    // whose image is missing or corrupt is replaced by the next sample (in
    // dataset order) whose image loads; otherwise next() throws the
    // InputError naming the file. Bad arguments, or a dataset smaller than
    // one batch, throw InputError. next(), position() and seek() are meant
    // for one thread (the training loop). `turns` says how a sample's
    // turns see each other (TurnLayout), `form` which template frames them.
    BatchLoader(const ConversationDataset &dataset, const Tokenizer &tokenizer, int resolution, int channels,
                int batchSize, uint64_t seed, int workers, bool skipBadImages,
                TurnLayout turns = TurnLayout::Conversation, const ConversationTemplate &form = {});
    ~BatchLoader();
    BatchLoader(const BatchLoader &) = delete;
    BatchLoader &operator=(const BatchLoader &) = delete;

    // The batch at position(), then advances past it; after an epoch's last
    // full batch (a partial one is dropped) the next epoch starts. A batch
    // whose preparation throws is consumed all the same.
    TrainingBatch next();
    // The position of the batch next() returns; always inside an epoch's
    // full batches (an epoch's end reads as {epoch + 1, 0}).
    Position position() const;
    // Continues from `position` as saved by position(); InputError when the
    // offset lies outside [0, dataset size].
    void seek(Position position);
    // From now on next() assembles only `shard`'s rows of each batch (padded
    // to the longest of them); positions and order stay those of the whole
    // batch, so any number of parts resumes from any other's position.
    // Before the first next() only: std::logic_error after it.
    void setShard(BatchShard shard);

    int64_t batchesPerEpoch() const { return m_size / m_batchSize; }
    int64_t batchSize() const { return m_batchSize; }

private:
    using Order = std::shared_ptr<const std::vector<size_t>>;
    struct Job {
        uint64_t sequence = 0;
        Position position;
        Order order;
    };
    struct Prepared {
        TrainingBatch batch;
        std::exception_ptr error;
    };

    Position normalized(Position p) const;
    Position after(Position p) const; // the position following a batch at p
    // Claims the batch at m_claimPosition and advances it. Callers hold
    // m_mutex, or are next() with no workers.
    Job claim();
    TrainingBatch assemble(const Job &job) const;
    torch::Tensor loadReplacingBadImages(size_t &index, int &skipped) const;
    void work();

    const ConversationDataset &m_dataset;
    TextEncoder m_encode;
    int64_t m_eosId, m_padId;
    ConversationTemplate m_form;
    int m_resolution;
    int m_channels;
    int64_t m_batchSize;
    int64_t m_size;
    uint64_t m_seed;
    bool m_skipBadImages;
    TurnLayout m_turns;
    BatchShard m_shard;
    int m_workers;
    size_t m_depth; // batches claimed but not yet returned, at most

    mutable std::mutex m_mutex;
    std::condition_variable m_workAvailable;
    std::condition_variable m_batchReady;
    bool m_stop = false;
    // Bumped by seek(); batches of an older generation still being
    // prepared are dropped when they finish.
    uint64_t m_generation = 0;
    uint64_t m_nextToClaim = 0;
    uint64_t m_nextToReturn = 0;
    Position m_claimPosition;
    Position m_position;
    Order m_order; // of m_claimPosition.epoch
    std::map<uint64_t, Prepared> m_prepared;
    std::vector<std::thread> m_threads;
};

// The sample of `dataset` with the most tokens as a loader with these
// settings encodes it, the image as its one placeholder token: {index, tokens}.
std::pair<size_t, size_t> longestSample(const ConversationDataset &dataset, const Tokenizer &tokenizer,
                                        TurnLayout turns = TurnLayout::Conversation,
                                        const ConversationTemplate &form = {});

} // namespace cosw
