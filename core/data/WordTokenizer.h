#pragma once
// A word-level tokenizer built from a dataset's texts (DESIGN §5), for the
// bundled benchmark whose language is a few hundred words.
//
// Text is lower-cased and split at whitespace (newlines included) into words
// (runs of letters, digits and non-ASCII bytes) and single punctuation
// characters: "USER: <image>\nWhat?" -> user : < image > what ?
// The vocabulary is the four specials, then every word sorted bytewise, so
// the same texts always give the same ids.

#include "base/Json.h"
#include "text/Conversation.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace cosw {

class WordTokenizer {
public:
    // The LM's defaults (LmConfig padId, bosId, eosId) and the unknown word.
    static constexpr int64_t kPadId = 0;
    static constexpr int64_t kBosId = 1;
    static constexpr int64_t kEosId = 2;
    static constexpr int64_t kUnkId = 3;

    // The vocabulary of `texts` plus the words of the conversation template
    // (user, assistant, ":"), so promptTokens() never needs <unk>.
    static WordTokenizer build(const std::vector<std::string> &texts);
    // Reads a tokenizer written by toJson(); `source` names it in errors
    // (InputError "SOURCE: reason").
    static WordTokenizer fromJson(const Json &json, const std::string &source);
    // InputError naming the file when it is missing or not a tokenizer.
    static WordTokenizer load(const std::string &path);

    // The words and punctuation of `text`, lower-cased.
    static std::vector<std::string> split(const std::string &text);

    // Unknown words become kUnkId; no <s> or </s> is added.
    std::vector<int64_t> encode(const std::string &text) const;
    // Tokens joined by spaces. Specials and ids outside the vocabulary (the
    // image placeholder; ids a larger model vocabulary may generate) are skipped.
    std::string decode(const std::vector<int64_t> &ids) const;
    // An encoder for promptTokens()/conversationTokens(); it shares this
    // tokenizer's vocabulary and stays valid after the tokenizer is gone.
    TextEncoder encoder() const;

    int64_t vocabSize() const { return int64_t(m_vocab->tokens.size()); }
    // kUnkId for a word outside the vocabulary.
    int64_t id(const std::string &token) const;
    // Throws std::out_of_range outside [0, vocabSize()).
    const std::string &token(int64_t id) const { return m_vocab->tokens.at(size_t(id)); }

    Json toJson() const;
    // Throws std::runtime_error naming the path when the write fails.
    void save(const std::string &path) const;

private:
    struct Vocabulary {
        std::vector<std::string> tokens;
        std::unordered_map<std::string, int64_t> ids;
    };

    explicit WordTokenizer(std::vector<std::string> tokens);
    static std::vector<int64_t> encodeWith(const Vocabulary &vocab, const std::string &text);

    // Shared and immutable, so copies and encoders are cheap.
    std::shared_ptr<const Vocabulary> m_vocab;
};

} // namespace cosw
