// Data-parallel training on Gloo over loopback, the ranks as threads of one
// process: two ranks that each take their share of every batch train as one
// rank with the whole batch (the same loss per step and the same weights),
// answers of different lengths included.

#include "TestSupport.h"

#include "base/Errors.h"
#include "io/Checkpoint.h"
#include "model/Mllm.h"
#include "text/Conversation.h"
#include "train/DataParallel.h"

#include <QTest>

#include <cstdlib>
#include <future>
#include <thread>

using namespace cosw;

namespace {

// A batch of text rows whose answers differ in length: row i's first 2 + i
// tokens are prompt, the rest answer.
TrainingBatch unevenBatch(const ModelConfig &c, int rows, int length)
{
    TrainingBatch b;
    b.ids = torch::randint(4, c.lm.vocabSize, {rows, length});
    b.labels = b.ids.clone();
    for (int i = 0; i < rows; ++i)
        b.labels[i].slice(0, 0, std::min(length, 2 + i)).fill_(kIgnoreLabel);
    for (int i = 0; i < rows; ++i)
        b.indices.push_back(size_t(i));
    return b;
}

// `group`'s rows of `whole`, as its loader would assemble them.
TrainingBatch rowsFor(const DataParallel &group, const TrainingBatch &whole)
{
    const auto [begin, end] = group.batchShard().rowsOf(whole.ids.size(0));
    TrainingBatch part = whole;
    part.ids = whole.ids.slice(0, begin, end);
    part.labels = whole.labels.slice(0, begin, end);
    part.indices.assign(whole.indices.begin() + begin, whole.indices.begin() + end);
    return part;
}

struct Trajectory {
    std::vector<double> losses;
    StateDict weights;
};

// `steps` AdamW steps on `batches`, as one rank (no group) or as `group`'s rank.
Trajectory train(const ModelConfig &c, const StateDict &initial, const std::vector<TrainingBatch> &batches,
                 DataParallel *group)
{
    Mllm model(c);
    loadStateDict(*model, initial, "initial");
    model->eval(); // no dropout: the ranks' random streams differ
    torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(1e-2));
    Trajectory out;
    for (const TrainingBatch &whole : batches) {
        optimizer.zero_grad();
        const TrainingBatch batch = group ? rowsFor(*group, whole) : whole;
        const torch::Tensor loss = model->textLoss(batch.ids, batch.labels);
        const double share = group ? group->tokenShare(DataParallel::answerTokens(batch.labels)) : 1.0;
        (loss * share).backward();
        if (group)
            group->sumGradients(model->parameters(), 4096); // small buckets: several of them
        optimizer.step();
        const double part = loss.item<double>() * share;
        out.losses.push_back(group ? group->sum(part) : part);
    }
    out.weights = stateDict(*model);
    return out;
}

} // namespace

class TestParallel : public QObject {
    Q_OBJECT

private slots:
    void sharesCoverEveryRowOnce()
    {
        QCOMPARE((BatchShard{0, 3}.rowsOf(8)), (std::pair<int64_t, int64_t>{0, 3}));
        QCOMPARE((BatchShard{1, 3}.rowsOf(8)), (std::pair<int64_t, int64_t>{3, 6}));
        QCOMPARE((BatchShard{2, 3}.rowsOf(8)), (std::pair<int64_t, int64_t>{6, 8}));
        QCOMPARE((BatchShard{2, 3}.rowsOf(2)), (std::pair<int64_t, int64_t>{2, 2})); // nothing left for it
        QCOMPARE((BatchShard{}.rowsOf(5)), (std::pair<int64_t, int64_t>{0, 5}));
        QCOMPARE(DataParallel::answerTokens(torch::tensor({{-100, 5, -100, 7}, {9, -100, 8, 8}})), int64_t(4));
        // One GPU per rank of a machine; what names a device stays.
        QCOMPARE(DataParallel::deviceForRank("cuda", 1), std::string("cuda:1"));
        QCOMPARE(DataParallel::deviceForRank("cuda:3", 1), std::string("cuda:3"));
        QCOMPARE(DataParallel::deviceForRank("cpu", 1), std::string("cpu"));
    }

    void twoRanksTrainAsOne()
    {
        torch::manual_seed(3);
        const ModelConfig c = test::tinyModelConfig();
        const StateDict initial = stateDict(*Mllm(c));
        std::vector<TrainingBatch> batches;
        for (int i = 0; i < 4; ++i)
            batches.push_back(unevenBatch(c, 7, 12)); // 7 rows: shares of 4 and 3
        const Trajectory one = train(c, initial, batches, nullptr);

        RankPlacement first;
        first.worldSize = 2;
        first.masterPort = 0;
        DataParallel rank0(first, std::chrono::seconds(60));
        RankPlacement second = first;
        second.rank = 1;
        second.masterPort = rank0.port();
        auto other = std::async(std::launch::async, [&] {
            DataParallel rank1(second, std::chrono::seconds(60));
            rank1.join();
            return train(c, initial, batches, &rank1);
        });
        rank0.join();
        const Trajectory zero = train(c, initial, batches, &rank0);
        const Trajectory oneOfTwo = other.get();

        for (size_t step = 0; step < batches.size(); ++step) {
            QVERIFY2(std::abs(zero.losses[step] - one.losses[step]) < 1e-5,
                     qPrintable(QString("step %1: %2 on two ranks, %3 on one").arg(step).arg(zero.losses[step]).arg(one.losses[step])));
            QCOMPARE(zero.losses[step], oneOfTwo.losses[step]);
        }
        for (const auto &[name, tensor] : one.weights) {
            QVERIFY2((zero.weights.at(name) - tensor).abs().max().item<double>() < 1e-5, name.c_str());
            QVERIFY2(torch::equal(zero.weights.at(name), oneOfTwo.weights.at(name)), name.c_str());
        }
    }

    void placementComesFromTheEnvironment()
    {
        qputenv("WORLD_SIZE", "4");
        qputenv("RANK", "2");
        qputenv("LOCAL_RANK", "0");
        qputenv("MASTER_ADDR", "10.0.0.5");
        qputenv("MASTER_PORT", "29411");
        const RankPlacement p = RankPlacement::fromEnvironment();
        QCOMPARE(p.worldSize, 4);
        QCOMPARE(p.rank, 2);
        QCOMPARE(p.masterAddress, std::string("10.0.0.5"));
        QCOMPARE(p.masterPort, 29411);
        qputenv("RANK", "4");
        const std::string why = test::thrownMessage<InputError>([] { RankPlacement::fromEnvironment(); });
        QVERIFY2(why.find("RANK=4") != std::string::npos, why.c_str());
        for (const char *name : {"WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"})
            qunsetenv(name);
        QCOMPARE(RankPlacement::fromEnvironment().worldSize, 1);
    }
};

QTEST_GUILESS_MAIN(TestParallel)
#include "tst_parallel.moc"
