#include "Conversation.h"

namespace cosw {

std::vector<int64_t> promptTokens(const TextEncoder &encode, const std::string &prompt)
{
    std::vector<int64_t> ids = encode("USER:");
    ids.push_back(kImageTokenId);
    for (int64_t id : encode("\n" + prompt + " ASSISTANT:"))
        ids.push_back(id);
    return ids;
}

ConversationTokens conversationTokens(const TextEncoder &encode, const std::string &prompt,
                                      const std::string &answer, int64_t eosId)
{
    ConversationTokens out;
    out.ids = promptTokens(encode, prompt);
    out.labels.assign(out.ids.size(), kIgnoreLabel);
    std::vector<int64_t> reply = encode(" " + answer);
    reply.push_back(eosId);
    out.ids.insert(out.ids.end(), reply.begin(), reply.end());
    out.labels.insert(out.labels.end(), reply.begin(), reply.end());
    return out;
}

} // namespace cosw
