#pragma once
// A SentencePiece model (tokenizer.model, as LLaMA, Vicuna and Mistral ship
// it), read and applied by the workbench itself. Debian's SentencePiece
// library brings its own protobuf runtime, which clashes with LibTorch's in
// one process, so the engine reads the model's protobuf wire format and
// encodes as the library does (tests/tst_sentencepiece checks every case
// against the library, in a process without LibTorch):
//   - normalization: the identity rule (what those models use): an optional
//     "▁" prefix, extra spaces removed where the model asks, spaces written
//     as "▁", user-defined pieces kept whole. Models that carry a
//     precompiled character map (nmt_nfkc and friends) are refused.
//   - BPE: start from characters, merge the adjacent pair whose union is the
//     highest-scoring piece (leftmost on ties) until none is left.
//   - unigram: the segmentation of highest total piece score (Viterbi).
//   - characters no piece covers become <unk>, or their UTF-8 bytes
//     (<0x41> ...) when the model has byte fallback.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cosw {

class SentencePieceModel {
public:
    // ModelProto.SentencePiece.Type
    enum class PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };
    struct Piece {
        std::string text; // with "▁" for a space
        float score = 0;
        PieceType type = PieceType::Normal;
    };

    // InputError naming `path` when it cannot be read or is not a model this
    // reader applies exactly (and why).
    static SentencePieceModel load(const std::string &path);
    // The same for a model held in memory; `source` names it in errors.
    static SentencePieceModel parse(std::string bytes, const std::string &source);

    // No <s> or </s> is added.
    std::vector<int64_t> encode(const std::string &text) const;
    // The pieces' text with "▁" as spaces (the first one's dropped where the
    // model added it), byte pieces joined back into characters; control
    // pieces (<s>, </s>) give nothing. Ids outside the vocabulary (the image
    // placeholder) are skipped.
    std::string decode(const std::vector<int64_t> &ids) const;

    int64_t size() const;
    // Throws std::out_of_range outside [0, size()).
    const Piece &piece(int64_t id) const;
    // -1 when no piece has this text.
    int64_t id(const std::string &piece) const;
    // The model's special pieces; -1 where it has none (LLaMA has no <pad>).
    int64_t unkId() const;
    int64_t bosId() const;
    int64_t eosId() const;
    int64_t padId() const;
    // Whether encoding puts a "▁" before the text, so that a text's first
    // word is a piece as it would be after a space.
    bool addsDummyPrefix() const;
    // The file as read: what a checkpoint writes back unchanged.
    const std::string &bytes() const;

private:
    struct Data;
    explicit SentencePieceModel(std::shared_ptr<const Data> data);

    std::vector<std::pair<std::string, int64_t>> encodeBpe(const std::string &normalized) const;
    std::vector<std::pair<std::string, int64_t>> encodeUnigram(const std::string &normalized) const;
    std::string normalize(const std::string &text) const;
    // Length of the user-defined piece `text` starts with, else of its first
    // character (1 for a byte that starts none); `userDefined` says which.
    size_t prefixLength(std::string_view text, bool *userDefined) const;

    // Shared and immutable, so copies are cheap.
    std::shared_ptr<const Data> m_data;
};

} // namespace cosw
