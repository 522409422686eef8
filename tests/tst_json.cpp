// JSON goes through nlohmann's library; these tests hold what the workbench
// adds to it and relies on: errors with file, line and column, refused
// duplicate keys, the line of every value, key order, and exact numbers.

#include "TestSupport.h"

#include "base/Errors.h"
#include "base/Json.h"

#include <QtTest>

using cosw::Json;
using cosw::JsonLines;
using cosw::parseJson;

class TestJson : public QObject {
    Q_OBJECT
private slots:
    void parsesEveryType()
    {
        // (Plain literals: moc cannot read raw strings.)
        Json j = parseJson("{\"a\": 1, \"b\": -2.5e3, \"c\": \"x\\n\\u00e9\\ud83d\\ude00\", "
                           "\"d\": [true, false, null], \"e\": {}, \"f\": [], \"g\": 9007199254740993}");
        QCOMPARE(j.at("a").get<int64_t>(), int64_t(1));
        QVERIFY(j.at("a").is_number_integer());
        QCOMPARE(j.at("b").get<double>(), -2500.0);
        QVERIFY(!j.at("b").is_number_integer());
        QCOMPARE(j.at("c").get<std::string>(), std::string("x\n\xc3\xa9\xf0\x9f\x98\x80"));
        QCOMPARE(j.at("d").size(), size_t(3));
        QVERIFY(j.at("d").at(2).is_null());
        QVERIFY(j.at("e").is_object());
        QVERIFY(j.at("f").is_array());
        // Integers beyond 2^53 survive (tensor offsets can be that large).
        QCOMPARE(j.at("g").get<int64_t>(), int64_t(9007199254740993LL));
        QVERIFY(cosw::findKey(j, "missing") == nullptr);
        QVERIFY(cosw::findKey(j.at("d"), "a") == nullptr);
        QCOMPARE(std::string(cosw::jsonTypeName(j.at("a"))), std::string("integer"));
        QCOMPARE(std::string(cosw::jsonTypeName(j.at("b"))), std::string("number"));
        QCOMPARE(std::string(cosw::jsonTypeName(j.at("e"))), std::string("mapping"));
    }

    void roundTripsThroughDump()
    {
        const std::string text = "{\"name\":\"q\\\"uo\\\\te;%\",\"n\":[1,2.5,-3],"
                                 "\"nested\":{\"ok\":true,\"none\":null},\"real\":1.0}";
        Json j = parseJson(text);
        QCOMPARE(j.dump(), text);
        QCOMPARE(parseJson(j.dump(2)), j);
        // A real stays a real when written and read back.
        QVERIFY(!parseJson(Json(3.0).dump()).is_number_integer());
    }

    void keepsKeyOrderAndLines()
    {
        JsonLines lines;
        Json j = parseJson("{\n  \"z\": 1,\n  \"a\": {\n    \"b\": 2\n  },\n  \"list\": [\n    3,\n    {\"c\": 4}\n  ]\n}",
                           "src", &lines);
        QCOMPARE(j.begin().key(), std::string("z"));
        QCOMPARE(lines.at(""), 1);
        QCOMPARE(lines.at("z"), 2);
        QCOMPARE(lines.at("a"), 3);
        QCOMPARE(lines.at("a.b"), 4);
        QCOMPARE(lines.at("list"), 6);
        QCOMPARE(lines.at("list[0]"), 7);
        QCOMPARE(lines.at("list[1].c"), 8);
        QCOMPARE(lines.size(), size_t(8));
    }

    void rejectsMalformedInputWithPosition_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("trailing") << "{} x" << "src:1:4: ";
        QTest::newRow("unterminated") << "{\"a\": \"b" << "missing closing quote";
        QTest::newRow("duplicate") << "{\"a\": 1,\n \"a\": 2}" << "src:2: duplicate key \"a\"";
        QTest::newRow("bad number") << "[1.2.3]" << "src:1:";
        QTest::newRow("missing comma") << "[1\n 2]" << "src:2:2: ";
        QTest::newRow("empty") << "" << "unexpected end of input";
        QTest::newRow("bad escape") << "\"\\q\"" << "after backslash";
        QTest::newRow("lone surrogate") << "\"\\ud800\"" << "surrogate";
        // The library would stop reading at a NUL and accept "[1,".
        QTest::newRow("nul") << QString("[1,") + QChar(0) + "2]" << "src:1:4: a NUL character is not JSON";
    }
    void rejectsMalformedInputWithPosition()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::string message = cosw::test::thrownMessage<cosw::InputError>(
            [&] { parseJson(text.toStdString(), "src"); });
        QVERIFY2(QString::fromStdString(message).contains(expected), message.c_str());
        // The library's own prefix is not shown to users.
        QVERIFY2(!QString::fromStdString(message).contains("json.exception"), message.c_str());
    }

    void parseFileNamesTheMissingFile()
    {
        const std::string message = cosw::test::thrownMessage<cosw::InputError>(
            [] { cosw::parseJsonFile("/nonexistent/model.json"); });
        QVERIFY(QString::fromStdString(message).startsWith("/nonexistent/model.json"));
    }
};

QTEST_APPLESS_MAIN(TestJson)
#include "tst_json.moc"
