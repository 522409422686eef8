// cos-workbench: the desktop workbench (launcher, run queue, live monitor).
// Exit status: 0 success, 2 bad arguments, 1 a failure.

#include "AttentionView.h"
#include "CompareView.h"
#include "MainWindow.h"
#include "Screenshot.h"
#include "WorkbenchSettings.h"
#include "facade/BlasKernel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include <clocale>
#include <cstdio>
#include <optional>

namespace {

int usageError(const QString &message)
{
    std::fprintf(stderr, "cos-workbench: %s\nTry 'cos-workbench --help'.\n", qPrintable(message));
    return 2;
}

// Screenshots, --help and --version need no screen: without a display they
// render offscreen instead of failing to open one.
void renderOffscreenWithoutDisplay(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY")
        || qEnvironmentVariableIsSet("WAYLAND_DISPLAY"))
        return;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--screenshot" || arg.startsWith("--screenshot=") || arg == "--help" || arg == "-h"
            || arg == "--version" || arg == "-v") {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            return;
        }
    }
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
    // The user's language, else English: the English file holds the plural
    // forms ("1 token", "80 tokens") the source strings leave open.
    QTranslator translator;
    if (translator.load(QLocale(), "cos-workbench", "_", ":/i18n")
        || translator.load(QLocale(QLocale::English), "cos-workbench", "_", ":/i18n"))
        QApplication::installTranslator(&translator);

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
    parser.addOptions({db, view, run, image, question, screenshot});
    if (!parser.parse(QApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet("help"))
        parser.showHelp(0);
    if (parser.isSet("version")) {
        std::printf("cos-workbench %s\nBLAS: %s\n", COS_VERSION, cosw::blasSummary(cosw::blasInfo()).c_str());
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

    QSettings stored;
    cosw::WorkbenchSettings settings = cosw::WorkbenchSettings::load(stored);
    if (parser.isSet(db))
        settings.databasePath = QFileInfo(parser.value(db)).absoluteFilePath();

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
