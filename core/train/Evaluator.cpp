#include "Evaluator.h"

#include "data/ImagePipeline.h"

#include <map>

namespace cosw {

static size_t evaluatedCount(const ConversationDataset &dataset, int limit)
{
    return limit > 0 ? std::min<size_t>(static_cast<size_t>(limit), dataset.size()) : dataset.size();
}

// The best single answer per group of questions (one group, or one per
// type): the answer most common overall and how many answers the guesses get right.
static std::pair<std::string, size_t> bestGuesses(const ConversationDataset &dataset, size_t n, bool perType)
{
    std::map<std::string, std::map<std::string, size_t>> counts; // group -> answer -> count
    for (size_t i = 0; i < n; ++i)
        ++counts[perType ? dataset.sample(i).type : std::string()][normalizeAnswer(dataset.sample(i).answer)];
    std::pair<std::string, size_t> overall{"", 0};
    size_t correct = 0;
    for (const auto &group : counts) {
        std::pair<std::string, size_t> best{"", 0};
        for (const auto &kv : group.second)
            if (kv.second > best.second)
                best = kv;
        correct += best.second;
        if (best.second > overall.second)
            overall = best;
    }
    return {overall.first, correct};
}

std::pair<std::string, double> majorityBaseline(const ConversationDataset &dataset, int limit)
{
    const size_t n = evaluatedCount(dataset, limit);
    const auto [answer, correct] = bestGuesses(dataset, n, false);
    return {answer, n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0};
}

double typePriorBaseline(const ConversationDataset &dataset, int limit)
{
    const size_t n = evaluatedCount(dataset, limit);
    return n ? static_cast<double>(bestGuesses(dataset, n, true).second) / static_cast<double>(n) : 0.0;
}

EvaluationResult evaluate(Mllm &model, const ConversationDataset &dataset, const WordTokenizer &tokenizer,
                          const torch::Device &device, const EvaluationOptions &options,
                          const std::function<void(int, int)> &progress)
{
    torch::NoGradGuard noGrad;
    model->eval();
    const ModelConfig &config = model->config();
    const size_t n = evaluatedCount(dataset, options.limit);
    const TextEncoder encode = tokenizer.encoder();

    // Generation takes prompts of equal length, so batch by prompt length.
    std::map<size_t, std::vector<size_t>> byLength;
    std::vector<std::vector<int64_t>> prompts(n);
    for (size_t i = 0; i < n; ++i) {
        prompts[i] = promptTokens(encode, dataset.sample(i).prompt);
        byLength[prompts[i].size()].push_back(i);
    }

    std::map<std::string, std::pair<int64_t, int64_t>> perType; // type -> (correct, total)
    int64_t correct = 0;
    int done = 0;
    GenerationOptions generation;
    generation.maxNewTokens = options.maxNewTokens;
    for (const auto &[length, indices] : byLength) {
        for (size_t start = 0; start < indices.size(); start += static_cast<size_t>(options.batchSize)) {
            const size_t end = std::min(indices.size(), start + static_cast<size_t>(options.batchSize));
            std::vector<torch::Tensor> images;
            std::vector<int64_t> ids;
            for (size_t k = start; k < end; ++k) {
                const size_t i = indices[k];
                images.push_back(loadImage(dataset.imagePath(i), config.vision.imageSize, config.vision.channels));
                ids.insert(ids.end(), prompts[i].begin(), prompts[i].end());
            }
            const int64_t b = static_cast<int64_t>(end - start);
            auto batchImages = torch::stack(images).to(device);                              // [b, ch, R, R]
            auto batchIds = torch::tensor(ids, torch::kLong).view({b, static_cast<int64_t>(length)}).to(device);
            const auto answers = model->generate(batchImages, batchIds, generation);
            for (size_t k = start; k < end; ++k) {
                const ConversationSample &s = dataset.sample(indices[k]);
                const bool ok = normalizeAnswer(tokenizer.decode(answers[k - start])) == normalizeAnswer(s.answer);
                correct += ok;
                auto &t = perType[s.type.empty() ? "all" : s.type];
                t.first += ok;
                t.second += 1;
            }
            done += static_cast<int>(b);
            if (progress)
                progress(done, static_cast<int>(n));
        }
    }

    EvaluationResult result;
    result.record.n = static_cast<int64_t>(n);
    result.record.accuracy = n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
    for (const auto &[type, counts] : perType)
        result.record.perType[type] = {static_cast<double>(counts.first) / static_cast<double>(counts.second),
                                       counts.second};
    std::tie(result.majorityAnswer, result.majorityAccuracy) = majorityBaseline(dataset, options.limit);
    return result;
}

} // namespace cosw
