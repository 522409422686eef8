// The assembled MLLM (DESIGN §3): the conversation template and loss masking,
// splicing of visual tokens, generation with and without the KV cache, the
// language model's cache and grouped-query attention, checkpoint round trips
// and the vision tower's feature layer.

#include "TestSupport.h"

#include "io/Checkpoint.h"
#include "model/Autocast.h"
#include "model/BatchedMatmul.h"
#include "model/FusedRmsNorm.h"
#include "text/Conversation.h"
#include "base/Device.h"
#include "base/Errors.h"
#include "model/LanguageModel.h"
#include "model/Mllm.h"
#include "model/ModelConfig.h"
#include "bench/Precision.h"
#include "model/VisionTower.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <torch/torch.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace cosw;
using cosw::test::thrownMessage;

namespace {

constexpr int kVocab = 160;
constexpr int kLmWidth = 64;
constexpr int kVisual = 6; // scales {g:1,q:2}, {g:2,q:1}

ModelConfig mllmConfig()
{
    ModelConfig c = test::tinyModelConfig();
    c.vision.patchSize = 8; // n = 4
    c.vision.featureLayer = -2;
    c.lm.vocabSize = kVocab;
    c.lm.width = kLmWidth;
    c.lm.layers = 2;
    c.lm.heads = 4;
    c.lm.mlpHidden = 96;
    c.lm.tieEmbeddings = false;
    c.validate();
    return c;
}

// One id per character, offset past the special ids.
std::vector<int64_t> toyEncode(const std::string &text)
{
    std::vector<int64_t> out;
    for (unsigned char ch : text)
        out.push_back(static_cast<int64_t>(ch) + 3);
    return out;
}

torch::Tensor rowsTensor(const std::vector<std::vector<int64_t>> &rows)
{
    std::vector<torch::Tensor> t;
    for (const auto &r : rows)
        t.push_back(torch::tensor(r, torch::kLong));
    return torch::stack(t);
}

double maxDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>();
}

bool contains(const std::string &haystack, const std::string &needle)
{
    return haystack.find(needle) != std::string::npos;
}

std::string toStd(const QString &s) { return s.toStdString(); }

} // namespace

class TestMllm : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

private slots:
    void initTestCase();

    void conversationLabels();
    void multiTurnLabelsCoverEveryAnswer();
    void lossCoversAssistantTokensOnly();
    void independentTurnsTrainAsSeparateQuestions();
    void lossGradientIsZeroOutsideAnswer();
    void spliceInsertsVisualTokens();
    void generationCacheEqualsNoCache();
    void topPSampling();
    void kvCacheMatchesFullPass();
    void groupedQueryAttentionSharesKvHeads();
    void batchedProductsMatchLibTorch_data();
    void batchedProductsMatchLibTorch();
    void batchedProductsOutsideFp32AreLibTorchs();
    void fusedRmsNormMatchesItsDefinition();
    void checkpointRoundTrip();
    void checkpointRefusesExistingDirectory();
    void checkpointMissingFiles();
    void checkpointWrongShapeNamesFile();
    void visionFeatureLayer();
    void bf16OnTheCpuTracksFp32();
    void automaticPrecisionPicksBf16WhereItPays_data();
    void automaticPrecisionPicksBf16WhereItPays();
    void partsInitialiseIndependently();

private:
    torch::Tensor conversationBatch(const std::vector<std::pair<std::string, std::string>> &pairs,
                                    torch::Tensor *labels) const;
};

void TestMllm::initTestCase()
{
    torch::set_num_threads(2);
}

torch::Tensor TestMllm::conversationBatch(const std::vector<std::pair<std::string, std::string>> &pairs,
                                          torch::Tensor *labels) const
{
    std::vector<std::vector<int64_t>> ids, lab;
    for (const auto &p : pairs) {
        ConversationTokens t = conversationTokens(toyEncode, {{p.first, p.second, ""}}, 2);
        ids.push_back(t.ids);
        lab.push_back(t.labels);
    }
    *labels = rowsTensor(lab);
    return rowsTensor(ids);
}

void TestMllm::conversationLabels()
{
    const std::string prompt = "what is it?", answer = "a cat";
    ConversationTokens t = conversationTokens(toyEncode, {{prompt, answer, ""}}, 2);
    const std::vector<int64_t> promptIds = promptTokens(toyEncode, prompt);

    // USER: <image>\n{prompt} ASSISTANT: {answer}</s>
    std::vector<int64_t> expected = toyEncode("USER:");
    expected.push_back(kImageTokenId);
    for (int64_t id : toyEncode("\n" + prompt + " ASSISTANT:"))
        expected.push_back(id);
    QCOMPARE(promptIds, expected);
    for (int64_t id : toyEncode(" " + answer))
        expected.push_back(id);
    expected.push_back(2);
    QCOMPARE(t.ids, expected);
    QCOMPARE(t.labels.size(), t.ids.size());
    QCOMPARE(std::count(t.ids.begin(), t.ids.end(), kImageTokenId), std::ptrdiff_t(1));

    const size_t answerStart = promptIds.size();
    QVERIFY(std::equal(promptIds.begin(), promptIds.end(), t.ids.begin()));
    for (size_t i = 0; i < t.ids.size(); ++i) {
        if (i < answerStart)
            QCOMPARE(t.labels[i], kIgnoreLabel);
        else
            QCOMPARE(t.labels[i], t.ids[i]);
    }
    // The answer (with its leading space) and </s> count, nothing else.
    QCOMPARE(t.ids.size() - answerStart, answer.size() + 2);
    QCOMPARE(t.labels.back(), int64_t(2));
}

// USER: <image>\n{p1} ASSISTANT: {a1}</s>USER: {p2} ASSISTANT: {a2}</s>: the
// loss sees both answers and their </s>, no prompt token of either turn.
void TestMllm::multiTurnLabelsCoverEveryAnswer()
{
    const std::vector<ConversationTurn> turns = {{"what is it?", "a cat", ""}, {"and now?", "a big dog", ""}};
    const ConversationTokens t = conversationTokens(toyEncode, turns, 2);

    std::vector<int64_t> expected = promptTokens(toyEncode, turns[0].prompt);
    std::vector<int64_t> labels(expected.size(), kIgnoreLabel);
    auto answer = [&](const std::string &text) {
        std::vector<int64_t> reply = toyEncode(" " + text);
        reply.push_back(2);
        expected.insert(expected.end(), reply.begin(), reply.end());
        labels.insert(labels.end(), reply.begin(), reply.end());
    };
    answer(turns[0].answer);
    const std::vector<int64_t> second = toyEncode("USER: " + turns[1].prompt + " ASSISTANT:");
    expected.insert(expected.end(), second.begin(), second.end());
    labels.insert(labels.end(), second.size(), kIgnoreLabel);
    answer(turns[1].answer);

    QCOMPARE(t.ids, expected);
    QCOMPARE(t.labels, labels);
    QCOMPARE(std::count(t.ids.begin(), t.ids.end(), kImageTokenId), std::ptrdiff_t(1));
    const auto counted = std::count_if(t.labels.begin(), t.labels.end(), [](int64_t l) { return l != kIgnoreLabel; });
    QCOMPARE(size_t(counted), toyEncode(" a cat").size() + toyEncode(" a big dog").size() + 2);
}

// With independent turns a sample of N questions is N one-question samples
// packed into one sequence: each turn's tokens are a first turn's, and the
// loss equals that of the N samples as a batch (the mean over the same
// answer tokens), for an image and for a text sample whose first prompt
// starts with a context.
void TestMllm::independentTurnsTrainAsSeparateQuestions()
{
    torch::manual_seed(3);
    Mllm model(mllmConfig());
    model->to(torch::kDouble);
    torch::NoGradGuard noGrad;
    const int64_t pad = model->config().lm.padId;

    // The N one-question samples, right-padded to one length: ids, labels.
    auto singles = [&](const std::vector<ConversationTurn> &turns, bool withImage) {
        std::vector<ConversationTokens> rows;
        size_t longest = 0;
        for (const ConversationTurn &t : turns) {
            rows.push_back(conversationTokens(toyEncode, {t}, 2, withImage));
            longest = std::max(longest, rows.back().ids.size());
        }
        std::vector<std::vector<int64_t>> ids, labels;
        for (ConversationTokens &r : rows) {
            r.ids.resize(longest, pad);
            r.labels.resize(longest, kIgnoreLabel);
            ids.push_back(r.ids);
            labels.push_back(r.labels);
        }
        return std::make_pair(rowsTensor(ids), rowsTensor(labels));
    };
    auto layoutOf = [](const ConversationTokens &t) {
        TextLayout layout;
        layout.positions = torch::tensor(t.positions, torch::kLong).to(torch::kFloat).unsqueeze(0); // [1, T]
        layout.segments = torch::tensor(t.segments, torch::kLong).unsqueeze(0);                     // [1, T]
        return layout;
    };
    auto close = [](double a, double b) { return std::abs(a - b) < 1e-9 * std::max(1.0, std::abs(b)); };

    // An image with three questions.
    const std::vector<ConversationTurn> asked = {
        {"what is it?", "a cat", ""}, {"and now?", "a big dog", ""}, {"last one?", "no", ""}};
    const ConversationTokens packed = conversationTokens(toyEncode, asked, 2, true, TurnLayout::Independent);
    QCOMPARE(packed.positions.size(), packed.ids.size());
    QCOMPARE(packed.segments.size(), packed.ids.size());
    QCOMPARE(std::count(packed.ids.begin(), packed.ids.end(), kImageTokenId), std::ptrdiff_t(1));
    // The context ("USER:" and the image), then each turn as a first turn
    // has it after the image, at the same positions.
    const size_t context = toyEncode("USER:").size() + 1;
    size_t start = context;
    for (size_t k = 0; k < asked.size(); ++k) {
        const ConversationTokens alone = conversationTokens(toyEncode, {asked[k]}, 2);
        const size_t length = alone.ids.size() - context;
        QCOMPARE(std::vector<int64_t>(packed.ids.begin() + ptrdiff_t(start), packed.ids.begin() + ptrdiff_t(start + length)),
                 std::vector<int64_t>(alone.ids.begin() + ptrdiff_t(context), alone.ids.end()));
        for (size_t j = 0; j < length; ++j) {
            QCOMPARE(packed.positions[start + j], int64_t(context + j));
            QCOMPARE(packed.segments[start + j], int64_t(k + 1));
        }
        start += length;
    }
    QCOMPARE(start, packed.ids.size());

    auto image = torch::randn({1, 3, 32, 32}, torch::kDouble);
    const auto [ids, labels] = singles(asked, true);
    const double expected = model->loss(image.expand({3, 3, 32, 32}), ids, labels).item<double>();
    auto packedIds = rowsTensor({packed.ids}), packedLabels = rowsTensor({packed.labels});
    const double independent = model->loss(image, packedIds, packedLabels, layoutOf(packed)).item<double>();
    QVERIFY2(close(independent, expected),
             qPrintable(QStringLiteral("packed %1, separate %2").arg(independent, 0, 'g', 12).arg(expected, 0, 'g', 12)));
    // As one conversation the later turns see the earlier ones: another loss.
    const ConversationTokens conversation = conversationTokens(toyEncode, asked, 2);
    QVERIFY(!close(model->loss(image, rowsTensor({conversation.ids}), rowsTensor({conversation.labels})).item<double>(),
                   expected));

    // A text sample: the context is the first prompt up to its newline.
    const std::string caption = "row 1: cat dog.";
    const std::vector<ConversationTurn> text = {{caption + "\nwhat is first?", "cat", ""}, {"is there a dog?", "yes", ""}};
    const ConversationTokens packedText = conversationTokens(toyEncode, text, 2, false, TurnLayout::Independent);
    const auto [textIds, textLabels] = singles({text[0], {caption + "\n" + text[1].prompt, "yes", ""}}, false);
    const double expectedText = model->textLoss(textIds, textLabels).item<double>();
    const double independentText =
        model->textLoss(rowsTensor({packedText.ids}), rowsTensor({packedText.labels}), layoutOf(packedText)).item<double>();
    QVERIFY2(close(independentText, expectedText),
             qPrintable(QStringLiteral("packed %1, separate %2").arg(independentText, 0, 'g', 12).arg(expectedText, 0, 'g', 12)));
}

// Mllm::loss equals the cross-entropy computed by hand from forward() logits
// over the assistant positions only.
void TestMllm::lossCoversAssistantTokensOnly()
{
    torch::manual_seed(1);
    Mllm model(mllmConfig());
    model->to(torch::kDouble);
    torch::NoGradGuard noGrad;

    torch::Tensor labels;
    auto ids = conversationBatch({{"hi?", "ok"}, {"yo!", "no"}}, &labels); // [2, 25]
    QCOMPARE(ids.size(1), int64_t(25));
    auto images = torch::randn({2, 3, 32, 32}, torch::kDouble);

    auto logits = model->forward(images, ids); // [2, 30, V]
    QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{2, 25 - 1 + kVisual, kVocab}));

    // Labels aligned with the spliced sequence, built by hand.
    const int64_t p = 5; // position of <image>
    QCOMPARE(ids[0][p].item<int64_t>(), kImageTokenId);
    auto spliced = torch::cat({labels.slice(1, 0, p), torch::full({2, kVisual}, kIgnoreLabel, torch::kLong),
                               labels.slice(1, p + 1)}, 1); // [2, 30]
    double total = 0.0;
    int counted = 0;
    std::vector<int64_t> positions;
    for (int64_t b = 0; b < 2; ++b) {
        auto logProbs = torch::log_softmax(logits[b], -1);
        for (int64_t t = 0; t + 1 < spliced.size(1); ++t) {
            const int64_t target = spliced[b][t + 1].item<int64_t>();
            if (target == kIgnoreLabel)
                continue;
            total -= logProbs[t][target].item<double>();
            ++counted;
            if (b == 0)
                positions.push_back(t);
        }
    }
    // " ok</s>": 4 targets per row, predicted from the last prompt position on.
    QCOMPARE(counted, 8);
    QCOMPARE(positions, (std::vector<int64_t>{25, 26, 27, 28}));
    const double expected = total / counted;

    const double loss = model->loss(images, ids, labels).item<double>();
    QVERIFY2(std::abs(loss - expected) < 1e-5 * std::max(1.0, expected),
             qPrintable(QStringLiteral("loss %1, by hand %2").arg(loss, 0, 'g', 10).arg(expected, 0, 'g', 10)));

    // Sanity: the loss depends on the answer ...
    torch::Tensor otherLabels;
    auto otherIds = conversationBatch({{"hi?", "ko"}, {"yo!", "no"}}, &otherLabels);
    QVERIFY(std::abs(model->loss(images, otherIds, otherLabels).item<double>() - loss) > 1e-6);
    // ... and a label at a prompt position would count if it were not ignored.
    auto unmasked = labels.clone();
    unmasked[0][10] = 40;
    QVERIFY(std::abs(model->loss(images, ids, unmasked).item<double>() - loss) > 1e-6);
}

// The gradient of Mllm::loss with respect to the logits, recovered from the
// gradient of the (untied) LM head: G = sum_t g_t h_t^T with hidden states
// h_t that are linearly independent, so g = (H H^T)^-1 H G^T. It must be
// zero at prompt and visual positions and (softmax - onehot) / N at the
// assistant positions.
void TestMllm::lossGradientIsZeroOutsideAnswer()
{
    torch::manual_seed(2);
    Mllm model(mllmConfig());
    model->to(torch::kDouble);

    torch::Tensor labels;
    auto ids = conversationBatch({{"hi?", "ok"}}, &labels); // [1, 25], spliced length 30 < width 64
    auto images = torch::randn({1, 3, 32, 32}, torch::kDouble);

    auto params = model->named_parameters();
    QVERIFY(params.contains("lm.lm_head.weight"));
    torch::Tensor head = params["lm.lm_head.weight"]; // [V, W]
    model->zero_grad();
    model->loss(images, ids, labels).backward();
    QVERIFY(head.grad().defined());
    auto grad = head.grad(); // [V, W]

    torch::Tensor hidden, logits;
    {
        torch::NoGradGuard noGrad;
        auto spliced = model->splice(ids, model->encode(images).tokens);
        hidden = model->lm()->forward(spliced.embeddings, nullptr, spliced.positions)[0]; // [S, W]
        logits = model->lm()->logits(hidden);          // [S, V]
    }
    const int64_t s = hidden.size(0);
    QCOMPARE(s, int64_t(30));
    auto gram = hidden.mm(hidden.t()); // [S, S]
    auto perPosition = torch::linalg_solve(gram, hidden.mm(grad.t())); // [S, V]

    // Expected: positions 25..28 predict " ok</s>".
    auto expected = torch::zeros_like(perPosition);
    std::vector<int64_t> answer = toyEncode(" ok");
    answer.push_back(2);
    auto probs = torch::softmax(logits, -1);
    for (int i = 0; i < 4; ++i) {
        auto row = probs[25 + i].clone();
        row[answer[i]].sub_(1.0);
        expected[25 + i] = row / 4.0;
    }
    for (int64_t t = 0; t < s; ++t) {
        const double err = maxDiff(perPosition[t], expected[t]);
        const bool answerPosition = t >= 25 && t <= 28;
        QVERIFY2(err < 1e-6, qPrintable(QStringLiteral("position %1 (%2): gradient off by %3")
                                            .arg(t).arg(answerPosition ? "answer" : t >= 5 && t < 11 ? "visual" : "prompt")
                                            .arg(err)));
    }
    // The recovery is meaningful: gradients at the answer are far from zero.
    QVERIFY(perPosition.slice(0, 25, 29).abs().max().item<double>() > 0.05);
}

void TestMllm::spliceInsertsVisualTokens()
{
    torch::manual_seed(3);
    Mllm model(mllmConfig());
    model->to(torch::kDouble);
    torch::NoGradGuard noGrad;

    auto ids = rowsTensor({{5, kImageTokenId, 6, 7, 8, 9, 10}, {11, 12, 13, 14, 15, kImageTokenId, 16}});
    auto labels = rowsTensor({{kIgnoreLabel, kIgnoreLabel, 36, 37, 38, 39, 40},
                              {kIgnoreLabel, 42, 43, 44, 45, kIgnoreLabel, 46}});
    auto visual = torch::randn({2, kVisual, kLmWidth}, torch::kDouble);
    auto spliced = model->splice(ids, visual, labels);
    const auto &out = spliced.embeddings;
    QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{2, 6 + kVisual, kLmWidth}));

    auto embed = [&](std::vector<int64_t> v) { return model->lm()->embed(torch::tensor(v, torch::kLong)); };
    // Row 0: <image> at 1.
    QVERIFY(torch::equal(out[0].slice(0, 0, 1), embed({5})));
    QVERIFY(torch::equal(out[0].slice(0, 1, 1 + kVisual), visual[0]));
    QVERIFY(torch::equal(out[0].slice(0, 1 + kVisual), embed({6, 7, 8, 9, 10})));
    // Row 1: <image> at 5.
    QVERIFY(torch::equal(out[1].slice(0, 0, 5), embed({11, 12, 13, 14, 15})));
    QVERIFY(torch::equal(out[1].slice(0, 5, 5 + kVisual), visual[1]));
    QVERIFY(torch::equal(out[1].slice(0, 5 + kVisual), embed({16})));

    // Unscaled, every token takes the next position.
    for (int64_t row = 0; row < 2; ++row)
        QVERIFY(torch::equal(spliced.positions[row], torch::arange(6 + kVisual, torch::kFloat)));

    const int64_t I = kIgnoreLabel;
    std::vector<int64_t> ignored(kVisual, I), label0{I}, label1{I, 42, 43, 44, 45};
    label0.insert(label0.end(), ignored.begin(), ignored.end());
    label1.insert(label1.end(), ignored.begin(), ignored.end());
    for (int64_t l : std::vector<int64_t>{36, 37, 38, 39, 40})
        label0.push_back(l);
    label1.push_back(46);
    QVERIFY(torch::equal(spliced.labels, rowsTensor({label0, label1})));

    // connector.output_scale multiplies the visual tokens, and only them.
    ModelConfig scaledConfig = mllmConfig();
    scaledConfig.connector.outputScale = 0.25;
    Mllm scaledModel(scaledConfig);
    scaledModel->to(torch::kDouble);
    loadStateDict(*scaledModel, stateDict(*model), "the unscaled model");
    const auto scaled = scaledModel->splice(ids, visual, labels).embeddings;
    QVERIFY(torch::allclose(scaled[1].slice(0, 5, 5 + kVisual), visual[1] * 0.25));
    QVERIFY(torch::equal(scaled[1].slice(0, 0, 5), out[1].slice(0, 0, 5)));
    QVERIFY(torch::equal(scaled[1].slice(0, 5 + kVisual), out[1].slice(0, 5 + kVisual)));

    // Gradients go back to the visual token each position came from.
    {
        torch::AutoGradMode enabled(true);
        auto leaf = visual.clone().requires_grad_(true);
        auto weight = torch::randn({2, 6 + kVisual, kLmWidth}, torch::kDouble);
        (scaledModel->splice(ids, leaf, labels).embeddings * weight).sum().backward();
        QVERIFY(torch::allclose(leaf.grad()[0], weight[0].slice(0, 1, 1 + kVisual) * 0.25));
        QVERIFY(torch::allclose(leaf.grad()[1], weight[1].slice(0, 5, 5 + kVisual) * 0.25));
    }

    // Visual tokens that do not match the connector's layout are refused.
    QVERIFY_THROWS_EXCEPTION(std::exception, model->splice(ids, torch::randn({2, kVisual + 1, kLmWidth}, torch::kDouble)));

    // A row without exactly one <image> is refused.
    auto none = rowsTensor({{5, 6, 7}, {5, kImageTokenId, 7}});
    auto two = rowsTensor({{kImageTokenId, kImageTokenId, 7}, {5, kImageTokenId, 7}});
    auto small = torch::randn({2, kVisual, kLmWidth}, torch::kDouble);
    QVERIFY_THROWS_EXCEPTION(std::exception, model->splice(none, small));
    QVERIFY_THROWS_EXCEPTION(std::exception, model->splice(two, small));
    QVERIFY_THROWS_EXCEPTION(std::exception, model->forward(torch::randn({2, 3, 32, 32}, torch::kDouble), none));
}

void TestMllm::generationCacheEqualsNoCache()
{
    torch::manual_seed(4);
    Mllm model(mllmConfig());
    model->to(torch::kDouble);
    torch::NoGradGuard noGrad;

    auto prompts = rowsTensor({promptTokens(toyEncode, "abc"), promptTokens(toyEncode, "xyz")});
    auto images = torch::randn({2, 3, 32, 32}, torch::kDouble);
    GenerationOptions options;
    options.maxNewTokens = 12;
    options.useCache = true;
    auto cached = model->generate(images, prompts, options);
    options.useCache = false;
    auto uncached = model->generate(images, prompts, options);
    QCOMPARE(cached.size(), size_t(2));
    QCOMPARE(cached, uncached);
    QVERIFY2(cached[0].size() + cached[1].size() > 0, "nothing generated: the comparison is empty");

    // Greedy means: each new token is the argmax of forward() on the prompt
    // so far; generation stops at </s> (not returned) or after 12 tokens.
    for (int64_t b = 0; b < 2; ++b) {
        std::vector<int64_t> sequence(prompts[b].data_ptr<int64_t>(), prompts[b].data_ptr<int64_t>() + prompts.size(1));
        auto image = images.slice(0, b, b + 1);
        const auto &generated = cached[b];
        QVERIFY(generated.size() <= 12);
        for (size_t k = 0; k <= generated.size() && k < 12; ++k) {
            auto logits = model->forward(image, torch::tensor(sequence, torch::kLong).unsqueeze(0));
            const int64_t next = logits[0][-1].argmax().item<int64_t>();
            if (k == generated.size()) {
                QCOMPARE(next, int64_t(2)); // stopped early: </s>
                break;
            }
            QCOMPARE(next, generated[k]);
            QVERIFY(next != 2);
            sequence.push_back(next);
        }
    }
}

void TestMllm::topPSampling()
{
    torch::manual_seed(5);
    Mllm model(mllmConfig());
    model->to(torch::kDouble);
    torch::NoGradGuard noGrad;

    auto prompts = rowsTensor({promptTokens(toyEncode, "abc"), promptTokens(toyEncode, "xyz")});
    auto images = torch::randn({2, 3, 32, 32}, torch::kDouble);
    GenerationOptions options;
    options.maxNewTokens = 12;
    options.topP = 0.95;
    options.temperature = 3.0; // flat distributions: many candidates per step
    options.seed = 42;
    auto first = model->generate(images, prompts, options);
    auto second = model->generate(images, prompts, options);
    QCOMPARE(first, second);
    options.useCache = false;
    QCOMPARE(model->generate(images, prompts, options), first);
    options.useCache = true;

    // Another seed gives another sample (24 draws from flat distributions).
    options.seed = 43;
    QVERIFY(model->generate(images, prompts, options) != first);
    for (const auto &row : first)
        for (int64_t id : row)
            QVERIFY(id >= 0 && id < kVocab && id != 2);

    // A nucleus so small that it holds only the most likely token is greedy.
    options.topP = 1e-9;
    options.temperature = 1.0;
    GenerationOptions greedy;
    greedy.maxNewTokens = 12;
    QCOMPARE(model->generate(images, prompts, options), model->generate(images, prompts, greedy));
}

// Logits of a sequence in one pass equal those computed chunk by chunk (and
// token by token) with a KV cache.
void TestMllm::kvCacheMatchesFullPass()
{
    torch::manual_seed(6);
    LmConfig c = mllmConfig().lm;
    c.maxSeqLen = 32;
    QVERIFY(c.kvHeads < c.heads);
    LanguageModel lm(c);
    lm->to(torch::kDouble);
    torch::NoGradGuard noGrad;

    auto ids = torch::randint(3, kVocab, {2, 13}, torch::kLong);
    auto full = lm->logits(lm->forward(lm->embed(ids))); // [2, 13, V]

    for (const std::vector<int64_t> &chunks : {std::vector<int64_t>(13, 1), std::vector<int64_t>{5, 3, 1, 1, 2, 1}}) {
        KvCache cache;
        std::vector<torch::Tensor> parts;
        int64_t start = 0;
        for (int64_t len : chunks) {
            auto piece = ids.slice(1, start, start + len);
            parts.push_back(lm->logits(lm->forward(lm->embed(piece), &cache)));
            start += len;
            QCOMPARE(cache.length(), start);
        }
        auto stepwise = torch::cat(parts, 1);
        QCOMPARE(stepwise.sizes().vec(), full.sizes().vec());
        QVERIFY2(maxDiff(stepwise, full) < 1e-5, qPrintable(QStringLiteral("max |diff| %1").arg(maxDiff(stepwise, full))));
        // The cache holds kv_heads, not the repeated query heads.
        QCOMPARE(cache.keys.size(), size_t(c.layers));
        QCOMPARE(cache.keys[0].sizes().vec(), (std::vector<int64_t>{2, c.kvHeads, 13, c.headDim()}));
    }

    // The cache cannot grow past max_seq_len.
    KvCache cache;
    lm->forward(lm->embed(torch::randint(3, kVocab, {1, 30}, torch::kLong)), &cache);
    QVERIFY_THROWS_EXCEPTION(std::exception, lm->forward(lm->embed(torch::randint(3, kVocab, {1, 3}, torch::kLong)), &cache));
}

// Grouped-query attention: query head i uses kv head i / (heads / kv_heads)
// (LLaMA's repeat_kv). A GQA model equals a full multi-head model whose k/v
// projections repeat each kv head for its group.
void TestMllm::groupedQueryAttentionSharesKvHeads()
{
    torch::manual_seed(7);
    LmConfig gqaConfig = mllmConfig().lm;
    gqaConfig.heads = 4;
    gqaConfig.kvHeads = 2;
    LmConfig mhaConfig = gqaConfig;
    mhaConfig.kvHeads = 4;
    LanguageModel gqa(gqaConfig), mha(mhaConfig);

    const int64_t hd = gqaConfig.headDim(), group = gqaConfig.heads / gqaConfig.kvHeads;
    StateDict weights;
    for (const auto &kv : stateDict(*gqa)) {
        const bool kOrV = contains(kv.first, "k_proj.weight") || contains(kv.first, "v_proj.weight");
        if (kOrV) {
            QCOMPARE(kv.second.size(0), gqaConfig.kvHeads * hd);
            weights[kv.first] = kv.second.view({gqaConfig.kvHeads, hd, -1})
                                    .repeat_interleave(group, 0)
                                    .reshape({gqaConfig.heads * hd, -1});
        } else {
            weights[kv.first] = kv.second;
        }
    }
    loadStateDict(*mha, weights, "repeated kv heads");
    gqa->to(torch::kDouble);
    mha->to(torch::kDouble);
    torch::NoGradGuard noGrad;
    auto ids = torch::randint(3, kVocab, {2, 11}, torch::kLong);
    auto a = gqa->logits(gqa->forward(gqa->embed(ids)));
    auto b = mha->logits(mha->forward(mha->embed(ids)));
    QVERIFY2(maxDiff(a, b) < 1e-6, qPrintable(QStringLiteral("max |diff| %1").arg(maxDiff(a, b))));
    // GQA really has fewer parameters.
    QVERIFY(stateDict(*gqa).at("layers.0.self_attn.k_proj.weight").size(0)
            < stateDict(*mha).at("layers.0.self_attn.k_proj.weight").size(0));
}

// Attention's products read their operands in place, however they are laid
// out; values and gradients are LibTorch's.
void TestMllm::batchedProductsMatchLibTorch_data()
{
    QTest::addColumn<QString>("layout");
    for (const char *layout : {"contiguous", "b transposed", "a transposed", "both transposed", "heads transposed",
                               "b broadcast over heads", "strided rows", "three dimensions", "single rows"})
        QTest::newRow(layout) << layout;
}

void TestMllm::batchedProductsMatchLibTorch()
{
    QFETCH(QString, layout);
    torch::manual_seed(5);
    const int64_t b = 3, h = 4, m = 7, k = 5, n = 6;
    torch::Tensor a = torch::randn({b, h, m, k}), bb = torch::randn({b, h, k, n});
    if (layout == "b transposed")
        bb = torch::randn({b, h, n, k}).transpose(-2, -1);
    else if (layout == "a transposed")
        a = torch::randn({b, h, k, m}).transpose(-2, -1);
    else if (layout == "both transposed") {
        a = torch::randn({b, h, k, m}).transpose(-2, -1);
        bb = torch::randn({b, h, n, k}).transpose(-2, -1);
    } else if (layout == "heads transposed") { // as attention's q = x.view(B, T, H, d).transpose(1, 2)
        a = torch::randn({b, m, h, k}).transpose(1, 2);
        bb = torch::randn({b, n, h, k}).transpose(1, 2).transpose(-2, -1);
    } else if (layout == "b broadcast over heads")
        bb = torch::randn({b, 1, k, n}).expand({b, h, k, n});
    else if (layout == "strided rows")
        a = torch::randn({b, h, m, 2 * k}).slice(3, 0, 2 * k, 2); // neither dimension unit-strided
    else if (layout == "three dimensions") {
        a = torch::randn({b * h, m, k});
        bb = torch::randn({b * h, k, n});
    } else if (layout == "single rows") {
        a = torch::randn({b, h, 1, k});
        bb = torch::randn({b, h, k, 1});
    }
    auto check = [&](const torch::Tensor &x, const torch::Tensor &y, const char *what) {
        QVERIFY2(x.sizes() == y.sizes(), what);
        QVERIFY2(torch::allclose(x, y, 1e-5, 1e-5),
                 qPrintable(QStringLiteral("%1: %2").arg(what).arg((x - y).abs().max().item<double>())));
    };
    auto ours = a.detach().clone().set_requires_grad(true), oursB = bb.detach().clone().set_requires_grad(true);
    auto ref = a.detach().clone().set_requires_grad(true), refB = bb.detach().clone().set_requires_grad(true);
    // Same layouts as the inputs above (clone keeps the strides).
    if (layout == "b broadcast over heads") {
        oursB = torch::randn({b, 1, k, n}).requires_grad_();
        refB = oursB.detach().clone().requires_grad_();
    }
    auto inB = [&](const torch::Tensor &t) { return layout == "b broadcast over heads" ? t.expand({b, h, k, n}) : t; };
    auto out = batchedMatmul(ours, inB(oursB));
    auto expected = torch::matmul(ref, inB(refB));
    check(out, expected, "product");
    QVERIFY(out.is_contiguous());
    auto weight = torch::randn_like(expected);
    (out * weight).sum().backward();
    (expected * weight).sum().backward();
    check(ours.grad(), ref.grad(), "gradient of a");
    check(oursB.grad(), refB.grad(), "gradient of b");
}

void TestMllm::batchedProductsOutsideFp32AreLibTorchs()
{
    torch::manual_seed(6);
    auto a = torch::randn({2, 3, 4, 5}), b = torch::randn({2, 3, 5, 4});
    // Batch shapes that broadcast, doubles, bf16 autocast: what matmul gives.
    QVERIFY(torch::equal(batchedMatmul(a, b.slice(0, 0, 1)), torch::matmul(a, b.slice(0, 0, 1))));
    QVERIFY(torch::equal(batchedMatmul(a.to(torch::kDouble), b.to(torch::kDouble)),
                         torch::matmul(a.to(torch::kDouble), b.to(torch::kDouble))));
    if (!bf16Supported(torch::Device(torch::kCPU), nullptr))
        return;
    AutocastGuard autocast(true, torch::Device(torch::kCPU));
    auto ours = batchedMatmul(a, b), theirs = torch::matmul(a, b);
    QCOMPARE(ours.scalar_type(), torch::kBFloat16);
    QVERIFY(torch::equal(ours, theirs));
}

// The fused loops give RMSNorm's values and gradients: against the
// definition in double precision, for a frozen weight too, and a strided
// input (the tensor operations) agrees with a contiguous one (the loops).
void TestMllm::fusedRmsNormMatchesItsDefinition()
{
    torch::manual_seed(7);
    const double eps = 1e-5;
    auto x = (torch::randn({3, 5, 48}) * 3.0).requires_grad_();
    auto w = (torch::randn({48}) + 1.0).requires_grad_();
    auto upstream = torch::randn({3, 5, 48});
    auto y = rmsNorm(x, w, eps);
    (y * upstream).sum().backward();

    auto xd = x.detach().to(torch::kDouble).requires_grad_(), wd = w.detach().to(torch::kDouble).requires_grad_();
    auto yd = xd * torch::rsqrt(xd.pow(2).mean(-1, true) + eps) * wd;
    (yd * upstream.to(torch::kDouble)).sum().backward();
    auto close = [](const torch::Tensor &a, const torch::Tensor &b) {
        return torch::allclose(a.to(torch::kDouble), b, 1e-5, 1e-5);
    };
    QVERIFY(close(y, yd));
    QVERIFY(close(x.grad(), xd.grad()));
    QVERIFY(close(w.grad(), wd.grad()));

    // A frozen weight: the input's gradient alone, the same.
    auto x2 = x.detach().clone().requires_grad_();
    (rmsNorm(x2, w.detach(), eps) * upstream).sum().backward();
    QVERIFY(close(x2.grad(), xd.grad()));

    // Strided: the tensor operations, to the same values.
    auto wide = torch::randn({3, 5, 96});
    wide.slice(2, 0, 96, 2).copy_(x.detach());
    QVERIFY(close(rmsNorm(wide.slice(2, 0, 96, 2), w.detach(), eps), yd));
}

void TestMllm::checkpointRoundTrip()
{
    torch::manual_seed(8);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const ModelConfig config = mllmConfig();
    Mllm model(config);
    const std::string dir = toStd(tmp.filePath("ck"));
    saveCheckpoint(dir, {config, stateDict(*model)});
    QVERIFY(QFile::exists(tmp.filePath("ck/config.json")));
    QVERIFY(QFile::exists(tmp.filePath("ck/model.safetensors")));
    // No temporary directory is left behind.
    QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{"ck"});

    Checkpoint loaded = loadCheckpoint(dir);
    QCOMPARE(loaded.config.toJson(), config.toJson());
    const StateDict original = stateDict(*model);
    QCOMPARE(loaded.weights.size(), original.size());
    for (const auto &kv : original) {
        QVERIFY2(loaded.weights.count(kv.first), kv.first.c_str());
        QVERIFY2(torch::equal(loaded.weights.at(kv.first), kv.second), kv.first.c_str());
    }

    Mllm restored = instantiate(loaded, dir);
    torch::NoGradGuard noGrad;
    auto images = torch::randn({2, 3, 32, 32});
    auto ids = rowsTensor({promptTokens(toyEncode, "abc"), promptTokens(toyEncode, "xyz")});
    QVERIFY(torch::equal(restored->forward(images, ids), model->forward(images, ids)));
    GenerationOptions options;
    options.maxNewTokens = 6;
    QCOMPARE(restored->generate(images, ids, options), model->generate(images, ids, options));

    // An existing empty directory may be used.
    QVERIFY(QDir(tmp.path()).mkdir("empty"));
    const std::string emptyDir = toStd(tmp.filePath("empty"));
    saveCheckpoint(emptyDir, {config, stateDict(*model)});
    QCOMPARE(loadCheckpoint(emptyDir).weights.size(), original.size());
}

void TestMllm::checkpointRefusesExistingDirectory()
{
    torch::manual_seed(9);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const ModelConfig config = mllmConfig();
    Mllm first(config), second(config);
    const std::string dir = toStd(tmp.filePath("ck"));
    saveCheckpoint(dir, {config, stateDict(*first)});

    const std::string message = thrownMessage<InputError>([&] { saveCheckpoint(dir, {config, stateDict(*second)}); });
    QVERIFY2(contains(message, dir), message.c_str());
    // The first checkpoint is intact.
    Checkpoint loaded = loadCheckpoint(dir);
    for (const auto &kv : stateDict(*first))
        QVERIFY2(torch::equal(loaded.weights.at(kv.first), kv.second), kv.first.c_str());
    // A non-empty directory that is not a checkpoint is refused too.
    QVERIFY(QDir(tmp.path()).mkpath("other"));
    QFile note(tmp.filePath("other/notes.txt"));
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.write("keep me\n");
    note.close();
    const std::string otherDir = toStd(tmp.filePath("other"));
    QVERIFY(!thrownMessage<InputError>([&] { saveCheckpoint(otherDir, {config, stateDict(*second)}); }).empty());
    QVERIFY(QFile::exists(tmp.filePath("other/notes.txt")));
    QVERIFY(!QFile::exists(tmp.filePath("other/model.safetensors")));
}

void TestMllm::checkpointMissingFiles()
{
    torch::manual_seed(10);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const ModelConfig config = mllmConfig();
    Mllm model(config);

    // Missing config.json.
    const std::string noConfig = toStd(tmp.filePath("no-config"));
    saveCheckpoint(noConfig, {config, stateDict(*model)});
    QVERIFY(QFile::remove(tmp.filePath("no-config/config.json")));
    std::string message = thrownMessage<InputError>([&] { loadCheckpoint(noConfig); });
    QVERIFY2(contains(message, "config.json"), message.c_str());

    // Malformed config.json.
    const std::string badConfig = toStd(tmp.filePath("bad-config"));
    saveCheckpoint(badConfig, {config, stateDict(*model)});
    {
        QFile f(tmp.filePath("bad-config/config.json"));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"format\": \"cos-workbench-checkpoint\", ");
    }
    message = thrownMessage<InputError>([&] { loadCheckpoint(badConfig); });
    QVERIFY2(contains(message, "config.json"), message.c_str());

    // Missing weights.
    const std::string noWeights = toStd(tmp.filePath("no-weights"));
    saveCheckpoint(noWeights, {config, stateDict(*model)});
    QVERIFY(QFile::remove(tmp.filePath("no-weights/model.safetensors")));
    message = thrownMessage<InputError>([&] { loadCheckpoint(noWeights); });
    QVERIFY2(contains(message, "model.safetensors"), message.c_str());

    // Not a directory at all.
    message = thrownMessage<InputError>([&] { loadCheckpoint(toStd(tmp.filePath("absent"))); });
    QVERIFY2(contains(message, "absent"), message.c_str());
}

// A checkpoint whose tensor does not fit its own config: loading it (and
// building the model from it) fails with InputError naming the weights file
// and the tensor, not with a LibTorch error later on.
void TestMllm::checkpointWrongShapeNamesFile()
{
    torch::manual_seed(11);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const ModelConfig config = mllmConfig();
    Mllm model(config);
    StateDict weights = stateDict(*model);
    weights["lm.norm.weight"] = torch::ones({kLmWidth + 1});
    const std::string dir = toStd(tmp.filePath("wrong-shape"));
    saveCheckpoint(dir, {config, weights});

    // Loading and instantiating, as every front end does.
    std::string message = thrownMessage<InputError>([&] { instantiate(loadCheckpoint(dir), dir); });
    QVERIFY2(contains(message, dir), message.c_str());
    QVERIFY2(contains(message, "lm.norm.weight"), message.c_str());

    // loadCheckpoint itself reports the inconsistent checkpoint (Checkpoint.h),
    // so a checkpoint is never scaled or inspected with tensors that do not
    // fit its config.
    message = thrownMessage<InputError>([&] { loadCheckpoint(dir); });
    QVERIFY2(contains(message, "model.safetensors"), message.empty() ? "loadCheckpoint accepted it" : message.c_str());
    QVERIFY2(contains(message, "lm.norm.weight"), message.c_str());
}

void TestMllm::visionFeatureLayer()
{
    torch::manual_seed(12);
    torch::NoGradGuard noGrad;
    VisionConfig vc = mllmConfig().vision;
    vc.layers = 2;
    vc.preNorm = true;
    vc.classToken = true;
    auto make = [&](int layers, int featureLayer, const StateDict &weights) {
        VisionConfig c = vc;
        c.layers = layers;
        c.featureLayer = featureLayer;
        VisionTower t(c);
        loadStateDict(*t, weights, "tower");
        t->to(torch::kDouble);
        return t;
    };
    VisionConfig reference = vc;
    reference.featureLayer = -1;
    VisionTower seed(reference);
    const StateDict weights = stateDict(*seed);
    StateDict oneBlock;
    for (const auto &kv : weights)
        if (!contains(kv.first, "blocks.1."))
            oneBlock[kv.first] = kv.second;

    auto last = make(2, -1, weights);
    auto secondLast = make(2, -2, weights);
    auto first = make(2, 1, weights);
    auto second = make(2, 2, weights);
    auto single = make(1, -1, oneBlock);

    auto images = torch::randn({2, 3, 32, 32}, torch::kDouble);
    auto fLast = last(images), fSecondLast = secondLast(images);
    QCOMPARE(fLast.sizes().vec(), (std::vector<int64_t>{2, 4, 4, 16}));
    QVERIFY(maxDiff(fLast, fSecondLast) > 1e-3);
    QVERIFY(torch::equal(first(images), fSecondLast));
    QVERIFY(torch::equal(second(images), fLast));
    QVERIFY(torch::equal(single(images), fSecondLast));

    // Reference computation: patch embedding, class token, positions, pre-norm,
    // blocks, class token dropped, cells row-major.
    auto modules = last->named_modules();
    auto params = last->named_parameters();
    auto x = modules["patch_embed"]->as<torch::nn::Conv2d>()->forward(images).flatten(2).transpose(1, 2); // [B, 16, C]
    x = torch::cat({params["class_embedding"].view({1, 1, 16}).expand({2, 1, 16}), x}, 1);
    x = x + params["position_embedding"].unsqueeze(0);
    x = modules["pre_norm"]->as<torch::nn::LayerNorm>()->forward(x);
    auto afterOne = modules["blocks.0"]->as<VisionBlock>()->forward(x);
    auto afterTwo = modules["blocks.1"]->as<VisionBlock>()->forward(afterOne);
    QVERIFY(maxDiff(afterOne.slice(1, 1).reshape({2, 4, 4, 16}), fSecondLast) < 1e-12);
    QVERIFY(maxDiff(afterTwo.slice(1, 1).reshape({2, 4, 4, 16}), fLast) < 1e-12);

    // Feature layers that name no block are refused.
    for (int bad : {0, 3, -3}) {
        ModelConfig c = mllmConfig();
        c.vision.layers = 2;
        c.vision.featureLayer = bad;
        bool thrown = false;
        try {
            c.validate();
        } catch (const ConfigError &e) {
            thrown = true;
            QCOMPARE(QString::fromStdString(e.key()), QStringLiteral("model.vision.feature_layer"));
        }
        QVERIFY2(thrown, qPrintable(QStringLiteral("feature_layer %1 accepted").arg(bad)));
    }
}

// precision: bf16 on a CPU with bf16 products: the matrix products run in
// bf16 (the logits come out bf16), norms and the loss in fp32, and loss and
// gradients stay close to the fp32 model's. Elsewhere the device says why not.
void TestMllm::bf16OnTheCpuTracksFp32()
{
    const torch::Device cpu(torch::kCPU);
    std::string why;
    if (!bf16Supported(cpu, &why)) {
        QVERIFY2(why.find("AVX512-BF16") != std::string::npos, why.c_str());
        QSKIP("this CPU has no bf16 products");
    }
    torch::manual_seed(12);
    Mllm model(mllmConfig());
    torch::Tensor labels;
    auto ids = conversationBatch({{"hi?", "ok"}, {"yo!", "no"}}, &labels);
    auto images = torch::randn({2, 3, 32, 32});

    auto lossAndGradient = [&](bool bf16) {
        model->zero_grad();
        AutocastGuard autocast(bf16, cpu);
        auto loss = model->loss(images, ids, labels);
        loss.backward();
        return std::make_pair(loss.item<double>(), model->lm()->named_parameters()["embed_tokens.weight"].grad().clone());
    };
    const auto [fp32Loss, fp32Grad] = lossAndGradient(false);
    const auto [bf16Loss, bf16Grad] = lossAndGradient(true);
    {
        AutocastGuard autocast(true, cpu);
        torch::NoGradGuard noGrad;
        QCOMPARE(model->forward(images, ids).scalar_type(), torch::kBFloat16);
    }
    QCOMPARE(model->forward(images, ids).scalar_type(), torch::kFloat); // the guard is gone
    QVERIFY2(std::abs(bf16Loss - fp32Loss) < 0.02 * fp32Loss,
             qPrintable(QStringLiteral("loss fp32 %1, bf16 %2").arg(fp32Loss).arg(bf16Loss)));
    const double cosine = torch::cosine_similarity(fp32Grad.flatten(), bf16Grad.flatten(), 0).item<double>();
    QVERIFY2(cosine > 0.98, qPrintable(QStringLiteral("gradient cosine %1").arg(cosine)));
}

// precision: auto. The decision is a table (a test machine rarely has every
// kind of CPU); this machine's own choice is one of its rows.
void TestMllm::automaticPrecisionPicksBf16WhereItPays_data()
{
    QTest::addColumn<bool>("cuda");
    QTest::addColumn<bool>("nativeBf16");
    QTest::addColumn<double>("fp32");
    QTest::addColumn<double>("bf16");
    QTest::addColumn<QString>("expected");
    QTest::newRow("CUDA") << true << true << 0.0 << 0.0 << "bf16";
    QTest::newRow("CPU without bf16 products") << false << false << 100e9 << 900e9 << "fp32";
    QTest::newRow("AMX, bf16 3x faster") << false << true << 200e9 << 600e9 << "bf16";
    QTest::newRow("AVX512-BF16 via oneDNN, slower (machine B)") << false << true << 196e9 << 155e9 << "fp32";
    QTest::newRow("at parity") << false << true << 100e9 << 110e9 << "fp32";
    QTest::newRow("just at the margin") << false << true << 100e9 << 100e9 * kBf16SpeedupToChoose << "bf16";
    QTest::newRow("no fp32 figure") << false << true << 0.0 << 100e9 << "fp32";
}

void TestMllm::automaticPrecisionPicksBf16WhereItPays()
{
    QFETCH(bool, cuda);
    QFETCH(bool, nativeBf16);
    QFETCH(double, fp32);
    QFETCH(double, bf16);
    QFETCH(QString, expected);
    const PrecisionChoice choice = choosePrecision(cuda, nativeBf16, fp32, bf16);
    QCOMPARE(QString::fromStdString(choice.precision), expected);
    QVERIFY(!choice.reason.empty());

    const PrecisionChoice here = automaticPrecision(torch::Device(torch::kCPU));
    QVERIFY(here.precision == "fp32" || (here.precision == "bf16" && bf16Supported(torch::Device(torch::kCPU))));
}

void TestMllm::partsInitialiseIndependently()
{
    // One seed, two connectors: the vision tower and the language model start
    // alike, so a baseline and a Chain-of-Sight run share cached stages.
    const ModelConfig cos = mllmConfig();
    ModelConfig resampler = cos;
    resampler.connector.type = ConnectorType::Resampler;
    resampler.connector.scales = {ScaleConfig{1, 7, true}};
    resampler.validate();
    torch::manual_seed(11);
    const StateDict a = stateDict(*Mllm(cos));
    torch::manual_seed(11);
    const StateDict b = stateDict(*Mllm(resampler));
    int shared = 0;
    for (const auto &[name, tensor] : a) {
        if (name.rfind("connector.", 0) == 0)
            continue;
        QVERIFY2(b.count(name) && torch::equal(tensor, b.at(name)), name.c_str());
        ++shared;
    }
    QVERIFY(shared > 10);
    // Another seed gives another model, the language model included.
    torch::manual_seed(12);
    const StateDict c = stateDict(*Mllm(cos));
    QVERIFY(!torch::equal(a.at("lm.embed_tokens.weight"), c.at("lm.embed_tokens.weight")));
}

QTEST_APPLESS_MAIN(TestMllm)
#include "tst_mllm.moc"
