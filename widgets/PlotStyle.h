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

} // namespace cosw
