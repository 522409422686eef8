// The workbench's SentencePiece reader against the SentencePiece library
// itself: tiny models trained by the library (BPE and unigram, byte
// fallback on and off, LLaMA's whitespace rules and the defaults,
// user-defined and control pieces), then the same texts encoded and the same
// ids decoded by both. This suite links the library and not LibTorch (the
// two cannot share a process), which is why the engine has its own reader.

#include "base/Errors.h"
#include "text/SentencePieceModel.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <QTemporaryDir>
#include <QTest>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

using namespace cosw;

namespace {

// Deterministic on every platform, unlike the standard distributions.
class Draw {
public:
    explicit Draw(uint64_t seed) : m_state(seed * 2654435761u + 1) {}
    size_t below(size_t n)
    {
        m_state = m_state * 6364136223846793005ull + 1442695040888963407ull;
        return size_t((m_state >> 33) % n);
    }

private:
    uint64_t m_state;
};

const std::vector<std::string> kWords = {
    "the", "a", "bag", "coat", "sneaker", "trouser", "shirt", "dress", "row", "column", "nothing", "left", "of",
    "right", "how", "many", "are", "there", "is", "yes", "no", "what", "at", "USER:", "ASSISTANT:", "1", "2", "12",
    "2048", "café", "naïve", "über", "日本", "中文", "图像", "?", ".", ",", "<image>", "bags", "coats", "one"};

std::string sentence(Draw &draw, size_t words)
{
    std::string out;
    for (size_t i = 0; i < words; ++i)
        out += (i ? " " : "") + kWords[draw.below(kWords.size())];
    return out;
}

// Texts that stress what the two must agree on: spaces (leading, repeated,
// trailing), newlines and tabs, characters no piece covers, malformed
// UTF-8, user-defined and control pieces written into the text.
std::vector<std::string> probeTexts()
{
    std::vector<std::string> texts = {
        "", " ", "   ", "hello", " hello", "hello ", "  two  spaces  ", "USER: <image>\nWhat is at row 1 column 2?",
        "tab\there", "line\n\nbreak", "emoji 🙂 and ß", "bad \xff byte", "\xe2\x82 cut", "<s>a</s>", "<ctl> <sep>x",
        "<image><image>", "日本語のテキスト", "nothingnothing", "2048 12 1", "caféCAFÉ", "\xe2\x96\x81 already",
    };
    Draw draw(7);
    const std::vector<std::string> extras = {" ", "  ", "\n", "\t", "🙂", "ß", "<sep>", "Ж", "\xff", "x"};
    for (int i = 0; i < 300; ++i) {
        std::string text = sentence(draw, 1 + draw.below(12));
        for (size_t k = draw.below(4); k > 0; --k) {
            const size_t at = draw.below(text.size() + 1);
            text.insert(at, extras[draw.below(extras.size())]);
        }
        texts.push_back(text);
    }
    return texts;
}

template <typename Id>
std::string listed(const std::vector<Id> &ids)
{
    std::string out;
    for (Id id : ids)
        out += (out.empty() ? "" : " ") + std::to_string(id);
    return "[" + out + "]";
}

} // namespace

class TestSentencePiece : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_corpus;

    std::string train(const std::string &name, const std::string &options)
    {
        std::string file = name;
        for (char &c : file)
            c = std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
        const std::string prefix = m_dir.filePath(QString::fromStdString(file)).toStdString();
        const auto status = sentencepiece::SentencePieceTrainer::Train(
            "--input=" + m_corpus + " --model_prefix=" + prefix + " --minloglevel=2 --num_threads=1 " + options);
        if (!status.ok())
            qFatal("training %s failed: %s", name.c_str(), status.ToString().c_str());
        return prefix + ".model";
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_corpus = m_dir.filePath("corpus.txt").toStdString();
        std::ofstream out(m_corpus);
        Draw draw(1);
        for (int i = 0; i < 3000; ++i)
            out << sentence(draw, 3 + draw.below(10)) << "\n";
    }

    void encodesAndDecodesAsTheLibrary_data()
    {
        QTest::addColumn<QString>("options");
        // LLaMA's tokenizer.model: BPE, identity, spaces kept as written, bytes for the rest.
        QTest::newRow("llama bpe") << "--model_type=bpe --vocab_size=420 --normalization_rule_name=identity "
                                      "--byte_fallback=true --remove_extra_whitespaces=false --split_digits=true "
                                      "--character_coverage=0.995 --allow_whitespace_only_pieces=true";
        QTest::newRow("bpe, extra spaces removed, <unk>")
            << "--model_type=bpe --vocab_size=200 --normalization_rule_name=identity "
               "--user_defined_symbols=<image>,<sep> --control_symbols=<ctl> --character_coverage=0.98";
        QTest::newRow("unigram with bytes") << "--model_type=unigram --vocab_size=360 --normalization_rule_name=identity "
                                                "--byte_fallback=true --user_defined_symbols=<image>,<sep> "
                                                "--pad_id=3 --unk_id=0 --bos_id=1 --eos_id=2";
        QTest::newRow("unigram without a dummy prefix")
            << "--model_type=unigram --vocab_size=120 --normalization_rule_name=identity --add_dummy_prefix=false "
               "--remove_extra_whitespaces=false --character_coverage=0.98";
    }

    void encodesAndDecodesAsTheLibrary()
    {
        QFETCH(QString, options);
        const std::string path = train(QTest::currentDataTag(), options.toStdString());
        sentencepiece::SentencePieceProcessor library;
        QVERIFY(library.Load(path).ok());
        const SentencePieceModel ours = SentencePieceModel::load(path);

        QCOMPARE(ours.size(), int64_t(library.GetPieceSize()));
        QCOMPARE(ours.unkId(), int64_t(library.unk_id()));
        QCOMPARE(ours.bosId(), int64_t(library.bos_id()));
        QCOMPARE(ours.eosId(), int64_t(library.eos_id()));
        QCOMPARE(ours.padId(), int64_t(library.pad_id()));
        for (int i = 0; i < library.GetPieceSize(); ++i) {
            QCOMPARE(ours.piece(i).text, library.IdToPiece(i));
            QCOMPARE(ours.piece(i).score, library.GetScore(i));
            QCOMPARE(ours.id(library.IdToPiece(i)), int64_t(i));
        }

        for (const std::string &text : probeTexts()) {
            std::vector<int> expected;
            QVERIFY(library.Encode(text, &expected).ok());
            const std::vector<int64_t> got = ours.encode(text);
            QVERIFY2(std::vector<int64_t>(expected.begin(), expected.end()) == got,
                     ("encoding '" + text + "': " + listed(expected) + " from the library, " + listed(got)).c_str());
            std::string decoded;
            QVERIFY(library.Decode(expected, &decoded).ok());
            QVERIFY2(ours.decode(got) == decoded, ("decoding '" + text + "' -> '" + decoded + "'").c_str());
        }

        // Any ids at all, bytes that form no character and specials among them.
        Draw draw(3);
        for (int i = 0; i < 300; ++i) {
            std::vector<int> ids(1 + draw.below(8));
            for (int &id : ids)
                id = int(draw.below(size_t(library.GetPieceSize())));
            std::string decoded;
            QVERIFY(library.Decode(ids, &decoded).ok());
            QCOMPARE(ours.decode(std::vector<int64_t>(ids.begin(), ids.end())), decoded);
        }
    }

    void refusesWhatItCannotApplyExactly()
    {
        auto refusal = [](auto &&read) -> std::string {
            try {
                read();
            } catch (const InputError &e) {
                return e.what();
            }
            return "accepted";
        };
        // The library's default normalizer carries a precompiled NFKC map.
        const std::string nfkc = train("nfkc", "--model_type=bpe --vocab_size=200");
        const std::string why = refusal([&] { SentencePieceModel::load(nfkc); });
        QVERIFY2(why.find(nfkc) != std::string::npos && why.find("nmt_nfkc") != std::string::npos
                     && why.find("identity") != std::string::npos,
                 why.c_str());
        const std::string chars = train("chars", "--model_type=char --normalization_rule_name=identity");
        QVERIFY2(refusal([&] { SentencePieceModel::load(chars); }).find("character model") != std::string::npos,
                 chars.c_str());

        // Cut short, or not a model at all: named, with where it broke.
        std::ifstream in(nfkc, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::string cut = refusal([&] { SentencePieceModel::parse(bytes.substr(0, bytes.size() / 2), "cut.model"); });
        QVERIFY2(cut.rfind("cut.model: not a SentencePiece model (", 0) == 0, cut.c_str());
        const std::string json = refusal([&] { SentencePieceModel::parse("{\"model\": {}}", "tokenizer.json"); });
        QVERIFY2(json.rfind("tokenizer.json: not a SentencePiece model", 0) == 0, json.c_str());
        QVERIFY2(refusal([&] { SentencePieceModel::load(m_dir.filePath("absent.model").toStdString()); })
                         .find("absent.model: cannot open file") != std::string::npos,
                 "a missing file is named");
    }
};

QTEST_APPLESS_MAIN(TestSentencePiece)
#include "tst_sentencepiece.moc"
