// Compound token scaling (DESIGN §2): token arithmetic, window and resolution
// scaling of configs and weights, refusal of specs that do not fit, and the
// purity of scaleCheckpoint.

#include "TestSupport.h"

#include "io/Checkpoint.h"
#include "text/Conversation.h"
#include "base/Errors.h"
#include "base/Json.h"
#include "model/Mllm.h"
#include "model/ModelConfig.h"
#include "model/VisualPositions.h"
#include "scaling/TokenScaling.h"

#include <QTest>

#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

using namespace cosw;
using cosw::test::thrownMessage;

Q_DECLARE_METATYPE(std::vector<int>)

namespace {

// Image 112 px, patch 14: a feature grid of n = 8. Scales {g:1,q:16},
// {g:4,q:1}: 16 + 16 = 32 visual tokens.
ModelConfig baseConfig(bool perWindow = false, bool fixedGlobal = false)
{
    ModelConfig c = test::tinyModelConfig();
    c.vision.imageSize = 112;
    c.vision.patchSize = 14;
    c.connector.perWindow = perWindow;
    c.connector.scales = {{1, 16, fixedGlobal}, {4, 1, false}};
    c.lm.maxSeqLen = 1024;
    c.validate();
    return c;
}

ModelConfig resamplerConfig()
{
    ModelConfig c = baseConfig();
    c.connector.type = ConnectorType::Resampler;
    c.connector.scales = {{1, 8, true}};
    c.validate();
    return c;
}

ModelConfig mlpConfig()
{
    ModelConfig c = baseConfig();
    c.connector.type = ConnectorType::Mlp;
    c.connector.scales.clear();
    c.validate();
    return c;
}

int64_t parameterCount(const torch::nn::Module &module)
{
    int64_t total = 0;
    for (const auto &p : module.parameters())
        total += p.numel();
    return total;
}

Checkpoint randomCheckpoint(const ModelConfig &config)
{
    Mllm model(config);
    // Make the query banks clearly distinct per window.
    for (auto &p : model->named_parameters())
        if (p.key().find(".queries") != std::string::npos)
            p.value().data().normal_(0.0, 1.0);
    return {config, stateDict(*model)};
}

// A prompt with one <image> and a few text tokens.
torch::Tensor promptIds(int64_t batch)
{
    return torch::tensor(std::vector<int64_t>{5, 6, kImageTokenId, 7, 8}, torch::kLong).unsqueeze(0).repeat({batch, 1});
}

ConfigError configErrorOf(const std::function<void()> &fn, bool *thrown)
{
    try {
        fn();
    } catch (const ConfigError &e) {
        *thrown = true;
        return e;
    }
    *thrown = false;
    return ConfigError({}, {}, {});
}

} // namespace

// Asserts that `expr` throws ConfigError with key `expectedKey`, and that its
// message names the key.
#define VERIFY_CONFIG_ERROR(expr, expectedKey)                                                       \
    do {                                                                                             \
        bool thrown_ = false;                                                                        \
        ConfigError e_ = configErrorOf([&] { (void)(expr); }, &thrown_);                             \
        QVERIFY2(thrown_, "expected ConfigError from: " #expr);                                      \
        QCOMPARE(QString::fromStdString(e_.key()), QStringLiteral(expectedKey));                     \
        QVERIFY2(std::string(e_.what()).find(expectedKey) != std::string::npos, e_.what());          \
    } while (false)

class TestScaling : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

private slots:
    void initTestCase();

    void tokenArithmetic_data();
    void tokenArithmetic();
    void baselinesUnderResolutionScaling();
    void windowScalingAddsNoParameters();
    void perWindowBanksCopyParent_data();
    void perWindowBanksCopyParent();
    void resolutionScalingResizesPositionEmbedding();
    void scaledModelRunsAtNewResolution();
    void scaledTokensKeepPreTrainingPositions();
    void towerAtAnotherResolutionMatchesScaledTower();
    void specFromJson();
    void badSpecsNameTheKey();
    void scaleCheckpointIsPure();
    void addedScaleCopiesItsSource();
};

void TestScaling::initTestCase()
{
    torch::set_num_threads(2);
}

void TestScaling::tokenArithmetic_data()
{
    QTest::addColumn<int>("resolution");
    QTest::addColumn<std::vector<int>>("window");
    QTest::addColumn<bool>("fixedGlobal");
    QTest::addColumn<std::vector<int>>("windowsAfter");
    QTest::addColumn<int>("tokens");

    QTest::newRow("identity") << 1 << std::vector<int>{} << false << std::vector<int>{1, 4} << 32;
    QTest::newRow("window [1,2]") << 1 << std::vector<int>{1, 2} << false << std::vector<int>{1, 8} << 80;
    QTest::newRow("resolution 2, window [1,2]") << 2 << std::vector<int>{1, 2} << false << std::vector<int>{2, 16}
                                                << 320;
    QTest::newRow("resolution 2, window [1,2], fixed global")
        << 2 << std::vector<int>{1, 2} << true << std::vector<int>{1, 16} << 272;
    QTest::newRow("resolution 2, window [2,2]") << 2 << std::vector<int>{2, 2} << false << std::vector<int>{4, 16}
                                                << 512;
    QTest::newRow("resolution 2 only") << 2 << std::vector<int>{} << false << std::vector<int>{2, 8} << 128;
}

void TestScaling::tokenArithmetic()
{
    QFETCH(int, resolution);
    QFETCH(std::vector<int>, window);
    QFETCH(bool, fixedGlobal);
    QFETCH(std::vector<int>, windowsAfter);
    QFETCH(int, tokens);

    const ModelConfig base = baseConfig(false, fixedGlobal);
    QCOMPARE(visualTokens(base), 32);
    ScalingSpec spec;
    spec.resolution = resolution;
    spec.window = window;
    QCOMPARE(spec.isIdentity(), resolution == 1 && window.empty());

    const ModelConfig scaled = scaledConfig(base, spec);
    QCOMPARE(scaled.vision.imageSize, 112 * resolution);
    QCOMPARE(scaled.vision.grid(), 8 * resolution);
    QCOMPARE(static_cast<int>(scaled.connector.scales.size()), 2);
    for (size_t s = 0; s < 2; ++s) {
        QCOMPARE(scaled.connector.scales[s].windows, windowsAfter[s]);
        QCOMPARE(scaled.connector.scales[s].queries, base.connector.scales[s].queries);
        QCOMPARE(scaled.connector.scales[s].fixedWindows, base.connector.scales[s].fixedWindows);
    }
    QCOMPARE(visualTokens(scaled), tokens);
    const std::vector<int> perScale = tokensPerScale(scaled);
    QCOMPARE(perScale[0] + perScale[1], tokens);
    // The original config is left alone.
    QCOMPARE(base.vision.imageSize, 112);
    QCOMPARE(base.connector.scales[1].windows, 4);
}

void TestScaling::baselinesUnderResolutionScaling()
{
    ScalingSpec spec;
    spec.resolution = 2;
    // The plain resampler keeps q tokens through resolution scaling.
    const ModelConfig resampler = scaledConfig(resamplerConfig(), spec);
    QCOMPARE(visualTokens(resampler), 8);
    QCOMPARE(resampler.vision.grid(), 16);
    // The MLP projector has one token per patch.
    const ModelConfig mlp = scaledConfig(mlpConfig(), spec);
    QCOMPARE(visualTokens(mlp), 256);
}

void TestScaling::windowScalingAddsNoParameters()
{
    torch::manual_seed(1);
    torch::NoGradGuard noGrad;
    const ModelConfig base = baseConfig();
    Checkpoint ck = randomCheckpoint(base);
    Mllm original = instantiate(ck, "original");

    ScalingSpec spec;
    spec.window = {1, 2};
    const ModelConfig scaled = scaledConfig(base, spec);
    QCOMPARE(parameterCount(*Mllm(scaled)), parameterCount(*Mllm(base)));

    Checkpoint scaledCk = scaleCheckpoint(ck, spec);
    QCOMPARE(visualTokens(scaledCk.config), 80);
    QCOMPARE(scaledCk.weights.size(), ck.weights.size());
    for (const auto &kv : ck.weights) {
        QVERIFY2(scaledCk.weights.count(kv.first), kv.first.c_str());
        QVERIFY2(torch::equal(scaledCk.weights.at(kv.first), kv.second), kv.first.c_str());
    }
    Mllm model = instantiate(scaledCk, "scaled");
    QCOMPARE(parameterCount(*model), parameterCount(*original));

    original->to(torch::kDouble);
    model->to(torch::kDouble);
    auto images = torch::randn({2, 3, 112, 112}, torch::kDouble);
    auto before = original->encode(images).tokens;
    auto after = model->encode(images).tokens;
    QCOMPARE(after.sizes().vec(), (std::vector<int64_t>{2, 80, 32}));
    // The global scale is untouched by window scaling of the second scale.
    QVERIFY((after.slice(1, 0, 16) - before.slice(1, 0, 16)).abs().max().item<double>() < 1e-10);
    // The second scale now has 64 tokens that differ from its 16 before.
    auto logits = model->forward(images, promptIds(2));
    QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{2, 4 + 80, 64}));
}

void TestScaling::perWindowBanksCopyParent_data()
{
    QTest::addColumn<int>("resolution");
    QTest::addColumn<std::vector<int>>("window");

    QTest::newRow("window [1,2]") << 1 << std::vector<int>{1, 2};
    QTest::newRow("window [2,2]") << 1 << std::vector<int>{2, 2};
    QTest::newRow("resolution 2") << 2 << std::vector<int>{};
    QTest::newRow("resolution 2, window [1,2]") << 2 << std::vector<int>{1, 2};
}

// per_window: each child window's bank equals its parent's, with window
// indices row-major: child (i, j) of a k-fold split has parent (i/k, j/k).
void TestScaling::perWindowBanksCopyParent()
{
    QFETCH(int, resolution);
    QFETCH(std::vector<int>, window);

    torch::manual_seed(2);
    torch::NoGradGuard noGrad;
    const ModelConfig base = baseConfig(/*perWindow=*/true);
    Checkpoint ck = randomCheckpoint(base);
    ScalingSpec spec;
    spec.resolution = resolution;
    spec.window = window;
    Checkpoint scaled = scaleCheckpoint(ck, spec);

    for (size_t s = 0; s < 2; ++s) {
        const std::string name = "connector.scales." + std::to_string(s) + ".queries";
        const int g0 = base.connector.scales[s].windows;
        const int g1 = scaled.config.connector.scales[s].windows;
        const int q = base.connector.scales[s].queries;
        const auto &parent = ck.weights.at(name);
        const auto &child = scaled.weights.at(name);
        QCOMPARE(parent.sizes().vec(), (std::vector<int64_t>{g0 * g0, q, 16}));
        QCOMPARE(child.sizes().vec(), (std::vector<int64_t>{g1 * g1, q, 16}));
        const int k = g1 / g0;
        QCOMPARE(k * g0, g1);
        for (int i = 0; i < g1; ++i)
            for (int j = 0; j < g1; ++j)
                QVERIFY2(torch::equal(child[i * g1 + j], parent[(i / k) * g0 + (j / k)]),
                         qPrintable(QStringLiteral("scale %1 window (%2,%3)").arg(s).arg(i).arg(j)));
    }

    // The scaled weights load into the scaled model and it runs.
    Mllm model = instantiate(scaled, "scaled");
    const int r = scaled.config.vision.imageSize;
    auto tokens = model->encode(torch::randn({1, 3, r, r})).tokens;
    QCOMPARE(tokens.size(1), int64_t(visualTokens(scaled.config)));
}

void TestScaling::resolutionScalingResizesPositionEmbedding()
{
    torch::manual_seed(3);
    torch::NoGradGuard noGrad;
    const ModelConfig base = baseConfig();
    Checkpoint ck = randomCheckpoint(base);
    // Cell (i, j): channel 0 depends on the row only, channel 1 on the column
    // only, channel 2 is constant; the rest is random.
    auto table = ck.weights.at("vision.position_embedding").clone(); // [1 + 64, 16]
    QCOMPARE(table.sizes().vec(), (std::vector<int64_t>{65, 16}));
    auto ramp = torch::arange(8, torch::kFloat) * 0.1;
    auto cells = table.slice(0, 1).view({8, 8, 16});
    cells.select(2, 0).copy_(ramp.unsqueeze(1).expand({8, 8}));
    cells.select(2, 1).copy_(ramp.unsqueeze(0).expand({8, 8}));
    cells.select(2, 2).fill_(0.25);
    ck.weights["vision.position_embedding"] = table;

    ScalingSpec spec;
    spec.resolution = 2;
    Checkpoint scaled = scaleCheckpoint(ck, spec);
    const auto &resized = scaled.weights.at("vision.position_embedding");
    QCOMPARE(resized.sizes().vec(), (std::vector<int64_t>{1 + 16 * 16, 16}));
    QVERIFY2(torch::equal(resized[0], table[0]), "class-token row changed");

    auto grid = resized.slice(0, 1).view({16, 16, 16});
    auto rowChannel = grid.select(2, 0), colChannel = grid.select(2, 1), constant = grid.select(2, 2);
    // Row-dependent stays row-dependent (constant along each row) ...
    QVERIFY((rowChannel - rowChannel.select(1, 0).unsqueeze(1)).abs().max().item<double>() < 1e-6);
    QVERIFY((colChannel - colChannel.select(0, 0).unsqueeze(0)).abs().max().item<double>() < 1e-6);
    // ... and still varies along the other axis, from the first row to the last.
    QVERIFY(rowChannel[15][0].item<double>() - rowChannel[0][0].item<double>() > 0.5);
    QVERIFY(colChannel[0][15].item<double>() - colChannel[0][0].item<double>() > 0.5);
    // Bicubic interpolation of a constant is that constant.
    QVERIFY((constant - 0.25).abs().max().item<double>() < 1e-6);
    // Interpolation is symmetric under flipping the grid (no half-cell
    // shift): the ramp 0 .. 0.7 resizes to values with r[I] + r[15 - I] = 0.7.
    for (int i = 0; i < 16; ++i)
        QVERIFY2(std::abs(rowChannel[i][3].item<double>() + rowChannel[15 - i][3].item<double>() - 0.7) < 1e-5,
                 qPrintable(QStringLiteral("rows %1 and %2").arg(i).arg(15 - i)));

    // Without a class token every row is a grid cell.
    ModelConfig noClass = baseConfig();
    noClass.vision.classToken = false;
    Checkpoint ck2 = randomCheckpoint(noClass);
    QCOMPARE(ck2.weights.at("vision.position_embedding").size(0), int64_t(64));
    Checkpoint scaled2 = scaleCheckpoint(ck2, spec);
    QCOMPARE(scaled2.weights.at("vision.position_embedding").sizes().vec(), (std::vector<int64_t>{256, 16}));
    instantiate(scaled2, "scaled without class token");
}

void TestScaling::scaledModelRunsAtNewResolution()
{
    torch::manual_seed(4);
    torch::NoGradGuard noGrad;
    struct Case { bool fixedGlobal; int tokens; };
    for (const Case &c : {Case{false, 320}, Case{true, 272}}) {
        Checkpoint ck = randomCheckpoint(baseConfig(false, c.fixedGlobal));
        ScalingSpec spec;
        spec.resolution = 2;
        spec.window = {1, 2};
        Checkpoint scaled = scaleCheckpoint(ck, spec);
        QCOMPARE(scaled.config.vision.imageSize, 224);
        Mllm model = instantiate(scaled, "scaled");
        auto images = torch::randn({2, 3, 224, 224});
        QCOMPARE(model->features(images).sizes().vec(), (std::vector<int64_t>{2, 16, 16, 16}));
        auto out = model->encode(images, AttentionRequest{true});
        QCOMPARE(out.tokens.sizes().vec(), (std::vector<int64_t>{2, c.tokens, 32}));
        QCOMPARE(out.attention.size(), size_t(2));
        QCOMPARE(out.attention[1].sizes().vec(), (std::vector<int64_t>{2, 256, 16, 16}));
        auto logits = model->forward(images, promptIds(2));
        QCOMPARE(logits.sizes().vec(), (std::vector<int64_t>{2, 4 + c.tokens, 64}));
        QVERIFY(torch::isfinite(logits).all().item<bool>());
        // At the old resolution the local scale's 16 windows do not divide the
        // 8-cell grid, and the scaled model says so.
        QVERIFY_THROWS_EXCEPTION(std::exception, model->encode(torch::randn({1, 3, 112, 112})));
    }
}

// The LM learned in pre-training where each visual token is and where the
// text after the image starts; compound scaling keeps both: a token of a
// split window sits just after its parent's position, in the parent's
// interval, and the text starts where it did.
void TestScaling::scaledTokensKeepPreTrainingPositions()
{
    const ModelConfig base = baseConfig();
    const VisualPositions before = visualPositions(base);
    QCOMPARE(before.span, int64_t(32));
    QVERIFY(torch::equal(before.offsets, torch::arange(32, torch::kFloat)));

    ScalingSpec spec;
    spec.resolution = 2;
    spec.window = {1, 2};
    const ModelConfig scaled = scaledConfig(base, spec);
    QCOMPARE(scaled.connector.scales[0].positionWindows, 1);
    QCOMPARE(scaled.connector.scales[1].positionWindows, 4);
    const VisualPositions after = visualPositions(scaled);
    QCOMPARE(after.span, int64_t(32));
    QCOMPARE(after.offsets.size(0), int64_t(320));
    auto at = [&](int64_t t) { return after.offsets[t].item<double>(); };
    // Global scale: 2x2 windows of 16 queries; window w's query k at k + w/4.
    QCOMPARE(at(0), 0.0);
    QCOMPARE(at(16 + 3), 3.25);
    QCOMPARE(at(3 * 16 + 15), 15.75);
    // Local scale: 16x16 windows, each parent split 4x4; window (i, j) at
    // 16 + parent + child/16.
    for (int64_t i = 0; i < 16; ++i)
        for (int64_t j = 0; j < 16; ++j) {
            const double expected = 16 + (i / 4) * 4 + j / 4 + double((i % 4) * 4 + j % 4) / 16.0;
            QCOMPARE(at(64 + i * 16 + j), expected);
        }

    // The scaled model's text after the image keeps its positions.
    Mllm model(scaled);
    torch::NoGradGuard noGrad;
    auto spliced = model->splice(promptIds(1), torch::zeros({1, 320, scaled.lm.width}));
    auto text = spliced.positions[0].slice(0, 2 + 320);
    QVERIFY(torch::equal(text, torch::tensor(std::vector<float>{34, 35})));

    // token_positions: sequence numbers the scaled tokens one after another.
    ModelConfig sequence = base;
    sequence.connector.sequencePositions = true;
    const VisualPositions numbered = visualPositions(scaledConfig(sequence, spec));
    QCOMPARE(numbered.span, int64_t(320));
    QVERIFY(torch::equal(numbered.offsets, torch::arange(320, torch::kFloat)));

    // The layout survives the checkpoint's config.
    const ModelConfig reread = ModelConfig::fromJson(scaled.toJson());
    QCOMPARE(reread.connector.scales[1].positionWindows, 4);
    QVERIFY(torch::equal(visualPositions(reread).offsets, after.offsets));
}

void TestScaling::towerAtAnotherResolutionMatchesScaledTower()
{
    // A tower fed 224 px images before scaling sees the same resized position
    // table that resolution scaling writes, so training a tower at several
    // resolutions prepares it for the scaled stages.
    torch::manual_seed(11);
    torch::NoGradGuard noGrad;
    Checkpoint ck = randomCheckpoint(baseConfig());
    ScalingSpec spec;
    spec.resolution = 2;
    Checkpoint scaled = scaleCheckpoint(ck, spec);
    Mllm before = instantiate(ck, "before");
    Mllm after = instantiate(scaled, "after");
    auto images = torch::randn({2, 3, 224, 224});
    auto a = before->features(images);
    auto b = after->features(images);
    QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{2, 16, 16, 16}));
    QVERIFY(torch::allclose(a, b, 1e-5, 1e-6));
    QVERIFY_THROWS_EXCEPTION(std::exception, before->features(torch::randn({1, 3, 100, 100})));
}

void TestScaling::specFromJson()
{
    ScalingSpec one = ScalingSpec::fromJson(parseJson(R"({"resolution": 2, "window": 2})"), "spec.json",
                                            "scaling", 2);
    QCOMPARE(one.resolution, 2);
    QCOMPARE(one.window, (std::vector<int>{2, 2}));
    ScalingSpec list = ScalingSpec::fromJson(parseJson(R"({"window": [1, 2]})"), "spec.json", "scaling", 2);
    QCOMPARE(list.resolution, 1);
    QCOMPARE(list.window, (std::vector<int>{1, 2}));
    QCOMPARE(visualTokens(scaledConfig(baseConfig(), list)), 80);
    // toJson reads back to the same spec.
    ScalingSpec back = ScalingSpec::fromJson(list.toJson(), {}, "scaling", 2);
    QCOMPARE(back.resolution, list.resolution);
    QCOMPARE(back.window, list.window);
}

void TestScaling::badSpecsNameTheKey()
{
    const ModelConfig base = baseConfig();
    auto spec = [](int r, std::vector<int> w) {
        ScalingSpec s;
        s.resolution = r;
        s.window = std::move(w);
        return s;
    };
    auto fromJson = [](const char *text) {
        return ScalingSpec::fromJson(parseJson(text), "spec.json", "scaling", 2);
    };

    // Windows that would not divide the grid: 4 * 3 = 12 windows on 8 cells.
    VERIFY_CONFIG_ERROR(scaledConfig(base, spec(1, {1, 3})), "scaling.window");
    // 8 * 3 = 24 windows on 16 cells, after resolution x2 (the factor that does
    // not fit is the window factor).
    VERIFY_CONFIG_ERROR(scaledConfig(base, spec(2, {3, 1})), "scaling.window");
    // Window factor lists of the wrong length.
    VERIFY_CONFIG_ERROR(fromJson(R"({"window": [1, 2, 2]})"), "scaling.window");
    VERIFY_CONFIG_ERROR(fromJson(R"({"window": [2]})"), "scaling.window");
    VERIFY_CONFIG_ERROR(scaledConfig(base, spec(1, {1, 1, 2})), "scaling.window");
    // A file name travels with the error.
    {
        bool thrown = false;
        ConfigError e = configErrorOf([&] { fromJson(R"({"window": [1, 2, 2]})"); }, &thrown);
        QVERIFY(thrown);
        QVERIFY2(std::string(e.what()).find("spec.json") != std::string::npos, e.what());
    }
    // Window scaling of connectors without windows.
    VERIFY_CONFIG_ERROR(scaledConfig(resamplerConfig(), spec(1, {2})), "scaling.window");
    VERIFY_CONFIG_ERROR(scaledConfig(mlpConfig(), spec(1, {2})), "scaling.window");
    // Non-positive factors, from JSON and given directly.
    VERIFY_CONFIG_ERROR(fromJson(R"({"window": 0})"), "scaling.window");
    VERIFY_CONFIG_ERROR(fromJson(R"({"window": [1, -2]})"), "scaling.window");
    VERIFY_CONFIG_ERROR(fromJson(R"({"resolution": 0})"), "scaling.resolution");
    VERIFY_CONFIG_ERROR(fromJson(R"({"resolution": -1})"), "scaling.resolution");
    VERIFY_CONFIG_ERROR(scaledConfig(base, spec(1, {1, -2})), "scaling.window");
    VERIFY_CONFIG_ERROR(scaledConfig(base, spec(1, {1, 0})), "scaling.window");
    VERIFY_CONFIG_ERROR(scaledConfig(base, spec(0, {})), "scaling.resolution");
    VERIFY_CONFIG_ERROR(scaledConfig(base, spec(-1, {})), "scaling.resolution");
    // Unknown keys are refused too.
    VERIFY_CONFIG_ERROR(fromJson(R"({"windows": 2})"), "scaling.windows");

    // Too many visual tokens for the LM: 80 >= max_seq_len 64.
    ModelConfig shortLm = baseConfig();
    shortLm.lm.maxSeqLen = 64;
    shortLm.validate();
    QCOMPARE(visualTokens(scaledConfig(shortLm, spec(1, {}))), 32);
    bool thrown = false;
    ConfigError e = configErrorOf([&] { scaledConfig(shortLm, spec(1, {1, 2})); }, &thrown);
    QVERIFY(thrown);
    QCOMPARE(QString::fromStdString(e.key()), QStringLiteral("scaling.window"));
    QVERIFY2(std::string(e.what()).find("max_seq_len") != std::string::npos, e.what());
    e = configErrorOf([&] { scaledConfig(shortLm, spec(2, {})); }, &thrown);
    QVERIFY(thrown);
    QCOMPARE(QString::fromStdString(e.key()), QStringLiteral("scaling.resolution"));
    QVERIFY2(std::string(e.what()).find("max_seq_len") != std::string::npos, e.what());
}

void TestScaling::scaleCheckpointIsPure()
{
    torch::manual_seed(5);
    const ModelConfig base = baseConfig(/*perWindow=*/true);
    Checkpoint ck = randomCheckpoint(base);
    StateDict copy;
    for (const auto &kv : ck.weights)
        copy[kv.first] = kv.second.clone();
    const std::string configBefore = ck.config.toJson().dump();

    ScalingSpec spec;
    spec.resolution = 2;
    spec.window = {1, 2};
    Checkpoint scaled = scaleCheckpoint(ck, spec);
    QVERIFY(scaled.config.toJson().dump() != configBefore);

    QCOMPARE(ck.config.toJson().dump(), configBefore);
    QCOMPARE(ck.weights.size(), copy.size());
    for (const auto &kv : copy) {
        QVERIFY2(ck.weights.count(kv.first), kv.first.c_str());
        QVERIFY2(torch::equal(ck.weights.at(kv.first), kv.second), kv.first.c_str());
    }
    // The changed tensors have new shapes; the input kept its own.
    QCOMPARE(ck.weights.at("vision.position_embedding").size(0), int64_t(65));
    QCOMPARE(scaled.weights.at("vision.position_embedding").size(0), int64_t(257));
    QCOMPARE(ck.weights.at("connector.scales.1.queries").size(0), int64_t(16));
    QCOMPARE(scaled.weights.at("connector.scales.1.queries").size(0), int64_t(256));

    // Loading the scaled checkpoint into a model and training it (here: an
    // in-place update of its parameters) leaves the source checkpoint alone.
    Mllm model = instantiate(scaled, "scaled");
    {
        torch::NoGradGuard noGrad;
        for (auto &p : model->parameters())
            p.add_(1.0);
    }
    for (const auto &kv : copy)
        QVERIFY2(torch::equal(ck.weights.at(kv.first), kv.second), kv.first.c_str());
}

void TestScaling::addedScaleCopiesItsSource()
{
    // The authors' recipe on CLIP ViT-L/14 at 224 px (grid 16): 16 global
    // tokens + 4x4 windows of 4 = 80 in pre-training; at 448 px the global
    // scale stays, a copy of it in 4x4 windows is added, and the local
    // windows are split again: 16 + 16x16x4 + 4x4x16 = 1296.
    ModelConfig paper = test::tinyModelConfig();
    paper.vision.imageSize = 224;
    paper.vision.patchSize = 14;
    paper.connector.perWindow = true;
    paper.connector.scales = {{1, 16, true}, {4, 4, false}};
    paper.lm.maxSeqLen = 2048;
    paper.validate();
    QCOMPARE(visualTokens(paper), 80);
    const Json recipe = parseJson(R"({"resolution": 2, "window": [1, 2], "add": [{"from": 0, "window": 4}]})");
    const ScalingSpec spec = ScalingSpec::fromJson(recipe, ConfigSource("paper.yaml"), "scaling", 2);
    QCOMPARE(spec.toJson(), recipe);
    QVERIFY(!spec.isIdentity());
    const ModelConfig scaled = scaledConfig(paper, spec);
    QCOMPARE(tokensPerScale(scaled), (std::vector<int>{16, 1024, 256}));
    QCOMPARE(visualTokens(scaled), 1296);
    // The other recipes: 336 (a 2x2 copy, local 8x8) and 528 (a 4x4 copy).
    ScalingSpec s336;
    s336.resolution = 2;
    s336.add = {{0, 2}};
    QCOMPARE(visualTokens(scaledConfig(paper, s336)), 336);
    ScalingSpec s528 = s336;
    s528.add = {{0, 4}};
    QCOMPARE(visualTokens(scaledConfig(paper, s528)), 528);

    // Its stack is a copy of the global one, its per-window banks the
    // global bank in every window; the global scale keeps its weights.
    torch::manual_seed(9);
    torch::NoGradGuard noGrad;
    const Checkpoint ck = randomCheckpoint(paper);
    const Checkpoint after = scaleCheckpoint(ck, spec);
    int copied = 0;
    for (const auto &[name, tensor] : ck.weights) {
        if (name.rfind("connector.scales.0.", 0) != 0)
            continue;
        const std::string added = "connector.scales.2." + name.substr(std::string("connector.scales.0.").size());
        const torch::Tensor &copy = after.weights.at(added);
        if (name == "connector.scales.0.queries") {
            QCOMPARE(copy.sizes().vec(), (std::vector<int64_t>{16, 16, tensor.size(2)}));
            for (int64_t w = 0; w < 16; ++w)
                QVERIFY(torch::equal(copy[w], tensor[0]));
        } else {
            QVERIFY2(torch::equal(copy, tensor), added.c_str());
            QVERIFY2(copy.data_ptr() != tensor.data_ptr(), "a copy, not a shared tensor");
        }
        QVERIFY(torch::equal(after.weights.at(name), tensor));
        ++copied;
    }
    QVERIFY(copied > 5);

    // The added scale is windowed: each token attends inside its window only.
    Mllm model = instantiate(after, "scaled");
    AttentionRequest request;
    request.enabled = true;
    const ConnectorOutput out = model->connector()->forward(model->features(torch::randn({1, 3, 448, 448})), request);
    QCOMPARE(out.tokens.size(1), int64_t(1296));
    const torch::Tensor maps = out.attention.at(2); // [1, 256, 32, 32]
    QCOMPARE(maps.sizes().vec(), (std::vector<int64_t>{1, 256, 32, 32}));
    for (int64_t t = 0; t < 256; t += 37) {
        const int64_t w = t / 16, row = w / 4, col = w % 4; // 4x4 windows of 8x8 cells
        auto inside = maps[0][t].slice(0, row * 8, row * 8 + 8).slice(1, col * 8, col * 8 + 8);
        QVERIFY(std::abs(inside.sum().item<double>() - 1.0) < 1e-4);
        auto outside = maps[0][t].clone();
        outside.slice(0, row * 8, row * 8 + 8).slice(1, col * 8, col * 8 + 8).zero_();
        QCOMPARE(outside.abs().max().item<double>(), 0.0);
    }

    // It takes the global scale's positions, as a split global scale would:
    // the image spans what it did in pre-training and the text starts there.
    const VisualPositions positions = visualPositions(scaled);
    QCOMPARE(positions.span, int64_t(80));
    auto added = positions.offsets.slice(0, 16 + 1024);
    QVERIFY(added.min().item<double>() >= 0.0 && added.max().item<double>() < 16.0);
    QCOMPARE(scaled.connector.scales[2].positionScale, 0);
    QVERIFY(torch::equal(visualPositions(ModelConfig::fromJson(scaled.toJson())).offsets, positions.offsets));

    // A source that is not there, or windows that do not divide the grid.
    const std::string bad = thrownMessage<ConfigError>([&] {
        ScalingSpec::fromJson(parseJson(R"({"add": [{"from": 2}]})"), ConfigSource("x.yaml"), "stages[1].scaling", 2);
    });
    QVERIFY2(bad.find("stages[1].scaling.add[0].from") != std::string::npos, bad.c_str());
    ScalingSpec uneven;
    uneven.add = {{0, 3}};
    const std::string grid = thrownMessage<ConfigError>([&] { scaledConfig(paper, uneven); });
    QVERIFY2(grid.find("add[0].window") != std::string::npos, grid.c_str());

    // Factors from a file may be any int (a fuzzed stored config found the
    // product overflowing): refused by what they would make, not wrapped.
    ScalingSpec huge;
    huge.window = {1, 1111111112};
    huge.resolution = 2;
    const std::string window = thrownMessage<ConfigError>([&] { scaledConfig(paper, huge); });
    QVERIFY2(window.find("windows per side (window x1111111112, resolution x2)") != std::string::npos, window.c_str());
    ScalingSpec tall;
    tall.resolution = 1 << 30;
    const std::string resolution = thrownMessage<ConfigError>([&] { scaledConfig(paper, tall); });
    QVERIFY2(resolution.find("more than 65536") != std::string::npos, resolution.c_str());
    ScalingSpec negative;
    negative.add = {{0, -1}};
    QVERIFY(!thrownMessage<ConfigError>([&] { scaledConfig(paper, negative); }).empty());
}

QTEST_APPLESS_MAIN(TestScaling)
#include "tst_scaling.moc"
