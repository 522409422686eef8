#include "FmnistGrid.h"

#include "ConversationDataset.h"
#include "DeterministicRandom.h"
#include "GridCells.h"
#include "IdxReader.h"
#include "WordTokenizer.h"

#include "base/CrashPoints.h"
#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Files.h"
#include "base/Json.h"
#include "base/Numbers.h"
#include "io/AtomicDirectory.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>


#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <numeric>
#include <optional>

namespace cosw {

namespace fs = std::filesystem;

namespace {

// Bumped whenever the same options would produce different files, so an old
// set is not mistaken for a current one.
constexpr int kGeneratorVersion = 6;
constexpr int kClasses = 10;
constexpr int kItemPixels = 28;
// Side of the sub-grids of text-short.json: lookups over four cells are
// what a language model trained from scratch learns first.
constexpr int kShortSide = 2;
constexpr int kShortGridsPerImage = 4;
constexpr const char *kTextGridsFile = "text-grids.json";
constexpr const char *kDenseFile = "finetune-dense.json";
// Conversations of text-grids.json and finetune-dense.json hold up to this
// many questions, so an 8x8 grid's do not outgrow a language model's context.
constexpr int kDenseTurns = 16;

const char *const kQuestionTypes[] = {"position", "count", "existence", "relation"};

struct Grid {
    int side = 0;
    std::vector<int> cells;   // [side * side], -1 empty, else class
    std::vector<int> sources; // [side * side], -1 empty, else item index in its split

    int at(int row, int col) const { return cells[size_t(row * side + col)]; }
    int countOf(int cls) const { return int(std::count(cells.begin(), cells.end(), cls)); }
    int cellOf(int cls) const { return int(std::find(cells.begin(), cells.end(), cls) - cells.begin()); }
};

struct Question {
    std::string type;
    std::string prompt;
    std::string answer;
};

struct SplitPlan {
    const char *name;   // "train" or "test": image folder and id prefix
    const char *source; // Fashion-MNIST split the items come from
    int images;
    uint64_t stream;    // keeps the splits' random streams apart
    int turnsPerSample; // questions per conversation
};


template <typename T>
const T &pick(const std::vector<T> &v, std::mt19937_64 &rng)
{
    return v[static_cast<size_t>(uniformBelow(rng, v.size()))];
}

// Items of each class in a split, to draw an item of a chosen class.
using ItemsByClass = std::vector<std::vector<int>>;

ItemsByClass itemsByClass(const FashionMnistSplit &split)
{
    ItemsByClass byClass(kClasses);
    for (size_t i = 0; i < split.labels.size(); ++i)
        byClass[split.labels[i]].push_back(int(i));
    return byClass;
}

// Each image shows three to nine of the ten classes: with all ten on most
// images "is there a X?" would nearly always be "yes". If no class then
// occurs exactly once, one item becomes a class of its own, so relation
// questions ("what is left of the X?") have an unambiguous X.
Grid layOut(const ItemsByClass &items, const FmnistGridOptions &o, std::mt19937_64 &rng)
{
    std::vector<int> classes;
    for (int cls = 0; cls < kClasses; ++cls)
        if (!items[size_t(cls)].empty())
            classes.push_back(cls);
    deterministicShuffle(classes, rng);
    const size_t shown = std::min(classes.size(), size_t(3 + uniformBelow(rng, 7)));

    Grid g;
    g.side = o.grid;
    g.cells.assign(size_t(o.grid * o.grid), -1);
    g.sources.assign(g.cells.size(), -1);
    auto place = [&](size_t cell, int cls) {
        g.cells[cell] = cls;
        g.sources[cell] = pick(items[size_t(cls)], rng);
    };
    std::vector<size_t> filled;
    for (size_t c = 0; c < g.cells.size(); ++c) {
        if (uniformUnit(rng) >= o.fill)
            continue;
        place(c, classes[size_t(uniformBelow(rng, shown))]);
        filled.push_back(c);
    }
    bool hasSingleton = false;
    for (int cls = 0; cls < kClasses; ++cls)
        hasSingleton = hasSingleton || g.countOf(cls) == 1;
    // Every shown class occurs twice or more here, so the replaced item's class stays present.
    if (!hasSingleton && !filled.empty() && shown < classes.size())
        place(pick(filled, rng), classes[shown]);
    return g;
}

cv::Mat render(const Grid &g, const FashionMnistSplit &split, int cellPixels)
{
    cv::Mat image = cv::Mat::zeros(g.side * cellPixels, g.side * cellPixels, CV_8UC1);
    const size_t itemBytes = size_t(kItemPixels * kItemPixels);
    for (int r = 0; r < g.side; ++r) {
        for (int c = 0; c < g.side; ++c) {
            const int source = g.sources[size_t(r * g.side + c)];
            if (source < 0)
                continue;
            // cv::Mat over const data: the constructor takes void*, nothing writes through it.
            cv::Mat item(kItemPixels, kItemPixels, CV_8UC1,
                         const_cast<uint8_t *>(split.images.pixels.data() + size_t(source) * itemBytes));
            cv::Mat cell = image(cv::Rect(c * cellPixels, r * cellPixels, cellPixels, cellPixels));
            if (cellPixels == kItemPixels)
                item.copyTo(cell);
            else
                cv::resize(item, cell, cell.size(), 0, 0, cellPixels < kItemPixels ? cv::INTER_AREA : cv::INTER_LINEAR);
        }
    }
    return image;
}

// Every cell in reading order, empty ones as "nothing": a caption that skips
// them never says which column an item is in, and never teaches the word the
// position and relation questions answer with.
std::string caption(const Grid &g) { return gridCaption(g.cells, g.side); }

Question positionQuestion(const Grid &g, int cell)
{
    return {"position",
            "what is at row " + std::to_string(cell / g.side + 1) + " column " + std::to_string(cell % g.side + 1) + "?",
            fmnistItemWord(g.cells[size_t(cell)])};
}

Question askPosition(const Grid &g, std::mt19937_64 &rng)
{
    std::vector<int> filled, empty;
    for (int i = 0; i < int(g.cells.size()); ++i)
        (g.cells[size_t(i)] >= 0 ? filled : empty).push_back(i);
    // Three in four questions ask about an item, so "nothing" is not the easy answer.
    const bool askItem = !filled.empty() && (empty.empty() || uniformUnit(rng) < 0.75);
    return positionQuestion(g, pick(askItem ? filled : empty, rng));
}

// Classes on the image and not on it, in class order.
std::pair<std::vector<int>, std::vector<int>> presentAndAbsent(const Grid &g)
{
    std::vector<int> present, absent;
    for (int cls = 0; cls < kClasses; ++cls)
        (g.countOf(cls) > 0 ? present : absent).push_back(cls);
    return {present, absent};
}

// Three in four questions ask about a class on the image, so "0" is not the
// easy answer.
Question askCount(const Grid &g, std::mt19937_64 &rng)
{
    const auto [present, absent] = presentAndAbsent(g);
    const bool askPresent = !present.empty() && (absent.empty() || uniformUnit(rng) < 0.75);
    const int cls = pick(askPresent ? present : absent, rng);
    // The item word of the captions, not its plural: a word-level tokenizer
    // would otherwise hold two unrelated words for one item.
    return {"count", "how many " + fmnistItemWord(cls) + " are there?", std::to_string(g.countOf(cls))};
}

Question askExistence(const Grid &g, std::mt19937_64 &rng)
{
    const auto [present, absent] = presentAndAbsent(g);
    const bool askPresent = !present.empty() && (absent.empty() || uniformUnit(rng) < 0.5);
    const int cls = pick(askPresent ? present : absent, rng);
    return {"existence", "is there a " + fmnistItemWord(cls) + "?", askPresent ? "yes" : "no"};
}

struct Direction {
    const char *phrase;
    int dr, dc;
};
const Direction kDirections[] = {{"left of", 0, -1}, {"right of", 0, 1}, {"above", -1, 0}, {"below", 1, 0}};

// The cell one step from `cell` in direction d, or -1 off the grid.
int neighbourOf(const Grid &g, int cell, const Direction &d)
{
    const int r = cell / g.side + d.dr, c = cell % g.side + d.dc;
    return r >= 0 && c >= 0 && r < g.side && c < g.side ? r * g.side + c : -1;
}

// Classes that occur exactly once: the X a relation question can name.
std::vector<int> singleItems(const Grid &g)
{
    std::vector<int> single;
    for (int cls = 0; cls < kClasses; ++cls)
        if (g.countOf(cls) == 1)
            single.push_back(cls);
    return single;
}

// The directions from the cell of the single item `cls` that stay on the grid.
std::vector<const Direction *> directionsInside(const Grid &g, int cls)
{
    const int cell = g.cellOf(cls);
    std::vector<const Direction *> inside;
    for (const Direction &d : kDirections)
        if (neighbourOf(g, cell, d) >= 0)
            inside.push_back(&d);
    return inside;
}

Question relationQuestion(const Grid &g, int cls, const Direction &d)
{
    return {"relation", std::string("what is ") + d.phrase + " the " + fmnistItemWord(cls) + "?",
            fmnistItemWord(g.cells[size_t(neighbourOf(g, g.cellOf(cls), d))])};
}

// "what is left of the X?" about an X that occurs exactly once, so the
// question has one answer. Without such an item (or on a 1x1 grid) the image
// gets a position question instead.
Question askRelation(const Grid &g, std::mt19937_64 &rng)
{
    const std::vector<int> single = singleItems(g);
    if (single.empty() || g.side < 2)
        return askPosition(g, rng);
    const int cls = pick(single, rng);
    const int cell = g.cellOf(cls);
    const std::vector<const Direction *> inside = directionsInside(g, cls);
    std::vector<const Direction *> occupied;
    for (const Direction *d : inside)
        if (g.cells[size_t(neighbourOf(g, cell, *d))] >= 0)
            occupied.push_back(d);
    // Most questions point at a neighbouring item, so "nothing" (the
    // neighbour of a random cell is mostly empty) does not dominate.
    const bool towardsItem = !occupied.empty() && uniformUnit(rng) < 0.7;
    return relationQuestion(g, cls, *pick(towardsItem ? occupied : inside, rng));
}

// Every cell by its row and column, in an order of rng's, so no answer
// follows from a question's place in the conversation.
std::vector<Question> everyPosition(const Grid &g, std::mt19937_64 &rng)
{
    std::vector<int> order(g.cells.size());
    std::iota(order.begin(), order.end(), 0);
    deterministicShuffle(order, rng);
    std::vector<Question> asked;
    for (int cell : order)
        asked.push_back(positionQuestion(g, cell));
    return asked;
}

// Every direction from every single item, in an order of rng's.
std::vector<Question> everyRelation(const Grid &g, std::mt19937_64 &rng)
{
    std::vector<Question> asked;
    for (int cls : singleItems(g))
        for (const Direction *d : directionsInside(g, cls))
            asked.push_back(relationQuestion(g, cls, *d));
    deterministicShuffle(asked, rng);
    return asked;
}

Question ask(const std::string &type, const Grid &g, std::mt19937_64 &rng)
{
    if (type == "position")
        return askPosition(g, rng);
    if (type == "count")
        return askCount(g, rng);
    if (type == "existence")
        return askExistence(g, rng);
    return askRelation(g, rng);
}

// A `side` x `side` window of g at a random place.
Grid window(const Grid &g, int side, std::mt19937_64 &rng)
{
    const int top = int(uniformBelow(rng, uint64_t(g.side - side + 1)));
    const int left = int(uniformBelow(rng, uint64_t(g.side - side + 1)));
    Grid w;
    w.side = side;
    for (int r = top; r < top + side; ++r)
        for (int c = left; c < left + side; ++c) {
            w.cells.push_back(g.at(r, c));
            w.sources.push_back(g.sources[size_t(r * g.side + c)]);
        }
    return w;
}

// One sample asking `turns` in order, about `image`; a text sample (image
// empty) asks about `context` instead, written before the first question.
// A single question's type is the sample's; in a sample of several, each
// answer carries its own.
Json conversation(const std::string &id, const std::string &image, const std::vector<Question> &turns,
                  const std::string &context = "")
{
    Json list = Json::array();
    for (size_t i = 0; i < turns.size(); ++i) {
        Json human = Json::object();
        human["from"] = "human";
        human["value"] = (i > 0 ? "" : image.empty() ? context + "\n" : "<image>\n") + turns[i].prompt;
        Json gpt = Json::object();
        gpt["from"] = "gpt";
        gpt["value"] = turns[i].answer;
        if (turns.size() > 1 && !turns[i].type.empty())
            gpt["type"] = turns[i].type;
        list.push_back(std::move(human));
        list.push_back(std::move(gpt));
    }
    Json entry = Json::object();
    entry["id"] = id;
    if (!image.empty())
        entry["image"] = image;
    entry["conversations"] = std::move(list);
    if (turns.size() == 1 && !turns[0].type.empty())
        entry["type"] = turns[0].type;
    return entry;
}

// A JSON list with one entry per line: compact, yet diffs and greps well.
void writeJsonList(const fs::path &path, const std::vector<Json> &entries)
{
    std::string text = "[\n";
    for (size_t i = 0; i < entries.size(); ++i)
        text += entries[i].dump() + (i + 1 < entries.size() ? ",\n" : "\n");
    text += "]\n";
    writeTextFile(path.string(), text);
}

Json intList(const std::vector<int> &v)
{
    Json out = Json::array();
    for (int x : v)
        out.push_back(x);
    return out;
}

void checkRange(const char *name, double value, double min, double max)
{
    if (!(value >= min && value <= max))
        throw InputError(fill(msg("fmnist-grid: %1 must be in [%2, %3], got %4"),
                              {name, formatReal(min), formatReal(max), formatReal(value)}));
}

void validate(const FmnistGridOptions &o)
{
    checkRange(msg("train images"), o.trainImages, 1, 999999); // six-digit file names
    checkRange(msg("test images"), o.testImages, 1, 999999);
    // TRANSLATORS: the number of cells on a side of an FMNIST-Grid image, as in "grid must be in [1, 32]".
    checkRange(msg("grid"), o.grid, 1, 32);
    checkRange(msg("cell pixels"), o.cellPixels, 4, 256);
    checkRange(msg("questions per image"), o.questionsPerImage, 1, 64);
    checkRange(msg("turns per sample"), o.turnsPerSample, 1, 64);
    checkRange(msg("text grids"), o.textGrids, 0, 9999999); // seven-digit sample ids
    if (!(o.fill > 0.0 && o.fill <= 1.0))
        throw InputError(fill(msg("fmnist-grid: fill must be in (0, 1], got %1"), {formatReal(o.fill)}));
}

} // namespace

Json fmnistGridOptionsJson(const FmnistGridOptions &o)
{
    Json j = Json::object();
    j["train_images"] = o.trainImages;
    j["test_images"] = o.testImages;
    j["seed"] = o.seed;
    j["grid"] = o.grid;
    j["cell_pixels"] = o.cellPixels;
    j["fill"] = o.fill;
    j["questions_per_image"] = o.questionsPerImage;
    j["turns_per_sample"] = o.turnsPerSample;
    // Only when asked for, so the sets generated before the option keep
    // their identity and their directory (named by a hash of these options).
    if (o.textGrids > 0)
        j["text_grids"] = o.textGrids;
    if (o.denseQuestions)
        j["dense_questions"] = true;
    j["generator_version"] = kGeneratorVersion;
    return j;
}

namespace {

// The answer a model that ignores the image would give: the most frequent
// one (ties: the alphabetically first) and how often it is right.
Json majorityBaseline(const std::vector<Question> &questions)
{
    // Group "" is every question; the others are the question types.
    std::map<std::string, std::map<std::string, size_t>> counts;
    std::map<std::string, size_t> asked;
    for (const Question &q : questions)
        for (const std::string &group : {std::string(), q.type}) {
            ++counts[group][q.answer];
            ++asked[group];
        }
    Json out = Json::object(), types = Json::object();
    size_t typeAwareHits = 0;
    for (const auto &[group, best] : commonestAnswers(counts)) {
        Json j = Json::object();
        j["answer"] = best.first;
        j["accuracy"] = double(best.second) / double(asked[group]);
        j["questions"] = int64_t(asked[group]);
        if (group.empty()) {
            out["overall"] = j;
        } else {
            types[group] = j;
            typeAwareHits += best.second;
        }
    }
    out["per_type"] = types;
    // Answering each type's majority: the bar a model must clear to use the image.
    out["type_aware_accuracy"] = double(typeAwareHits) / double(questions.size());
    return out;
}

FmnistGridSummary summaryOf(const fs::path &dir, const Json &manifest)
{
    const Json *counts = findKey(manifest, "counts");
    auto count = [&](const char *key) {
        const Json *v = counts ? findKey(*counts, key) : nullptr;
        if (!v || !v->is_number_integer())
            throw InputError(fill(msg("%1: %2: missing or not an integer"),
                                  {(dir / "manifest.json").string(), std::string("counts.") + key}));
        return static_cast<int>(v->get<int64_t>());
    };
    FmnistGridSummary s;
    s.outDir = dir.string();
    s.pretrainJson = (dir / "pretrain.json").string();
    s.finetuneJson = (dir / "finetune.json").string();
    s.evalJson = (dir / "eval.json").string();
    s.cellsJson = (dir / "cells.json").string();
    s.manifestJson = (dir / "manifest.json").string();
    s.tokenizerJson = (dir / "tokenizer.json").string();
    s.trainImages = count("train_images");
    s.testImages = count("test_images");
    s.pretrainSamples = count("pretrain");
    s.textJson = (dir / "text.json").string();
    s.textShortJson = (dir / "text-short.json").string();
    s.textSamples = count("text");
    s.textShortSamples = count("text_short");
    s.textEvalJson = (dir / "text-eval.json").string();
    s.textEvalSamples = count("text_eval");
    s.finetuneSamples = count("finetune");
    s.evalSamples = count("eval");
    auto optional = [&](const char *key, const char *file, std::string &path, int &samples) {
        if (counts && findKey(*counts, key)) {
            path = (dir / file).string();
            samples = count(key);
        }
    };
    optional("text_grids", kTextGridsFile, s.textGridsJson, s.textGridSamples);
    optional("finetune_dense", kDenseFile, s.finetuneDenseJson, s.finetuneDenseSamples);
    return s;
}

// The summary of the set already in `dir` when its manifest has `options`;
// nothing when `dir` is empty. Anything else there is refused.
std::optional<FmnistGridSummary> existingSet(const fs::path &dir, const Json &options)
{
    if (!fs::is_directory(dir))
        throw InputError(fill(msg("%1: exists and is not a directory"), {dir.string()}));
    if (fs::is_empty(dir))
        return std::nullopt;
    const fs::path manifestPath = dir / "manifest.json";
    if (!fs::is_regular_file(manifestPath))
        throw InputError(fill(msg("%1: exists, is not empty and holds no FMNIST-Grid set; choose a new or empty "
                                  "directory"),
                              {dir.string()}));
    const Json manifest = parseJsonFile(manifestPath.string());
    const Json *theirs = manifest.is_object() ? findKey(manifest, "options") : nullptr;
    if (!theirs)
        throw InputError(fill(msg("%1: not an FMNIST-Grid manifest; choose a new or empty directory"),
                              {manifestPath.string()}));
    if (*theirs != options) {
        std::string differences;
        for (const auto &[key, asked] : options.items()) {
            const Json *other = findKey(*theirs, key);
            if (!other || *other != asked)
                differences += (differences.empty() ? "" : ", ")
                               // TRANSLATORS: %1 an option, %2 its value in the existing set, %3 the value asked for.
                               + (other ? fill(msg("%1 %2 there, %3 asked"), {key, other->dump(), asked.dump()})
                                        : fill(msg("%1 missing there, %2 asked"), {key, asked.dump()}));
        }
        throw InputError(
            fill(msg("%1: holds an FMNIST-Grid set generated with other options (%2); choose another directory"),
                 {dir.string(), differences}));
    }
    return summaryOf(dir, manifest);
}

class Generator {
public:
    Generator(const FmnistGridOptions &o, const fs::path &dir, const std::function<void(int, int)> &progress)
        : m_o(o), m_dir(dir), m_progress(progress), m_total(o.trainImages + o.testImages)
    {
    }

    Json run()
    {
        const SplitPlan train{"train", "train", m_o.trainImages, 1, m_o.turnsPerSample};
        const SplitPlan test{"test", "t10k", m_o.testImages, 2, 1};
        generateSplit(train, &m_pretrain, m_finetune);
        std::vector<Question> evaluation = generateSplit(test, nullptr, m_eval);
        generateTextGrids();

        struct Output {
            const char *file;
            const std::vector<Json> *samples;
            const char *countKey; // in the manifest's counts
        };
        std::vector<Output> outputs = {{"text-short.json", &m_textShort, "text_short"},
                                       {"text.json", &m_text, "text"},
                                       {"pretrain.json", &m_pretrain, "pretrain"},
                                       {"finetune.json", &m_finetune, "finetune"},
                                       {"eval.json", &m_eval, "eval"},
                                       {"text-eval.json", &m_textEval, "text_eval"}};
        if (m_o.textGrids > 0)
            outputs.push_back({kTextGridsFile, &m_textGrids, "text_grids"});
        if (m_o.denseQuestions)
            outputs.push_back({kDenseFile, &m_dense, "finetune_dense"});
        for (const Output &out : outputs)
            writeJsonList(m_dir / out.file, *out.samples);
        writeJsonList(m_dir / "cells.json", m_cells);
        // One vocabulary for the whole set, so a language model trained on
        // its text files reads the words of its image files alike.
        std::vector<std::string> texts;
        for (const Output &out : outputs) {
            const auto part = ConversationDataset::load((m_dir / out.file).string(), m_dir.string()).texts();
            texts.insert(texts.end(), part.begin(), part.end());
        }
        WordTokenizer::build(texts).save((m_dir / "tokenizer.json").string());

        Json counts = Json::object();
        counts["train_images"] = m_o.trainImages;
        counts["test_images"] = m_o.testImages;
        for (const Output &out : outputs)
            counts[out.countKey] = int(out.samples->size());
        Json classes = Json::array();
        for (const std::string &name : fmnistClassNames())
            classes.push_back(name);

        Json manifest = Json::object();
        manifest["format"] = "fmnist-grid";
        manifest["options"] = fmnistGridOptionsJson(m_o);
        manifest["seed"] = m_o.seed;
        manifest["image_size"] = m_o.grid * m_o.cellPixels;
        manifest["classes"] = classes;
        manifest["counts"] = counts;
        manifest["eval_majority_baseline"] = majorityBaseline(evaluation);
        writeTextFile((m_dir / "manifest.json").string(), manifest.dump(2) + "\n");
        return manifest;
    }

private:
    // Samples of `turns` questions each, in order; `context` as for conversation().
    static void appendConversations(std::vector<Json> &out, const std::string &id, const std::string &image,
                                    const std::vector<Question> &asked, int turns, const std::string &context = "")
    {
        for (size_t q = 0; q < asked.size(); q += size_t(turns)) {
            const std::vector<Question> part(asked.begin() + ptrdiff_t(q),
                                             asked.begin() + ptrdiff_t(std::min(asked.size(), q + size_t(turns))));
            out.push_back(conversation(id + "-q" + std::to_string(q), image, part, context));
        }
    }

    // Questions of every type in turn, the first type rotating with `first`.
    std::vector<Question> questionsOn(const Grid &g, int first, std::mt19937_64 &rng) const
    {
        std::vector<Question> asked;
        for (int q = 0; q < m_o.questionsPerImage; ++q)
            asked.push_back(ask(kQuestionTypes[size_t(first + q) % std::size(kQuestionTypes)], g, rng));
        return asked;
    }

    // Text samples of a training image's grid: its caption with its questions
    // (text.json), and captions of small windows of it with theirs
    // (text-short.json). They teach the language model to look things up in
    // a caption before it meets visual tokens. Their own random stream keeps
    // the image and its other texts as they were.
    void addTexts(const Grid &g, int index, const std::string &id, const std::vector<Question> &asked)
    {
        appendConversations(m_text, id, "", asked, m_o.turnsPerSample, caption(g));
        std::mt19937_64 rng(mixSeed(mixSeed(m_o.seed, 3), uint64_t(index)));
        const int side = std::min(kShortSide, g.side);
        for (int k = 0; k < kShortGridsPerImage; ++k) {
            const Grid w = window(g, side, rng);
            appendConversations(m_textShort, id + "-w" + std::to_string(k), "", questionsOn(w, index + k, rng),
                                m_o.turnsPerSample, caption(w));
        }
    }

    // Each text grid draws its layout from a stream of its own; no item is
    // rendered, so one stands for each class.
    void generateTextGrids()
    {
        const ItemsByClass anyItem(kClasses, std::vector<int>{0});
        for (int k = 0; k < m_o.textGrids; ++k) {
            std::mt19937_64 rng(mixSeed(mixSeed(m_o.seed, 4), uint64_t(k)));
            const Grid g = layOut(anyItem, m_o, rng);
            char id[32];
            std::snprintf(id, sizeof id, "grid-%07d", k);
            appendConversations(m_textGrids, id, "", everyPosition(g, rng), kDenseTurns, caption(g));
        }
    }

    // Every image draws from its own generator seeded by (seed, split, index),
    // so an image does not change when the other split or the count changes.
    std::vector<Question> generateSplit(const SplitPlan &plan, std::vector<Json> *captions, std::vector<Json> &qa)
    {
        const FashionMnistSplit items = readFashionMnist(plan.source);
        if (items.images.rows != kItemPixels || items.images.cols != kItemPixels)
            throw InputError(fill(msg("Fashion-MNIST %1 images are %2x%3, expected 28x28"),
                                  {plan.source, std::to_string(items.images.rows), std::to_string(items.images.cols)}));
        if (items.images.count == 0)
            throw InputError(fill(msg("Fashion-MNIST %1 split holds no images"), {plan.source}));
        fs::create_directories(m_dir / "images" / plan.name);
        const ItemsByClass byClass = itemsByClass(items);

        std::vector<Question> questions;
        for (int i = 0; i < plan.images; ++i) {
            std::mt19937_64 rng(mixSeed(mixSeed(m_o.seed, plan.stream), uint64_t(i)));
            const Grid g = layOut(byClass, m_o, rng);
            char number[16];
            std::snprintf(number, sizeof number, "%06d", i);
            const std::string image = std::string("images/") + plan.name + "/" + number + ".png";
            const std::string id = std::string(plan.name) + "-" + number;
            crashPoint("data");
            if (!cv::imwrite((m_dir / image).string(), render(g, items, m_o.cellPixels)))
                throw std::runtime_error(fill(msg("%1: cannot write image"), {(m_dir / image).string()}));

            Json cells = Json::object();
            cells["image"] = image;
            cells["split"] = plan.name;
            cells["cells"] = intList(g.cells);
            cells["sources"] = intList(g.sources);
            m_cells.push_back(cells);

            // Types rotate across questions, and the first type across
            // images: each type gets a quarter of the questions, and every
            // type is asked first (right after the image) as often as the
            // others, which is where evaluation asks it.
            const std::vector<Question> asked = questionsOn(g, i, rng);
            // Evaluation asks one question at a time; training may put several
            // of an image's questions in one conversation.
            appendConversations(qa, id, image, asked, plan.turnsPerSample);
            if (captions) {
                captions->push_back(conversation(id, image, {{"", kCaptionPrompt, caption(g)}}));
                addTexts(g, i, id, asked);
                if (m_o.denseQuestions) {
                    std::mt19937_64 dense(mixSeed(mixSeed(m_o.seed, 5), uint64_t(i)));
                    appendConversations(m_dense, id + "-cells", image, everyPosition(g, dense), kDenseTurns);
                    appendConversations(m_dense, id + "-relations", image, everyRelation(g, dense), kDenseTurns);
                }
            } else {
                // The eval questions with the caption as text, one at a time.
                appendConversations(m_textEval, id, "", asked, 1, caption(g));
            }
            questions.insert(questions.end(), asked.begin(), asked.end());
            if (m_progress)
                m_progress(++m_done, m_total);
        }
        return questions;
    }

    const FmnistGridOptions &m_o;
    fs::path m_dir;
    const std::function<void(int, int)> &m_progress;
    int m_total;
    int m_done = 0;
    std::vector<Json> m_pretrain, m_finetune, m_eval, m_cells, m_text, m_textShort, m_textEval, m_textGrids, m_dense;
};

// outDir as an absolute path without a trailing separator, so the staging
// directory lands beside it, not inside it.
fs::path normalizedDir(const std::string &outDir)
{
    if (outDir.empty())
        throw InputError(msg("fmnist-grid: the output directory is empty"));
    fs::path p = fs::absolute(outDir).lexically_normal();
    return p.has_filename() ? p : p.parent_path();
}

} // namespace

std::string fmnistItemWord(int cls) { return cls < 0 ? "nothing" : fmnistClassNames()[size_t(cls)]; }

const std::vector<std::string> &fmnistClassNames()
{
    static const std::vector<std::string> names = {"tshirt", "trouser", "pullover", "dress", "coat",
                                                   "sandal", "shirt",   "sneaker",  "bag",   "boot"};
    return names;
}

FmnistGridSummary generateFmnistGrid(const std::string &outDir, const FmnistGridOptions &options,
                                     const std::function<void(int done, int total)> &progress)
{
    validate(options);
    const Json optionsSpec = fmnistGridOptionsJson(options);
    const fs::path dir = normalizedDir(outDir);
    if (fs::exists(dir))
        if (auto existing = existingSet(dir, optionsSpec))
            return *existing;

    Json manifest;
    const bool ours = writeDirectoryAtomically(
        dir.string(), [&](const std::string &staging) { manifest = Generator(options, staging, progress).run(); },
        WhenPresent::KeepOther);
    if (!ours) // another process finished the same set first: it is used, or refused saying why
        return *existingSet(dir, optionsSpec);
    FmnistGridSummary summary = summaryOf(dir, manifest);
    summary.generated = true;
    return summary;
}

} // namespace cosw
