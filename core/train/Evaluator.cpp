#include "Evaluator.h"

#include "base/CrashPoints.h"

#include "data/ImagePipeline.h"

#include <map>
#include <numeric>

namespace cosw {

namespace {

size_t evaluatedCount(const ConversationDataset &dataset, int limit)
{
    return limit > 0 ? std::min<size_t>(static_cast<size_t>(limit), dataset.size()) : dataset.size();
}

const std::string &typeOf(const ConversationSample &s) { return s.turns.front().type; }

// Per type (key "" for all), correct and asked.
using Tally = std::map<std::string, std::pair<int64_t, int64_t>>;

void count(Tally &tally, const std::string &type, bool correct)
{
    for (const std::string &key : {std::string(), type.empty() ? std::string("all") : type}) {
        tally[key].first += correct;
        tally[key].second += 1;
    }
}

double rate(const std::pair<int64_t, int64_t> &t) { return t.second ? double(t.first) / double(t.second) : 0.0; }

Tally tallyOf(const ConversationDataset &dataset, const std::vector<bool> &correct)
{
    Tally tally;
    for (size_t i = 0; i < correct.size(); ++i)
        count(tally, typeOf(dataset.sample(i)), correct[i]);
    return tally;
}

std::map<std::string, double> perTypeRates(const Tally &tally)
{
    std::map<std::string, double> out;
    for (const auto &[type, t] : tally)
        if (!type.empty())
            out[type] = rate(t);
    return out;
}

// The evaluated questions' prompts, and the batches they are answered in:
// generation takes prompts of equal length, so each batch has one length.
struct QuestionBatches {
    std::vector<std::vector<int64_t>> prompts; // per question
    std::vector<std::vector<size_t>> batches;  // question indices
};

QuestionBatches questionBatches(const ConversationDataset &dataset, size_t n, const Tokenizer &tokenizer,
                                const EvaluationOptions &options)
{
    QuestionBatches q;
    const TextEncoder encode = tokenizer.encoder();
    std::map<size_t, std::vector<size_t>> byLength;
    for (size_t i = 0; i < n; ++i) {
        q.prompts.push_back(promptTokens(encode, dataset.sample(i).prompt(), dataset.hasImages(), options.form));
        byLength[q.prompts.back().size()].push_back(i);
    }
    const size_t size = static_cast<size_t>(options.batchSize);
    for (const auto &[length, indices] : byLength)
        for (size_t start = 0; start < indices.size(); start += size)
            q.batches.emplace_back(indices.begin() + ptrdiff_t(start),
                                   indices.begin() + ptrdiff_t(std::min(indices.size(), start + size)));
    return q;
}

// The sum over ranks of each rank's part (zeros elsewhere), when shared.
void gatherParts(std::vector<double> &values, const EvaluationShard &shard)
{
    if (shard.gather)
        shard.gather(values);
}

// Greedy answers to this process's batches of `questions`, each question i
// shown the image of question imageOf[i]; whether each is right, in order,
// for every question once the ranks' parts are gathered.
std::vector<bool> answerCorrectly(Mllm &model, const ConversationDataset &dataset, const Tokenizer &tokenizer,
                                  const torch::Device &device, const EvaluationOptions &options,
                                  const QuestionBatches &questions, const std::vector<size_t> &imageOf,
                                  const std::function<void(int64_t)> &answered)
{
    const ModelConfig &config = model->config();
    std::vector<double> right(imageOf.size(), 0.0);
    GenerationOptions generation;
    generation.maxNewTokens = options.maxNewTokens;
    for (size_t batch = 0; batch < questions.batches.size(); ++batch) {
        if (!options.shard.answers(batch))
            continue;
        crashPoint("evaluation");
        const std::vector<size_t> &indices = questions.batches[batch];
        std::vector<torch::Tensor> images;
        std::vector<int64_t> ids;
        for (const size_t i : indices) {
            if (dataset.hasImages())
                images.push_back(loadImage(dataset.imagePath(imageOf[i]), config.vision.imageSize, config.vision.channels));
            ids.insert(ids.end(), questions.prompts[i].begin(), questions.prompts[i].end());
        }
        const int64_t b = static_cast<int64_t>(indices.size());
        const int64_t length = static_cast<int64_t>(questions.prompts[indices.front()].size());
        auto batchImages = images.empty() ? torch::Tensor() : torch::stack(images).to(device); // [b, ch, R, R]
        auto batchIds = torch::tensor(ids, torch::kLong).view({b, length}).to(device);          // [b, T]
        const auto answers = model->generate(batchImages, batchIds, generation);
        for (size_t k = 0; k < indices.size(); ++k)
            right[indices[k]] = normalizeAnswer(tokenizer.decode(answers[k]))
                                        == normalizeAnswer(dataset.sample(indices[k]).answer())
                                    ? 1.0
                                    : 0.0;
        answered(b);
    }
    gatherParts(right, options.shard);
    std::vector<bool> correct(right.size());
    for (size_t i = 0; i < right.size(); ++i)
        correct[i] = right[i] > 0.5;
    return correct;
}

} // namespace

std::pair<double, int64_t> cellReadingAccuracy(Mllm &model, const std::vector<GridCellImage> &images,
                                               const Tokenizer &tokenizer, const torch::Device &device,
                                               int batchSize, const ConversationTemplate &form,
                                               const EvaluationShard &shard)
{
    if (images.empty())
        return {0.0, 0};
    torch::NoGradGuard noGrad;
    model->eval();
    const ModelConfig &config = model->config();
    const int side = images.front().side;
    const std::vector<int64_t> prompt = promptTokens(tokenizer.encoder(), kCaptionPrompt, true, form);
    GenerationOptions generation;
    generation.maxNewTokens = side * (side + 4) + 4; // "row r :" items "." per row, and </s>
    int64_t correct = 0, cells = 0;
    for (size_t start = 0, batchIndex = 0; start < images.size(); start += size_t(batchSize), ++batchIndex) {
        if (!shard.answers(batchIndex))
            continue;
        const size_t end = std::min(images.size(), start + size_t(batchSize));
        std::vector<torch::Tensor> batch;
        std::vector<int64_t> ids;
        for (size_t i = start; i < end; ++i) {
            batch.push_back(loadImage(images[i].path, config.vision.imageSize, config.vision.channels));
            ids.insert(ids.end(), prompt.begin(), prompt.end());
        }
        const int64_t b = static_cast<int64_t>(end - start);
        const auto captions = model->generate(torch::stack(batch).to(device),
                                              torch::tensor(ids, torch::kLong).view({b, int64_t(prompt.size())}).to(device),
                                              generation);
        for (size_t i = start; i < end; ++i) {
            correct += cellsNamedCorrectly(tokenizer.decode(captions[i - start]), images[i].cells, side);
            cells += int64_t(images[i].cells.size());
        }
    }
    std::vector<double> counts{double(correct), double(cells)};
    gatherParts(counts, shard);
    return {counts[0] / counts[1], int64_t(counts[1])};
}

TypePrior typePriorOf(const std::vector<const ConversationDataset *> &training)
{
    std::map<std::string, std::map<std::string, size_t>> counts; // type -> answer -> count
    for (const ConversationDataset *set : training)
        for (const ConversationSample &s : set->samples())
            for (const ConversationTurn &t : s.turns)
                ++counts[t.type][normalizeAnswer(t.answer)];
    TypePrior prior;
    for (const auto &[type, best] : commonestAnswers(counts))
        prior[type] = best.first;
    return prior;
}

std::pair<std::string, double> majorityBaseline(const ConversationDataset &dataset, int limit)
{
    const size_t n = evaluatedCount(dataset, limit);
    std::map<std::string, std::map<std::string, size_t>> counts;
    for (size_t i = 0; i < n; ++i)
        ++counts[""][normalizeAnswer(dataset.sample(i).answer())];
    const auto best = commonestAnswers(counts)[""];
    return {best.first, n ? static_cast<double>(best.second) / static_cast<double>(n) : 0.0};
}

std::pair<double, std::map<std::string, double>> typePriorAccuracy(const ConversationDataset &dataset,
                                                                   const TypePrior &prior, int limit)
{
    Tally tally;
    for (size_t i = 0; i < evaluatedCount(dataset, limit); ++i) {
        const ConversationSample &s = dataset.sample(i);
        const auto guess = prior.find(typeOf(s));
        count(tally, typeOf(s), guess != prior.end() && guess->second == normalizeAnswer(s.answer()));
    }
    return {rate(tally[""]), perTypeRates(tally)};
}

std::vector<size_t> shuffledImageOrder(const ConversationDataset &dataset, size_t n)
{
    // Distinct images in order of first use, and one question showing each.
    std::map<std::string, size_t> imageIndex;
    std::vector<size_t> firstQuestion, imageOfQuestion(n);
    for (size_t i = 0; i < n; ++i) {
        const auto [it, inserted] = imageIndex.emplace(dataset.imagePath(i), firstQuestion.size());
        if (inserted)
            firstQuestion.push_back(i);
        imageOfQuestion[i] = it->second;
    }
    // Every question sees the image half the list away: never its own, and
    // the same pairing on every run.
    const size_t images = firstQuestion.size();
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i)
        order[i] = firstQuestion[(imageOfQuestion[i] + images / 2) % images];
    return order;
}

EvaluationResult evaluate(Mllm &model, const ConversationDataset &dataset, const TypePrior &prior,
                          const Tokenizer &tokenizer, const torch::Device &device,
                          const EvaluationOptions &options, const std::function<void(int, int)> &progress)
{
    dataset.requireSingleTurn();
    torch::NoGradGuard noGrad;
    model->eval();
    const size_t n = evaluatedCount(dataset, options.limit);

    std::vector<size_t> ownImages(n);
    std::iota(ownImages.begin(), ownImages.end(), size_t(0));
    // Text samples carry what they ask about in the prompt: no image to shuffle.
    const bool shuffledControl = options.shuffledImages && dataset.hasImages();
    const QuestionBatches questions = questionBatches(dataset, n, tokenizer, options);
    int64_t mine = 0; // questions this process answers
    for (size_t batch = 0; batch < questions.batches.size(); ++batch)
        mine += options.shard.answers(batch) ? int64_t(questions.batches[batch].size()) : 0;
    const int64_t total = mine * (shuffledControl ? 2 : 1);
    int64_t done = 0;
    const auto answered = [&](int64_t batch) {
        done += batch;
        if (progress)
            progress(static_cast<int>(done), static_cast<int>(total));
    };
    const std::vector<bool> correct =
        answerCorrectly(model, dataset, tokenizer, device, options, questions, ownImages, answered);

    EvaluationResult result;
    Tally tally = tallyOf(dataset, correct);
    result.record.n = static_cast<int64_t>(n);
    result.record.accuracy = rate(tally[""]);
    for (const auto &[type, t] : tally)
        if (!type.empty())
            result.record.perType[type] = {rate(t), t.second};

    if (shuffledControl) {
        const std::vector<bool> blind =
            answerCorrectly(model, dataset, tokenizer, device, options, questions, shuffledImageOrder(dataset, n), answered);
        Tally shuffled = tallyOf(dataset, blind);
        result.record.shuffledAccuracy = rate(shuffled[""]);
        result.record.shuffledPerType = perTypeRates(shuffled);
    }
    std::tie(result.record.typePrior, result.record.typePriorPerType) = typePriorAccuracy(dataset, prior, options.limit);
    std::tie(result.majorityAnswer, result.majorityAccuracy) = majorityBaseline(dataset, options.limit);
    return result;
}

} // namespace cosw
