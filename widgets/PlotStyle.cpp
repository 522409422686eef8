#include "PlotStyle.h"

#include <cmath>

namespace cosw {

namespace {

// Pixel places of every visible data point of the plot's plottables.
std::vector<QPointF> dataPixels(QCustomPlot *plot)
{
    std::vector<QPointF> out;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable *p = plot->plottable(i);
        QCPPlottableInterface1D *data = p->visible() ? p->interface1D() : nullptr;
        if (!data)
            continue;
        for (int k = 0; k < data->dataCount(); ++k) {
            const double key = data->dataMainKey(k), value = data->dataMainValue(k);
            if (std::isfinite(key) && std::isfinite(value))
                out.push_back(p->coordsToPixels(key, value));
        }
    }
    return out;
}

QRect cornerRect(const QRect &area, const QSize &size, Qt::Alignment corner)
{
    const int x = corner & Qt::AlignLeft ? area.left() : area.right() - size.width() + 1;
    const int y = corner & Qt::AlignTop ? area.top() : area.bottom() - size.height() + 1;
    return QRect(QPoint(x, y), size);
}

} // namespace

const std::vector<QColor> &seriesPalette()
{
    static const std::vector<QColor> palette = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
                                                QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e),
                                                QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                                QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf)};
    return palette;
}

QColor seriesColor(size_t index) { return seriesPalette()[index % seriesPalette().size()]; }

QCPScatterStyle::ScatterShape seriesShape(size_t index)
{
    static const QCPScatterStyle::ScatterShape shapes[] = {QCPScatterStyle::ssDisc, QCPScatterStyle::ssSquare,
                                                           QCPScatterStyle::ssTriangle, QCPScatterStyle::ssDiamond,
                                                           QCPScatterStyle::ssTriangleInverted, QCPScatterStyle::ssStar,
                                                           QCPScatterStyle::ssCross, QCPScatterStyle::ssPlus};
    return shapes[index % std::size(shapes)];
}

void placeLegendClearOfData(QCustomPlot *plot, Qt::Alignment preferred)
{
    QCPLayoutInset *inset = plot->axisRect()->insetLayout();
    inset->setInsetAlignment(0, preferred);
    // After the layout and before drawing, the axis rect, the ranges and the
    // legend's size are this replot's, so the chosen corner is drawn at once.
    QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot, inset, preferred] {
        if (!plot->legend || !plot->legend->visible())
            return;
        const QRect area = plot->axisRect()->rect();
        const QSize size = plot->legend->outerRect().size();
        if (area.isEmpty() || size.isEmpty())
            return;
        const std::vector<QPointF> points = dataPixels(plot);
        constexpr int kMarkerPixels = 6; // a marker under the legend's edge is hidden too
        auto covered = [&](Qt::Alignment corner) {
            const QRectF r = QRectF(cornerRect(area, size, corner)).adjusted(-kMarkerPixels, -kMarkerPixels,
                                                                             kMarkerPixels, kMarkerPixels);
            return std::count_if(points.begin(), points.end(), [&](const QPointF &p) { return r.contains(p); });
        };
        Qt::Alignment best = preferred;
        auto fewest = covered(preferred);
        for (Qt::Alignment corner : {Qt::AlignTop | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft,
                                     Qt::AlignBottom | Qt::AlignRight, Qt::AlignBottom | Qt::AlignLeft}) {
            const auto n = covered(corner);
            if (n < fewest) {
                best = corner;
                fewest = n;
            }
        }
        if (best != inset->insetAlignment(0)) {
            inset->setInsetAlignment(0, best);
            inset->update(QCPLayoutElement::upLayout); // the legend's place, then its entries within it
        }
    });
}

} // namespace cosw
