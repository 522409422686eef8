#include "Conversation.h"

namespace cosw {

std::vector<int64_t> promptTokens(const TextEncoder &encode, const std::string &prompt, bool withImage)
{
    if (!withImage)
        return encode("USER: " + prompt + " ASSISTANT:");
    std::vector<int64_t> ids = encode("USER:");
    ids.push_back(kImageTokenId);
    for (int64_t id : encode("\n" + prompt + " ASSISTANT:"))
        ids.push_back(id);
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
                                           int64_t eosId, bool withImage)
{
    // A text sample's context is its first prompt up to the first newline,
    // as an image's is the image: "USER: {context}\n{question} ASSISTANT:".
    const std::string &first = turns.front().prompt;
    const size_t newline = withImage ? std::string::npos : first.find('\n');
    ConversationTokens out;
    if (withImage) {
        out.ids = encode("USER:");
        out.ids.push_back(kImageTokenId);
    } else {
        out.ids = encode("USER: " + (newline == std::string::npos ? std::string() : first.substr(0, newline)));
    }
    const int64_t context = int64_t(out.ids.size());
    out.labels.assign(out.ids.size(), kIgnoreLabel);
    out.segments.assign(out.ids.size(), 0);
    for (int64_t p = 0; p < context; ++p)
        out.positions.push_back(p);
    for (size_t i = 0; i < turns.size(); ++i) {
        const std::string question =
            i == 0 && newline != std::string::npos ? first.substr(newline + 1) : turns[i].prompt;
        const size_t start = out.ids.size();
        const std::vector<int64_t> prompt = encode("\n" + question + " ASSISTANT:");
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
                                      int64_t eosId, bool withImage, TurnLayout layout)
{
    if (layout == TurnLayout::Independent)
        return independentTurns(encode, turns, eosId, withImage);
    ConversationTokens out;
    for (size_t i = 0; i < turns.size(); ++i) {
        const std::vector<int64_t> prompt = promptTokens(encode, turns[i].prompt, withImage && i == 0);
        out.ids.insert(out.ids.end(), prompt.begin(), prompt.end());
        out.labels.insert(out.labels.end(), prompt.size(), kIgnoreLabel);
        appendAnswer(encode, turns[i], eosId, out);
    }
    return out;
}

} // namespace cosw
