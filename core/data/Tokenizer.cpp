#include "Tokenizer.h"

#include "base/Errors.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace cosw {

Tokenizer::Tokenizer(WordTokenizer words) : m_words(std::move(words)) {}

Tokenizer Tokenizer::loadFrom(const std::string &dir)
{
    const fs::path words = fs::path(dir) / "tokenizer.json";
    if (!fs::exists(words))
        throw InputError(dir + ": no tokenizer.json beside the weights, so the words the model was trained on are "
                               "unknown");
    return Tokenizer(WordTokenizer::load(words.string()));
}

void Tokenizer::saveInto(const std::string &dir) const
{
    m_words.save((fs::path(dir) / "tokenizer.json").string());
}

} // namespace cosw
