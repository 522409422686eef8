#pragma once
// `cos-workbench --screenshot`: renders one view of the window into a PNG,
// for documentation and checks; works on the offscreen platform.

#include "MainWindow.h"

#include <QList>
#include <QString>

namespace cosw {

// Shows `view` (with `runIds` selected in the run list, once the store has
// answered; the attention view with `image`, or the run's first evaluation
// image, encoded, and `question` asked about it) and saves the window to `file`. Returns the exit status:
// 0 saved, 2 no such run or an image or checkpoint the attention view
// refused, 1 the store did not answer or the file cannot be written.
int renderScreenshot(MainWindow &window, MainWindow::View view, const QList<qint64> &runIds, const QString &file,
                     const QString &image = {}, const QString &question = {});

} // namespace cosw
