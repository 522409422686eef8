#include "BatchLoader.h"

#include "DeterministicRandom.h"
#include "ImagePipeline.h"

#include "base/Errors.h"
#include "base/Messages.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace cosw {

namespace {

std::shared_ptr<const std::vector<size_t>> epochOrder(size_t size, uint64_t seed, int64_t epoch)
{
    auto order = std::make_shared<std::vector<size_t>>(size);
    std::iota(order->begin(), order->end(), size_t(0));
    std::mt19937_64 rng(mixSeed(seed, uint64_t(epoch)));
    deterministicShuffle(*order, rng);
    return order;
}

} // namespace

std::pair<int64_t, int64_t> BatchShard::rowsOf(int64_t rows) const
{
    const int64_t n = count, i = index;
    const int64_t base = rows / n, extra = rows % n;
    const int64_t begin = i * base + std::min(i, extra);
    return {begin, begin + base + (i < extra ? 1 : 0)};
}

BatchLoader::BatchLoader(const ConversationDataset &dataset, const Tokenizer &tokenizer, int resolution,
                         int channels, int batchSize, uint64_t seed, int workers, bool skipBadImages,
                         TurnLayout turns, const ConversationTemplate &form)
    : m_dataset(dataset),
      m_encode(tokenizer.encoder()),
      m_eosId(tokenizer.eosId()),
      m_padId(tokenizer.padId()),
      m_form(form),
      m_resolution(resolution),
      m_channels(channels),
      m_batchSize(batchSize),
      m_size(int64_t(dataset.size())),
      m_seed(seed),
      m_skipBadImages(skipBadImages),
      m_turns(turns),
      m_workers(workers),
      m_depth(size_t(std::max(2, workers)))
{
    if (resolution <= 0)
        throw InputError(fill(msg("batch loader: resolution must be positive, got %1"), {std::to_string(resolution)}));
    if (channels != 1 && channels != 3)
        throw InputError(fill(msg("batch loader: images have 1 or 3 channels, not %1"), {std::to_string(channels)}));
    if (batchSize <= 0)
        throw InputError(fill(msg("batch loader: batch size must be positive, got %1"), {std::to_string(batchSize)}));
    if (workers < 0)
        throw InputError(fill(msg("batch loader: workers must be 0 or more, got %1"), {std::to_string(workers)}));
    if (m_size < m_batchSize)
        throw InputError(fill(msg("%1: %2 samples, fewer than one batch of %3"),
                              {dataset.source(), std::to_string(m_size), std::to_string(batchSize)}));
    m_order = epochOrder(dataset.size(), m_seed, 0);
}

BatchLoader::~BatchLoader()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_workAvailable.notify_all();
    for (std::thread &t : m_threads)
        t.join();
}

BatchLoader::Position BatchLoader::normalized(Position p) const
{
    if (p.offset + m_batchSize > m_size)
        return {p.epoch + 1, 0};
    return p;
}

BatchLoader::Position BatchLoader::after(Position p) const
{
    return normalized({p.epoch, p.offset + m_batchSize});
}

BatchLoader::Job BatchLoader::claim()
{
    Job job{m_nextToClaim++, m_claimPosition, m_order};
    m_claimPosition = after(m_claimPosition);
    if (m_claimPosition.epoch != job.position.epoch)
        m_order = epochOrder(size_t(m_size), m_seed, m_claimPosition.epoch);
    return job;
}

torch::Tensor BatchLoader::loadReplacingBadImages(size_t &index, int &skipped) const
{
    if (!m_skipBadImages)
        return loadImage(m_dataset.imagePath(index), m_resolution, m_channels);
    const size_t wanted = index;
    torch::Tensor image = loadReadableImage(
        index, m_dataset.size(), [this](size_t i) { return m_dataset.imagePath(i); }, m_resolution, m_channels,
        m_dataset.source());
    skipped += index != wanted ? 1 : 0;
    return image;
}

TrainingBatch BatchLoader::assemble(const Job &job) const
{
    TrainingBatch batch;
    std::vector<torch::Tensor> images;
    std::vector<ConversationTokens> sequences;
    size_t longest = 0;
    const auto [first, end] = m_shard.rowsOf(m_batchSize);
    for (int64_t row = first; row < end; ++row) {
        size_t index = (*job.order)[size_t(job.position.offset + row)];
        if (m_dataset.hasImages())
            images.push_back(loadReplacingBadImages(index, batch.skipped)); // [ch, R, R]
        const ConversationSample &s = m_dataset.sample(index);
        sequences.push_back(
            conversationTokens(m_encode, s.turns, m_eosId, m_dataset.hasImages(), m_turns, m_form));
        longest = std::max(longest, sequences.back().ids.size());
        batch.indices.push_back(index);
    }
    if (m_dataset.hasImages()) // a shard may hold no row, and is still a batch of images
        batch.images = images.empty() ? torch::empty({0, m_channels, m_resolution, m_resolution})
                                      : torch::stack(images); // [B, ch, R, R]

    const auto rows = sequences.size();
    std::vector<int64_t> ids(rows * longest, m_padId);
    std::vector<int64_t> labels(rows * longest, kIgnoreLabel);
    for (size_t r = 0; r < rows; ++r) {
        std::copy(sequences[r].ids.begin(), sequences[r].ids.end(), ids.begin() + ptrdiff_t(r * longest));
        std::copy(sequences[r].labels.begin(), sequences[r].labels.end(), labels.begin() + ptrdiff_t(r * longest));
    }
    const std::vector<int64_t> shape = {int64_t(rows), int64_t(longest)};
    batch.ids = torch::tensor(ids, torch::kLong).reshape(shape);       // [B, T]
    batch.labels = torch::tensor(labels, torch::kLong).reshape(shape); // [B, T]
    if (m_turns == TurnLayout::Independent) {
        // Padding continues the last position in a segment of its own (-1),
        // which no real token sees.
        std::vector<float> positions(rows * longest);
        std::vector<int64_t> segments(rows * longest, -1);
        for (size_t r = 0; r < rows; ++r) {
            const ConversationTokens &seq = sequences[r];
            const size_t n = seq.positions.size();
            for (size_t j = 0; j < longest; ++j)
                positions[r * longest + j] = float(j < n ? seq.positions[j] : seq.positions.back() + int64_t(j - n) + 1);
            std::copy(seq.segments.begin(), seq.segments.end(), segments.begin() + ptrdiff_t(r * longest));
        }
        batch.layout.positions = torch::tensor(positions, torch::kFloat).reshape(shape); // [B, T]
        batch.layout.segments = torch::tensor(segments, torch::kLong).reshape(shape);    // [B, T]
    }
    return batch;
}

void BatchLoader::work()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_workAvailable.wait(lock, [this] { return m_stop || m_nextToClaim < m_nextToReturn + m_depth; });
        if (m_stop)
            return;
        const Job job = claim();
        const uint64_t generation = m_generation;
        lock.unlock();
        Prepared prepared;
        try {
            prepared.batch = assemble(job);
        } catch (...) {
            prepared.error = std::current_exception();
        }
        lock.lock();
        if (generation == m_generation) {
            m_prepared.emplace(job.sequence, std::move(prepared));
            m_batchReady.notify_all();
        }
    }
}

TrainingBatch BatchLoader::next()
{
    if (m_workers == 0) {
        const Job job = claim();
        m_position = m_claimPosition;
        return assemble(job);
    }
    // Started on first use, so that a seek() right after construction (a
    // resumed run) does not waste the first batches.
    if (m_threads.empty())
        for (int i = 0; i < m_workers; ++i)
            m_threads.emplace_back([this] { work(); });
    std::unique_lock<std::mutex> lock(m_mutex);
    m_batchReady.wait(lock, [this] { return m_prepared.count(m_nextToReturn) > 0; });
    auto node = m_prepared.extract(m_nextToReturn);
    ++m_nextToReturn;
    m_position = after(m_position);
    lock.unlock();
    m_workAvailable.notify_all();
    if (node.mapped().error)
        std::rethrow_exception(node.mapped().error);
    return std::move(node.mapped().batch);
}

BatchLoader::Position BatchLoader::position() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_position;
}

void BatchLoader::setShard(BatchShard shard)
{
    if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count)
        throw std::logic_error("batch loader: shard " + std::to_string(shard.index) + " of "
                               + std::to_string(shard.count));
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_threads.empty() || m_nextToClaim > 0)
        throw std::logic_error("batch loader: the shard is set before the first batch");
    m_shard = shard;
}

void BatchLoader::seek(Position position)
{
    if (position.epoch < 0 || position.offset < 0 || position.offset > m_size)
        throw InputError(fill(msg("data position (epoch %1, offset %2) lies outside the %3 samples of %4"),
                              {std::to_string(position.epoch), std::to_string(position.offset),
                               std::to_string(m_size), m_dataset.source()}));
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_generation;
        m_prepared.clear();
        m_position = normalized(position);
        m_claimPosition = m_position;
        m_order = epochOrder(size_t(m_size), m_seed, m_position.epoch);
        m_nextToClaim = m_nextToReturn;
    }
    m_workAvailable.notify_all();
}

std::pair<size_t, size_t> longestSample(const ConversationDataset &dataset, const Tokenizer &tokenizer,
                                        TurnLayout turns, const ConversationTemplate &form)
{
    const TextEncoder encode = tokenizer.encoder();
    std::pair<size_t, size_t> longest{0, 0};
    for (size_t i = 0; i < dataset.size(); ++i) {
        const size_t tokens =
            conversationTokens(encode, dataset.sample(i).turns, tokenizer.eosId(), dataset.hasImages(), turns, form)
                .ids.size();
        if (tokens > longest.second)
            longest = {i, tokens};
    }
    return longest;
}

} // namespace cosw
