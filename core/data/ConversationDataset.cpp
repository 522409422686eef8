#include "ConversationDataset.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "base/Json.h"

#include <cctype>
#include <filesystem>
#include <set>

namespace cosw {

namespace {

const std::string kImageMarker = "<image>";

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string trimmed(const std::string &s)
{
    size_t begin = 0, end = s.size();
    while (begin < end && isSpace(s[begin]))
        ++begin;
    while (end > begin && isSpace(s[end - 1]))
        --end;
    return s.substr(begin, end - begin);
}

// Whether `path`, its symbolic links followed as far as they exist, lies in
// the folder `resolvedRoot` (itself resolved).
bool insideFolder(const std::filesystem::path &path, const std::filesystem::path &resolvedRoot)
{
    std::error_code ec;
    const std::filesystem::path resolved = std::filesystem::weakly_canonical(std::filesystem::absolute(path), ec);
    if (ec)
        return false;
    const std::filesystem::path relative = resolved.lexically_relative(resolvedRoot);
    return !relative.empty() && *relative.begin() != "..";
}

class SampleReader {
public:
    SampleReader(const std::string &file, size_t index, const Json &entry) : m_file(file), m_index(index), m_entry(entry) {}

    [[noreturn]] void fail(const std::string &reason) const
    {
        if (m_id.empty())
            throw InputError(fill(msg("%1: sample %2: %3"), {m_file, std::to_string(m_index), reason}));
        throw InputError(fill(msg("%1: sample %2 (id %3): %4"), {m_file, std::to_string(m_index), m_id, reason}));
    }

    // `imageRoot` as given, and resolved (symbolic links followed) when
    // images must stay inside it; empty otherwise.
    ConversationSample read(const std::filesystem::path &imageRoot, const std::filesystem::path &resolvedRoot)
    {
        if (!m_entry.is_object())
            fail(fill(msg("expected an object, found %1"), {jsonTypeName(m_entry)}));
        // The id first, so later errors can name it.
        ConversationSample s;
        s.id = stringField(m_entry, "id", "");
        m_id = s.id;
        // Without "image" the sample is text alone (a text stage's data).
        const bool hasImage = findKey(m_entry, "image") != nullptr;
        if (hasImage) {
            const std::string image = stringField(m_entry, "image", "");
            if (image.empty())
                fail(fill(msg("%1: empty path"), {"image"}));
            s.image = (imageRoot / image).lexically_normal().string();
            if (!resolvedRoot.empty() && !insideFolder(s.image, resolvedRoot))
                fail(fill(msg("image '%1' lies outside the image folder %2 (a dataset from elsewhere may not reach "
                              "other files; %3: true allows it)"),
                          {image, imageRoot.string(), "data.allow_outside_images"}));
        }
        if (const Json *type = findKey(m_entry, "type")) {
            if (!type->is_string())
                fail(fill(msg("%1: expected a string, found %2"), {"type", jsonTypeName(*type)}));
            s.type = type->get<std::string>();
        }

        const Json *turns = findKey(m_entry, "conversations");
        if (!turns)
            fail(fill(msg("missing field '%1'"), {"conversations"}));
        if (!turns->is_array() || turns->size() < 2 || turns->size() % 2 != 0)
            fail(turns->is_array()
                     ? fill(msg("%1: expected turns in pairs (human, then gpt), found %2 turns"),
                            {"conversations", std::to_string(turns->size())})
                     : fill(msg("%1: expected turns in pairs (human, then gpt), found no list"), {"conversations"}));
        const Json &list = *turns;
        for (size_t i = 0; i < list.size(); i += 2) {
            ConversationTurn t;
            const std::string human = turn(list[i], i, "human");
            t.prompt = i == 0 && hasImage ? promptOf(human) : laterPrompt(human, i);
            t.answer = trimmed(turn(list[i + 1], i + 1, "gpt"));
            t.type = s.type;
            if (const Json *own = findKey(list[i + 1], "type")) {
                if (!own->is_string())
                    fail(fill(msg("%1: expected a string, found %2"),
                              {"conversations[" + std::to_string(i + 1) + "].type", jsonTypeName(*own)}));
                t.type = own->get<std::string>();
            }
            s.turns.push_back(std::move(t));
        }
        return s;
    }

private:
    std::string stringField(const Json &object, const std::string &key, const std::string &prefix) const
    {
        const Json *v = findKey(object, key);
        if (!v)
            fail(fill(msg("missing field '%1'"), {prefix + key}));
        if (!v->is_string())
            fail(fill(msg("%1: expected a string, found %2"), {prefix + key, jsonTypeName(*v)}));
        return v->get<std::string>();
    }

    std::string turn(const Json &t, size_t index, const std::string &speaker) const
    {
        const std::string prefix = "conversations[" + std::to_string(index) + "].";
        if (!t.is_object())
            fail(fill(msg("%1: expected an object"), {prefix.substr(0, prefix.size() - 1)}));
        const std::string from = stringField(t, "from", prefix);
        if (from != speaker)
            fail(fill(msg("%1: expected '%2', found '%3' (turns must be human, then gpt)"),
                      {prefix + "from", speaker, from}));
        return stringField(t, "value", prefix);
    }

    // Removes the marker and the newline that separates it from the text
    // (after it, as LLaVA writes it, or before it when the marker ends the turn).
    std::string promptOf(const std::string &human) const
    {
        const size_t at = human.find(kImageMarker);
        if (at == std::string::npos)
            fail(fill(msg("%1: no %2 marker"), {"conversations[0].value", kImageMarker}));
        if (human.find(kImageMarker, at + 1) != std::string::npos)
            fail(fill(msg("%1: more than one %2 marker"), {"conversations[0].value", kImageMarker}));
        size_t begin = at, end = at + kImageMarker.size();
        if (end < human.size() && human[end] == '\n')
            ++end;
        else if (begin > 0 && human[begin - 1] == '\n')
            --begin;
        return trimmed(human.substr(0, begin) + human.substr(end));
    }

    // The image belongs to the first turn: a later marker would be a second
    // image, and a marker in a sample without "image" names none.
    std::string laterPrompt(const std::string &human, size_t index) const
    {
        if (human.find(kImageMarker) != std::string::npos) {
            const std::string field = "conversations[" + std::to_string(index) + "].value";
            fail(index == 0 ? fill(msg("%1: %2 marker, but the sample has no '%3'"), {field, kImageMarker, "image"})
                            : fill(msg("%1: %2 may appear only in the first human turn"), {field, kImageMarker}));
        }
        return trimmed(human);
    }

    const std::string &m_file;
    size_t m_index;
    const Json &m_entry;
    std::string m_id;
};

} // namespace

ConversationDataset ConversationDataset::load(const std::string &jsonPath, const std::string &imageRoot,
                                              ImageLocations where)
{
    const Json json = parseJsonFile(jsonPath);
    if (!json.is_array())
        throw InputError(fill(msg("%1: expected a JSON list of samples, found %2"), {jsonPath, jsonTypeName(json)}));
    if (json.size() == 0)
        throw InputError(fill(msg("%1: the list holds no samples"), {jsonPath}));
    const std::filesystem::path root =
        imageRoot.empty() ? std::filesystem::path(jsonPath).parent_path() : std::filesystem::path(imageRoot);

    std::filesystem::path resolvedRoot;
    if (where == ImageLocations::InsideRoot) {
        std::error_code ec;
        resolvedRoot = std::filesystem::weakly_canonical(std::filesystem::absolute(root.empty() ? "." : root), ec);
        if (ec)
            throw InputError(fill(msg("%1: image folder %2: %3"), {jsonPath, root.string(), ec.message()}));
    }

    ConversationDataset dataset;
    dataset.m_source = jsonPath;
    dataset.m_samples.reserve(json.size());
    for (size_t i = 0; i < json.size(); ++i) {
        dataset.m_samples.push_back(SampleReader(jsonPath, i, json.at(i)).read(root, resolvedRoot));
        // One kind per file: a batch is either images with text or text alone.
        const ConversationSample &s = dataset.m_samples.back();
        if (s.image.empty() != dataset.m_samples.front().image.empty())
            throw InputError(
                s.image.empty()
                    ? fill(msg("%1: sample %2 (id %3) has no '%4', unlike sample 0 (id %5); a file holds image samples "
                               "or text samples, not both"),
                           {jsonPath, std::to_string(i), s.id, "image", dataset.m_samples.front().id})
                    : fill(msg("%1: sample %2 (id %3) has an '%4', unlike sample 0 (id %5); a file holds image samples "
                               "or text samples, not both"),
                           {jsonPath, std::to_string(i), s.id, "image", dataset.m_samples.front().id}));
    }
    return dataset;
}

std::vector<std::string> ConversationDataset::texts() const
{
    std::vector<std::string> out;
    for (const ConversationSample &s : m_samples)
        for (const ConversationTurn &t : s.turns) {
            out.push_back(t.prompt);
            out.push_back(t.answer);
        }
    return out;
}

std::vector<std::string> ConversationDataset::types() const
{
    std::set<std::string> types;
    for (const ConversationSample &s : m_samples)
        for (const ConversationTurn &t : s.turns)
            if (!t.type.empty())
                types.insert(t.type);
    return {types.begin(), types.end()};
}

void ConversationDataset::requireSingleTurn() const
{
    for (size_t i = 0; i < m_samples.size(); ++i)
        if (m_samples[i].turns.size() != 1)
            throw InputError(fill(msg("%1: sample %2 (id %3) has %4 turns; evaluation asks one question at a time"),
                                  {m_source, std::to_string(i), m_samples[i].id,
                                   std::to_string(m_samples[i].turns.size())}));
}

std::string normalizeAnswer(const std::string &answer)
{
    std::string out;
    for (char c : answer) {
        if (isSpace(c)) {
            if (!out.empty() && out.back() != ' ')
                out += ' ';
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    auto trimmable = [](char c) { return c == ' ' || std::ispunct(static_cast<unsigned char>(c)); };
    size_t begin = 0, end = out.size();
    while (begin < end && trimmable(out[begin]))
        ++begin;
    while (end > begin && trimmable(out[end - 1]))
        --end;
    return out.substr(begin, end - begin);
}

std::map<std::string, std::pair<std::string, size_t>>
commonestAnswers(const std::map<std::string, std::map<std::string, size_t>> &counts)
{
    std::map<std::string, std::pair<std::string, size_t>> best;
    for (const auto &[group, answers] : counts)
        for (const auto &kv : answers)
            if (kv.second > best[group].second)
                best[group] = kv;
    return best;
}

} // namespace cosw
