#include "Tokenizer.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Files.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace cosw {

Tokenizer::Tokenizer(WordTokenizer words) : m_words(std::move(words)) {}
Tokenizer::Tokenizer(SentencePieceModel pieces) : m_pieces(std::move(pieces)) {}

Tokenizer Tokenizer::loadFrom(const std::string &dir)
{
    const fs::path words = fs::path(dir) / "tokenizer.json";
    if (fs::exists(words))
        return Tokenizer(WordTokenizer::load(words.string()));
    const fs::path pieces = fs::path(dir) / "tokenizer.model";
    if (fs::exists(pieces))
        return Tokenizer(SentencePieceModel::load(pieces.string()));
    throw InputError(fill(msg("%1: no %2 or %3 beside the weights, so the text the model was trained on cannot be "
                              "read"),
                          {dir, "tokenizer.json", "tokenizer.model"}));
}

void Tokenizer::saveInto(const std::string &dir) const
{
    if (m_words)
        m_words->save((fs::path(dir) / "tokenizer.json").string());
    else
        writeTextFile((fs::path(dir) / "tokenizer.model").string(), m_pieces->bytes());
}

std::string Tokenizer::token(int64_t id) const { return m_words ? m_words->token(id) : m_pieces->piece(id).text; }

std::vector<int64_t> Tokenizer::encode(const std::string &text) const { return encoder()(text); }

std::string Tokenizer::decode(const std::vector<int64_t> &ids) const
{
    return m_words ? m_words->decode(ids) : m_pieces->decode(ids);
}

TextEncoder Tokenizer::encoder() const
{
    if (m_words)
        return m_words->encoder();
    return [pieces = *m_pieces](const std::string &text) {
        const bool prefixStandsForSpace = pieces.addsDummyPrefix() && !text.empty() && text.front() == ' ';
        return pieces.encode(prefixStandsForSpace ? text.substr(1) : text);
    };
}

ConversationTemplate Tokenizer::frame(const ConversationTemplate &form) const
{
    ConversationTemplate out = form;
    out.bos = m_pieces ? m_pieces->bosId() : -1;
    return out;
}

int64_t Tokenizer::vocabSize() const { return m_words ? m_words->vocabSize() : m_pieces->size(); }

int64_t Tokenizer::padId() const
{
    if (m_words)
        return WordTokenizer::kPadId;
    return m_pieces->padId() >= 0 ? m_pieces->padId() : m_pieces->unkId();
}

int64_t Tokenizer::eosId() const { return m_words ? WordTokenizer::kEosId : m_pieces->eosId(); }

} // namespace cosw
