#include "DataParallel.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "text/Conversation.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <cmath>
#include <cstdlib>
#include <map>

namespace cosw {

namespace {

// An environment variable as a whole number in [low, high]; `fallback` when unset.
int environmentNumber(const char *name, int fallback, int low, int high)
{
    const char *text = std::getenv(name);
    if (!text || !*text)
        return fallback;
    char *end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value < low || value > high)
        throw InputError(fill(msg("%1=%2: expected a whole number from %3 to %4"),
                              {name, text, std::to_string(low), std::to_string(high)}));
    return int(value);
}

} // namespace

RankPlacement RankPlacement::fromEnvironment()
{
    RankPlacement p;
    p.worldSize = environmentNumber("WORLD_SIZE", 1, 1, 1 << 16);
    p.rank = environmentNumber("RANK", 0, 0, p.worldSize - 1);
    p.localRank = environmentNumber("LOCAL_RANK", 0, 0, p.worldSize - 1);
    p.masterPort = environmentNumber("MASTER_PORT", p.masterPort, 0, 65535);
    if (const char *address = std::getenv("MASTER_ADDR"); address && *address)
        p.masterAddress = address;
    if (p.worldSize > 1 && p.rank != 0 && p.masterPort == 0)
        throw InputError(msg("MASTER_PORT=0: only rank 0 may pick a free port; the others need the one it picked"));
    return p;
}

struct DataParallel::Group {
    c10::intrusive_ptr<c10d::TCPStore> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
};

DataParallel::DataParallel(const RankPlacement &placement, std::chrono::milliseconds timeout)
    : m_placement(placement), m_timeout(timeout), m_group(std::make_unique<Group>())
{
    c10d::TCPStoreOptions options;
    options.port = uint16_t(placement.masterPort);
    options.isServer = placement.rank == 0;
    options.waitWorkers = false;
    options.timeout = timeout;
    try {
        m_group->store = c10::make_intrusive<c10d::TCPStore>(placement.masterAddress, options);
    } catch (const std::exception &e) {
        throw std::runtime_error(fill(msg("rank %1: no rendezvous at %2:%3 (%4)"),
                                      {std::to_string(placement.rank), placement.masterAddress,
                                       std::to_string(placement.masterPort), e.what()}));
    }
}

DataParallel::~DataParallel() = default;

void DataParallel::join()
{
    auto options = c10d::ProcessGroupGloo::Options::create(m_timeout);
    // Loopback for ranks of one machine; the master's address reaches the others.
    const bool local = m_placement.masterAddress == "127.0.0.1" || m_placement.masterAddress == "localhost";
    options->devices.push_back(local ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                     : c10d::ProcessGroupGloo::createDefaultDevice());
    m_group->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(m_group->store, m_placement.rank,
                                                                m_placement.worldSize, options);
}

int DataParallel::port() const { return m_group->store->getPort(); }

std::string DataParallel::deviceForRank(const std::string &device, int localRank)
{
    return device == "cuda" ? "cuda:" + std::to_string(localRank) : device;
}

int64_t DataParallel::answerTokens(const torch::Tensor &labels)
{
    return labels.slice(1, 1).ne(kIgnoreLabel).sum().item<int64_t>();
}

double DataParallel::tokenShare(int64_t localTokens)
{
    const double all = sum(double(localTokens));
    return all > 0 ? double(localTokens) / all : 0.0;
}

void DataParallel::allReduce(torch::Tensor &tensor)
{
    std::vector<torch::Tensor> tensors{tensor};
    m_group->gloo->allreduce(tensors)->wait(m_timeout);
}

void DataParallel::sumGradients(const std::vector<torch::Tensor> &parameters, int64_t bucketBytes)
{
    // Buckets of one dtype, filled in parameter order, so every rank flattens
    // the same gradients into the same buffers.
    std::map<c10::ScalarType, std::vector<torch::Tensor>> pending;
    std::map<c10::ScalarType, int64_t> pendingBytes;
    auto flush = [&](c10::ScalarType type) {
        std::vector<torch::Tensor> &grads = pending[type];
        if (grads.empty())
            return;
        std::vector<torch::Tensor> flat;
        for (const torch::Tensor &g : grads)
            flat.push_back(g.reshape({-1}));
        torch::Tensor bucket = torch::cat(flat);                       // [sum of numels]
        allReduce(bucket);
        int64_t at = 0;
        for (torch::Tensor &g : grads) {
            g.copy_(bucket.slice(0, at, at + g.numel()).view_as(g));
            at += g.numel();
        }
        grads.clear();
        pendingBytes[type] = 0;
    };
    // Which parameters any rank reached: a parameter no rank reached keeps
    // no gradient (the optimizer leaves it alone, as one process would); one
    // only other ranks reached takes their sum.
    std::vector<float> here(parameters.size());
    for (size_t i = 0; i < parameters.size(); ++i)
        here[i] = parameters[i].grad().defined() ? 1.0f : 0.0f;
    torch::Tensor reached = torch::tensor(here);                      // [parameters]
    allReduce(reached);
    const float *anyRank = reached.data_ptr<float>();
    for (size_t i = 0; i < parameters.size(); ++i) {
        const torch::Tensor &p = parameters[i];
        if (anyRank[i] == 0.0f)
            continue;
        torch::Tensor g = p.grad();
        if (!g.defined()) {
            g = torch::zeros_like(p);
            p.mutable_grad() = g;
        }
        const auto type = g.scalar_type();
        pending[type].push_back(g);
        pendingBytes[type] += g.numel() * int64_t(g.element_size());
        if (pendingBytes[type] >= bucketBytes)
            flush(type);
    }
    for (auto &[type, grads] : pending)
        flush(type);
}

double DataParallel::sum(double value)
{
    torch::Tensor t = torch::tensor({value}, torch::kDouble);
    allReduce(t);
    return t.item<double>();
}

void DataParallel::sum(std::vector<double> &values)
{
    torch::Tensor t = torch::tensor(values, torch::kDouble); // [n]
    allReduce(t);
    std::copy(t.data_ptr<double>(), t.data_ptr<double>() + t.numel(), values.begin());
}

void DataParallel::barrier()
{
    m_group->gloo->barrier()->wait(m_timeout);
}

int64_t fromRankZero(DataParallel *parallel, int64_t value)
{
    if (!parallel)
        return value;
    // Exact: ids and counts stay far below 2^53.
    return std::llround(parallel->sum(parallel->rank() == 0 ? double(value) : 0.0));
}

} // namespace cosw
