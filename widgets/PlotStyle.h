#pragma once
// Colours and marker shapes the charts share, so one series looks the same
// in every view.

#include <qcustomplot.h>

#include <QColor>

#include <vector>

namespace cosw {

// Eight colours that stay apart on white and for common colour blindness.
const std::vector<QColor> &seriesPalette();
QColor seriesColor(size_t index); // cycles through the palette
QCPScatterStyle::ScatterShape seriesShape(size_t index); // cycles through filled-looking shapes

// Puts the plot's legend (an inset of its axis rect) in `preferred` and,
// at every replot, moves it to the corner of the axis rect that covers the
// fewest data points, so it does not hide the points it names while some
// corner is free; `preferred` wins ties.
void placeLegendClearOfData(QCustomPlot *plot, Qt::Alignment preferred);

} // namespace cosw
