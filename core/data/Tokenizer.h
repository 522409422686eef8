#pragma once
// The tokenizer a run reads its text with, and what it says about special
// ids: the bundled benchmark's word tokenizer (tokenizer.json, DESIGN §5) or
// a pretrained language model's SentencePiece model (tokenizer.model).
// Cheap to copy: the vocabulary is shared and immutable.
//
// Conversations are encoded a part at a time (template, prompt, answer; the
// image between them). With SentencePiece a part's leading space is the
// model's dummy prefix, so " yes" is the piece "▁yes" as inside a sentence,
// never "▁" then "▁yes".

#include "WordTokenizer.h"
#include "text/Conversation.h"
#include "text/SentencePieceModel.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cosw {

class Tokenizer {
public:
    Tokenizer(WordTokenizer words);         // NOLINT: a word tokenizer is a tokenizer
    Tokenizer(SentencePieceModel pieces);   // NOLINT: so is a SentencePiece model
    // What a checkpoint holds: DIR/tokenizer.json or DIR/tokenizer.model.
    // InputError naming DIR when it has neither.
    static Tokenizer loadFrom(const std::string &dir);
    // Writes the file loadFrom reads (a SentencePiece model byte for byte).
    void saveInto(const std::string &dir) const;

    // The word tokenizer; nullptr for a SentencePiece model.
    const WordTokenizer *words() const { return m_words ? &*m_words : nullptr; }
    // The text of one id: a word, or a piece ("▁yes", "<0x0A>"). Throws
    // std::out_of_range outside [0, vocabSize()).
    std::string token(int64_t id) const;

    // No <s> or </s> is added.
    std::vector<int64_t> encode(const std::string &text) const;
    // Ids outside the vocabulary (the image placeholder; ids a larger model
    // vocabulary may generate) and specials are skipped.
    std::string decode(const std::vector<int64_t> &ids) const;
    // For promptTokens()/conversationTokens(); stays valid after the tokenizer is gone.
    TextEncoder encoder() const;
    // `form` with the id a sequence starts with (<s> where the model has one).
    ConversationTemplate frame(const ConversationTemplate &form) const;

    int64_t vocabSize() const;
    // SentencePiece models without <pad> (LLaMA's) pad with <unk>, as LLaVA does.
    int64_t padId() const;
    // -1 when a SentencePiece model has no </s>.
    int64_t eosId() const;

private:
    std::optional<WordTokenizer> m_words;
    std::optional<SentencePieceModel> m_pieces;
};

} // namespace cosw
