#include "Mllm.h"

#include "base/Device.h"

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
    // Where each row's <image> sits is known on the host (a training batch's
    // ids come from the loader), so the layout's indices are computed there
    // and the device only gathers: nothing in a step waits on the device.
    const torch::Device device = visual.device();
    const int64_t b = ids.size(0), t = ids.size(1), tv = visual.size(1), s = t - 1 + tv;
    TORCH_CHECK(tv == m_visualPositions.offsets.size(0), tv, " visual tokens for a layout of ",
                m_visualPositions.offsets.size(0));
    const torch::Tensor hostIds = ids.cpu();
    const auto isImage = hostIds.eq(kImageTokenId);                          // [B, T]
    TORCH_CHECK(isImage.sum(1).eq(1).all().item<bool>(), "every sequence needs exactly one <image> token");
    const auto image = isImage.to(torch::kLong).argmax(1, /*keepdim=*/true); // [B, 1] where <image> is
    const auto rel = torch::arange(s, torch::kLong).unsqueeze(0) - image;     // [B, S] place after the image's start
    const auto isVisual = rel.ge(0).logical_and(rel.lt(tv));                 // [B, S]
    const auto after = rel.ge(tv);                                           // [B, S] text after the image
    // The source of each position in [text tokens (T); visual tokens (Tv)].
    const auto textIndex = torch::where(after, rel + image - tv + 1, rel + image).clamp(0, t - 1); // [B, S]
    const auto source = torch::where(isVisual, rel + t, textIndex);          // [B, S]

    auto text = m_lm->embed(hostIds.masked_fill(isImage, m_config.lm.padId));                    // [B, T, W]
    const double scale = m_config.connector.outputScale;
    auto both = torch::cat({text, scale == 1.0 ? visual : visual * scale}, 1);                   // [B, T+Tv, W]
    // Whole rows of W taken by one index each (a gather over [B, S, W] would
    // scatter its gradient element by element).
    const auto rows = source + torch::arange(b, torch::kLong).unsqueeze(1) * (t + tv);             // [B, S]
    Spliced out;
    out.embeddings = both.reshape({b * (t + tv), -1}).index_select(0, toDevice(rows.reshape({-1}), device))
                         .view({b, s, -1});                                                       // [B, S, W]

    // Text positions as if <image> were one token; the visual tokens take
    // its place and the text after them moves on by the layout's span.
    auto opts = torch::TensorOptions().dtype(torch::kFloat);
    auto textPositions = layout.defined() ? layout.positions.to(torch::kCPU, torch::kFloat)
                                          : torch::arange(t, opts).unsqueeze(0).expand({b, t}); // [B, T]
    const double span = static_cast<double>(m_visualPositions.span);
    auto visualPositions = m_visualPositions.offsets.to(torch::kCPU, torch::kFloat)
                               .index({rel.clamp(0, tv - 1)}) + textPositions.gather(1, image); // [B, S]
    auto shiftedText = textPositions.gather(1, textIndex) + after.to(torch::kFloat) * (span - 1.0);
    out.positions = toDevice(torch::where(isVisual, visualPositions, shiftedText), device);     // [B, S]
    if (labels.defined())
        out.labels = labels.cpu().gather(1, textIndex).masked_fill(isVisual, kIgnoreLabel);    // [B, S]
    if (layout.defined()) // the visual tokens are segment 0: every segment sees them
        out.mask = segmentMask(toDevice(layout.segments.cpu().gather(1, textIndex).masked_fill(isVisual, 0), device));
                                                                                           // [B, 1, S, S]
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
    auto embeddings = m_lm->embed(ids); // [B, T, W]
    const torch::Device device = embeddings.device();
    const torch::Tensor mask = layout.defined() ? segmentMask(toDevice(layout.segments, device)) : torch::Tensor();
    return m_lm->nextTokenLoss(m_lm->forward(embeddings, nullptr, toDevice(layout.positions, device), mask), labels);
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
