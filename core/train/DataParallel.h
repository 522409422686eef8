#pragma once
// Data-parallel training on LibTorch's own distributed engine (c10d): Gloo
// between processes on CPUs. Every rank holds the same model, takes its
// share of each global batch, and the ranks' gradients are summed in a few
// large buckets, so every rank steps the same optimizer on the same numbers
// and the run trains as one process with the whole batch would.
//
// A batch's loss is the mean over its answer tokens (LanguageModel::loss).
// A rank weights the mean over its share by its share of the batch's answer
// tokens, so uneven shares (answers of different lengths) still add up to
// exactly the one-process loss and gradient.

#include "data/BatchLoader.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cosw {

// Where a rank is and how it finds the others: torchrun's variables.
struct RankPlacement {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    std::string masterAddress = "127.0.0.1";
    int masterPort = 29500; // rank 0 listens here; 0 picks a free port (see DataParallel::port)

    // RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT; one rank when
    // WORLD_SIZE is unset. InputError naming a malformed or inconsistent variable.
    static RankPlacement fromEnvironment();
};

class DataParallel {
public:
    // Opens the rendezvous store (rank 0 hosts it); join() then waits for
    // the other ranks. Throws std::runtime_error naming the address when the
    // store cannot be reached within `timeout`.
    DataParallel(const RankPlacement &placement, std::chrono::milliseconds timeout);
    ~DataParallel();
    DataParallel(const DataParallel &) = delete;
    DataParallel &operator=(const DataParallel &) = delete;

    // Forms the group; blocks until every rank has joined or `timeout` passed.
    void join();

    int rank() const { return m_placement.rank; }
    int worldSize() const { return m_placement.worldSize; }
    int localRank() const { return m_placement.localRank; }
    // The device a rank trains on: a plain "cuda" becomes "cuda:LOCAL_RANK",
    // one GPU per rank of a machine; a named GPU or the CPU stays as given.
    static std::string deviceForRank(const std::string &device, int localRank);
    // The store's port (rank 0's choice when asked for port 0).
    int port() const;

    // This rank's part of every global batch (BatchLoader::setShard).
    BatchShard batchShard() const { return {rank(), worldSize()}; }

    // The tokens a loss over `labels` counts ([B, T]: every label but the
    // first of each row that is not kIgnoreLabel).
    static int64_t answerTokens(const torch::Tensor &labels);
    // The weight of this rank's mean loss over `localTokens`: its share of
    // the global batch's tokens (0 when no rank has any).
    double tokenShare(int64_t localTokens);

    // Sums every gradient across ranks, in buckets of about `bucketBytes`.
    void sumGradients(const std::vector<torch::Tensor> &parameters, int64_t bucketBytes = 25 << 20);
    // The sum of `value` over ranks.
    double sum(double value);
    // Each element summed over ranks, in place.
    void sum(std::vector<double> &values);
    void barrier();

private:
    struct Group;
    RankPlacement m_placement;
    std::chrono::milliseconds m_timeout;
    std::unique_ptr<Group> m_group;

    void allReduce(torch::Tensor &tensor);
};

// Whether this process is a data-parallel rank other than 0.
inline bool follows(const DataParallel *parallel) { return parallel && parallel->rank() != 0; }

// Rank 0 does `work` first (data generated, a tower trained and cached); the
// other ranks do it after, finding what it left, so every rank holds the same.
template <typename Work>
auto leadThenFollow(DataParallel *parallel, Work &&work)
{
    if (follows(parallel))
        parallel->barrier();
    auto result = work();
    if (parallel && !follows(parallel))
        parallel->barrier();
    return result;
}

// Rank 0's `value` on every rank (a decision rank 0 takes, such as a run
// id, that the others follow); `value` itself without ranks.
int64_t fromRankZero(DataParallel *parallel, int64_t value);

} // namespace cosw
