#pragma once
// Charts written to a file as PNG, PDF or SVG, laid out in a grid, for every
// view that exports its plots (monitor, comparison dashboard, cos-batch compare --plot).

#include <QSize>
#include <QString>

#include <vector>

class QCustomPlot;
class QWidget;

namespace cosw {

// `plots` row by row, `columns` to a row, each drawn at `cell` pixels (a plot
// never shown has no size of its own). The format follows the file's suffix
// (png, pdf or svg); false for another suffix or a file that cannot be written.
bool exportPlots(const std::vector<QCustomPlot *> &plots, int columns, QSize cell, const QString &file,
                 const QString &title);

// The size to draw a plot at: its own when it has been laid out, else one
// that reads well on a page.
QSize exportCellSize(const QCustomPlot *plot, QSize fallback = QSize(560, 360));

// Asks where to save plots (PNG, PDF or SVG), adding the chosen filter's
// suffix to a name without one; empty when the user cancels.
QString askPlotFile(QWidget *parent, const QString &title);

} // namespace cosw
