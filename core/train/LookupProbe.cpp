#include "LookupProbe.h"

#include "LrSchedule.h"
#include "OptimizerGroups.h"
#include "RunConfig.h"
#include "text/Conversation.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "model/Gradients.h"
#include "model/LanguageModel.h"
#include "optim/GradientClip.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>
#include <random>

namespace cosw {

namespace {

// Token ids: the LM's specials (0 pad, 1 <s>, 2 </s>), then the probe's words.
constexpr int64_t kFirstItem = 10, kItems = 10, kNothing = 20, kQuery = 21, kYes = 22, kNo = 23, kSep = 24;
// The benchmark's own words, for sequences written as its captions and questions.
constexpr int64_t kRow = 25, kColon = 26, kDot = 27, kIs = 28, kThere = 29, kA = 30, kQuestionMark = 31,
                  kWhat = 32, kAt = 33, kColumn = 34, kAssistant = 35;
// Position words (plain format) or the numbers 1, 2, ... (caption format).
constexpr int64_t kFirstPosition = 40;
// One word per (row, column), the same word for a cell of a short grid and
// of a long one: up to 256 cells, 16 to a side.
constexpr int64_t kMaxSide = 16, kFirstCellWord = kFirstPosition + kMaxSide * kMaxSide;

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

int rowLength(int cells) { return int(std::lround(std::sqrt(double(cells)))); }

// How a sequence writes its cells, and how a question names one.
struct Wording {
    enum class Layout { Plain, Rows, Labelled } layout = Layout::Plain;
    bool cellWords = false; // a cell is named by one word, not by its row and column
    int distractors = 0;    // filler words, 0 to all of them between the cells and the question
};

// Words of the benchmark's other turns, written between the cells and the
// question as earlier turns of a conversation would be.
constexpr int64_t kFillers[] = {kIs, kThere, kA, kQuestionMark, kWhat, kAt, kYes, kNo, kAssistant, kColon};

Wording wordingOf(const LookupProbeOptions &o)
{
    Wording w;
    if (o.cellLabels)
        w.layout = Wording::Layout::Labelled;
    else if (o.captionFormat || o.cellWords)
        w.layout = Wording::Layout::Rows;
    w.cellWords = o.cellWords;
    w.distractors = o.distractors;
    return w;
}

Sequences drawBatch(const std::string &task, int cells, const Wording &wording, int batch, std::mt19937_64 &rng)
{
    const bool captionFormat = wording.layout != Wording::Layout::Plain;
    const int side = rowLength(cells);
    // The words that name cell i: one of its own, or its row and column.
    auto cellName = [&](int i) -> std::vector<int64_t> {
        if (wording.cellWords)
            return {kFirstCellWord + (i / side) * kMaxSide + i % side};
        return {kRow, kFirstPosition + i / side, kColumn, kFirstPosition + i % side};
    };
    std::vector<int64_t> ids, labels;
    for (int b = 0; b < batch; ++b) {
        const std::vector<int> grid = drawCells(cells, rng);
        std::vector<int64_t> s = {1};
        // The rest of the fillers go before the cells, so every sequence
        // has the same length and the answer the same place.
        const int between = wording.distractors > 0 ? int(rng() % uint64_t(wording.distractors + 1)) : 0;
        auto fill = [&](int n) {
            for (int k = 0; k < n; ++k)
                s.push_back(kFillers[rng() % std::size(kFillers)]);
        };
        fill(wording.distractors - between);
        for (int i = 0; i < cells; ++i) {
            if (wording.layout == Wording::Layout::Labelled) {
                const std::vector<int64_t> name = cellName(i);
                s.insert(s.end(), name.begin(), name.end());
            } else if (captionFormat && i % side == 0) {
                s.insert(s.end(), {kRow, kFirstPosition + i / side, kColon});
            }
            s.push_back(grid[size_t(i)] < 0 ? kNothing : kFirstItem + grid[size_t(i)]);
            if (captionFormat && i % side == side - 1)
                s.push_back(kDot);
        }
        int64_t asked = 0, answer = 0;
        std::vector<int64_t> question;
        if (task == "existence") {
            // Half the questions about a class on the grid, as the generator asks.
            std::vector<int> present, absent;
            for (int cls = 0; cls < kItems; ++cls)
                (std::count(grid.begin(), grid.end(), cls) ? present : absent).push_back(cls);
            const bool askPresent = !present.empty() && (absent.empty() || rng() % 2 == 0);
            const auto &from = askPresent ? present : absent;
            asked = kFirstItem + from[size_t(rng() % from.size())];
            answer = askPresent ? kYes : kNo;
            question = {kIs, kThere, kA, asked, kQuestionMark};
        } else {
            const int position = int(rng() % uint64_t(cells));
            asked = kFirstPosition + position;
            answer = grid[size_t(position)] < 0 ? kNothing : kFirstItem + grid[size_t(position)];
            question = {kWhat, kIs, kAt};
            const std::vector<int64_t> name = cellName(position);
            question.insert(question.end(), name.begin(), name.end());
            question.push_back(kQuestionMark);
        }
        fill(between);
        if (captionFormat) {
            s.insert(s.end(), question.begin(), question.end());
            s.insert(s.end(), {kAssistant, kColon});
        } else {
            s.insert(s.end(), {kSep, kQuery, asked, kSep});
        }
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
        throw InputError(fill(msg("task must be existence or position, got %1"), {o.task}));
    if (o.cells < 1 || o.shortCells < 1 || o.steps < 1 || o.batchSize < 1 || o.evalEvery < 1 || o.evalSamples < 1)
        throw InputError(msg("cells, short cells, steps, batch, eval interval and eval samples must be positive"));
    if (o.distractors < 0)
        throw InputError(fill(msg("distractors must be 0 or more, got %1"), {std::to_string(o.distractors)}));
    const Wording wording = wordingOf(o);
    for (int cells : {o.cells, o.shortCells})
        if (wording.layout != Wording::Layout::Plain && rowLength(cells) * rowLength(cells) != cells)
            throw InputError(fill(msg("the caption format needs square grids; %1 cells is not a square"),
                                  {std::to_string(cells)}));
    torch::manual_seed(o.seed);
    std::mt19937_64 rng(o.seed);
    LmConfig lmConfig = o.lm;
    const int longest = std::max(o.cells, o.shortCells);
    lmConfig.vocabSize = int(o.cellWords ? kFirstCellWord + kMaxSide * kMaxSide : kFirstPosition + longest);
    lmConfig.maxSeqLen = 5 * longest + 4 * rowLength(longest) + 16 + o.distractors; // labelled cells: 5 words each
    LanguageModel lm(lmConfig);

    // The trainer's optimizer and schedule: AdamW with its decay rules, warm-up then cosine.
    StageConfig stage;
    stage.lr = o.lr;
    stage.warmupSteps = o.warmupSteps;
    stage.weightDecay = o.weightDecay;
    stage.train = {"lm"};
    StageOptimizer optimizer = makeStageOptimizer(*lm, stage);
    // Fresh grids the model never trains on, the same ones at every evaluation.
    std::mt19937_64 evalRng(o.seed ^ 0x5eedULL);
    const Sequences held = drawBatch(o.task, o.cells, wording, o.evalSamples, evalRng);
    const int64_t answerAt = held.ids.size(1) - 2;
    const auto heldAnswers = held.ids.select(1, answerAt); // [B]
    const double majority = torch::bincount(heldAnswers).max().item<double>() / double(o.evalSamples);

    for (int step = 0; step < o.steps; ++step) {
        setLearningRate(optimizer, learningRate(stage, step, o.steps));
        const int cells = step < o.shortSteps ? o.shortCells : o.cells;
        const Sequences batch = drawBatch(o.task, cells, wording, o.batchSize, rng);
        auto loss = lm->nextTokenLoss(lm->forward(lm->embed(batch.ids)), batch.labels);
        loss.backward();
        clipGradientNorm(optimizer.params, stage.gradClip);
        optimizer.optimizer->step();
        releaseGradients(*optimizer.optimizer);
        if ((step + 1) % o.evalEvery != 0 && step + 1 != o.steps)
            continue;
        torch::NoGradGuard noGrad;
        // The answer is predicted at the position before it.
        auto predicted = lm->textLogits(held.ids).select(1, answerAt - 1).argmax(-1); // [B]
        const double hits = predicted.eq(heldAnswers).sum().item<double>();
        report({step + 1, loss.item<double>(), hits / double(o.evalSamples), majority});
    }
}

} // namespace cosw
