#include "WordTokenizer.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Files.h"
#include "base/Json.h"

#include <cctype>
#include <iterator>
#include <set>

namespace cosw {

namespace {

const char *const kSpecials[] = {"<pad>", "<s>", "</s>", "<unk>"};
constexpr int kTokenizerVersion = 1;

bool isWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

} // namespace

WordTokenizer::WordTokenizer(std::vector<std::string> tokens)
{
    auto vocab = std::make_shared<Vocabulary>();
    vocab->tokens = std::move(tokens);
    for (size_t i = 0; i < vocab->tokens.size(); ++i)
        vocab->ids.emplace(vocab->tokens[i], int64_t(i));
    m_vocab = std::move(vocab);
}

std::vector<std::string> WordTokenizer::split(const std::string &text)
{
    std::vector<std::string> out;
    std::string word;
    for (char ch : text) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (isWordByte(c)) {
            word += static_cast<char>(std::tolower(c));
            continue;
        }
        if (!word.empty())
            out.push_back(std::move(word));
        word.clear();
        if (!std::isspace(c))
            out.emplace_back(1, ch);
    }
    if (!word.empty())
        out.push_back(std::move(word));
    return out;
}

WordTokenizer WordTokenizer::build(const std::vector<std::string> &texts)
{
    // The template's own words (Conversation.h), always present.
    std::set<std::string> words = {"user", "assistant", ":"};
    for (const std::string &text : texts)
        for (std::string &w : split(text))
            words.insert(std::move(w));
    // split() never yields a special: "<" is punctuation of its own.
    std::vector<std::string> tokens(std::begin(kSpecials), std::end(kSpecials));
    tokens.insert(tokens.end(), words.begin(), words.end());
    return WordTokenizer(std::move(tokens));
}

std::vector<int64_t> WordTokenizer::encodeWith(const Vocabulary &vocab, const std::string &text)
{
    std::vector<int64_t> ids;
    for (const std::string &w : split(text)) {
        auto it = vocab.ids.find(w);
        ids.push_back(it == vocab.ids.end() ? kUnkId : it->second);
    }
    return ids;
}

std::vector<int64_t> WordTokenizer::encode(const std::string &text) const { return encodeWith(*m_vocab, text); }

TextEncoder WordTokenizer::encoder() const
{
    return [vocab = m_vocab](const std::string &text) { return encodeWith(*vocab, text); };
}

std::string WordTokenizer::decode(const std::vector<int64_t> &ids) const
{
    std::string out;
    for (int64_t id : ids) {
        if (id <= kUnkId || id >= vocabSize())
            continue;
        if (!out.empty())
            out += ' ';
        out += m_vocab->tokens[size_t(id)];
    }
    return out;
}

int64_t WordTokenizer::id(const std::string &token) const
{
    auto it = m_vocab->ids.find(token);
    return it == m_vocab->ids.end() ? kUnkId : it->second;
}

Json WordTokenizer::toJson() const
{
    Json tokens = Json::array();
    for (const std::string &t : m_vocab->tokens)
        tokens.push_back(t);
    Json j = Json::object();
    j["type"] = "word";
    j["version"] = kTokenizerVersion;
    j["tokens"] = tokens;
    return j;
}

WordTokenizer WordTokenizer::fromJson(const Json &json, const std::string &source)
{
    auto fail = [&](const std::string &reason) { throw InputError(source + ": " + reason); };
    if (!json.is_object())
        fail(msg("not a word tokenizer (expected a JSON object)"));
    const Json *type = findKey(json, "type");
    if (!type || !type->is_string() || type->get<std::string>() != "word")
        fail(fill(msg("not a word tokenizer (\"%1\" is not \"%2\")"), {"type", "word"}));
    const Json *version = findKey(json, "version");
    if (!version || !version->is_number_integer() || version->get<int64_t>() != kTokenizerVersion)
        fail(fill(msg("unsupported word tokenizer version (this build reads version %1)"),
                  {std::to_string(kTokenizerVersion)}));
    const Json *list = findKey(json, "tokens");
    if (!list || !list->is_array())
        fail(fill(msg("%1: expected a list of strings"), {"tokens"}));
    std::vector<std::string> tokens;
    std::set<std::string> seen;
    for (const Json &t : *list) {
        if (!t.is_string() || t.get<std::string>().empty())
            fail(fill(msg("%1: expected a non-empty string"), {"tokens[" + std::to_string(tokens.size()) + "]"}));
        if (!seen.insert(t.get<std::string>()).second)
            fail(fill(msg("%1: '%2' appears twice"),
                      {"tokens[" + std::to_string(tokens.size()) + "]", t.get<std::string>()}));
        tokens.push_back(t.get<std::string>());
    }
    for (size_t i = 0; i < std::size(kSpecials); ++i)
        if (i >= tokens.size() || tokens[i] != kSpecials[i])
            fail(fill(msg("%1: expected the special token %2"), {"tokens[" + std::to_string(i) + "]", kSpecials[i]}));
    return WordTokenizer(std::move(tokens));
}

void WordTokenizer::save(const std::string &path) const { writeTextFile(path, toJson().dump(1) + "\n"); }

WordTokenizer WordTokenizer::load(const std::string &path) { return fromJson(parseJsonFile(path), path); }

} // namespace cosw
