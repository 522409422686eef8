#include "PerTypePlot.h"

#include "PlotStyle.h"

namespace cosw {

namespace {

QCPScatterStyle controlMark(const QPen &pen, double halfWidth)
{
    QPainterPath dash;
    dash.moveTo(-halfWidth, 0);
    dash.lineTo(halfWidth, 0);
    QCPScatterStyle style(dash, pen, Qt::NoBrush, 2 * halfWidth);
    return style;
}

} // namespace

PerTypePlot::PerTypePlot(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName("perTypePlot");
    legend->setVisible(true);
    legend->setFont(font());
    placeLegendClearOfData(this, Qt::AlignTop | Qt::AlignRight);
    yAxis->setLabel(tr("accuracy"));
    setMinimumSize(320, 240);
}

void PerTypePlot::showRows(const ComparisonTable &table, QList<int> rows)
{
    clearPlottables();
    if (rows.isEmpty())
        for (int r = 0; r < int(table.rowCount()) && r < kMaxRows; ++r)
            rows.append(r);
    if (rows.size() > kMaxRows)
        rows = rows.mid(0, kMaxRows);
    std::vector<std::string> types;
    for (const ComparisonColumn &c : table.availableColumns())
        if (c.key.rfind("accuracy.", 0) == 0)
            types.push_back(c.key.substr(9));

    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (size_t t = 0; t < types.size(); ++t)
        ticker->addTick(double(t), QString::fromStdString(types[t]));
    xAxis->setTicker(ticker);
    xAxis->setRange(-0.6, std::max<double>(double(types.size()) - 0.4, 0.6));
    yAxis->setRange(0, 1.05);

    const double width = 0.8 / std::max<qsizetype>(rows.size(), 1);
    QCPGraph *prior = addGraph(), *shuffled = addGraph();
    prior->setName(tr("type prior"));
    shuffled->setName(tr("shuffled images"));
    // The marks are as wide as a bar: the pixel width comes from the axis.
    const double halfPixels = std::max(4.0, 0.45 * width * axisRect()->width() / std::max(xAxis->range().size(), 1.0));
    for (QCPGraph *g : {prior, shuffled})
        g->setLineStyle(QCPGraph::lsNone);
    prior->setScatterStyle(controlMark(QPen(Qt::black, 2), halfPixels));
    shuffled->setScatterStyle(controlMark(QPen(QColor(120, 120, 120), 2, Qt::DotLine), halfPixels));

    m_bars = 0;
    for (int i = 0; i < rows.size(); ++i) {
        const int row = rows[i];
        auto *bars = new QCPBars(xAxis, yAxis);
        const QColor colour = seriesColor(size_t(i));
        bars->setPen(QPen(colour.darker(130)));
        bars->setBrush(colour);
        bars->setWidth(width * 0.95);
        bars->setName(QString::fromStdString(table.cell(size_t(row), 0).text));
        auto *errors = new QCPErrorBars(xAxis, yAxis);
        errors->setDataPlottable(bars);
        errors->removeFromLegend();
        for (size_t t = 0; t < types.size(); ++t) {
            const double x = double(t) + (i - (rows.size() - 1) / 2.0) * width;
            const Summary accuracy = table.summary(size_t(row), "accuracy." + types[t]);
            bars->addData(x, accuracy.mean.value_or(0));
            errors->addData(accuracy.sd.value_or(0));
            if (accuracy.mean)
                ++m_bars;
            if (const Summary s = table.summary(size_t(row), "type_prior." + types[t]); s.mean)
                prior->addData(x, *s.mean);
            if (const Summary s = table.summary(size_t(row), "shuffled." + types[t]); s.mean)
                shuffled->addData(x, *s.mean);
        }
    }
    legend->setVisible(!rows.isEmpty());
    replot();
}

} // namespace cosw
