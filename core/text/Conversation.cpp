#include "Conversation.h"

namespace cosw {

const ConversationTemplate *conversationTemplate(const std::string &name)
{
    static const ConversationTemplate standard;
    static const ConversationTemplate vicuna{
        "A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, "
        "detailed, and polite answers to the user's questions. ",
        "USER:", " ASSISTANT:", false};
    static const ConversationTemplate plain{"", "", "", true};
    return name == "default" ? &standard : name == "vicuna_v1" ? &vicuna : name == "plain" ? &plain : nullptr;
}

const std::vector<std::string> &conversationTemplateNames()
{
    static const std::vector<std::string> names{"default", "plain", "vicuna_v1"};
    return names;
}

static void append(std::vector<int64_t> &ids, const std::vector<int64_t> &more)
{
    ids.insert(ids.end(), more.begin(), more.end());
}

// The start of a sequence (<s> where the tokenizer has one), then `text`.
static std::vector<int64_t> started(const TextEncoder &encode, const ConversationTemplate &form, bool firstTurn,
                                    const std::string &text)
{
    std::vector<int64_t> ids;
    if (firstTurn && form.bos >= 0)
        ids.push_back(form.bos);
    if (!text.empty())
        append(ids, encode(text));
    return ids;
}

// What opens the first turn: system prompt and user role, then the image.
static std::vector<int64_t> opening(const TextEncoder &encode, const ConversationTemplate &form, bool withImage,
                                    bool firstTurn)
{
    std::vector<int64_t> ids = started(encode, form, firstTurn, (firstTurn ? form.system : std::string()) + form.user);
    if (withImage)
        ids.push_back(kImageTokenId);
    return ids;
}

std::vector<int64_t> promptTokens(const TextEncoder &encode, const std::string &prompt, bool withImage,
                                  const ConversationTemplate &form, bool firstTurn)
{
    if (form.promptless)
        return opening(encode, form, withImage, firstTurn);
    if (!withImage)
        return started(encode, form, firstTurn, (firstTurn ? form.system : std::string()) + form.user + " " + prompt + form.assistant);
    std::vector<int64_t> ids = opening(encode, form, true, firstTurn);
    append(ids, encode("\n" + prompt + form.assistant));
    return ids;
}

static void appendAnswer(const TextEncoder &encode, const ConversationTurn &turn, int64_t eosId,
                         ConversationTokens &out)
{
    std::vector<int64_t> reply = encode(" " + turn.answer);
    reply.push_back(eosId);
    out.ids.insert(out.ids.end(), reply.begin(), reply.end());
    out.labels.insert(out.labels.end(), reply.begin(), reply.end());
}

static ConversationTokens independentTurns(const TextEncoder &encode, const std::vector<ConversationTurn> &turns,
                                           int64_t eosId, bool withImage, const ConversationTemplate &form)
{
    // A text sample's context is its first prompt up to the first newline,
    // as an image's is the image: "USER: {context}\n{question} ASSISTANT:".
    const std::string &first = turns.front().prompt;
    const size_t newline = withImage ? std::string::npos : first.find('\n');
    ConversationTokens out;
    if (withImage || form.promptless)
        out.ids = opening(encode, form, withImage, true);
    else
        out.ids = started(encode, form, true,
                          form.system + form.user + " "
                              + (newline == std::string::npos ? std::string() : first.substr(0, newline)));
    const int64_t context = int64_t(out.ids.size());
    out.labels.assign(out.ids.size(), kIgnoreLabel);
    out.segments.assign(out.ids.size(), 0);
    for (int64_t p = 0; p < context; ++p)
        out.positions.push_back(p);
    for (size_t i = 0; i < turns.size(); ++i) {
        const std::string question =
            i == 0 && newline != std::string::npos ? first.substr(newline + 1) : turns[i].prompt;
        const size_t start = out.ids.size();
        const std::vector<int64_t> prompt =
            form.promptless ? std::vector<int64_t>() : encode("\n" + question + form.assistant);
        out.ids.insert(out.ids.end(), prompt.begin(), prompt.end());
        out.labels.insert(out.labels.end(), prompt.size(), kIgnoreLabel);
        appendAnswer(encode, turns[i], eosId, out);
        for (size_t j = start; j < out.ids.size(); ++j) {
            out.positions.push_back(context + int64_t(j - start));
            out.segments.push_back(int64_t(i) + 1);
        }
    }
    return out;
}

ConversationTokens conversationTokens(const TextEncoder &encode, const std::vector<ConversationTurn> &turns,
                                      int64_t eosId, bool withImage, TurnLayout layout,
                                      const ConversationTemplate &form)
{
    if (layout == TurnLayout::Independent)
        return independentTurns(encode, turns, eosId, withImage, form);
    ConversationTokens out;
    for (size_t i = 0; i < turns.size(); ++i) {
        const std::vector<int64_t> prompt = promptTokens(encode, turns[i].prompt, withImage && i == 0, form, i == 0);
        out.ids.insert(out.ids.end(), prompt.begin(), prompt.end());
        out.labels.insert(out.labels.end(), prompt.size(), kIgnoreLabel);
        appendAnswer(encode, turns[i], eosId, out);
    }
    return out;
}

} // namespace cosw
