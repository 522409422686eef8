// cos-workbench: the desktop workbench (launcher, run queue, live monitor).
// Exit status: 0 success, 2 bad arguments, 1 a failure.

#include "AttentionView.h"
#include "CompareView.h"
#include "MainWindow.h"
#include "Screenshot.h"
#include "Translations.h"
#include "UserGuideDialog.h"
#include "WorkbenchSettings.h"
#include "facade/BlasKernel.h"
#include "facade/Devices.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>

#include <clocale>
#include <cstdio>
#include <initializer_list>
#include <optional>

namespace {

int usageError(const QString &message)
{
    std::fprintf(stderr, "cos-workbench: %s\nTry 'cos-workbench --help'.\n", qPrintable(message));
    return 2;
}

// Whether the command line holds one of `names` (also as --name=VALUE), and
// the value after it: some options act before the parser exists.
std::optional<QByteArray> earlyOption(int argc, char **argv, std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        for (const char *name : names) {
            if (arg == name)
                return i + 1 < argc ? QByteArray(argv[i + 1]) : QByteArray();
            if (arg.startsWith(QByteArray(name) + "="))
                return arg.mid(int(qstrlen(name)) + 1);
        }
    }
    return std::nullopt;
}

// Screenshots, --help and --version need no screen: without a display they
// render offscreen instead of failing to open one.
void renderOffscreenWithoutDisplay(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY")
        || qEnvironmentVariableIsSet("WAYLAND_DISPLAY"))
        return;
    if (earlyOption(argc, argv, {"--screenshot", "--help", "-h", "--version", "-v"}))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

} // namespace

int main(int argc, char **argv)
{
    cosw::ensureBlasKernel();
    renderOffscreenWithoutDisplay(argc, argv);
    QApplication app(argc, argv);
    // QApplication set LC_NUMERIC from the environment; every number the
    // engine reads or writes must stay in "C" notation (widgets format through
    // QLocale, which this does not touch).
    std::setlocale(LC_NUMERIC, "C");
    QApplication::setOrganizationName("cos-workbench");
    QApplication::setApplicationName("cos-workbench");
    QApplication::setApplicationVersion(COS_VERSION);
    // The installed menu entry's name, which Wayland matches windows by.
    QApplication::setDesktopFileName("org.cosworkbench.CoSWorkbench");
    QApplication::setWindowIcon(QIcon(":/icons/cos-workbench.svg"));
    // The language comes before the parser, whose help it translates:
    // --language, else the one chosen in Settings, else the system's.
    QSettings stored;
    cosw::WorkbenchSettings settings = cosw::WorkbenchSettings::load(stored);
    const std::optional<QByteArray> language = earlyOption(argc, argv, {"--language"});
    if (language && !cosw::isShippedLanguage(QString::fromUtf8(*language)))
        return usageError(QStringLiteral("--language '%1': expected en, de or zh_CN").arg(QString::fromUtf8(*language)));
    const QString chosenLanguage = language ? QString::fromUtf8(*language) : settings.language;
    cosw::installTranslations(app, chosenLanguage);
    cosw::shareLanguageWithEngine(chosenLanguage);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Research workbench for Chain-of-Sight multimodal pre-training"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db("db", QApplication::translate("main", "Experiment database (default: the settings')."),
                                "FILE");
    const QCommandLineOption view("view", QApplication::translate("main", "View to show: launcher, monitor, attention or compare."),
                                  "VIEW");
    const QCommandLineOption run("run",
                                 QApplication::translate("main", "Run to select in the run list (repeat to overlay runs)."),
                                 "ID");
    const QCommandLineOption image(
        "image", QApplication::translate("main", "Image the attention view encodes (default: the run's first "
                                                 "evaluation image)."),
        "FILE");
    const QCommandLineOption question(
        "question", QApplication::translate("main", "Question the attention view asks about the image."), "TEXT");
    const QCommandLineOption screenshot(
        "screenshot", QApplication::translate("main", "Save the window as a PNG and exit."), "FILE");
    const QCommandLineOption languageOption(
        "language", QApplication::translate("main", "Language of the window: en, de or zh_CN (default: the settings', "
                                                    "else the system's)."),
        "CODE");
    parser.addOptions({db, view, run, image, question, screenshot, languageOption});
    if (!parser.parse(QApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet("help"))
        parser.showHelp(0);
    if (parser.isSet("version")) {
        const QString guide = cosw::UserGuideDialog::guidePath();
        std::printf("cos-workbench %s\nQt %s, LibTorch %s\nBLAS: %s\nPresets: %s\nUser guide: %s\n", COS_VERSION, qVersion(),
                    cosw::libtorchVersion().c_str(), cosw::blasSummary(cosw::blasInfo()).c_str(),
                    qPrintable(cosw::MainWindow::presetDirectory()), guide.isEmpty() ? "not installed" : qPrintable(guide));
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QApplication::translate("main", "unexpected argument '%1'")
                              .arg(parser.positionalArguments().front()));

    std::optional<cosw::MainWindow::View> shownView;
    if (parser.isSet(view)) {
        const QString name = parser.value(view);
        if (name == "launcher")
            shownView = cosw::MainWindow::View::Launcher;
        else if (name == "monitor")
            shownView = cosw::MainWindow::View::Monitor;
        else if (name == "attention")
            shownView = cosw::MainWindow::View::Attention;
        else if (name == "compare")
            shownView = cosw::MainWindow::View::Compare;
        else
            return usageError(
                QApplication::translate("main", "--view '%1': expected launcher, monitor, attention or compare").arg(name));
    }
    QList<qint64> runIds;
    for (const QString &value : parser.values(run)) {
        bool ok = false;
        const qint64 id = value.toLongLong(&ok);
        if (!ok || id <= 0)
            return usageError(QApplication::translate("main", "--run '%1': expected a run id").arg(value));
        runIds.append(id);
    }

    if (parser.isSet(db))
        settings.databasePath = settings.sessionStore = QFileInfo(parser.value(db)).absoluteFilePath();

    cosw::MainWindow window(settings);
    if (parser.isSet(screenshot))
        return cosw::renderScreenshot(window, shownView.value_or(cosw::MainWindow::View::Launcher), runIds,
                                      parser.value(screenshot),
                                      parser.isSet(image) ? QFileInfo(parser.value(image)).absoluteFilePath() : QString(),
                                      parser.value(question));
    window.show();
    if (shownView)
        window.showView(*shownView);
    if (parser.isSet(image))
        window.attention()->openImage(QFileInfo(parser.value(image)).absoluteFilePath());
    if (shownView == cosw::MainWindow::View::Compare && !runIds.isEmpty())
        window.compare()->setSource(cosw::CompareView::Source::Selected);
    if (!runIds.isEmpty())
        QObject::connect(&window, &cosw::MainWindow::runsRefreshed, &window,
                         [&window, runIds] { window.selectRuns(runIds); }, Qt::SingleShotConnection);
    return QApplication::exec();
}
