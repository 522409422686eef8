#include "Mllm.h"

#include <ATen/CPUGeneratorImpl.h>

namespace cosw {

MllmImpl::MllmImpl(const ModelConfig &config) : m_config(config), m_visualPositions(visualPositions(config))
{
    // Each part draws its initial weights from a seed of its own, taken from
    // the caller's generator, so they depend on that part's config alone: a
    // baseline and a Chain-of-Sight model with one seed start from one
    // language model (and one cached text stage), whatever their connectors.
    const auto seeds = torch::randint(int64_t(1) << 62, {3}, torch::kLong); // [3]
    auto seeded = [&](int part) { torch::manual_seed(uint64_t(seeds[part].item<int64_t>())); };
    seeded(0);
    m_vision = register_module("vision", VisionTower(config.vision));
    seeded(1);
    m_connector = register_module("connector", makeConnector(config));
    seeded(2);
    m_lm = register_module("lm", LanguageModel(config.lm));
}

torch::Tensor MllmImpl::features(const torch::Tensor &images)
{
    return m_vision(images);
}

ConnectorOutput MllmImpl::encode(const torch::Tensor &images, const AttentionRequest &request)
{
    return m_connector->forward(m_vision(images), request);
}

MllmImpl::Spliced MllmImpl::splice(const torch::Tensor &ids, const torch::Tensor &visual, const torch::Tensor &labels,
                                   const TextLayout &layout)
{
    const int64_t b = ids.size(0), t = ids.size(1), tv = visual.size(1);
    TORCH_CHECK(tv == m_visualPositions.offsets.size(0), tv, " visual tokens for a layout of ",
                m_visualPositions.offsets.size(0));
    auto isImage = ids.eq(kImageTokenId);                                   // [B, T]
    TORCH_CHECK(isImage.sum(1).eq(1).all().item<bool>(),
                "every sequence needs exactly one <image> token");
    auto text = m_lm->embed(ids.masked_fill(isImage, m_config.lm.padId));   // [B, T, W]
    const double scale = m_config.connector.outputScale;
    auto scaled = scale == 1.0 ? visual : visual * scale;                   // [B, Tv, W]
    auto position = isImage.to(torch::kLong).argmax(1);                     // [B]
    auto posCpu = position.cpu();
    auto opts = torch::TensorOptions().dtype(torch::kFloat);
    // Text positions as if <image> were one token; the visual tokens take
    // its place and the text after them moves on by the layout's span.
    auto textPositions = layout.defined() ? layout.positions.to(torch::kCPU, torch::kFloat)
                                          : torch::arange(t, opts).unsqueeze(0).expand({b, t}); // [B, T]
    const auto offsets = m_visualPositions.offsets;
    const double span = static_cast<double>(m_visualPositions.span);
    std::vector<torch::Tensor> rows, positionRows, labelRows, segmentRows;
    for (int64_t i = 0; i < b; ++i) {
        const int64_t p = posCpu[i].item<int64_t>();
        auto tp = textPositions[i];
        rows.push_back(torch::cat({text[i].slice(0, 0, p), scaled[i], text[i].slice(0, p + 1)}, 0));
        positionRows.push_back(torch::cat({tp.slice(0, 0, p), offsets + tp[p], tp.slice(0, p + 1) + (span - 1.0)}));
        if (labels.defined()) {
            auto ignore = torch::full({tv}, kIgnoreLabel, labels.options());
            labelRows.push_back(torch::cat({labels[i].slice(0, 0, p), ignore, labels[i].slice(0, p + 1)}, 0));
        }
        if (layout.defined()) {
            auto seg = layout.segments[i];
            segmentRows.push_back(torch::cat({seg.slice(0, 0, p), torch::zeros({tv}, seg.options()), seg.slice(0, p + 1)}));
        }
    }
    Spliced out;
    out.embeddings = torch::stack(rows);                                    // [B, T-1+Tv, W]
    out.positions = torch::stack(positionRows).to(visual.device());         // [B, T-1+Tv]
    if (labels.defined())
        out.labels = torch::stack(labelRows);                               // [B, T-1+Tv]
    if (layout.defined())
        out.mask = segmentMask(torch::stack(segmentRows)).to(visual.device()); // [B, 1, T-1+Tv, T-1+Tv]
    return out;
}

torch::Tensor MllmImpl::forward(const torch::Tensor &images, const torch::Tensor &ids)
{
    auto spliced = splice(ids, encode(images).tokens);
    return m_lm->logits(m_lm->forward(spliced.embeddings, nullptr, spliced.positions));
}

torch::Tensor MllmImpl::loss(const torch::Tensor &images, const torch::Tensor &ids, const torch::Tensor &labels,
                             const TextLayout &layout)
{
    return lossFromFeatures(m_vision(images), ids, labels, layout);
}

torch::Tensor MllmImpl::lossFromFeatures(const torch::Tensor &features, const torch::Tensor &ids,
                                         const torch::Tensor &labels, const TextLayout &layout)
{
    auto spliced = splice(ids, m_connector->forward(features).tokens, labels, layout);
    return m_lm->nextTokenLoss(m_lm->forward(spliced.embeddings, nullptr, spliced.positions, spliced.mask),
                               spliced.labels);
}

torch::Tensor MllmImpl::textLoss(const torch::Tensor &ids, const torch::Tensor &labels, const TextLayout &layout)
{
    const torch::Tensor mask = layout.defined() ? segmentMask(layout.segments) : torch::Tensor();
    return m_lm->nextTokenLoss(m_lm->forward(m_lm->embed(ids), nullptr, layout.positions, mask), labels);
}

torch::Tensor MllmImpl::nextTokens(const torch::Tensor &lastLogits, const GenerationOptions &options,
                                   at::Generator &generator)
{
    if (options.topP <= 0.0)
        return lastLogits.argmax(-1); // [B]
    auto probs = torch::softmax(lastLogits.to(torch::kFloat).cpu() / options.temperature, -1); // [B, V]
    auto sorted = probs.sort(-1, /*descending=*/true);
    auto sortedProbs = std::get<0>(sorted), order = std::get<1>(sorted);
    // Keep the smallest prefix whose mass reaches top_p (the first token always).
    auto before = sortedProbs.cumsum(-1) - sortedProbs;
    auto kept = sortedProbs.masked_fill(before >= options.topP, 0.0);
    auto pick = at::multinomial(kept, 1, false, generator);      // [B, 1]
    return order.gather(-1, pick).squeeze(-1).to(lastLogits.device());
}

std::vector<std::vector<int64_t>> MllmImpl::generate(const torch::Tensor &images, const torch::Tensor &promptIds,
                                                     const GenerationOptions &options)
{
    torch::NoGradGuard noGrad;
    const int64_t b = promptIds.size(0);
    auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
    Spliced prefix; // [B, S, W] and positions [B, S]
    if (images.defined()) {
        prefix = splice(promptIds, encode(images).tokens);
    } else {
        prefix.embeddings = m_lm->embed(promptIds);
        prefix.positions = torch::arange(promptIds.size(1), torch::TensorOptions().dtype(torch::kFloat).device(promptIds.device()))
                               .unsqueeze(0)
                               .expand({b, promptIds.size(1)});
    }

    std::vector<std::vector<int64_t>> out(b);
    std::vector<bool> done(b, false);
    KvCache cache;
    auto hidden = m_lm->forward(prefix.embeddings, options.useCache ? &cache : nullptr, prefix.positions);
    auto sequence = prefix.embeddings;
    auto positions = prefix.positions;                     // [B, S]
    auto nextPosition = positions.slice(1, -1).floor() + 1.0; // [B, 1]
    const int64_t room = m_config.lm.maxSeqLen - prefix.embeddings.size(1);
    const int64_t steps = std::min<int64_t>(options.maxNewTokens, room + 1);
    for (int64_t step = 0; step < steps; ++step) {
        auto next = nextTokens(m_lm->logits(hidden.select(1, hidden.size(1) - 1)), options, generator); // [B]
        auto nextCpu = next.cpu();
        bool all = true;
        for (int64_t i = 0; i < b; ++i) {
            const int64_t id = nextCpu[i].item<int64_t>();
            if (!done[i]) {
                if (id == m_config.lm.eosId)
                    done[i] = true;
                else
                    out[i].push_back(id);
            }
            all = all && done[i];
        }
        if (all || step + 1 == steps)
            break;
        auto embedded = m_lm->embed(next.unsqueeze(1)); // [B, 1, W]
        if (options.useCache) {
            hidden = m_lm->forward(embedded, &cache);
        } else {
            sequence = torch::cat({sequence, embedded}, 1);
            positions = torch::cat({positions, nextPosition}, 1);
            nextPosition = nextPosition + 1.0;
            hidden = m_lm->forward(sequence, nullptr, positions);
        }
    }
    return out;
}

AnswerAttention MllmImpl::answerAttention(const torch::Tensor &image, const torch::Tensor &promptIds, int maxNewTokens)
{
    torch::NoGradGuard noGrad;
    TORCH_CHECK(image.size(0) == 1 && promptIds.size(0) == 1, "answer attention takes one image and one prompt");
    GenerationOptions greedy;
    greedy.maxNewTokens = maxNewTokens;
    AnswerAttention out;
    out.answer = generate(image, promptIds, greedy).front();

    // The prompt and the answer in one pass, keeping every layer's weights.
    auto answerIds = torch::tensor(out.answer, promptIds.options()).view({1, -1});          // [1, A]
    auto ids = torch::cat({promptIds, answerIds}, 1);                                       // [1, T + A]
    const Spliced spliced = splice(ids, encode(image).tokens);                              // [1, S, W]
    std::vector<torch::Tensor> layers;
    m_lm->forward(spliced.embeddings, nullptr, spliced.positions, {}, &layers);             // L x [1, H, S, S]
    out.visualTokens = visualTokens(m_config);
    out.visualStart = promptIds.eq(kImageTokenId).to(torch::kLong).argmax(1).item<int64_t>();
    // Row r predicts token r + 1: the answer's tokens come from the rows
    // from the prompt's last on.
    const int64_t promptRows = promptIds.size(1) - 1 + out.visualTokens;
    const int64_t rows = std::max<int64_t>(1, int64_t(out.answer.size()));
    auto stacked = torch::stack(layers).squeeze(1);                                          // [L, H, S, S]
    out.attention = stacked.slice(2, promptRows - 1, promptRows - 1 + rows).to(torch::kCPU, torch::kFloat); // [L, H, A, S]
    return out;
}

} // namespace cosw
