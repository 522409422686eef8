#include "PlotExport.h"

#include <qcustomplot.h>

#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QSvgGenerator>

namespace cosw {

QString askPlotFile(QWidget *parent, const QString &title)
{
    const QString png = QCoreApplication::translate("cosw::PlotExport", "PNG image (*.png)"),
                  pdf = QCoreApplication::translate("cosw::PlotExport", "PDF document (*.pdf)"),
                  svg = QCoreApplication::translate("cosw::PlotExport", "SVG drawing (*.svg)");
    QString filter = png;
    QString file = QFileDialog::getSaveFileName(parent, title, QString(), QStringList{png, pdf, svg}.join(";;"), &filter);
    if (!file.isEmpty() && QFileInfo(file).suffix().isEmpty())
        file += filter == pdf ? ".pdf" : filter == svg ? ".svg" : ".png";
    return file;
}

QSize exportCellSize(const QCustomPlot *plot, QSize fallback)
{
    const QSize own = plot->size();
    return own.width() < 200 || own.height() < 150 ? fallback : own;
}

bool exportPlots(const std::vector<QCustomPlot *> &plots, int columns, QSize cell, const QString &file,
                 const QString &title)
{
    if (plots.empty() || columns < 1)
        return false;
    const int rows = int((plots.size() + size_t(columns) - 1) / size_t(columns));
    const QSize total(cell.width() * std::min<int>(columns, int(plots.size())), cell.height() * rows);
    const QString suffix = QFileInfo(file).suffix().toLower();
    auto paint = [&](QPaintDevice *device, bool vector) {
        QCPPainter painter(device);
        if (!painter.isActive())
            return false;
        if (vector)
            painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        for (size_t i = 0; i < plots.size(); ++i) {
            painter.save();
            painter.translate(int(i % size_t(columns)) * cell.width(), int(i / size_t(columns)) * cell.height());
            plots[i]->toPainter(&painter, cell.width(), cell.height());
            painter.restore();
        }
        return true;
    };
    if (suffix == "png") {
        QImage image(total, QImage::Format_ARGB32);
        image.fill(Qt::white);
        return paint(&image, false) && image.save(file, "PNG");
    }
    if (suffix == "pdf") {
        QPdfWriter writer(file);
        writer.setResolution(72); // one pixel of the charts is one point of the page
        writer.setPageSize(QPageSize(QSizeF(total), QPageSize::Point));
        writer.setPageMargins(QMarginsF());
        writer.setCreator(QStringLiteral("CoS Workbench"));
        writer.setTitle(title);
        return paint(&writer, true);
    }
    if (suffix == "svg") {
        QSvgGenerator generator;
        generator.setFileName(file);
        generator.setSize(total);
        generator.setViewBox(QRect(QPoint(), total));
        generator.setTitle(title);
        return paint(&generator, true);
    }
    return false;
}

} // namespace cosw
