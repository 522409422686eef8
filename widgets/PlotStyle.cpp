#include "PlotStyle.h"

namespace cosw {

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

} // namespace cosw
