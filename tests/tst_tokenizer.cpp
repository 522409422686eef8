// Conversation templates frame turns as LLaVA's do, and the default one
// as the workbench always has; a checkpoint's tokenizer is read back.

#include "TestSupport.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "data/Tokenizer.h"
#include "text/Conversation.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace cosw;

namespace {

std::string words(const Tokenizer &t, const std::vector<int64_t> &ids)
{
    std::string out;
    for (int64_t id : ids)
        out += (out.empty() ? "" : " ") + (id == kImageTokenId ? std::string("<image>") : t.words().token(id));
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
    }
};

QTEST_APPLESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
