#include "Screenshot.h"

#include "AttentionView.h"
#include "CompareView.h"
#include "MonitorView.h"
#include "RunTableModel.h"

#include <QEventLoop>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

namespace cosw {

namespace {

// Runs the event loop until `signal` of `sender` fires or `timeoutMs` pass.
template <typename Sender, typename Signal>
bool waitFor(Sender *sender, Signal signal, int timeoutMs)
{
    QEventLoop loop;
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

} // namespace

int renderScreenshot(MainWindow &window, MainWindow::View view, const QList<qint64> &runIds, const QString &file,
                     const QString &image, const QString &question)
{
    window.resize(1500, 950);
    window.show();
    window.showView(view);
    if (!waitFor(&window, &MainWindow::runsRefreshed, 20000)) {
        std::fprintf(stderr, "cos-workbench: the store %s did not answer\n", qPrintable(window.settings().databasePath));
        return 1;
    }
    for (qint64 id : runIds) {
        if (window.runModel()->rowOf(id) < 0) {
            std::fprintf(stderr, "cos-workbench: no run %lld in %s\n", static_cast<long long>(id),
                         qPrintable(window.settings().databasePath));
            return 2;
        }
    }
    QString refused;
    QObject::connect(window.attention(), &AttentionView::failed, &window, [&](const QString &m) { refused = m; });
    if (view == MainWindow::View::Attention && !image.isEmpty())
        window.attention()->openImage(image);
    if (view == MainWindow::View::Compare && !runIds.isEmpty())
        window.compare()->setSource(CompareView::Source::Selected);
    window.selectRuns(runIds);
    if (view == MainWindow::View::Compare && !window.compare()->hasAnswer()
        && !waitFor(window.compare(), &CompareView::updated, 20000)) {
        std::fprintf(stderr, "cos-workbench: the store %s did not answer\n", qPrintable(window.settings().databasePath));
        return 1;
    }
    // Waits for the attention view's `signal`; false when it refused something.
    auto attentionShows = [&](auto signal) {
        QEventLoop loop;
        QObject::connect(window.attention(), signal, &loop, &QEventLoop::quit);
        QObject::connect(window.attention(), &AttentionView::failed, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        loop.exec();
        if (!refused.isEmpty())
            std::fprintf(stderr, "cos-workbench: %s\n", qPrintable(refused));
        return refused.isEmpty();
    };
    if (view == MainWindow::View::Attention && !runIds.isEmpty()) {
        if (!attentionShows(&AttentionView::shown))
            return 2;
        // An evaluation image's own question is asked as it opens; its answer
        // belongs in the picture.
        if (question.isEmpty() && window.attention()->isBusy() && !attentionShows(&AttentionView::answered))
            return 2;
        if (!question.isEmpty()) {
            window.attention()->ask(question);
            if (!attentionShows(&AttentionView::answered))
                return 2;
        }
    }
    // Every run's points arrive before the picture is taken.
    for (int shown = 0; view == MainWindow::View::Monitor && shown < runIds.size(); ++shown)
        if (!waitFor(window.monitor(), &MonitorView::runUpdated, 20000))
            break;
    // Queued replots and layouts happen in the next passes of the event loop.
    QEventLoop settle;
    QTimer::singleShot(200, &settle, &QEventLoop::quit);
    settle.exec();
    if (!window.grab().save(file, "PNG")) {
        std::fprintf(stderr, "cos-workbench: cannot write %s\n", qPrintable(file));
        return 1;
    }
    return 0;
}

} // namespace cosw
