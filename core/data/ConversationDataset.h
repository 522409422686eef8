#pragma once
// A LLaVA-style conversation dataset (DESIGN §5): a JSON list of
//   {"id": ..., "image": PATH, "conversations": [{"from": "human", "value": "<image>\n..."},
//                                                 {"from": "gpt", "value": ...}], "type": ...}
// with image paths relative to an image root. Conversations may be
// multi-turn (human and gpt alternating, the image in the first human turn
// only); a gpt turn may carry its own "type" (a sample of several questions).
// A file may instead hold text samples: no "image" field and no <image>
// marker (a text stage trains the language model on them alone).

#include "text/Conversation.h"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cosw {

struct ConversationSample {
    std::string id;
    std::string image;  // resolved against the image root; empty for a text sample
    std::vector<ConversationTurn> turns; // one or more, in order
    std::string type;   // question type, empty when the entry has none

    // The first question and its answer: all there is of a single-turn sample,
    // which is what evaluation asks.
    const std::string &prompt() const { return turns.front().prompt; }
    const std::string &answer() const { return turns.front().answer; }
};

// Where a sample's image may lie. Datasets come from colleagues and the
// internet, so by default only inside the image folder: an absolute path, a
// `..` or a symbolic link leading out of it is refused.
enum class ImageLocations { InsideRoot, Anywhere };

class ConversationDataset {
public:
    // Reads and validates `jsonPath`. Relative image paths are resolved
    // against `imageRoot` (the JSON file's directory when empty). Every
    // violation throws InputError "FILE: sample N (id X): reason", N counting
    // from 0 as the list does. An empty list is an error too.
    static ConversationDataset load(const std::string &jsonPath, const std::string &imageRoot,
                                    ImageLocations where = ImageLocations::InsideRoot);

    size_t size() const { return m_samples.size(); }
    const ConversationSample &sample(size_t i) const { return m_samples.at(i); }
    const std::vector<ConversationSample> &samples() const { return m_samples; }
    const std::string &imagePath(size_t i) const { return sample(i).image; }
    // False for a file of text samples (every sample is of one kind).
    bool hasImages() const { return !m_samples.front().image.empty(); }
    // Distinct non-empty types, sorted.
    std::vector<std::string> types() const;
    // Throws InputError naming the file and the first sample with more than
    // one turn: evaluation asks one question at a time.
    void requireSingleTurn() const;
    const std::string &source() const { return m_source; }
    // Every prompt and answer, in order: what a word tokenizer is built from.
    std::vector<std::string> texts() const;

private:
    std::string m_source;
    std::vector<ConversationSample> m_samples;
};

// An answer as exact-match evaluation compares it: lower case, whitespace
// runs collapsed to one space, surrounding whitespace and punctuation
// trimmed ("  Bag. " -> "bag").
std::string normalizeAnswer(const std::string &answer);

// The commonest answer of each group and how often it occurs (ties: the
// alphabetically first), from counts group -> answer -> count: the answer
// an image-blind model gives, per question type or overall.
std::map<std::string, std::pair<std::string, size_t>>
commonestAnswers(const std::map<std::string, std::map<std::string, size_t>> &counts);

} // namespace cosw
