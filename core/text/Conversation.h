#pragma once
// Conversation templates (DESIGN §3). The default:
//   USER: <image>\n{prompt} ASSISTANT: {answer}</s>USER: {prompt} ASSISTANT: {answer}</s>...
// (a text sample's first turn is "USER: {prompt} ASSISTANT:", as later ones)
// LLaVA's two: vicuna_v1 is the default after a system prompt, plain (its
// pre-training) is the image then the answer, no prompt at all.
// The visual tokens replace <image>; the loss covers every assistant answer
// and its closing </s>, nothing else.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cosw {

// Placeholder id for <image> in token sequences (LLaVA's convention: outside
// every vocabulary, so no text can produce it).
constexpr int64_t kImageTokenId = -200;
// Label of positions that do not count in the loss.
constexpr int64_t kIgnoreLabel = -100;

struct ConversationTurn {
    std::string prompt; // the human turn (the first without "<image>" and its newline)
    std::string answer; // the gpt turn, trimmed
    std::string type;   // the question type, empty when there is none
};

using TextEncoder = std::function<std::vector<int64_t>(const std::string &)>;

struct ConversationTemplate {
    std::string system;                    // before the first turn
    std::string user = "USER:";            // before each prompt
    std::string assistant = " ASSISTANT:"; // after each prompt
    bool promptless = false;               // plain: the prompt is not part of the text
    // The id a sequence starts with: a pretrained LM's <s> (Tokenizer::frame
    // sets it); none (-1) for the benchmark's word tokenizer.
    int64_t bos = -1;
};

// default | plain | vicuna_v1; nullptr for another name.
const ConversationTemplate *conversationTemplate(const std::string &name);
// The names conversationTemplate() knows.
const std::vector<std::string> &conversationTemplateNames();

// How the turns of a training sample see each other. Conversation: each
// turn sees every earlier one, as LLaVA trains. Independent: each turn sees
// only the shared context (the image, or the text before the first
// prompt's first newline) and itself, at the positions it would have as a
// first turn. A sample of N questions then trains exactly as N one-question
// samples, which is how evaluation asks, for the cost of one sequence.
enum class TurnLayout { Conversation, Independent };

struct ConversationTokens {
    std::vector<int64_t> ids;    // with one kImageTokenId, none in a text sample
    std::vector<int64_t> labels; // kIgnoreLabel except on the answer and </s>
    // Independent turns only (empty otherwise): each token's position in the
    // text, and its segment: 0 for the shared context, k for turn k.
    std::vector<int64_t> positions;
    std::vector<int64_t> segments;
};

// Tokens of the prompt part, ending at "ASSISTANT:" (what generation starts
// from); without the image, "USER: {prompt} ASSISTANT:" as later turns are.
// The first turn carries the template's system prompt.
std::vector<int64_t> promptTokens(const TextEncoder &encode, const std::string &prompt, bool withImage = true,
                                  const ConversationTemplate &form = {}, bool firstTurn = true);
// Every turn, prompts and answers, with labels for the loss; a text sample
// (withImage false) has no kImageTokenId. With independent turns every turn
// is encoded as a first turn's question would be (promptTokens), after one
// shared context.
ConversationTokens conversationTokens(const TextEncoder &encode, const std::vector<ConversationTurn> &turns,
                                      int64_t eosId, bool withImage = true,
                                      TurnLayout layout = TurnLayout::Conversation,
                                      const ConversationTemplate &form = {});

} // namespace cosw
