// Numbers under a comma-decimal locale. CTest runs this suite with
// LC_ALL=de_DE.UTF-8 and does not reset LC_NUMERIC, so the engine's parsing
// and printing are exercised with the C library's locale in German: the
// JSON and YAML round trips keep every number bit-identical, the launcher
// reads a preset's learning rate as exactly 0.001 (and shows it as
// "0,001"), and a run launched from the launcher stores 0.001 in its config,
// with `cos-batch show --json` and `export` printing '.' decimals.

#include "LauncherView.h"
#include "LocaleNumber.h"
#include "MainWindow.h"
#include "RunQueue.h"
#include "RunTableModel.h"
#include "TestSupport.h"
#include "WorkbenchSettings.h"

#include "base/Json.h"
#include "base/Numbers.h"
#include "store/ExperimentStore.h"
#include "train/YamlLoader.h"
#include "train/YamlWriter.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QLineEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

using namespace cosw;

namespace {

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Values whose text form is easy to get wrong: exponents, inexact binary
// fractions, the extremes, a negative zero, the smallest subnormal.
const double kTrickyReals[] = {1e-3, 0.1, 1e300, -0.0, 0.0, 1.0, 2e-3, 123456.789, 1.0 / 3.0,
                               5e-324, std::numeric_limits<double>::max(), -2.5e-8, 1e21, 4503599627370497.0};
const int64_t kTrickyIntegers[] = {0, -1, 9007199254740993LL, std::numeric_limits<int64_t>::max(),
                                   std::numeric_limits<int64_t>::min()};

struct Output {
    int exitCode = -1;
    QString out, err;
};

Output runBatch(const QStringList &args)
{
    QProcess p;
    p.start(qEnvironmentVariable("COS_BATCH"), args);
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestLocale : public QObject {
    Q_OBJECT
public:
    // Before QTest starts: on a CPU OpenBLAS does not know, with the right kernel.
    static void initMain() { cosw::ensureBlasKernel(); }

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The premise of every test here: the C library formats with ','.
        // Without the generated locale the suite would prove nothing.
        const char *numeric = std::setlocale(LC_NUMERIC, nullptr);
        QVERIFY2(std::strcmp(std::localeconv()->decimal_point, ",") == 0,
                 qPrintable(QString("LC_NUMERIC is '%1', not a comma-decimal locale: run scripts/install-deps.sh "
                                    "(it generates de_DE.UTF-8) and run this suite through ctest")
                                .arg(numeric)));
        QCOMPARE(QLocale().decimalPoint(), QString(","));
        test::keepSettingsAndCachesIn(m_dir, "tst_locale");
    }

    void numbersParseAndPrintInTheClassicNotation()
    {
        QCOMPARE(parseReal("1.0e-3"), std::optional<double>(0.001));
        QCOMPARE(parseReal(".5"), std::optional<double>(0.5));
        QCOMPARE(parseReal("+2.5"), std::optional<double>(2.5));
        QVERIFY(!parseReal("1,5"));
        QVERIFY(!parseReal("1.0e-3x"));
        QVERIFY(!parseReal("1e400"));
        QVERIFY(!parseReal("nan"));
        QCOMPARE(parseInteger("-42"), std::optional<int64_t>(-42));
        QVERIFY(!parseInteger("9223372036854775808"));
        QCOMPARE(formatReal(0.001), std::string("0.001"));
        QCOMPARE(formatReal(-0.0), std::string("-0"));
        QCOMPARE(formatRealFixed(2.5, 2), std::string("2.50"));
        QCOMPARE(formatRealSignificant(0.123456789, 4), std::string("0.1235"));
    }

    void jsonRoundTripKeepsEveryBit()
    {
        Json list = Json::array();
        for (double v : kTrickyReals)
            list.push_back(Json(v));
        for (int64_t v : kTrickyIntegers)
            list.push_back(Json(v));
        const std::string text = list.dump();
        QVERIFY2(text.find("0.001") != std::string::npos, text.c_str());
        const Json back = parseJson(text);
        QCOMPARE(back.size(), list.size());
        size_t i = 0;
        for (double v : kTrickyReals) {
            const Json &got = back.at(i++);
            QVERIFY(got.is_number_float());
            QVERIFY2(sameBits(got.get<double>(), v), formatReal(v).c_str());
        }
        for (int64_t v : kTrickyIntegers) {
            const Json &got = back.at(i++);
            QVERIFY(got.is_number_integer());
            QCOMPARE(got.get<int64_t>(), v);
        }
    }

    void yamlRoundTripKeepsEveryBit()
    {
        Json tree = Json::object();
        for (size_t i = 0; i < std::size(kTrickyReals); ++i)
            tree["r" + std::to_string(i)] = Json(kTrickyReals[i]);
        for (size_t i = 0; i < std::size(kTrickyIntegers); ++i)
            tree["i" + std::to_string(i)] = Json(kTrickyIntegers[i]);
        const std::string text = toYaml(tree);
        QVERIFY2(text.find(',') == std::string::npos, text.c_str());
        const Json back = parseYaml(text, "tricky.yaml");
        for (size_t i = 0; i < std::size(kTrickyReals); ++i) {
            const Json *got = findKey(back, "r" + std::to_string(i));
            QVERIFY(got && got->is_number_float());
            QVERIFY2(sameBits(got->get<double>(), kTrickyReals[i]), formatReal(kTrickyReals[i]).c_str());
        }
        for (size_t i = 0; i < std::size(kTrickyIntegers); ++i)
            QCOMPARE(back.find("i" + std::to_string(i))->get<int64_t>(), kTrickyIntegers[i]);
        // The notation people write in configs.
        QVERIFY(sameBits(plainYamlValue("1.0e-3").get<double>(), 0.001));
        QVERIFY(sameBits(plainYamlValue("2.0E-3").get<double>(), 0.002));
        // Too large for a double: left as text, so the config reader names the key.
        QVERIFY(plainYamlValue("1e999").is_string());
    }

    void presetLearningRateIsExactlyOneThousandth()
    {
        LauncherView view;
        QString error;
        QVERIFY2(view.loadFile(test::sourcePath("tests/data/compound.yaml"), &error), qPrintable(error));
        for (int i = 0; i < 3; ++i) {
            const Json *lr = findKey(view.configTree().at("stages").at(size_t(i)), "lr");
            QVERIFY(lr && sameBits(lr->get<double>(), 0.001));
            // Shown in the user's locale, read back to the same value.
            auto *field = view.findChild<QLineEdit *>(QString("stages[%1].lr").arg(i));
            QVERIFY(field);
            QCOMPARE(field->text(), QString("0,001"));
            QVERIFY(sameBits(parseTypedNumber(field->text()).value(), 0.001));
        }
    }

    void typedLearningRateAcceptsTheLocaleSeparator_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<double>("stored");
        QTest::newRow("comma") << "0,0005" << 0.0005;
        QTest::newRow("point") << "0.0005" << 0.0005;
        QTest::newRow("exponent") << "5e-4" << 0.0005;
        QTest::newRow("comma exponent") << "2,5E-4" << 0.00025;
        QTest::newRow("spaces") << " 3e-3 " << 0.003;
    }

    void typedLearningRateAcceptsTheLocaleSeparator()
    {
        QFETCH(QString, typed);
        QFETCH(double, stored);
        LauncherView view;
        QString error;
        QVERIFY2(view.loadFile(test::sourcePath("tests/data/compound.yaml"), &error), qPrintable(error));
        auto *field = view.findChild<QLineEdit *>("stages[1].lr");
        QVERIFY(field);
        field->selectAll();
        QTest::keyClicks(field, typed);
        const Json *lr = findKey(view.configTree().at("stages").at(1), "lr");
        QVERIFY(lr && lr->is_number_float());
        QVERIFY2(sameBits(lr->get<double>(), stored), formatReal(lr->get<double>()).c_str());
        QVERIFY(view.isLaunchEnabled());
        // The YAML a run would read carries the exact value in "C" notation.
        const Json back = parseYaml(view.configYaml().toStdString(), "edited.yaml");
        QVERIFY(sameBits(findKey(back, "stages")->at(1).at("lr").get<double>(), stored));
    }

    // Every chart of the window (monitor, attention answer, comparison)
    // labels its ticks with the locale's decimal comma.
    void plotsLabelTicksInTheLocale()
    {
        WorkbenchSettings settings = WorkbenchSettings::defaults();
        settings.databasePath = m_dir.filePath("plots.sqlite");
        settings.dataDirectory = m_dir.path();
        MainWindow window(settings);
        const QList<QCustomPlot *> plots = window.findChildren<QCustomPlot *>();
        QVERIFY(plots.size() >= 6);
        for (QCustomPlot *plot : plots)
            QVERIFY2(plot->locale().toString(0.25) == "0,25", qPrintable(plot->objectName()));
    }

    void groupedOrForeignNumbersAreNotTakenForOthers()
    {
        // "1.000" is a thousand to a German reader and one in a config: the
        // launcher must not silently pick either when it cannot tell.
        QCOMPARE(parseTypedNumber("1.5"), std::optional<double>(1.5));
        QVERIFY(!parseTypedNumber("1.000,5"));
        QVERIFY(!parseTypedNumber("fast"));
    }

    void saveAndLoadKeepEveryNumberBitIdentical()
    {
        LauncherView view;
        QString error;
        QVERIFY2(view.loadFile(test::sourcePath("tests/data/compound.yaml"), &error), qPrintable(error));
        const QString path = m_dir.filePath("saved.yaml");
        QVERIFY2(view.saveYaml(path, &error), qPrintable(error));
        const QString saved = QString::fromUtf8(test::readFile(path));
        QVERIFY2(saved.contains("lr: 0.001") && !saved.contains("0,001"), qPrintable(saved));

        LauncherView loaded;
        QVERIFY2(loaded.loadFile(path, &error), qPrintable(error));
        // The dump is the shortest text of every double: equal dumps are equal bits.
        QCOMPARE(loaded.configTree().dump(), view.configTree().dump());
        const Json original = parseYaml(std::string(test::readFile(test::sourcePath("tests/data/compound.yaml"))),
                                        "compound.yaml");
        QCOMPARE(loaded.configTree().dump(), original.dump());
    }

    void launchedRunStoresTheExactLearningRate()
    {
        WorkbenchSettings settings;
        settings.databasePath = m_dir.filePath("runs.sqlite");
        settings.dataDirectory = m_dir.filePath("data");
        settings.threads = 1;
        MainWindow window(settings);
        QString error;
        QVERIFY2(window.launcher()->setConfigText(test::smallRunConfig(m_dir.filePath("fmnist"), 5), "test", &error),
                 qPrintable(error));
        QVERIFY2(window.launcher()->isLaunchEnabled(), qPrintable(window.launcher()->validationMessage()));
        window.launch(window.launcher()->configYaml(), window.launcher()->runName());
        QTRY_COMPARE_WITH_TIMEOUT(window.queue()->jobs().size(), 0, 240000);

        ExperimentStore store(settings.databasePath.toStdString());
        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(1));
        const RunDetail detail = store.run(runs.front().id);
        QCOMPARE(detail.run.status, RunStatus::Finished);
        const Json config = parseJson(detail.run.config);
        const Json &stages = config.at("stages");
        QVERIFY(sameBits(stages[1].at("lr").get<double>(), 0.002));
        QVERIFY(sameBits(stages[2].at("lr").get<double>(), 0.001));

        // cos-batch inherits LC_ALL=de_DE.UTF-8 from this process.
        const QString id = QString::number(runs.front().id);
        Output r = runBatch({"show", id, "--db", settings.databasePath, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const Json shown = parseJson(r.out.toStdString());
        QVERIFY(sameBits(findKey(shown, "config")->find("stages")->at(2).at("lr").get<double>(), 0.001));
        QVERIFY(findKey(shown, "stages")->at(1).at("wall_seconds").get<double>() > 0);

        r = runBatch({"show", id, "--db", settings.databasePath});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // The words are German now (the locale's language), the numbers stay "C".
        QVERIFY2(QRegularExpression(R"(Genauigkeit \d\.\d{4} ± \d\.\d{4} )").match(r.out).hasMatch(), qPrintable(r.out));
        QVERIFY2(QRegularExpression(R"(Loss \d+\.\d{4})").match(r.out).hasMatch(), qPrintable(r.out));
        QVERIFY2(!QRegularExpression(R"(\d,\d)").match(r.out).hasMatch(), qPrintable(r.out));

        r = runBatch({"export", "--db", settings.databasePath, "--format", "csv"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        // A decimal comma would add a column to the row.
        const QStringList header = test::csvFields(lines[0]), row = test::csvFields(lines[1]);
        QCOMPARE(row.size(), header.size());
        const int accuracyColumn = int(header.indexOf("accuracy"));
        QVERIFY(accuracyColumn > 0);
        bool ok = false;
        const double accuracy = QLocale::c().toDouble(row[accuracyColumn], &ok);
        QVERIFY2(ok && accuracy >= 0 && accuracy <= 1, qPrintable(lines[1]));

        r = runBatch({"export", "--db", settings.databasePath, "--format", "json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(parseJson(r.out.toStdString()).at(0).find("accuracy")->get<double>(), accuracy);
    }
};

QTEST_MAIN(TestLocale)
#include "tst_locale.moc"
