#include "SentencePieceModel.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "base/Messages.h"
#include "base/Utf8.h"

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <functional>
#include <map>
#include <queue>
#include <unordered_map>

namespace cosw {

namespace {

const std::string kSpaceSymbol = "\xE2\x96\x81"; // U+2581 "▁"
const std::string kReplacementChar = "\xEF\xBF\xBD"; // U+FFFD
// The library's penalty for a character no piece covers, below the lowest piece score.
constexpr float kUnknownPenalty = 10.0f;

// The protobuf wire format, as much of it as ModelProto uses.
class WireReader {
public:
    WireReader(std::string_view data, const std::string &source) : m_data(data), m_source(source) {}

    bool atEnd() const { return m_pos >= m_data.size(); }

    // The next field's number and wire type.
    std::pair<uint32_t, int> tag()
    {
        const uint64_t key = varint();
        return {uint32_t(key >> 3), int(key & 7)};
    }

    uint64_t varint()
    {
        uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (atEnd())
                fail(msg("a number runs past the end"));
            const auto b = static_cast<unsigned char>(m_data[m_pos++]);
            value |= uint64_t(b & 0x7F) << shift;
            if (!(b & 0x80))
                return value;
        }
        fail(msg("a number longer than ten bytes"));
    }

    float fixed32()
    {
        if (m_data.size() - m_pos < 4)
            fail(msg("a score runs past the end"));
        uint32_t bits = 0;
        for (int i = 0; i < 4; ++i)
            bits |= uint32_t(static_cast<unsigned char>(m_data[m_pos + size_t(i)])) << (8 * i);
        m_pos += 4;
        float value;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }

    std::string_view bytes()
    {
        const uint64_t length = varint();
        if (length > m_data.size() - m_pos)
            fail(fill(msg("a field of %1 bytes runs past the end"), {std::to_string(length)}));
        const std::string_view out = m_data.substr(m_pos, size_t(length));
        m_pos += size_t(length);
        return out;
    }

    void skip(int wireType)
    {
        switch (wireType) {
        case 0: varint(); return;
        case 1: advance(8); return;
        case 2: bytes(); return;
        case 5: advance(4); return;
        default: fail(fill(msg("wire type %1 (groups are not part of the format)"), {std::to_string(wireType)}));
        }
    }

    [[noreturn]] void fail(const std::string &why) const
    {
        // TRANSLATORS: %2 is one of the reasons a model file is unreadable, such as "a number runs past the end".
        throw InputError(fill(msg("%1: not a SentencePiece model (%2 at byte %3)"), {m_source, why, std::to_string(m_pos)}));
    }

private:
    void advance(size_t n)
    {
        if (m_data.size() - m_pos < n)
            fail(msg("a field runs past the end"));
        m_pos += n;
    }

    std::string_view m_data;
    size_t m_pos = 0;
    const std::string &m_source;
};

void expectWireType(WireReader &r, int got, int wanted, const char *field)
{
    if (got != wanted)
        r.fail(fill(msg("%1 has wire type %2, not %3"), {field, std::to_string(got), std::to_string(wanted)}));
}

} // namespace

struct SentencePieceModel::Data {
    std::string bytes;
    std::vector<Piece> pieces;
    // What text can become (normal, user-defined and unused pieces), and the
    // rest (<unk>, controls, bytes), as the library keeps them apart.
    std::unordered_map<std::string, int64_t> textIds, reservedIds;
    std::vector<std::string> userDefined;
    size_t longestPiece = 0;
    bool bpe = false;
    bool byteFallback = false;
    bool addDummyPrefix = true;
    bool removeExtraWhitespaces = true;
    bool escapeWhitespaces = true;
    std::string unkSurface = " \xE2\x81\x87 ";
    std::string unkPiece = "<unk>", bosPiece = "<s>", eosPiece = "</s>", padPiece = "<pad>";
    int64_t unk = -1;
    // Over normal pieces: what unigram gives unknown and user-defined pieces.
    float minScore = FLT_MAX, maxScore = FLT_MIN;
    int64_t byteIds[256];

    // Reserved pieces first, as the library looks them up; -1 for no piece.
    int64_t find(const std::string &text) const
    {
        if (auto it = reservedIds.find(text); it != reservedIds.end())
            return it->second;
        if (auto it = textIds.find(text); it != textIds.end())
            return it->second;
        return -1;
    }
    // The library's PieceToId: <unk> for no piece.
    int64_t pieceToId(const std::string &text) const
    {
        const int64_t id = find(text);
        return id >= 0 ? id : unk;
    }
    // A special piece's id when the model has it with the right type.
    int64_t special(const std::string &text, PieceType type) const
    {
        auto it = reservedIds.find(text);
        return it != reservedIds.end() && pieces[size_t(it->second)].type == type ? it->second : -1;
    }
};

SentencePieceModel::SentencePieceModel(std::shared_ptr<const Data> data) : m_data(std::move(data)) {}

SentencePieceModel SentencePieceModel::load(const std::string &path)
{
    return parse(readTextFile(path), path);
}

SentencePieceModel SentencePieceModel::parse(std::string bytes, const std::string &source)
{
    auto d = std::make_shared<Data>();
    d->bytes = std::move(bytes);
    std::string normalizerName, charsMap, denormalizerMap;
    int modelType = 1;
    bool whitespaceAsSuffix = false;

    WireReader model(d->bytes, source);
    while (!model.atEnd()) {
        const auto [field, wire] = model.tag();
        if (field == 1) { // repeated SentencePiece pieces
            expectWireType(model, wire, 2, "pieces");
            WireReader r(model.bytes(), source);
            Piece p;
            while (!r.atEnd()) {
                const auto [f, w] = r.tag();
                if (f == 1) {
                    expectWireType(r, w, 2, "piece");
                    p.text = std::string(r.bytes());
                } else if (f == 2) {
                    expectWireType(r, w, 5, "score");
                    p.score = r.fixed32();
                } else if (f == 3) {
                    expectWireType(r, w, 0, "type");
                    const uint64_t type = r.varint();
                    if (type < 1 || type > 6)
                        r.fail(fill(msg("piece %1 has unknown type %2"), {std::to_string(d->pieces.size()), std::to_string(type)}));
                    p.type = PieceType(type);
                } else {
                    r.skip(w);
                }
            }
            d->pieces.push_back(std::move(p));
        } else if (field == 2) { // TrainerSpec
            expectWireType(model, wire, 2, "trainer_spec");
            WireReader r(model.bytes(), source);
            while (!r.atEnd()) {
                const auto [f, w] = r.tag();
                if (f == 3 || f == 24 || f == 35) {
                    expectWireType(r, w, 0, "trainer_spec field");
                    const uint64_t v = r.varint();
                    if (f == 3)
                        modelType = int(v);
                    else if (f == 24)
                        whitespaceAsSuffix = v != 0;
                    else
                        d->byteFallback = v != 0;
                } else if (f >= 44 && f <= 48) {
                    expectWireType(r, w, 2, "trainer_spec piece name");
                    std::string *names[] = {&d->unkSurface, &d->unkPiece, &d->bosPiece, &d->eosPiece, &d->padPiece};
                    *names[f - 44] = std::string(r.bytes());
                } else {
                    r.skip(w);
                }
            }
        } else if (field == 3 || field == 5) { // NormalizerSpec, denormalizer_spec
            expectWireType(model, wire, 2, "normalizer_spec");
            WireReader r(model.bytes(), source);
            while (!r.atEnd()) {
                const auto [f, w] = r.tag();
                if (field == 5) {
                    if (f == 2)
                        denormalizerMap = std::string(r.bytes());
                    else
                        r.skip(w);
                } else if (f == 1 || f == 2) {
                    expectWireType(r, w, 2, "normalizer_spec field");
                    (f == 1 ? normalizerName : charsMap) = std::string(r.bytes());
                } else if (f >= 3 && f <= 5) {
                    expectWireType(r, w, 0, "normalizer_spec flag");
                    bool *flags[] = {&d->addDummyPrefix, &d->removeExtraWhitespaces, &d->escapeWhitespaces};
                    *flags[f - 3] = r.varint() != 0;
                } else {
                    r.skip(w);
                }
            }
        } else {
            model.skip(wire);
        }
    }

    auto refuse = [&](const std::string &why) { throw InputError(source + ": " + why); };
    if (d->pieces.empty())
        refuse(msg("not a SentencePiece model (it has no pieces)"));
    if (modelType == 3)
        refuse(msg("a word model; the workbench applies BPE and unigram SentencePiece models"));
    else if (modelType == 4)
        refuse(msg("a character model; the workbench applies BPE and unigram SentencePiece models"));
    else if (modelType != 1 && modelType != 2)
        refuse(fill(msg("a type %1 model; the workbench applies BPE and unigram SentencePiece models"),
                    {std::to_string(modelType)}));
    d->bpe = modelType == 2;
    if (!charsMap.empty() || !denormalizerMap.empty())
        refuse(fill(msg("normalizes text with a precompiled character map ('%1'); the workbench applies the "
                        "identity rule only (as LLaMA, Vicuna and Mistral use)"),
                    {normalizerName}));
    if (whitespaceAsSuffix)
        refuse(msg("puts the space symbol after words (treat_whitespace_as_suffix), which the workbench does not apply"));

    std::fill(std::begin(d->byteIds), std::end(d->byteIds), int64_t(-1));
    for (size_t i = 0; i < d->pieces.size(); ++i) {
        const Piece &p = d->pieces[i];
        const bool text = p.type == PieceType::Normal || p.type == PieceType::UserDefined || p.type == PieceType::Unused;
        if (p.text.empty())
            refuse(fill(msg("piece %1 is empty"), {std::to_string(i)}));
        if (!(text ? d->textIds : d->reservedIds).emplace(p.text, int64_t(i)).second)
            refuse(fill(msg("piece '%1' is defined twice"), {p.text}));
        if (p.type == PieceType::UserDefined)
            d->userDefined.push_back(p.text);
        if (p.type == PieceType::Unknown) {
            if (d->unk >= 0)
                refuse(msg("has two unknown pieces"));
            d->unk = int64_t(i);
        }
        if (p.type == PieceType::Normal) {
            d->minScore = std::min(d->minScore, p.score);
            d->maxScore = std::max(d->maxScore, p.score);
        }
        if (p.type == PieceType::Byte) {
            unsigned value = 256;
            char rest = 0;
            if (p.text.size() != 6 || std::sscanf(p.text.c_str(), "<0x%2X>%c", &value, &rest) != 1 || value > 255)
                refuse(fill(msg("byte piece %1 is '%2', not <0xXX>"), {std::to_string(i), p.text}));
            d->byteIds[value] = int64_t(i);
        }
        if (text)
            d->longestPiece = std::max(d->longestPiece, p.text.size());
    }
    if (d->unk < 0)
        refuse(msg("has no unknown piece (<unk>)"));
    if (d->byteFallback)
        for (int b = 0; b < 256; ++b)
            if (d->byteIds[b] < 0) {
                char name[8];
                std::snprintf(name, sizeof name, "<0x%02X>", b);
                refuse(fill(msg("falls back to bytes but has no piece %1"), {name}));
            }
    return SentencePieceModel(std::move(d));
}

int64_t SentencePieceModel::size() const { return int64_t(m_data->pieces.size()); }

const SentencePieceModel::Piece &SentencePieceModel::piece(int64_t id) const
{
    if (id < 0 || id >= size())
        throw std::out_of_range("piece id " + std::to_string(id) + " outside the vocabulary");
    return m_data->pieces[size_t(id)];
}

int64_t SentencePieceModel::id(const std::string &piece) const { return m_data->find(piece); }

int64_t SentencePieceModel::unkId() const { return m_data->special(m_data->unkPiece, PieceType::Unknown); }
int64_t SentencePieceModel::bosId() const { return m_data->special(m_data->bosPiece, PieceType::Control); }
int64_t SentencePieceModel::eosId() const { return m_data->special(m_data->eosPiece, PieceType::Control); }
int64_t SentencePieceModel::padId() const { return m_data->special(m_data->padPiece, PieceType::Control); }
bool SentencePieceModel::addsDummyPrefix() const { return m_data->addDummyPrefix; }
const std::string &SentencePieceModel::bytes() const { return m_data->bytes; }

size_t SentencePieceModel::prefixLength(std::string_view text, bool *userDefined) const
{
    size_t longest = 0;
    for (const std::string &piece : m_data->userDefined)
        if (piece.size() > longest && text.substr(0, piece.size()) == piece)
            longest = piece.size();
    *userDefined = longest > 0;
    if (longest > 0)
        return longest;
    return std::max<size_t>(1, utf8CharLength(text));
}

std::string SentencePieceModel::normalize(const std::string &text) const
{
    const Data &d = *m_data;
    std::string_view input = text;
    if (d.removeExtraWhitespaces)
        while (!input.empty() && input.front() == ' ')
            input.remove_prefix(1);
    std::string out;
    if (input.empty())
        return out;
    const std::string space = d.escapeWhitespaces ? kSpaceSymbol : " ";
    if (d.addDummyPrefix)
        out += space;
    bool previousSpace = d.removeExtraWhitespaces;
    while (!input.empty()) {
        bool userDefined = false;
        const size_t length = prefixLength(input, &userDefined);
        // A byte that starts no character reads as U+FFFD, as in the library.
        std::string_view unit = userDefined || utf8CharLength(input) ? input.substr(0, length)
                                                                      : std::string_view(kReplacementChar);
        input.remove_prefix(length);
        while (previousSpace && !unit.empty() && unit.front() == ' ')
            unit.remove_prefix(1);
        if (!unit.empty()) {
            for (char c : unit)
                out += c == ' ' && d.escapeWhitespaces ? kSpaceSymbol : std::string(1, c);
            previousSpace = unit.back() == ' ';
        }
        previousSpace = previousSpace && d.removeExtraWhitespaces;
    }
    if (d.removeExtraWhitespaces)
        while (out.size() >= space.size() && out.compare(out.size() - space.size(), space.size(), space) == 0)
            out.resize(out.size() - space.size());
    return out;
}

std::vector<std::pair<std::string, int64_t>> SentencePieceModel::encodeBpe(const std::string &normalized) const
{
    const Data &d = *m_data;
    struct Symbol {
        size_t begin, length;
        int prev, next;
        bool frozen; // a user-defined piece: never merged
    };
    std::vector<Symbol> symbols;
    for (size_t at = 0; at < normalized.size();) {
        bool userDefined = false;
        const size_t length = prefixLength(std::string_view(normalized).substr(at), &userDefined);
        const int index = int(symbols.size());
        symbols.push_back({at, length, index - 1, at + length < normalized.size() ? index + 1 : -1, userDefined});
        at += length;
    }

    struct Pair {
        float score;
        int left, right;
        size_t length;
    };
    // Highest score first; the leftmost pair among equals.
    auto later = [](const Pair &a, const Pair &b) { return a.score < b.score || (a.score == b.score && a.left > b.left); };
    std::priority_queue<Pair, std::vector<Pair>, decltype(later)> agenda(later);
    // An unused piece is never output: it splits back into what formed it.
    std::map<std::string, std::pair<std::string, std::string>> formedFrom;
    auto text = [&](const Symbol &s) { return normalized.substr(s.begin, s.length); };
    auto consider = [&](int left, int right) {
        if (left < 0 || right < 0 || symbols[size_t(left)].frozen || symbols[size_t(right)].frozen)
            return;
        const Symbol &l = symbols[size_t(left)], &r = symbols[size_t(right)];
        const std::string merged = normalized.substr(l.begin, l.length + r.length);
        const auto it = d.textIds.find(merged);
        if (it == d.textIds.end())
            return;
        agenda.push({d.pieces[size_t(it->second)].score, left, right, merged.size()});
        if (d.pieces[size_t(it->second)].type == PieceType::Unused)
            formedFrom[merged] = {text(l), text(r)};
    };
    for (size_t i = 1; i < symbols.size(); ++i)
        consider(int(i) - 1, int(i));

    while (!agenda.empty()) {
        const Pair top = agenda.top();
        agenda.pop();
        Symbol &l = symbols[size_t(top.left)];
        Symbol &r = symbols[size_t(top.right)];
        // Stale: one side was merged into something else since.
        if (l.length == 0 || r.length == 0 || l.length + r.length != top.length)
            continue;
        l.length += r.length;
        r.length = 0;
        l.next = r.next;
        if (r.next >= 0)
            symbols[size_t(r.next)].prev = top.left;
        consider(l.prev, top.left);
        consider(top.left, l.next);
    }

    std::vector<std::pair<std::string, int64_t>> out;
    std::function<void(const std::string &)> emit = [&](const std::string &piece) {
        const int64_t id = d.pieceToId(piece);
        const auto it = formedFrom.find(piece);
        if (d.pieces[size_t(id)].type == PieceType::Unused && it != formedFrom.end()) {
            emit(it->second.first);
            emit(it->second.second);
        } else {
            out.emplace_back(piece, id);
        }
    };
    for (int i = symbols.empty() ? -1 : 0; i >= 0; i = symbols[size_t(i)].next)
        emit(text(symbols[size_t(i)]));
    return out;
}

std::vector<std::pair<std::string, int64_t>> SentencePieceModel::encodeUnigram(const std::string &normalized) const
{
    const Data &d = *m_data;
    struct Node {
        int64_t id = -1;
        float score = 0; // of the best segmentation ending here
        int64_t startsAt = -1;
    };
    const size_t n = normalized.size();
    const float unknownScore = d.minScore - kUnknownPenalty;
    std::vector<Node> best(n + 1);
    for (size_t start = 0; start < n;) {
        const float before = best[start].score;
        const size_t charLength = std::min(n - start, std::max<size_t>(1, utf8CharLength(std::string_view(normalized).substr(start))));
        bool coversChar = false;
        auto offer = [&](size_t end, int64_t id, float score) {
            Node &node = best[end];
            const float total = score + before;
            if (node.startsAt < 0 || total > node.score)
                node = {id, total, int64_t(start)};
        };
        for (size_t end = start + 1; end <= std::min(n, start + d.longestPiece); ++end) {
            const auto it = d.textIds.find(normalized.substr(start, end - start));
            if (it == d.textIds.end())
                continue;
            const Piece &p = d.pieces[size_t(it->second)];
            if (p.type == PieceType::Unused)
                continue;
            // A user-defined piece always wins over pieces inside it.
            offer(end, it->second,
                  p.type == PieceType::UserDefined ? float(end - start) * d.maxScore - 0.1f : p.score);
            coversChar |= end - start == charLength;
        }
        if (!coversChar)
            offer(start + charLength, d.unk, unknownScore);
        start += charLength;
    }
    std::vector<std::pair<std::string, int64_t>> out;
    for (size_t end = n; end > 0;) {
        const Node &node = best[end];
        out.emplace_back(normalized.substr(size_t(node.startsAt), end - size_t(node.startsAt)), node.id);
        end = size_t(node.startsAt);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::vector<int64_t> SentencePieceModel::encode(const std::string &text) const
{
    const Data &d = *m_data;
    const std::string normalized = normalize(text);
    std::vector<int64_t> ids;
    bool previousUnknown = false;
    for (const auto &[piece, id] : d.bpe ? encodeBpe(normalized) : encodeUnigram(normalized)) {
        const bool unknown = id == d.unk;
        if (unknown && d.byteFallback) {
            for (unsigned char b : piece)
                ids.push_back(d.byteIds[b]);
        } else if (!(unknown && previousUnknown)) { // a run of unknown characters is one <unk>
            ids.push_back(id);
        }
        previousUnknown = unknown;
    }
    return ids;
}

std::string SentencePieceModel::decode(const std::vector<int64_t> &ids) const
{
    const Data &d = *m_data;
    std::string out, bytes;
    // Byte pieces join into characters; a byte that forms none reads as U+FFFD.
    auto flushBytes = [&] {
        std::string_view rest = bytes;
        while (!rest.empty()) {
            const size_t length = utf8CharLength(rest);
            out += length ? std::string(rest.substr(0, length)) : kReplacementChar;
            rest.remove_prefix(std::max<size_t>(1, length));
        }
        bytes.clear();
    };
    bool atStart = true; // no text yet: a "▁" here is the dummy prefix's
    for (int64_t id : ids) {
        if (id < 0 || id >= size())
            continue;
        const Piece &p = d.pieces[size_t(id)];
        if (p.type == PieceType::Byte) {
            bytes += char(std::strtol(p.text.c_str() + 3, nullptr, 16));
            atStart = false;
            continue;
        }
        flushBytes();
        if (p.type == PieceType::Control)
            continue;
        if (p.type == PieceType::Unknown) {
            out += d.unkSurface;
            atStart = false;
            continue;
        }
        std::string_view piece = p.text;
        if (atStart && (d.addDummyPrefix || d.removeExtraWhitespaces) && piece.substr(0, kSpaceSymbol.size()) == kSpaceSymbol)
            piece.remove_prefix(kSpaceSymbol.size());
        // Where extra spaces are removed, every leading lone "▁" goes.
        atStart = atStart && d.removeExtraWhitespaces && piece.empty();
        for (size_t at = 0; at < piece.size();) {
            if (piece.substr(at, kSpaceSymbol.size()) == kSpaceSymbol) {
                out += ' ';
                at += kSpaceSymbol.size();
            } else {
                out += piece[at++];
            }
        }
    }
    flushBytes();
    return out;
}

} // namespace cosw
