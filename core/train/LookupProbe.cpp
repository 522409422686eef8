#include "LookupProbe.h"

#include "LrSchedule.h"
#include "OptimizerGroups.h"
#include "RunConfig.h"
#include "model/Conversation.h"
#include "model/LanguageModel.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>

namespace cosw {

namespace {

// Token ids: the LM's specials (0 pad, 1 <s>, 2 </s>), then the probe's words.
constexpr int64_t kFirstItem = 10, kItems = 10, kNothing = 20, kQuery = 21, kYes = 22, kNo = 23, kSep = 24;
constexpr int64_t kFirstPosition = 32;

struct Sequences {
    torch::Tensor ids;    // [B, T]
    torch::Tensor labels; // [B, T]
};

// One grid as FMNIST-Grid lays it out: 3 to 9 shuffled classes, 35% of cells filled.
std::vector<int> drawCells(int cells, std::mt19937_64 &rng)
{
    std::vector<int> classes(kItems);
    std::iota(classes.begin(), classes.end(), 0);
    std::shuffle(classes.begin(), classes.end(), rng);
    const int shown = 3 + int(rng() % 7);
    std::vector<int> out(size_t(cells), -1);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int &c : out)
        if (unit(rng) < 0.35)
            c = classes[size_t(rng() % uint64_t(shown))];
    return out;
}

Sequences drawBatch(const std::string &task, int cells, int batch, std::mt19937_64 &rng)
{
    std::vector<int64_t> ids, labels;
    for (int b = 0; b < batch; ++b) {
        const std::vector<int> grid = drawCells(cells, rng);
        std::vector<int64_t> s = {1};
        for (int c : grid)
            s.push_back(c < 0 ? kNothing : kFirstItem + c);
        int64_t asked = 0, answer = 0;
        if (task == "existence") {
            // Half the questions about a class on the grid, as the generator asks.
            std::vector<int> present, absent;
            for (int cls = 0; cls < kItems; ++cls)
                (std::count(grid.begin(), grid.end(), cls) ? present : absent).push_back(cls);
            const bool askPresent = !present.empty() && (absent.empty() || rng() % 2 == 0);
            const auto &from = askPresent ? present : absent;
            asked = kFirstItem + from[size_t(rng() % from.size())];
            answer = askPresent ? kYes : kNo;
        } else {
            const int position = int(rng() % uint64_t(cells));
            asked = kFirstPosition + position;
            answer = grid[size_t(position)] < 0 ? kNothing : kFirstItem + grid[size_t(position)];
        }
        for (int64_t id : {kSep, kQuery, asked, kSep})
            s.push_back(id);
        std::vector<int64_t> l(s.size(), kIgnoreLabel);
        for (int64_t id : {answer, int64_t(2)}) {
            s.push_back(id);
            l.push_back(id);
        }
        ids.insert(ids.end(), s.begin(), s.end());
        labels.insert(labels.end(), l.begin(), l.end());
    }
    const int64_t t = int64_t(ids.size()) / batch; // every sequence has the same length
    return {torch::tensor(ids).view({batch, t}), torch::tensor(labels).view({batch, t})};
}

} // namespace

void runLookupProbe(const LookupProbeOptions &o, const std::function<void(const LookupProbePoint &)> &report)
{
    if (o.task != "existence" && o.task != "position")
        throw std::invalid_argument("task must be existence or position, got " + o.task);
    if (o.cells < 1 || o.shortCells < 1 || o.steps < 1 || o.batchSize < 1 || o.evalEvery < 1 || o.evalSamples < 1)
        throw std::invalid_argument("cells, short cells, steps, batch, eval interval and eval samples must be positive");
    torch::manual_seed(o.seed);
    std::mt19937_64 rng(o.seed);
    LmConfig lmConfig = o.lm;
    lmConfig.vocabSize = int(kFirstPosition + std::max(o.cells, o.shortCells));
    lmConfig.maxSeqLen = std::max(o.cells, o.shortCells) + 8;
    LanguageModel lm(lmConfig);

    // The trainer's rules: AdamW, no decay on embeddings and norms, warm-up then cosine.
    StageConfig stage;
    stage.lr = o.lr;
    stage.warmupSteps = o.warmupSteps;
    std::map<bool, std::vector<torch::Tensor>> byDecay;
    for (auto &p : lm->named_parameters())
        byDecay[decays(p.key(), p.value())].push_back(p.value());
    std::vector<torch::optim::OptimizerParamGroup> groups;
    for (auto &[decayed, tensors] : byDecay) {
        auto options = std::make_unique<torch::optim::AdamWOptions>(o.lr);
        options->weight_decay(decayed ? o.weightDecay : 0.0);
        groups.emplace_back(tensors, std::move(options));
    }
    torch::optim::AdamW optimizer(groups, torch::optim::AdamWOptions(o.lr));

    auto lossOf = [&](const Sequences &s, torch::Tensor *logitsOut) {
        auto logits = lm->logits(lm->forward(lm->embed(s.ids))); // [B, T, V]
        if (logitsOut)
            *logitsOut = logits;
        return torch::nn::functional::cross_entropy(
            logits.slice(1, 0, -1).reshape({-1, logits.size(2)}), s.labels.slice(1, 1).reshape({-1}),
            torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreLabel));
    };
    // Fresh grids the model never trains on, the same ones at every evaluation.
    std::mt19937_64 evalRng(o.seed ^ 0x5eedULL);
    const Sequences held = drawBatch(o.task, o.cells, o.evalSamples, evalRng);
    const int64_t answerAt = held.ids.size(1) - 2;
    std::map<int64_t, int> answers;
    for (int64_t i = 0; i < o.evalSamples; ++i)
        ++answers[held.ids[i][answerAt].item<int64_t>()];
    int most = 0;
    for (const auto &[id, n] : answers)
        most = std::max(most, n);
    const double majority = double(most) / double(o.evalSamples);

    for (int step = 0; step < o.steps; ++step) {
        const double lr = learningRate(stage, step, o.steps);
        for (auto &group : optimizer.param_groups())
            static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);
        const Sequences batch = drawBatch(o.task, step < o.shortSteps ? o.shortCells : o.cells, o.batchSize, rng);
        auto loss = lossOf(batch, nullptr);
        loss.backward();
        torch::nn::utils::clip_grad_norm_(lm->parameters(), 1.0);
        optimizer.step();
        optimizer.zero_grad();
        if ((step + 1) % o.evalEvery != 0 && step + 1 != o.steps)
            continue;
        torch::NoGradGuard noGrad;
        torch::Tensor logits;
        lossOf(held, &logits);
        // The answer is predicted at the position before it.
        auto predicted = logits.select(1, answerAt - 1).argmax(-1); // [B]
        const double hits = predicted.eq(held.ids.select(1, answerAt)).sum().item<double>();
        report({step + 1, loss.item<double>(), hits / double(o.evalSamples), majority});
    }
}

} // namespace cosw
