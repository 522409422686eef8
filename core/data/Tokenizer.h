#pragma once
// The tokenizer a run reads its text with: the bundled benchmark's word
// tokenizer (tokenizer.json, DESIGN §5), or a SentencePiece model
// (tokenizer.model), the one a pretrained language model was trained with.
// Cheap to copy: both share their immutable vocabulary.

#include "WordTokenizer.h"
#include "text/Conversation.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace cosw {

class Tokenizer {
public:
    // The word tokenizer, as a run on the bundled benchmark uses it.
    Tokenizer(WordTokenizer words); // NOLINT: a word tokenizer is a tokenizer
    // A SentencePiece model file; InputError naming it when it does not load.
    static Tokenizer sentencePiece(const std::string &modelFile);
    // What a checkpoint or imported part holds: DIR/tokenizer.model, else
    // DIR/tokenizer.json. InputError naming DIR when it has neither.
    static Tokenizer loadFrom(const std::string &dir);
    // Writes tokenizer.model or tokenizer.json into `dir`, as loadFrom reads it.
    void saveInto(const std::string &dir) const;

    bool isSentencePiece() const { return m_pieces != nullptr; }
    // The word tokenizer; only when !isSentencePiece().
    const WordTokenizer &words() const { return m_words; }

    // No <s> or </s> is added.
    std::vector<int64_t> encode(const std::string &text) const;
    // Ids outside the vocabulary (the image placeholder; ids a larger model
    // vocabulary may generate) and specials are skipped.
    std::string decode(const std::vector<int64_t> &ids) const;
    // For promptTokens()/conversationTokens(); stays valid after the tokenizer is gone.
    TextEncoder encoder() const;

    int64_t vocabSize() const;
    int64_t padId() const;
    int64_t bosId() const;
    int64_t eosId() const;

private:
    Tokenizer() = default;

    WordTokenizer m_words = WordTokenizer::build({});
    std::shared_ptr<const sentencepiece::SentencePieceProcessor> m_pieces;
    std::string m_modelFile; // the SentencePiece model it was loaded from
};

} // namespace cosw
