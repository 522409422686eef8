#include "Tokenizer.h"

#include "base/Errors.h"

#include <sentencepiece_processor.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace cosw {

Tokenizer::Tokenizer(WordTokenizer words) : m_words(std::move(words)) {}

Tokenizer Tokenizer::sentencePiece(const std::string &modelFile)
{
    if (!fs::is_regular_file(modelFile))
        throw InputError(modelFile + ": no such SentencePiece model");
    auto processor = std::make_shared<sentencepiece::SentencePieceProcessor>();
    if (const auto status = processor->Load(modelFile); !status.ok())
        throw InputError(modelFile + ": not a SentencePiece model (" + status.ToString() + ")");
    if (processor->eos_id() < 0)
        throw InputError(modelFile + ": the SentencePiece model has no </s>, which ends every answer");
    Tokenizer t;
    t.m_pieces = std::move(processor);
    t.m_modelFile = fs::absolute(modelFile).string();
    return t;
}

Tokenizer Tokenizer::loadFrom(const std::string &dir)
{
    const fs::path model = fs::path(dir) / "tokenizer.model", words = fs::path(dir) / "tokenizer.json";
    if (fs::exists(model))
        return sentencePiece(model.string());
    if (fs::exists(words))
        return Tokenizer(WordTokenizer::load(words.string()));
    throw InputError(dir + ": no tokenizer.model or tokenizer.json beside the weights, so the words the model "
                           "was trained on are unknown");
}

void Tokenizer::saveInto(const std::string &dir) const
{
    if (!m_pieces) {
        m_words.save((fs::path(dir) / "tokenizer.json").string());
        return;
    }
    const fs::path target = fs::path(dir) / "tokenizer.model";
    std::error_code error;
    fs::copy_file(m_modelFile, target, fs::copy_options::overwrite_existing, error);
    if (error)
        throw std::runtime_error(target.string() + ": " + error.message());
}

std::vector<int64_t> Tokenizer::encode(const std::string &text) const
{
    if (!m_pieces)
        return m_words.encode(text);
    std::vector<int> ids;
    if (const auto status = m_pieces->Encode(text, &ids); !status.ok())
        throw std::runtime_error(m_modelFile + ": " + status.ToString());
    return std::vector<int64_t>(ids.begin(), ids.end());
}

std::string Tokenizer::decode(const std::vector<int64_t> &ids) const
{
    if (!m_pieces)
        return m_words.decode(ids);
    const int64_t size = m_pieces->GetPieceSize();
    std::vector<int> kept;
    for (int64_t id : ids)
        if (id >= 0 && id < size && !m_pieces->IsControl(int(id)))
            kept.push_back(int(id));
    std::string text;
    if (const auto status = m_pieces->Decode(kept, &text); !status.ok())
        throw std::runtime_error(m_modelFile + ": " + status.ToString());
    return text;
}

TextEncoder Tokenizer::encoder() const
{
    if (!m_pieces)
        return m_words.encoder();
    Tokenizer copy = *this;
    return [copy](const std::string &text) { return copy.encode(text); };
}

int64_t Tokenizer::vocabSize() const
{
    return m_pieces ? m_pieces->GetPieceSize() : m_words.vocabSize();
}

int64_t Tokenizer::padId() const
{
    // LLaMA's model has no pad piece; LLaVA pads with <unk>, and so do we.
    return m_pieces ? (m_pieces->pad_id() >= 0 ? m_pieces->pad_id() : std::max(0, m_pieces->unk_id()))
                    : WordTokenizer::kPadId;
}

int64_t Tokenizer::bosId() const
{
    return m_pieces ? m_pieces->bos_id() : WordTokenizer::kBosId;
}

int64_t Tokenizer::eosId() const
{
    return m_pieces ? m_pieces->eos_id() : WordTokenizer::kEosId;
}

} // namespace cosw
