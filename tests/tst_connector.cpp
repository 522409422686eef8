// Connectors (DESIGN §2): Chain-of-Sight window locality and token order,
// attention maps on the full grid, the batched-window path against the naive
// per-window loop, the plain-resampler and MLP baselines, and the fused
// attention kernel against the manual one.

#include "TestSupport.h"

#include "model/Attention.h"
#include "model/ChainOfSightConnector.h"
#include "base/Errors.h"
#include "io/Checkpoint.h"
#include "model/Connector.h"
#include "model/ModelConfig.h"
#include "model/MlpProjector.h"
#include "model/ResamplerStack.h"
#include "model/VisionTower.h"

#include <QTest>

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace cosw;

namespace {

constexpr int kGrid = 8;        // n, feature cells per side
constexpr int kVisionWidth = 12; // C
constexpr int kLmWidth = 24;     // C_lm

ModelConfig makeConfig(ConnectorType type, std::vector<ScaleConfig> scales, bool perWindow = false,
                       int layers = 2)
{
    ModelConfig c = test::tinyModelConfig(); // feature grid kGrid
    c.vision.width = kVisionWidth;
    c.vision.layers = 1;
    c.vision.mlpHidden = 24;
    c.connector.type = type;
    c.connector.layers = layers;
    c.connector.perWindow = perWindow;
    c.connector.scales = std::move(scales);
    c.lm.width = kLmWidth;
    c.lm.mlpHidden = 32;
    c.validate();
    return c;
}

ModelConfig cosConfig(bool perWindow = false, int layers = 2)
{
    return makeConfig(ConnectorType::ChainOfSight, {{1, 4, false}, {4, 2, false}}, perWindow, layers);
}

// Which scale / window / query a token index of the connector output belongs to.
struct TokenPlace {
    int scale, windows, row, col, query;
};

std::vector<TokenPlace> tokenPlaces(const ModelConfig &c)
{
    std::vector<TokenPlace> out;
    for (size_t s = 0; s < c.connector.scales.size(); ++s) {
        const ScaleConfig &sc = c.connector.scales[s];
        for (int i = 0; i < sc.windows; ++i)
            for (int j = 0; j < sc.windows; ++j)
                for (int q = 0; q < sc.queries; ++q)
                    out.push_back({static_cast<int>(s), sc.windows, i, j, q});
    }
    return out;
}

// [n, n] bool: true on the cells of window (i, j) of a g x g tiling.
torch::Tensor windowMask(int n, int g, int i, int j)
{
    const int m = n / g;
    auto mask = torch::zeros({n, n}, torch::kBool);
    mask.slice(0, i * m, (i + 1) * m).slice(1, j * m, (j + 1) * m).fill_(true);
    return mask;
}

// Naive attention: query i sits at absolute position tk - tq + i and, when
// causal, sees keys 0..that position.
torch::Tensor referenceAttention(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v,
                                 bool causal)
{
    const int64_t tq = q.size(2), tk = k.size(2);
    const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(3)));
    std::vector<torch::Tensor> rows;
    for (int64_t i = 0; i < tq; ++i) {
        const int64_t visible = causal ? tk - tq + i + 1 : tk;
        auto qi = q.slice(2, i, i + 1);                                     // [B, H, 1, d]
        auto ks = k.slice(2, 0, visible), vs = v.slice(2, 0, visible);      // [B, H, s, d]
        auto p = torch::softmax(torch::matmul(qi, ks.transpose(-2, -1)) * scale, -1);
        rows.push_back(torch::matmul(p, vs));
    }
    return torch::cat(rows, 2);
}

struct KernelRestore {
    ~KernelRestore() { setAttentionKernel(AttentionKernel::Auto); }
};

bool close(const torch::Tensor &a, const torch::Tensor &b, double atol)
{
    return a.sizes() == b.sizes() && (a - b).abs().max().item<double>() <= atol;
}

QString describe(const torch::Tensor &a, const torch::Tensor &b)
{
    if (a.sizes() != b.sizes())
        return QStringLiteral("shape mismatch");
    return QStringLiteral("max |diff| = %1").arg((a - b).abs().max().item<double>());
}

} // namespace

class TestConnector : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

private slots:
    void initTestCase();

    void tokenCountsMatchConfig();
    void windowLocalityAndTokenOrder();
    void attentionMapsStayInsideWindows();
    void batchedWindowsEqualPerWindowLoop_data();
    void batchedWindowsEqualPerWindowLoop();
    void perHeadMapsAverageToMap();
    void nonLastLayerMaps();
    void plainResampler();
    void freshQueriesAreDistinct();
    void windowPositionOff();
    void attentionPositionsLocateFeatures();
    void multiLevelFeatures();
    void mlpProjector();
    void manualAttentionMatchesReference();
    void fusedAttentionEqualsManual();
};

void TestConnector::initTestCase()
{
    torch::set_num_threads(2);
}

void TestConnector::tokenCountsMatchConfig()
{
    torch::manual_seed(1);
    torch::NoGradGuard noGrad;
    auto features = torch::randn({2, kGrid, kGrid, kVisionWidth});

    const ModelConfig cos = cosConfig();
    QCOMPARE(tokensPerScale(cos), (std::vector<int>{4, 32}));
    QCOMPARE(visualTokens(cos), 36);
    const ModelConfig resampler = makeConfig(ConnectorType::Resampler, {{1, 6, true}});
    QCOMPARE(tokensPerScale(resampler), (std::vector<int>{6}));
    const ModelConfig mlp = makeConfig(ConnectorType::Mlp, {});
    QCOMPARE(tokensPerScale(mlp), (std::vector<int>{kGrid * kGrid}));

    for (const ModelConfig *c : {&cos, &resampler, &mlp}) {
        auto connector = makeConnector(*c);
        ConnectorOutput out = connector->forward(features, AttentionRequest{true});
        QCOMPARE(out.tokens.sizes().vec(), (std::vector<int64_t>{2, visualTokens(*c), kLmWidth}));
        if (c->connector.type == ConnectorType::Mlp) {
            QVERIFY(out.attention.empty());
            continue;
        }
        const std::vector<int> perScale = tokensPerScale(*c);
        QCOMPARE(out.attention.size(), perScale.size());
        for (size_t s = 0; s < perScale.size(); ++s)
            QCOMPARE(out.attention[s].sizes().vec(), (std::vector<int64_t>{2, perScale[s], kGrid, kGrid}));
    }
}

// Changing the features of one fine window changes exactly the global tokens
// and that window's queries, which also pins down the token order: scale by
// scale, windows row-major, queries in bank order.
void TestConnector::windowLocalityAndTokenOrder()
{
    torch::manual_seed(2);
    torch::NoGradGuard noGrad;
    const ModelConfig c = cosConfig();
    auto connector = makeConnector(c);
    const auto places = tokenPlaces(c);
    QCOMPARE(static_cast<int>(places.size()), 36);

    auto features = torch::randn({2, kGrid, kGrid, kVisionWidth});
    auto base = connector->forward(features).tokens; // [2, 36, C_lm]

    const int g = 4, m = kGrid / g;
    for (int wi = 0; wi < g; ++wi) {
        for (int wj = 0; wj < g; ++wj) {
            // Perturb one window of batch element 0 only.
            auto changed = features.clone();
            changed[0].slice(0, wi * m, (wi + 1) * m).slice(1, wj * m, (wj + 1) * m)
                .add_(torch::randn({m, m, kVisionWidth}));
            auto out = connector->forward(changed).tokens;

            QVERIFY2(torch::equal(out[1], base[1]), "another batch element changed");
            for (size_t t = 0; t < places.size(); ++t) {
                const TokenPlace &p = places[t];
                const bool inside = p.windows == 1 || (p.row == wi && p.col == wj);
                const bool same = torch::equal(out[0][t], base[0][t]);
                if (inside && same)
                    QFAIL(qPrintable(QStringLiteral("token %1 (scale %2, window %3,%4, query %5) ignored a change "
                                                    "inside its window (%6,%7)")
                                         .arg(t).arg(p.scale).arg(p.row).arg(p.col).arg(p.query).arg(wi).arg(wj)));
                if (!inside && !same)
                    QFAIL(qPrintable(QStringLiteral("token %1 (scale %2, window %3,%4) changed when only window "
                                                    "(%5,%6) changed")
                                         .arg(t).arg(p.scale).arg(p.row).arg(p.col).arg(wi).arg(wj)));
            }
        }
    }

    // The same holds for a perturbation of a single cell: it lies in exactly
    // one window of the fine scale.
    auto changed = features.clone();
    changed[0][5][2].add_(1.0); // window (2, 1) of the 4x4 tiling
    auto out = connector->forward(changed).tokens;
    for (size_t t = 0; t < places.size(); ++t) {
        const TokenPlace &p = places[t];
        const bool inside = p.windows == 1 || (p.row == 2 && p.col == 1);
        QCOMPARE(torch::equal(out[0][t], base[0][t]), !inside);
    }
}

void TestConnector::attentionMapsStayInsideWindows()
{
    torch::manual_seed(3);
    torch::NoGradGuard noGrad;
    for (bool perWindow : {false, true}) {
        const ModelConfig c = cosConfig(perWindow);
        auto connector = makeConnector(c);
        connector->to(torch::kDouble);
        auto features = torch::randn({2, kGrid, kGrid, kVisionWidth}, torch::kDouble);
        ConnectorOutput out = connector->forward(features, AttentionRequest{true});
        QCOMPARE(out.attention.size(), size_t(2));
        // Requesting maps does not change the tokens (with LibTorch 2.x the
        // layer whose maps are kept runs the manual kernel, the others the fused one).
        QVERIFY(close(out.tokens, connector->forward(features).tokens, 1e-10));

        for (size_t s = 0; s < 2; ++s) {
            const ScaleConfig &sc = c.connector.scales[s];
            const auto &maps = out.attention[s]; // [B, tokens_s, n, n]
            QCOMPARE(maps.sizes().vec(),
                     (std::vector<int64_t>{2, sc.windows * sc.windows * sc.queries, kGrid, kGrid}));
            for (int i = 0; i < sc.windows; ++i) {
                for (int j = 0; j < sc.windows; ++j) {
                    auto inside = windowMask(kGrid, sc.windows, i, j);
                    for (int q = 0; q < sc.queries; ++q) {
                        const int t = (i * sc.windows + j) * sc.queries + q;
                        auto map = maps.select(1, t); // [B, n, n]
                        auto outsideValues = map.masked_select(inside.logical_not().expand_as(map));
                        QVERIFY2(outsideValues.numel() == 0 || outsideValues.eq(0).all().item<bool>(),
                                 qPrintable(QStringLiteral("scale %1 token %2 has attention outside window %3,%4")
                                                .arg(s).arg(t).arg(i).arg(j)));
                        auto insideValues = map.masked_select(inside.expand_as(map));
                        QVERIFY2(insideValues.gt(0).all().item<bool>(),
                                 qPrintable(QStringLiteral("scale %1 token %2 is not placed on window %3,%4")
                                                .arg(s).arg(t).arg(i).arg(j)));
                        auto sums = map.sum({1, 2});
                        QVERIFY2(close(sums, torch::ones_like(sums), 1e-12), qPrintable(describe(sums, torch::ones_like(sums))));
                    }
                }
            }
        }
    }
}

void TestConnector::batchedWindowsEqualPerWindowLoop_data()
{
    QTest::addColumn<int>("grid");
    QTest::addColumn<int>("windows");
    QTest::addColumn<int>("queries");
    QTest::addColumn<int>("batch");
    QTest::addColumn<bool>("perWindow");
    QTest::addColumn<bool>("attentionPosition");

    QTest::newRow("global, shared") << 8 << 1 << 4 << 2 << false << false;
    QTest::newRow("2x2, shared") << 8 << 2 << 3 << 1 << false << false;
    QTest::newRow("4x4, per window") << 8 << 4 << 2 << 3 << true << false;
    QTest::newRow("3x3 on 12, per window") << 12 << 3 << 5 << 2 << true << false;
    QTest::newRow("3x3 on 12, shared") << 12 << 3 << 1 << 2 << false << false;
    QTest::newRow("one cell per window, shared") << 6 << 6 << 1 << 2 << false << false;
    QTest::newRow("one cell per window, per window") << 8 << 8 << 2 << 1 << true << false;
    // Each window's queries and keys carry the positions of its own place and cells.
    QTest::newRow("global, attention positions") << 8 << 1 << 4 << 2 << false << true;
    QTest::newRow("4x4, per window, attention positions") << 8 << 4 << 2 << 3 << true << true;
    QTest::newRow("3x3 on 12, shared, attention positions") << 12 << 3 << 5 << 2 << false << true;
}

void TestConnector::batchedWindowsEqualPerWindowLoop()
{
    QFETCH(int, grid);
    QFETCH(int, windows);
    QFETCH(int, queries);
    QFETCH(int, batch);
    QFETCH(bool, perWindow);
    QFETCH(bool, attentionPosition);

    torch::manual_seed(4);
    torch::NoGradGuard noGrad;
    ConnectorConfig cc;
    cc.width = 16;
    cc.heads = 2;
    cc.layers = 2;
    cc.mlpHidden = 32;
    cc.perWindow = perWindow;
    cc.attentionPosition = attentionPosition;
    ResamplerStack stack(ScaleConfig{windows, queries, false}, cc, kVisionWidth);
    // Make per-window banks clearly different from each other.
    for (auto &p : stack->named_parameters())
        if (p.key() == "queries")
            p.value().normal_(0.0, 1.0);

    auto features = torch::randn({batch, grid, grid, kVisionWidth});
    auto batched = stack->forward(features);
    auto looped = stack->forwardPerWindowLoop(features);
    QCOMPARE(batched.sizes().vec(), (std::vector<int64_t>{batch, windows * windows * queries, 16}));
    QVERIFY2(close(batched, looped, 1e-5), qPrintable(describe(batched, looped)));
}

void TestConnector::perHeadMapsAverageToMap()
{
    torch::manual_seed(5);
    torch::NoGradGuard noGrad;
    const ModelConfig c = cosConfig();
    auto connector = makeConnector(c);
    connector->to(torch::kDouble);
    auto features = torch::randn({3, kGrid, kGrid, kVisionWidth}, torch::kDouble);

    AttentionRequest averaged{true};
    AttentionRequest perHead{true, -1, true};
    auto mean = connector->forward(features, averaged).attention;
    auto heads = connector->forward(features, perHead).attention;
    QCOMPARE(heads.size(), mean.size());
    const std::vector<int> perScale = tokensPerScale(c);
    for (size_t s = 0; s < heads.size(); ++s) {
        QCOMPARE(heads[s].sizes().vec(),
                 (std::vector<int64_t>{3, c.connector.heads, perScale[s], kGrid, kGrid}));
        QVERIFY2(close(heads[s].mean(1), mean[s], 1e-12), qPrintable(describe(heads[s].mean(1), mean[s])));
        // Each head on its own is a distribution over the grid.
        auto sums = heads[s].sum({3, 4});
        QVERIFY(close(sums, torch::ones_like(sums), 1e-12));
        // Heads differ from each other (they are not a broadcast of the mean).
        QVERIFY(!close(heads[s].select(1, 0), heads[s].select(1, 1), 1e-9));
    }
}

// A non-last layer can be requested: layer 0 of a two-layer stack is the
// last layer of a one-layer stack with the same weights.
void TestConnector::nonLastLayerMaps()
{
    torch::manual_seed(6);
    torch::NoGradGuard noGrad;
    const ModelConfig two = cosConfig(false, 2);
    const ModelConfig one = cosConfig(false, 1);
    auto deep = makeConnector(two);
    auto shallow = makeConnector(one);
    StateDict weights = stateDict(*deep);
    StateDict subset;
    for (const auto &kv : weights)
        if (kv.first.find(".layers.1.") == std::string::npos)
            subset[kv.first] = kv.second;
    QVERIFY(subset.size() < weights.size());
    loadStateDict(*shallow, subset, "test");
    deep->to(torch::kDouble);
    shallow->to(torch::kDouble);

    auto features = torch::randn({2, kGrid, kGrid, kVisionWidth}, torch::kDouble);
    for (bool heads : {false, true}) {
        auto first = deep->forward(features, AttentionRequest{true, 0, heads}).attention;
        auto firstFromEnd = deep->forward(features, AttentionRequest{true, -2, heads}).attention;
        auto last = deep->forward(features, AttentionRequest{true, -1, heads}).attention;
        auto lastByIndex = deep->forward(features, AttentionRequest{true, 1, heads}).attention;
        auto reference = shallow->forward(features, AttentionRequest{true, -1, heads}).attention;
        for (size_t s = 0; s < first.size(); ++s) {
            QVERIFY2(close(first[s], reference[s], 1e-12), qPrintable(describe(first[s], reference[s])));
            QVERIFY(torch::equal(first[s], firstFromEnd[s]));
            QVERIFY(torch::equal(last[s], lastByIndex[s]));
            QVERIFY(!close(first[s], last[s], 1e-6));
        }
    }
    // A layer the stack does not have is refused.
    QVERIFY_THROWS_EXCEPTION(std::exception, deep->forward(features, AttentionRequest{true, 2}));
    QVERIFY_THROWS_EXCEPTION(std::exception, deep->forward(features, AttentionRequest{true, -3}));
}

void TestConnector::plainResampler()
{
    torch::manual_seed(7);
    torch::NoGradGuard noGrad;
    const ModelConfig c = makeConfig(ConnectorType::Resampler, {{1, 6, true}});
    auto connector = makeConnector(c);
    auto *cos = dynamic_cast<ChainOfSightConnectorImpl *>(connector.get());
    QVERIFY(cos);
    QCOMPARE(cos->scaleCount(), size_t(1));
    QCOMPARE(cos->stack(0)->windows(), int64_t(1));

    connector->to(torch::kDouble);
    auto features = torch::randn({2, kGrid, kGrid, kVisionWidth}, torch::kDouble);
    ConnectorOutput out = connector->forward(features, AttentionRequest{true});
    QCOMPARE(out.tokens.sizes().vec(), (std::vector<int64_t>{2, 6, kLmWidth}));
    QCOMPARE(out.attention.size(), size_t(1));
    // One global window: every token sees every cell.
    QVERIFY(out.attention[0].gt(0).all().item<bool>());
    auto sums = out.attention[0].sum({2, 3});
    QVERIFY(close(sums, torch::ones_like(sums), 1e-12));
    // Every token depends on every cell.
    auto changed = features.clone();
    changed[0][7][7].add_(1.0);
    auto moved = connector->forward(changed).tokens;
    for (int t = 0; t < 6; ++t)
        QVERIFY(!torch::equal(moved[0][t], out.tokens[0][t]));
    QVERIFY(torch::equal(moved[1], out.tokens[1]));
}

// A resampler whose queries start as one vector repeated gives one token
// repeated, and the LM cannot tell its tokens apart: at initialisation the
// tokens of a 320-query resampler already differ.
void TestConnector::freshQueriesAreDistinct()
{
    torch::manual_seed(3);
    torch::NoGradGuard noGrad;
    for (bool perWindow : {false, true}) {
        ModelConfig c = makeConfig(ConnectorType::Resampler, {{1, 8, false}}, perWindow);
        c.connector.scales = {{1, 320, false}};
        c.lm.maxSeqLen = 512;
        c.validate();
        auto connector = makeConnector(c);
        auto *cos = dynamic_cast<ChainOfSightConnectorImpl *>(connector.get());
        QVERIFY(cos);
        auto tokens = cos->stack(0)->forward(torch::randn({2, kGrid, kGrid, kVisionWidth})); // [2, 320, D]
        auto unit = torch::nn::functional::normalize(tokens, torch::nn::functional::NormalizeFuncOptions().dim(2));
        auto cosines = torch::bmm(unit, unit.transpose(1, 2));                                  // [2, 320, 320]
        const int64_t q = tokens.size(1);
        const double offDiagonal = (cosines.sum().item<double>() - double(2 * q)) / double(2 * q * (q - 1));
        qInfo("per_window=%d: mean pairwise cosine of fresh tokens %.3f", int(perWindow), offDiagonal);
        QVERIFY2(offDiagonal < 0.5, qPrintable(QString::number(offDiagonal)));
    }
}

void TestConnector::windowPositionOff()
{
    // The same features in every window of the 4x4 scale: with the window
    // position, a shared bank's windows still give different tokens; without
    // it they are one token repeated, and only per-window banks tell them apart.
    torch::NoGradGuard noGrad;
    auto cell = torch::randn({1, 2, 2, kVisionWidth});
    auto features = cell.repeat({1, 4, 4, 1}); // [1, 8, 8, C]: each 2x2 window alike
    auto tokensOfFineScale = [&](bool position, bool perWindow) {
        torch::manual_seed(5);
        ModelConfig c = cosConfig(perWindow);
        c.connector.windowPosition = position;
        auto connector = makeConnector(c);
        auto *cos = dynamic_cast<ChainOfSightConnectorImpl *>(connector.get());
        return cos->stack(1)->forward(features).view({16, 2, -1}); // [windows, q, D]
    };
    auto spread = [](const torch::Tensor &t) { return (t - t[0]).abs().max().item<double>(); };
    QVERIFY(spread(tokensOfFineScale(true, false)) > 1e-3);
    QVERIFY(spread(tokensOfFineScale(false, false)) < 1e-5); // the same up to the batched products' rounding
    QVERIFY(spread(tokensOfFineScale(false, true)) > 1e-3);

    // The key reads and writes back; the default is the embedding.
    ModelConfig c = cosConfig();
    QVERIFY(c.connector.windowPosition);
    c.connector.windowPosition = false;
    const Json j = c.toJson();
    QCOMPARE(j.at("connector").at("window_position").get<std::string>(), std::string("none"));
    QVERIFY(!ModelConfig::fromJson(j).connector.windowPosition);
    Json bad = j;
    bad["connector"]["window_position"] = "learned";
    const std::string message = test::thrownMessage<InputError>([&] { ModelConfig::fromJson(bad); });
    QVERIFY2(message.find("window_position") != std::string::npos, message.c_str());
}

void TestConnector::attentionPositionsLocateFeatures()
{
    // Without attention positions a global resampler reads a set: moving the
    // features around the image gives the same tokens, so no query can tell
    // which cell holds what. With them the same features elsewhere give
    // other tokens.
    torch::NoGradGuard noGrad;
    auto features = torch::randn({2, kGrid, kGrid, kVisionWidth});
    auto moved = features.flip({1}).roll(3, 2); // every feature in another cell
    auto tokens = [&](bool positions, const torch::Tensor &f) {
        torch::manual_seed(7);
        ModelConfig c = makeConfig(ConnectorType::Resampler, {{1, 6, true}});
        c.connector.attentionPosition = positions;
        return makeConnector(c)->forward(f).tokens; // [B, 6, C_lm]
    };
    auto change = [](const torch::Tensor &a, const torch::Tensor &b) { return (a - b).abs().max().item<double>(); };
    QVERIFY(change(tokens(false, features), tokens(false, moved)) < 1e-5);
    QVERIFY(change(tokens(true, features), tokens(true, moved)) > 1e-3);
    QVERIFY(change(tokens(true, features), tokens(false, features)) > 1e-3);

    // Where the queries sit, in image coordinates: 320 global queries on a
    // 16 x 20 grid in reading order; four queries of window (1, 1) of 2 x 2 on
    // a 2 x 2 grid inside it; one query at its window's centre.
    const int64_t d = 16;
    auto at = [&](double row, double col) {
        return sincosPositionEmbedding(torch::tensor({row}, torch::kDouble), torch::tensor({col}, torch::kDouble), d)[0];
    };
    auto global = queryPositionEmbedding(1, 320, d);
    QCOMPARE(global.sizes().vec(), (std::vector<int64_t>{1, 320, d}));
    QVERIFY(close(global[0][21], at(1.5 / 16, 1.5 / 20), 1e-6));
    QVERIFY(close(global[0][319], at(15.5 / 16, 19.5 / 20), 1e-6));
    auto quads = queryPositionEmbedding(2, 4, d); // [4, 4, D]
    QVERIFY(close(quads[3][0], at(1.25 / 2, 1.25 / 2), 1e-6));
    QVERIFY(close(quads[3][1], at(1.25 / 2, 1.75 / 2), 1e-6));
    QVERIFY(close(queryPositionEmbedding(4, 1, d).squeeze(1), windowPositionEmbedding(4, d), 1e-6));

    // Off unless asked for: a config (or a checkpoint's) without the key
    // computes as before; the key reads and writes back; a bad value is named.
    ModelConfig c = cosConfig();
    QVERIFY(!c.connector.attentionPosition);
    Json j = c.toJson();
    QCOMPARE(j.at("connector").at("attention_position").get<std::string>(), std::string("none"));
    j["connector"].erase("attention_position");
    QVERIFY(!ModelConfig::fromJson(j).connector.attentionPosition);
    j["connector"]["attention_position"] = "sincos";
    QVERIFY(ModelConfig::fromJson(j).connector.attentionPosition);
    QCOMPARE(ModelConfig::fromJson(j).toJson().at("connector").at("attention_position").get<std::string>(),
             std::string("sincos"));
    j["connector"]["attention_position"] = "learned";
    const std::string message = test::thrownMessage<InputError>([&] { ModelConfig::fromJson(j); });
    QVERIFY2(message.find("attention_position") != std::string::npos, message.c_str());
}

void TestConnector::multiLevelFeatures()
{
    torch::manual_seed(6);
    torch::NoGradGuard noGrad;
    // The tower hands over block 1's and block 2's outputs side by side,
    // each what a tower reading that block alone gives.
    ModelConfig c = cosConfig();
    c.vision.layers = 3;
    c.vision.featureLayers = {1, -2};
    c.validate();
    QCOMPARE(c.vision.featureBlocks(), 2);
    VisionTower tower(c.vision);
    auto images = torch::randn({2, 3, 32, 32});
    auto levels = tower(images);
    QCOMPARE(levels.sizes().vec(), (std::vector<int64_t>{2, kGrid, kGrid, 2 * kVisionWidth}));
    for (int block : {1, 2}) {
        VisionConfig single = c.vision;
        single.featureLayers.clear();
        single.featureLayer = block;
        VisionTower one(single);
        loadStateDict(*one, stateDict(*tower), "tower");
        auto level = levels.slice(3, (block - 1) * kVisionWidth, block * kVisionWidth);
        QVERIFY2(close(one(images), level, 1e-6), qPrintable(describe(one(images), level)));
    }

    // Connector layer l reads level l: two equal levels give what one level
    // gives, and a change to the second level reaches only through layer 2.
    ResamplerStack stack(ScaleConfig{4, 2, false}, c.connector, kVisionWidth);
    auto a = torch::randn({2, kGrid, kGrid, kVisionWidth}), b = torch::randn({2, kGrid, kGrid, kVisionWidth});
    auto single = stack->forward(a);
    auto same = stack->forward(torch::cat({a, a}, 3));
    QVERIFY2(close(single, same, 1e-6), qPrintable(describe(single, same)));
    auto mixed = stack->forward(torch::cat({a, b}, 3));
    QVERIFY((mixed - single).abs().max().item<double>() > 1e-3);
    auto looped = stack->forwardPerWindowLoop(torch::cat({a, b}, 3));
    QVERIFY2(close(mixed, looped, 1e-5), qPrintable(describe(mixed, looped)));
    auto connector = makeConnector(c);
    QCOMPARE(connector->forward(levels).tokens.size(1), int64_t(visualTokens(c)));

    // One block per connector layer, and only for a resampler.
    auto refusal = [](ModelConfig m) {
        return test::thrownMessage<InputError>([&] { ModelConfig::fromJson(m.toJson()); });
    };
    ModelConfig three = c;
    three.vision.featureLayers = {1, 2, 3};
    QVERIFY2(refusal(three).find("vision.feature_layers") != std::string::npos, refusal(three).c_str());
    ModelConfig deep = c;
    deep.vision.featureLayers = {1, 4};
    QVERIFY2(refusal(deep).find("vision.feature_layers[1]") != std::string::npos, refusal(deep).c_str());
    ModelConfig mlp = c;
    mlp.connector.type = ConnectorType::Mlp;
    QVERIFY2(refusal(mlp).find("resampler") != std::string::npos, refusal(mlp).c_str());
    QCOMPARE(ModelConfig::fromJson(c.toJson()).vision.featureLayers, (std::vector<int>{1, -2}));
}

void TestConnector::mlpProjector()
{
    torch::manual_seed(8);
    torch::NoGradGuard noGrad;
    const ModelConfig c = makeConfig(ConnectorType::Mlp, {});
    auto connector = makeConnector(c);
    QVERIFY(dynamic_cast<MlpProjectorImpl *>(connector.get()));
    auto features = torch::randn({2, kGrid, kGrid, kVisionWidth});
    ConnectorOutput out = connector->forward(features, AttentionRequest{true});
    QCOMPARE(out.tokens.sizes().vec(), (std::vector<int64_t>{2, kGrid * kGrid, kLmWidth}));
    QVERIFY(out.attention.empty());
    // One token per patch, row-major: changing cell (r, c) changes token r*n + c only.
    auto changed = features.clone();
    changed[1][3][6].add_(1.0);
    auto moved = connector->forward(changed).tokens;
    QVERIFY(torch::equal(moved[0], out.tokens[0]));
    for (int t = 0; t < kGrid * kGrid; ++t)
        QCOMPARE(torch::equal(moved[1][t], out.tokens[1][t]), t != 3 * kGrid + 6);
}

// The manual kernel (the only one on LibTorch 1.13) against a naive loop,
// including causal attention of a few new queries over a longer cache.
void TestConnector::manualAttentionMatchesReference()
{
    torch::manual_seed(9);
    torch::NoGradGuard noGrad;
    KernelRestore restore;
    setAttentionKernel(AttentionKernel::Manual);
    struct Case { int64_t b, h, tq, tk, d; bool causal; };
    for (const Case &k : {Case{2, 3, 6, 6, 8, false}, Case{2, 3, 6, 6, 8, true}, Case{1, 2, 3, 9, 4, true},
                          Case{2, 2, 1, 5, 8, true}, Case{2, 2, 4, 7, 8, false}}) {
        auto q = torch::randn({k.b, k.h, k.tq, k.d}, torch::kDouble);
        auto kk = torch::randn({k.b, k.h, k.tk, k.d}, torch::kDouble);
        auto v = torch::randn({k.b, k.h, k.tk, k.d}, torch::kDouble);
        torch::Tensor weights;
        auto out = attend(q, kk, v, k.causal, &weights);
        auto ref = referenceAttention(q, kk, v, k.causal);
        QVERIFY2(close(out, ref, 1e-12), qPrintable(describe(out, ref)));
        QCOMPARE(weights.sizes().vec(), (std::vector<int64_t>{k.b, k.h, k.tq, k.tk}));
        if (k.causal) {
            // Query i at absolute position tk - tq + i puts no weight on later keys.
            for (int64_t i = 0; i < k.tq; ++i) {
                const int64_t pos = k.tk - k.tq + i;
                if (pos + 1 < k.tk)
                    QVERIFY(weights.select(2, i).slice(-1, pos + 1).eq(0).all().item<bool>());
            }
        }
    }
}

void TestConnector::fusedAttentionEqualsManual()
{
    if (!fusedAttentionAvailable())
        QSKIP("This LibTorch (< 2.0) has no scaled_dot_product_attention; only the manual kernel exists "
              "(it is checked against a reference in manualAttentionMatchesReference)");

    torch::manual_seed(10);
    torch::NoGradGuard noGrad;
    KernelRestore restore;
    struct Case { int64_t b, h, tq, tk, d; bool causal; };
    for (const Case &k : {Case{2, 3, 7, 7, 8, false}, Case{2, 3, 7, 7, 8, true}, Case{1, 2, 3, 9, 16, true},
                          Case{2, 2, 1, 5, 8, true}, Case{2, 2, 4, 9, 8, false}, Case{1, 4, 5, 12, 8, true}}) {
        auto q = torch::randn({k.b, k.h, k.tq, k.d});
        auto kk = torch::randn({k.b, k.h, k.tk, k.d});
        auto v = torch::randn({k.b, k.h, k.tk, k.d});
        setAttentionKernel(AttentionKernel::Auto);
        auto fused = attend(q, kk, v, k.causal);
        setAttentionKernel(AttentionKernel::Manual);
        auto manual = attend(q, kk, v, k.causal);
        QVERIFY2(close(fused, manual, 1e-5),
                 qPrintable(QStringLiteral("Tq %1 Tk %2 causal %3: ").arg(k.tq).arg(k.tk).arg(k.causal)
                            + describe(fused, manual)));
        QVERIFY(close(manual, referenceAttention(q, kk, v, k.causal), 1e-5));
    }
}

QTEST_APPLESS_MAIN(TestConnector)
#include "tst_connector.moc"
