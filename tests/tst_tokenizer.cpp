// Conversation templates frame turns as LLaVA's do, and the default one
// as the workbench always has; a checkpoint's tokenizer is read back.

#include "HfFixtures.h"
#include "TestSupport.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "data/Tokenizer.h"
#include "text/Conversation.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <filesystem>

using namespace cosw;

namespace {

std::string words(const Tokenizer &t, const std::vector<int64_t> &ids)
{
    std::string out;
    for (int64_t id : ids)
        out += (out.empty() ? "" : " ") + (id == kImageTokenId ? std::string("<image>") : t.token(id));
    return out;
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void templatesFrameTheTurns()
    {
        const Tokenizer t = WordTokenizer::build({"a chat between a curious user and an artificial intelligence "
                                                  "assistant. the assistant gives helpful, detailed, and polite "
                                                  "answers to the user's questions.",
                                                  "what is here? a coat. and there? a bag."});
        const std::vector<ConversationTurn> turns{{"what is here?", "a coat.", ""}, {"and there?", "a bag.", ""}};
        const TextEncoder encode = t.encoder();

        // The default: what the workbench has always trained on.
        const ConversationTokens standard = conversationTokens(encode, turns, t.eosId());
        QCOMPARE(words(t, standard.ids), std::string("user : <image> what is here ? assistant : a coat . </s> "
                                                     "user : and there ? assistant : a bag . </s>"));
        QCOMPARE(promptTokens(encode, "what is here?"), std::vector<int64_t>(standard.ids.begin(), standard.ids.begin() + 9));

        // vicuna_v1: the system prompt once, before the first turn.
        const ConversationTemplate &vicuna = *conversationTemplate("vicuna_v1");
        const ConversationTokens chat = conversationTokens(encode, turns, t.eosId(), true, TurnLayout::Conversation, vicuna);
        const std::string chatWords = words(t, chat.ids);
        QVERIFY2(chatWords.rfind("a chat between a curious user", 0) == 0, chatWords.c_str());
        QVERIFY2(chatWords.find("questions . user : <image> what is here ? assistant : a coat . </s> user : and there ?")
                     != std::string::npos,
                 chatWords.c_str());
        const std::vector<int64_t> prompt = promptTokens(encode, "what is here?", true, vicuna);
        QVERIFY(std::equal(prompt.begin(), prompt.end(), chat.ids.begin()));

        // plain: the image, then the answer; no prompt, no roles.
        const ConversationTemplate &plain = *conversationTemplate("plain");
        const ConversationTokens caption = conversationTokens(encode, {turns[0]}, t.eosId(), true, TurnLayout::Conversation, plain);
        QCOMPARE(words(t, caption.ids), std::string("<image> a coat . </s>"));
        QCOMPARE(promptTokens(encode, "what is here?", true, plain), std::vector<int64_t>{kImageTokenId});
        // The loss covers the answer and </s> in every template.
        for (const ConversationTokens *c : {&standard, &chat, &caption}) {
            int64_t counted = 0;
            for (int64_t label : c->labels)
                counted += label != kIgnoreLabel;
            QCOMPARE(counted, int64_t(c == &caption ? 4 : 8));
        }
        // Independent turns in a template: the system prompt in the shared context.
        const ConversationTokens apart = conversationTokens(encode, turns, t.eosId(), true, TurnLayout::Independent, vicuna);
        QVERIFY2(words(t, apart.ids).rfind("a chat between", 0) == 0, words(t, apart.ids).c_str());
        QCOMPARE(apart.segments.front(), int64_t(0));

        QVERIFY(conversationTemplate("chatml") == nullptr);
        // The word tokenizer starts sequences with no <s>, as it always has.
        QCOMPARE(t.frame(vicuna).bos, int64_t(-1));
    }

    // A pretrained LM's tokenizer.model: a part's leading space is the
    // dummy prefix, sequences start with <s>, and a checkpoint keeps the
    // model byte for byte.
    void sentencePieceModelsFrameConversations()
    {
        const QString dir = m_dir.filePath("pieces");
        const QString trained = test::hf::writeTokenizerModel(dir);
        QVERIFY2(trained.isEmpty(), qPrintable(trained));
        const Tokenizer t = Tokenizer::loadFrom(dir.toStdString());
        QVERIFY(t.words() == nullptr);
        QCOMPARE(t.vocabSize(), int64_t(test::hf::kTokenizerVocab));
        QCOMPARE(t.eosId(), int64_t(2));
        QCOMPARE(t.padId(), int64_t(0)); // no <pad>: <unk>, as LLaVA pads LLaMA
        QCOMPARE(t.token(1), std::string("<s>"));

        const TextEncoder encode = t.encoder();
        QCOMPARE(encode(" bag"), encode("bag"));
        QVERIFY(t.token(encode(" bag").front()).rfind("\xE2\x96\x81", 0) == 0); // "▁" starts the word
        QCOMPARE(t.decode(encode("how many bag are there?")), std::string("how many bag are there?"));
        // Characters no piece covers go through bytes and come back whole.
        QCOMPARE(t.decode(encode("ein Hut für 5 €")), std::string("ein Hut für 5 €"));

        const ConversationTemplate form = t.frame(*conversationTemplate("default"));
        QCOMPARE(form.bos, int64_t(1));
        const std::vector<ConversationTurn> turns{{"is there a bag?", "yes", ""}, {"how many coat are there?", "2", ""}};
        const ConversationTokens chat = conversationTokens(encode, turns, t.eosId(), true, TurnLayout::Conversation, form);
        QCOMPARE(chat.ids.front(), int64_t(1));
        QCOMPARE(std::count(chat.ids.begin(), chat.ids.end(), int64_t(1)), 1L); // once, not per turn
        const std::vector<int64_t> prompt = promptTokens(encode, "is there a bag?", true, form);
        QVERIFY(std::equal(prompt.begin(), prompt.end(), chat.ids.begin()));
        std::vector<int64_t> answer = encode("yes");
        answer.push_back(t.eosId());
        QCOMPARE(std::vector<int64_t>(chat.ids.begin() + int64_t(prompt.size()), chat.ids.begin() + int64_t(prompt.size() + answer.size())),
                 answer);
        std::vector<int64_t> learned;
        for (int64_t label : chat.labels)
            if (label != kIgnoreLabel)
                learned.push_back(label);
        std::vector<int64_t> expected = answer;
        for (int64_t id : encode("2"))
            expected.push_back(id);
        expected.push_back(t.eosId());
        QCOMPARE(learned, expected);
        const ConversationTokens apart = conversationTokens(encode, turns, t.eosId(), true, TurnLayout::Independent, form);
        QCOMPARE(apart.ids.front(), int64_t(1));

        const QString copy = m_dir.filePath("pieces-copy");
        QVERIFY(QDir().mkpath(copy));
        t.saveInto(copy.toStdString());
        QCOMPARE(test::readFile(copy + "/tokenizer.model"), test::readFile(dir + "/tokenizer.model"));

        const std::string none = test::thrownMessage<InputError>([&] { Tokenizer::loadFrom(m_dir.filePath("nothing-here").toStdString()); });
        QVERIFY2(none.find("nothing-here") != std::string::npos && none.find("tokenizer.model") != std::string::npos, none.c_str());
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
