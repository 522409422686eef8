// The engine's own JSON: safetensors headers, checkpoint configs and every
// --json output go through it.

#include "TestSupport.h"

#include "model/Errors.h"
#include "model/Json.h"

using cosw::Json;

class TestJson : public QObject {
    Q_OBJECT
private slots:
    void parsesEveryType()
    {
        // (Plain literals: moc cannot read raw strings.)
        Json j = Json::parse("{\"a\": 1, \"b\": -2.5e3, \"c\": \"x\\n\\u00e9\\ud83d\\ude00\", "
                             "\"d\": [true, false, null], \"e\": {}, \"f\": [], \"g\": 9007199254740993}");
        QCOMPARE(j.find("a")->asInt(), 1);
        QVERIFY(j.find("a")->isInteger());
        QCOMPARE(j.find("b")->asDouble(), -2500.0);
        QVERIFY(!j.find("b")->isInteger());
        QCOMPARE(j.find("c")->asString(), std::string("x\n\xc3\xa9\xf0\x9f\x98\x80"));
        QCOMPARE(j.find("d")->size(), size_t(3));
        QVERIFY(j.find("d")->asArray()[2].isNull());
        QVERIFY(j.find("e")->isObject());
        QVERIFY(j.find("f")->isArray());
        // Integers beyond 2^53 survive (tensor offsets can be that large).
        QCOMPARE(j.find("g")->asInt(), int64_t(9007199254740993LL));
        QVERIFY(j.find("missing") == nullptr);
    }

    void roundTripsThroughDump()
    {
        const std::string text = "{\"name\":\"q\\\"uo\\\\te;%\",\"n\":[1,2.5,-3],"
                                 "\"nested\":{\"ok\":true,\"none\":null},\"real\":1.0}";
        Json j = Json::parse(text);
        QCOMPARE(j.dump(), text);
        QCOMPARE(Json::parse(j.dump(2)), j);
        // A real stays a real when written and read back.
        QVERIFY(!Json::parse(Json(3.0).dump()).isInteger());
    }

    void keepsKeyOrderAndLines()
    {
        Json j = Json::parse("{\n  \"z\": 1,\n  \"a\": {\n    \"b\": 2\n  }\n}");
        QCOMPARE(j.asObject()[0].first, std::string("z"));
        QCOMPARE(j.find("z")->line(), 2);
        QCOMPARE(j.find("a")->find("b")->line(), 4);
    }

    void rejectsMalformedInputWithPosition_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("trailing") << "{} x" << "src:1:4: unexpected text";
        QTest::newRow("unterminated") << "{\"a\": \"b" << "unterminated string";
        QTest::newRow("duplicate") << "{\"a\": 1,\n \"a\": 2}" << "src:2:";
        QTest::newRow("bad number") << "[1.2.3]" << "malformed number";
        QTest::newRow("missing comma") << "[1 2]" << "expected ',' or ']'";
        QTest::newRow("empty") << "" << "unexpected end of input";
        QTest::newRow("bad escape") << "\"\\q\"" << "unknown escape";
        QTest::newRow("lone surrogate") << "\"\\ud800\"" << "surrogate";
    }
    void rejectsMalformedInputWithPosition()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::string message = cosw::test::thrownMessage<cosw::InputError>(
            [&] { Json::parse(text.toStdString(), "src"); });
        QVERIFY2(QString::fromStdString(message).contains(expected), message.c_str());
    }

    void parseFileNamesTheMissingFile()
    {
        const std::string message = cosw::test::thrownMessage<cosw::InputError>(
            [] { Json::parseFile("/nonexistent/model.json"); });
        QVERIFY(QString::fromStdString(message).startsWith("/nonexistent/model.json"));
    }
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"
