#pragma once
// The assembled multimodal LLM: vision tower -> connector -> language model,
// with the visual tokens spliced in where the sequence has <image>.

#include "Connector.h"
#include "text/Conversation.h"
#include "LanguageModel.h"
#include "ModelConfig.h"
#include "VisionTower.h"
#include "VisualPositions.h"

#include <torch/torch.h>

namespace cosw {

// How a fresh model draws its initial weights; caches keyed by a seed
// rather than by the weights themselves (the vision tower's) include it, so
// a change here does not hand out entries a cold run would not produce.
constexpr int kInitScheme = 2; // 2: one seed per part

struct GenerationOptions {
    int maxNewTokens = 32;
    double topP = 0.0;        // 0: greedy; otherwise nucleus sampling
    double temperature = 1.0;
    uint64_t seed = 0;
    bool useCache = true;     // KV cache; without it every step reruns the sequence
};

// Where the language model looked while it answered: the answer generated
// greedily for one image and prompt, and the attention of the rows that
// produced its tokens (the row that produced </s> when the answer is empty)
// over the whole sequence. Attention weights, not a causal attribution.
struct AnswerAttention {
    std::vector<int64_t> answer; // generated ids, without </s>
    torch::Tensor attention;     // [L, H, A, S], fp32 on the CPU; each row sums to 1
    int64_t visualStart = 0;     // the visual tokens are positions [visualStart, visualStart + visualTokens) of S
    int64_t visualTokens = 0;
};

class MllmImpl : public torch::nn::Module {
public:
    explicit MllmImpl(const ModelConfig &config);

    // images [B, ch, R, R] -> features [B, n, n, C].
    torch::Tensor features(const torch::Tensor &images);
    // images -> visual tokens [B, T_vis, W] (+ attention maps on request).
    ConnectorOutput encode(const torch::Tensor &images, const AttentionRequest &request = {});

    // ids [B, T] with one kImageTokenId per row, visual [B, T_vis, W] ->
    // embeddings [B, T - 1 + T_vis, W] and their LM positions [B, T - 1 +
    // T_vis] (visualPositions: text after the image starts at the same
    // position whatever the token scaling). With labels [B, T], labels
    // aligned to the embeddings (on the host), visual positions ignored. With a layout
    // (independent turns) the text keeps its positions relative to the image
    // and `mask` [B, 1, S, S] lets every segment see the image.
    struct Spliced {
        torch::Tensor embeddings;
        torch::Tensor positions;
        torch::Tensor labels;
        torch::Tensor mask;
    };
    Spliced splice(const torch::Tensor &ids, const torch::Tensor &visual, const torch::Tensor &labels = {},
                   const TextLayout &layout = {});

    // Logits [B, T - 1 + T_vis, V].
    torch::Tensor forward(const torch::Tensor &images, const torch::Tensor &ids);
    // Mean next-token cross-entropy over labels != kIgnoreLabel; a layout
    // for independent turns. Ids, labels and layout are best left on the
    // host, as batches come: the layout is worked out there, and a GPU step
    // gets its inputs without waiting for the device.
    torch::Tensor loss(const torch::Tensor &images, const torch::Tensor &ids, const torch::Tensor &labels,
                       const TextLayout &layout = {});
    // The same from vision features [B, n, n, C] computed earlier (a frozen
    // tower's feature cache).
    torch::Tensor lossFromFeatures(const torch::Tensor &features, const torch::Tensor &ids,
                                   const torch::Tensor &labels, const TextLayout &layout = {});
    // The loss of text samples (ids [B, T] without kImageTokenId): the
    // language model alone.
    torch::Tensor textLoss(const torch::Tensor &ids, const torch::Tensor &labels, const TextLayout &layout = {});
    // Continues prompts [B, T] (equal length, one kImageTokenId each; none
    // with `images` undefined, a text prompt); returns the new tokens of each
    // row, up to and without </s>.
    std::vector<std::vector<int64_t>> generate(const torch::Tensor &images, const torch::Tensor &promptIds,
                                               const GenerationOptions &options = {});

    // image [1, ch, R, R], promptIds [1, T] with one kImageTokenId.
    AnswerAttention answerAttention(const torch::Tensor &image, const torch::Tensor &promptIds, int maxNewTokens = 32);

    const ModelConfig &config() const { return m_config; }
    VisionTower vision() const { return m_vision; }
    std::shared_ptr<ConnectorImpl> connector() const { return m_connector; }
    LanguageModel lm() const { return m_lm; }

private:
    // lastLogits [B, V] -> next token ids [B].
    torch::Tensor nextTokens(const torch::Tensor &lastLogits, const GenerationOptions &options,
                             at::Generator &generator);

    ModelConfig m_config;
    VisualPositions m_visualPositions;
    VisionTower m_vision{nullptr};
    std::shared_ptr<ConnectorImpl> m_connector;
    LanguageModel m_lm{nullptr};
};
TORCH_MODULE(Mllm);

} // namespace cosw
