// What a release ships: complete translations the programs load, help that
// reaches the user, and an installation that works from its own prefix.

#include "MainWindow.h"
#include "base/Messages.h"
#include "ProcessRun.h"
#include "ShortcutsDialog.h"
#include "Translations.h"
#include "UserGuideDialog.h"
#include "WorkbenchSettings.h"

#include <QAction>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTextBlock>
#include <QTextDocument>
#include <QXmlStreamReader>

namespace {

QString sourcePath(const QString &relative)
{
    return QDir(qEnvironmentVariable("COS_SOURCE_DIR")).filePath(relative);
}

struct TsMessage {
    QString context, source;
    QStringList forms; // one, or the plural forms
    bool unfinished = false;
    bool numerus = false;
};

QList<TsMessage> readTs(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file));
    QList<TsMessage> messages;
    QString context;
    QXmlStreamReader xml(&f);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"name") {
            context = xml.readElementText();
        } else if (xml.name() == u"message") {
            TsMessage message;
            message.context = context;
            message.numerus = xml.attributes().value("numerus") == u"yes";
            while (xml.readNextStartElement()) {
                if (xml.name() == u"source") {
                    message.source = xml.readElementText();
                } else if (xml.name() == u"translation") {
                    // unfinished, obsolete or vanished
                    message.unfinished = !xml.attributes().value("type").isEmpty();
                    if (message.numerus)
                        while (xml.readNextStartElement())
                            message.forms << xml.readElementText();
                    else
                        message.forms << xml.readElementText();
                } else {
                    xml.skipCurrentElement();
                }
            }
            messages << message;
        }
    }
    if (xml.hasError())
        qFatal("%s: %s", qPrintable(file), qPrintable(xml.errorString()));
    return messages;
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(R"(%L?\d+|%L?n)");
    QSet<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured().remove('L'));
    return found;
}

// The letter after a single '&' (the accelerator), or none.
QChar accelerator(const QString &text)
{
    for (int i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '&')
            continue;
        if (text[i + 1] == '&') {
            ++i;
            continue;
        }
        if (text[i + 1].isLetterOrNumber())
            return text[i + 1].toLower();
    }
    return {};
}

QString translationOf(const QString &language, const QString &context, const QString &source)
{
    for (const TsMessage &m : readTs(sourcePath("translations/cos-workbench_" + language + ".ts")))
        if (m.context == context && m.source == source)
            return m.forms.value(0);
    return {};
}

// One entry of a gettext catalogue: the English text (and its plural) and
// the translations, one per plural form.
struct PoEntry {
    QString id, idPlural;
    QStringList strings;
    bool fuzzy = false;
};

QList<PoEntry> readPo(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        qFatal("cannot read %s", qPrintable(file));
    QList<PoEntry> entries;
    PoEntry entry;
    QString *field = nullptr;
    bool fuzzy = false;
    auto finish = [&] {
        if (!entry.id.isEmpty())
            entries << entry;
        entry = PoEntry{};
        field = nullptr;
    };
    static const QRegularExpression quoted(R"re(^(msgid|msgid_plural|msgstr(?:\[\d\])?)\s+"(.*)"$)re");
    for (const QString &raw : QString::fromUtf8(f.readAll()).split('\n')) {
        const QString line = raw.trimmed();
        if (line.startsWith("#,") && line.contains("fuzzy"))
            fuzzy = true;
        const QRegularExpressionMatch m = quoted.match(line);
        const auto unescape = [](QString t) {
            return t.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
        };
        if (m.hasMatch()) {
            const QString key = m.captured(1);
            if (key == "msgid") {
                finish();
                entry.fuzzy = fuzzy;
                fuzzy = false;
                field = &entry.id;
            } else if (key == "msgid_plural") {
                field = &entry.idPlural;
            } else {
                entry.strings << QString();
                field = &entry.strings.last();
            }
            *field += unescape(m.captured(2));
        } else if (line.startsWith('"') && field) {
            *field += unescape(line.mid(1, line.size() - 2));
        }
    }
    finish();
    return entries;
}

QSet<QString> numberedPlaceholders(const QString &text)
{
    static const QRegularExpression re("%[1-9]");
    QSet<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured());
    return found;
}

bool writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

// An engine error (core/train/RunConfig.cpp) the user meets by giving a
// config that is not a mapping.
constexpr const char *kNotAMapping = "%1: a run config is a mapping with `model` and `stages`";

QProcessEnvironment inLanguage(const QString &locale, const QString &language)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("LC_ALL");
    env.remove("LC_MESSAGES");
    env.insert("LANG", locale);
    env.insert("LANGUAGE", language);
    return env;
}

QString poTranslation(const QString &language, const QString &english)
{
    for (const PoEntry &e : readPo(sourcePath("translations/cos-batch_" + language + ".po")))
        if (e.id == english)
            return e.strings.value(0);
    return {};
}

} // namespace

class TestRelease : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QProcessEnvironment guiEnvironment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_CONFIG_HOME", m_dir.filePath("config"));
        return env;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
    }

    // Every shipped language is complete: no unfinished string, the source's
    // placeholders and accelerator kept, the language's number of plural forms.
    void translationsAreComplete_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<int>("pluralForms");
        QTest::newRow("de") << "de" << 2;
        QTest::newRow("zh_CN") << "zh_CN" << 1;
    }
    void translationsAreComplete()
    {
        QFETCH(QString, language);
        QFETCH(int, pluralForms);
        const QList<TsMessage> messages = readTs(sourcePath("translations/cos-workbench_" + language + ".ts"));
        const QList<TsMessage> english = readTs(sourcePath("translations/cos-workbench_en.ts"));
        QCOMPARE(messages.size(), english.size());
        QVERIFY(messages.size() > 400);
        QStringList problems;
        for (const TsMessage &m : messages) {
            const QString where = m.context + " \"" + m.source + "\"";
            if (m.unfinished)
                problems << "unfinished: " + where;
            if (m.forms.size() != (m.numerus ? pluralForms : 1))
                problems << QStringLiteral("%1 forms: ").arg(m.forms.size()) + where;
            for (const QString &form : m.forms) {
                if (form.trimmed().isEmpty())
                    problems << "empty: " + where;
                // A plural form may leave %n out where the language says "one" in words.
                QSet<QString> expected = placeholders(m.source), got = placeholders(form);
                if (m.numerus && m.forms.size() > 1 && &form == &m.forms.front())
                    expected.remove("%n"), got.remove("%n");
                if (expected != got)
                    problems << "placeholders differ: " + where + " -> " + form;
                if (accelerator(m.source).isNull() != accelerator(form).isNull())
                    problems << "accelerator: " + where + " -> " + form;
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));

        // English carries only the plural forms the source strings leave open.
        for (const TsMessage &m : english)
            if (m.numerus)
                QVERIFY2(m.forms.size() == 2 && !m.forms[0].isEmpty() && !m.forms[1].isEmpty(), qPrintable(m.source));
    }

    // The compiled translations are in the program: --language picks one, the
    // help is in it, and the window renders in it.
    void programSpeaksEachLanguage_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("de") << "de";
        QTest::newRow("zh_CN") << "zh_CN";
    }
    void programSpeaksEachLanguage()
    {
        QFETCH(QString, language);
        const QString program = qEnvironmentVariable("COS_WORKBENCH");
        QVERIFY2(!program.isEmpty(), "run through ctest: COS_WORKBENCH is not set");
        const QString description =
            translationOf(language, "main", "Research workbench for Chain-of-Sight multimodal pre-training");
        QVERIFY(!description.isEmpty());
        const cosw::test::Finished help = cosw::test::runProcess(program, {"--language", language, "--help"}, guiEnvironment());
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains(description), qPrintable(help.out));

        const QString shot = m_dir.filePath("launcher-" + language + ".png");
        const cosw::test::Finished screenshot =
            cosw::test::runProcess(program, {"--db", m_dir.filePath("empty.sqlite"), "--language", language, "--screenshot", shot},
                       guiEnvironment());
        QVERIFY2(screenshot.exitCode == 0, qPrintable(screenshot.err));
        const QImage image(shot);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1500, 950));

        const cosw::test::Finished unknown = cosw::test::runProcess(program, {"--language", "xx", "--help"}, guiEnvironment());
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("--language 'xx'"));
    }


    // cos-batch's catalogues hold every message of the template, none fuzzy,
    // with the template's placeholders and the language's plural forms.
    void batchMessagesAreComplete_data() { translationsAreComplete_data(); }
    void batchMessagesAreComplete()
    {
        QFETCH(QString, language);
        QFETCH(int, pluralForms);
        const QList<PoEntry> templ = readPo(sourcePath("translations/cos-batch.pot"));
        QVERIFY(templ.size() > 150);
        QHash<QString, PoEntry> translated;
        for (const PoEntry &e : readPo(sourcePath("translations/cos-batch_" + language + ".po")))
            translated.insert(e.id, e);
        QStringList problems;
        for (const PoEntry &t : templ) {
            const auto it = translated.constFind(t.id);
            if (it == translated.cend()) {
                problems << "missing: " + t.id;
                continue;
            }
            if (it->fuzzy)
                problems << "fuzzy: " + t.id;
            if (it->strings.size() != (t.idPlural.isEmpty() ? 1 : pluralForms))
                problems << QStringLiteral("%1 forms: ").arg(it->strings.size()) + t.id;
            for (const QString &form : it->strings) {
                if (form.isEmpty())
                    problems << "untranslated: " + t.id;
                else if (numberedPlaceholders(form) != numberedPlaceholders(t.id))
                    problems << "placeholders differ: " + t.id + " -> " + form;
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    }

    // The user's locale picks the language of help and messages; numbers stay
    // in the "C" notation.
    void batchSpeaksTheUsersLanguage_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("language");
        QTest::newRow("de") << "de_DE.UTF-8" << "de";
        QTest::newRow("zh_CN") << "zh_CN.UTF-8" << "zh_CN";
    }
    void batchSpeaksTheUsersLanguage()
    {
        QFETCH(QString, locale);
        QFETCH(QString, language);
        const QString program = qEnvironmentVariable("COS_BATCH");
        QVERIFY2(!program.isEmpty(), "run through ctest: COS_BATCH is not set");
        const QString description = poTranslation(language, "CoS Workbench headless tool: Chain-of-Sight models, scaling and runs");
        QVERIFY(!description.isEmpty());
        const cosw::test::Finished help = cosw::test::runProcess(program, {"--help"}, inLanguage(locale, language));
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains(description), qPrintable(help.out));
        QVERIFY2(help.out.contains(poTranslation(language, "Usage") + ":"), qPrintable(help.out));

        const QString db = m_dir.filePath("empty-" + language + ".sqlite");
        const cosw::test::Finished list = cosw::test::runProcess(program, {"list", "--db", db}, inLanguage(locale, language));
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out.trimmed(), poTranslation(language, "no runs in %1").replace("%1", QFileInfo(db).absoluteFilePath()));

        // Without a translation for the locale the messages stay English.
        const cosw::test::Finished english = cosw::test::runProcess(program, {"--help"}, inLanguage("C.UTF-8", ""));
        QVERIFY(english.out.contains("CoS Workbench headless tool"));

        // The engine's errors too: a config that is not a mapping.
        const QString bad = m_dir.filePath("not-a-mapping-" + language + ".yaml");
        QVERIFY(writeText(bad, "[1, 2]\n"));
        const cosw::test::Finished refused = cosw::test::runProcess(program, {"inspect", bad}, inLanguage(locale, language));
        QCOMPARE(refused.exitCode, 2);
        const QString reason = poTranslation(language, kNotAMapping);
        QVERIFY(!reason.isEmpty());
        QVERIFY2(refused.err.contains(QString(reason).replace("%1", bad)), qPrintable(refused.err));
    }

    // A language chosen in the window (Settings or --language) reaches the
    // engine's messages it shows and the cos-batch runs it starts, also on a
    // machine whose locale is "C".
    void windowLanguageReachesEngineAndRuns()
    {
        const QString program = qEnvironmentVariable("COS_BATCH");
        QVERIFY2(!program.isEmpty(), "run through ctest: COS_BATCH is not set");
        const QStringList variables = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
        QHash<QString, QByteArray> saved;
        for (const QString &v : variables)
            saved.insert(v, qgetenv(v.toUtf8()));
        qunsetenv("LC_ALL");
        qunsetenv("LC_MESSAGES");
        qputenv("LANG", "C");

        cosw::shareLanguageWithEngine("de");
        const QString german = poTranslation("de", kNotAMapping);
        QCOMPARE(QString::fromUtf8(cosw::msg(kNotAMapping)), german);
        const QString bad = m_dir.filePath("not-a-mapping.yaml");
        QVERIFY(writeText(bad, "[1, 2]\n"));
        const cosw::test::Finished child = cosw::test::runProcess(program, {"inspect", bad});
        QCOMPARE(child.exitCode, 2);
        QVERIFY2(child.err.contains(QString(german).replace("%1", bad)), qPrintable(child.err));

        cosw::shareLanguageWithEngine("en");
        QCOMPARE(QString::fromUtf8(cosw::msg(kNotAMapping)), QString(kNotAMapping));
        for (const QString &v : variables) {
            if (saved.value(v).isNull())
                qunsetenv(v.toUtf8());
            else
                qputenv(v.toUtf8(), saved.value(v));
        }
        cosw::shareLanguageWithEngine({});
    }

    // Every msg() text of the sources is in the template the catalogues are
    // merged from (`--target cos-batch_pot` re-extracts it): a new message
    // cannot slip out untranslated.
    void batchTemplateIsCurrent()
    {
        QStringList sources;
        for (const QString &dir : {QString("app/cos-batch"), QString("core")})
            for (QDirIterator it(sourcePath(dir), {"*.cpp", "*.h"}, QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
                sources << it.next();
        const QString fresh = m_dir.filePath("fresh.pot");
        const cosw::test::Finished extracted = cosw::test::runProcess(
            "xgettext", QStringList{"--from-code=UTF-8", "--language=C++", "--keyword=msg", "--keyword=msgn:1,2",
                                    "--no-location", "--output=" + fresh} + sources);
        QVERIFY2(extracted.exitCode == 0, qPrintable(extracted.err));
        QSet<QString> inSources, inTemplate;
        for (const PoEntry &e : readPo(fresh))
            inSources.insert(e.id);
        for (const PoEntry &e : readPo(sourcePath("translations/cos-batch.pot")))
            inTemplate.insert(e.id);
        inSources.remove({});
        inTemplate.remove({});
        const QSet<QString> missing = inSources - inTemplate, stale = inTemplate - inSources;
        QVERIFY2(missing.isEmpty(), qPrintable("not in translations/cos-batch.pot:\n" + QStringList(missing.begin(), missing.end()).join('\n')));
        QVERIFY2(stale.isEmpty(), qPrintable("no longer in the sources:\n" + QStringList(stale.begin(), stale.end()).join('\n')));
    }

    void languageSettingRoundTrips()
    {
        QSettings settings(m_dir.filePath("settings.ini"), QSettings::IniFormat);
        cosw::WorkbenchSettings chosen = cosw::WorkbenchSettings::defaults();
        chosen.language = "zh_CN";
        chosen.save(settings);
        QCOMPARE(cosw::WorkbenchSettings::load(settings).language, QString("zh_CN"));
        // A language this build does not ship falls back to the system's.
        settings.setValue("workbench/language", "tlh");
        QCOMPARE(cosw::WorkbenchSettings::load(settings).language, QString());
        QVERIFY(cosw::isShippedLanguage(""));
        QVERIFY(cosw::isShippedLanguage("de"));
        QVERIFY(!cosw::isShippedLanguage("fr"));
    }

    // Help: the menu's entries, a shortcut list that holds every shortcut
    // once, and the guide rendered with its pictures.
    void helpMenuReachesGuideShortcutsAndAbout()
    {
        cosw::WorkbenchSettings settings = cosw::WorkbenchSettings::defaults();
        settings.databasePath = m_dir.filePath("help.sqlite");
        settings.dataDirectory = m_dir.path();
        cosw::MainWindow window(settings);
        QMenu *help = nullptr;
        for (QAction *action : window.menuBar()->actions())
            if (action->menu() && action->text() == "&Help")
                help = action->menu();
        QVERIFY(help);
        QStringList entries;
        for (QAction *action : help->actions())
            if (!action->isSeparator())
                entries << action->text();
        QCOMPARE(entries, QStringList({"&User guide", "&Keyboard shortcuts", "&About CoS Workbench", "About &Qt"}));

        const QString about = window.aboutText();
        QVERIFY(about.contains(COS_VERSION));
        QVERIFY(about.contains(QString::fromLatin1(qVersion())));
        QVERIFY(about.contains("LibTorch 1.") || about.contains("LibTorch 2."));
        QVERIFY(about.contains("CPU"));

        cosw::ShortcutsDialog shortcuts(&window);
        QTableWidget *table = shortcuts.table();
        QSet<QString> keys;
        QStringList actions;
        for (int row = 0; row < table->rowCount(); ++row) {
            const QString key = table->item(row, 0)->text();
            QVERIFY2(!keys.contains(key), qPrintable("two actions share " + key));
            keys.insert(key);
            actions << table->item(row, 1)->text();
            QVERIFY(!table->item(row, 2)->text().isEmpty());
        }
        for (const QString expected : {"Launch", "Cancel", "Resume", "User guide", "Keyboard shortcuts", "Quit"})
            QVERIFY2(actions.contains(expected), qPrintable(actions.join(", ")));

        const QString guide = cosw::UserGuideDialog::guidePath();
        QCOMPARE(QFileInfo(guide).canonicalFilePath(), QFileInfo(sourcePath("docs/USER-GUIDE.md")).canonicalFilePath());
        cosw::UserGuideDialog dialog;
        QTextDocument *doc = dialog.browser()->document();
        QVERIFY(doc->toPlainText().contains("Chain-of-Sight"));
        // Every picture the guide shows exists beside it.
        QStringList images;
        for (QTextBlock block = doc->begin(); block.isValid(); block = block.next())
            for (auto it = block.begin(); !it.atEnd(); ++it)
                if (it.fragment().charFormat().isImageFormat())
                    images << it.fragment().charFormat().toImageFormat().name();
        QVERIFY(images.size() >= 4);
        for (const QString &image : images)
            QVERIFY2(QFileInfo::exists(QFileInfo(guide).dir().filePath(image)), qPrintable(image));
    }

    // `cmake --install` into a staging root: the programs run from there and
    // find their presets and guide under that prefix, not in the build tree;
    // the desktop entry and the AppStream entry validate.
    void installedProgramsRunFromTheirPrefix()
    {
        const QString staging = m_dir.filePath("staging");
        QProcessEnvironment env = guiEnvironment();
        env.insert("DESTDIR", staging);
        const cosw::test::Finished install =
            cosw::test::runProcess("cmake", {"--install", qEnvironmentVariable("COS_BINARY_DIR"), "--prefix", "/usr"}, env, {}, 300000);
        QVERIFY2(install.exitCode == 0, qPrintable(install.err + install.out));
        const QDir usr(staging + "/usr");
        const QString id = "org.cosworkbench.CoSWorkbench";
        for (const QString file : {"bin/cos-batch", "bin/cos-workbench", "bin/cos-enginebench",
                                   "share/cos-workbench/configs/quickstart.yaml", "share/doc/cos-workbench/USER-GUIDE.md",
                                   "share/doc/cos-workbench/copyright", "share/doc/cos-workbench/changelog.gz",
                                   "share/man/man1/cos-batch.1.gz", "share/man/man1/cos-workbench.1.gz",
                                   "share/man/man1/cos-enginebench.1.gz"})
            QVERIFY2(QFileInfo::exists(usr.filePath(file)), qPrintable(file));
        QVERIFY(QFileInfo::exists(usr.filePath("share/applications/" + id + ".desktop")));
        QVERIFY(QFileInfo::exists(usr.filePath("share/metainfo/" + id + ".metainfo.xml")));
        QVERIFY(QFileInfo::exists(usr.filePath("share/icons/hicolor/scalable/apps/" + id + ".svg")));
        for (int size : {16, 24, 32, 48, 64, 128, 256}) {
            const QImage icon(usr.filePath(QStringLiteral("share/icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(id)));
            QCOMPARE(icon.size(), QSize(size, size));
        }

        for (const QString language : {"de", "zh_CN"})
            QVERIFY(QFileInfo::exists(usr.filePath("share/locale/" + language + "/LC_MESSAGES/cos-batch.mo")));
        const cosw::test::Finished german = cosw::test::runProcess(usr.filePath("bin/cos-batch"), {"--help"}, inLanguage("de_DE.UTF-8", "de"));
        QVERIFY2(german.out.contains(poTranslation("de", "Usage") + ":"), qPrintable(german.out));

        const cosw::test::Finished version = cosw::test::runProcess(usr.filePath("bin/cos-batch"), {"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("cos-batch " COS_VERSION));
        const cosw::test::Finished inspect =
            cosw::test::runProcess(usr.filePath("bin/cos-batch"), {"inspect", usr.filePath("share/cos-workbench/configs/quickstart.yaml")});
        QVERIFY2(inspect.exitCode == 0, qPrintable(inspect.err));
        QVERIFY(inspect.out.contains("tokens"));

        const cosw::test::Finished workbench = cosw::test::runProcess(usr.filePath("bin/cos-workbench"), {"--version"}, guiEnvironment());
        QCOMPARE(workbench.exitCode, 0);
        const QString prefix = QFileInfo(usr.path()).canonicalFilePath();
        QVERIFY2(workbench.out.contains("Presets: " + prefix + "/share/cos-workbench/configs"), qPrintable(workbench.out));
        QVERIFY2(workbench.out.contains("User guide: " + prefix + "/share/doc/cos-workbench/USER-GUIDE.md"),
                 qPrintable(workbench.out));
        const QString shot = m_dir.filePath("installed.png");
        const cosw::test::Finished screenshot = cosw::test::runProcess(usr.filePath("bin/cos-workbench"),
                                               {"--db", m_dir.filePath("installed.sqlite"), "--screenshot", shot}, guiEnvironment());
        QVERIFY2(screenshot.exitCode == 0, qPrintable(screenshot.err));
        QVERIFY(!QImage(shot).isNull());

        const cosw::test::Finished desktop = cosw::test::runProcess("desktop-file-validate", {usr.filePath("share/applications/" + id + ".desktop")});
        QVERIFY2(desktop.exitCode == 0 && desktop.out.isEmpty(), qPrintable(desktop.out + desktop.err));
        const cosw::test::Finished appstream =
            cosw::test::runProcess("appstreamcli", {"validate", "--no-net", usr.filePath("share/metainfo/" + id + ".metainfo.xml")});
        QVERIFY2(appstream.exitCode == 0, qPrintable(appstream.out + appstream.err));
    }

    // The .deb: its dependencies found from the binaries, the desktop files
    // inside, and lintian without errors or warnings.
    void debianPackageIsLintianClean()
    {
        const QString out = m_dir.filePath("package");
        const cosw::test::Finished cpack = cosw::test::runProcess(
            "cpack", {"-G", "DEB", "-B", out, "--config", QDir(qEnvironmentVariable("COS_BINARY_DIR")).filePath("CPackConfig.cmake")},
            QProcessEnvironment::systemEnvironment(), {}, 600000);
        QVERIFY2(cpack.exitCode == 0, qPrintable(cpack.out + cpack.err));
        const QStringList debs = QDir(out).entryList({"cos-workbench_*.deb"}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        const QString deb = QDir(out).filePath(debs.front());

        const cosw::test::Finished depends = cosw::test::runProcess("dpkg-deb", {"--field", deb, "Depends"});
        for (const QString package : {"libtorch", "libqt6widgets6", "libqcustomplot", "libopencv-core", "libopenblas0-pthread",
                                      "dataset-fashion-mnist"})
            QVERIFY2(depends.out.contains(package), qPrintable(package + " missing from: " + depends.out));
        const cosw::test::Finished contents = cosw::test::runProcess("dpkg-deb", {"--contents", deb});
        for (const QString file : {"./usr/bin/cos-workbench", "./usr/bin/cos-batch", "./usr/share/applications/",
                                   "./usr/share/metainfo/", "./usr/share/man/man1/cos-batch.1.gz"})
            QVERIFY2(contents.out.contains(file), qPrintable(file));

        const cosw::test::Finished lintian = cosw::test::runProcess("lintian", {deb}, QProcessEnvironment::systemEnvironment(), {}, 600000);
        QStringList findings;
        for (const QString &line : lintian.out.split('\n'))
            if (line.startsWith("E:") || line.startsWith("W:"))
                findings << line;
        QVERIFY2(findings.isEmpty(), qPrintable(findings.join('\n')));
        QVERIFY2(lintian.exitCode == 0, qPrintable(lintian.out + lintian.err));
    }
};

QTEST_MAIN(TestRelease)
#include "tst_release.moc"
