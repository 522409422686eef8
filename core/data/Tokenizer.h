#pragma once
// The tokenizer a run reads its text with, and what it says about special
// ids. Today the bundled benchmark's word tokenizer (tokenizer.json, DESIGN
// §5); the seam where a pretrained language model's SentencePiece model
// comes in. Cheap to copy: the vocabulary is shared and immutable.

#include "WordTokenizer.h"
#include "text/Conversation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cosw {

class Tokenizer {
public:
    Tokenizer(WordTokenizer words); // NOLINT: a word tokenizer is a tokenizer
    // What a checkpoint holds (DIR/tokenizer.json). InputError naming DIR
    // when it has none.
    static Tokenizer loadFrom(const std::string &dir);
    // Writes DIR/tokenizer.json, as loadFrom reads it.
    void saveInto(const std::string &dir) const;

    const WordTokenizer &words() const { return m_words; }

    // No <s> or </s> is added.
    std::vector<int64_t> encode(const std::string &text) const { return m_words.encode(text); }
    // Ids outside the vocabulary (the image placeholder; ids a larger model
    // vocabulary may generate) and specials are skipped.
    std::string decode(const std::vector<int64_t> &ids) const { return m_words.decode(ids); }
    // For promptTokens()/conversationTokens(); stays valid after the tokenizer is gone.
    TextEncoder encoder() const { return m_words.encoder(); }

    int64_t vocabSize() const { return m_words.vocabSize(); }
    int64_t padId() const { return WordTokenizer::kPadId; }
    int64_t eosId() const { return WordTokenizer::kEosId; }

private:
    WordTokenizer m_words;
};

} // namespace cosw
