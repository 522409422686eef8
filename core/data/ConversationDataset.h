#pragma once
// A LLaVA-style conversation dataset (DESIGN §5): a JSON list of
//   {"id": ..., "image": PATH, "conversations": [{"from": "human", "value": "<image>\n..."},
//                                                 {"from": "gpt", "value": ...}], "type": ...}
// with image paths relative to an image root. Only single-turn
// conversations with one image are supported.

#include <string>
#include <vector>

namespace cosw {

struct ConversationSample {
    std::string id;
    std::string image;  // resolved against the image root
    std::string prompt; // the human turn without "<image>" and its newline
    std::string answer; // the gpt turn, trimmed
    std::string type;   // question type, empty when the entry has none
};

class ConversationDataset {
public:
    // Reads and validates `jsonPath`. Relative image paths are resolved
    // against `imageRoot` (the JSON file's directory when empty). Every
    // violation throws InputError "FILE: sample N (id X): reason", N counting
    // from 0 as the list does. An empty list is an error too.
    static ConversationDataset load(const std::string &jsonPath, const std::string &imageRoot);

    size_t size() const { return m_samples.size(); }
    const ConversationSample &sample(size_t i) const { return m_samples.at(i); }
    const std::vector<ConversationSample> &samples() const { return m_samples; }
    const std::string &imagePath(size_t i) const { return sample(i).image; }
    // Distinct non-empty types, sorted.
    std::vector<std::string> types() const;
    const std::string &source() const { return m_source; }

private:
    std::string m_source;
    std::vector<ConversationSample> m_samples;
};

// An answer as exact-match evaluation compares it: lower case, whitespace
// runs collapsed to one space, surrounding whitespace and punctuation
// trimmed ("  Bag. " -> "bag").
std::string normalizeAnswer(const std::string &answer);

} // namespace cosw
