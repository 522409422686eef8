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

ConversationTokens conversationTokens(const TextEncoder &encode, const std::vector<ConversationTurn> &turns,
                                      int64_t eosId, bool withImage)
{
    ConversationTokens out;
    for (size_t i = 0; i < turns.size(); ++i) {
        const std::vector<int64_t> prompt = promptTokens(encode, turns[i].prompt, withImage && i == 0);
        out.ids.insert(out.ids.end(), prompt.begin(), prompt.end());
        out.labels.insert(out.labels.end(), prompt.size(), kIgnoreLabel);
        std::vector<int64_t> reply = encode(" " + turns[i].answer);
        reply.push_back(eosId);
        out.ids.insert(out.ids.end(), reply.begin(), reply.end());
        out.labels.insert(out.labels.end(), reply.begin(), reply.end());
    }
    return out;
}

} // namespace cosw
