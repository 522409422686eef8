#include "TokenScalingPlot.h"

#include "PlotStyle.h"

#include <cmath>
#include <map>

namespace cosw {

TokenScalingPlot::TokenScalingPlot(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName("tokenScalingPlot");
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    legend->setVisible(true);
    legend->setFont(font());
    placeLegendClearOfData(this, Qt::AlignBottom | Qt::AlignRight);
    xAxis->setLabel(tr("fine-tuning visual tokens"));
    setMinimumSize(320, 240);
}

void TokenScalingPlot::showTable(const ComparisonTable &table)
{
    clearPlottables();
    const std::string metric = table.options().metric;
    QString metricTitle = QString::fromStdString(metric);
    for (const ComparisonColumn &c : table.availableColumns())
        if (c.key == metric)
            metricTitle = QString::fromStdString(c.header);
    yAxis->setLabel(metricTitle);

    struct Point {
        double x, y, sd;
    };
    std::map<std::pair<std::string, long>, std::vector<Point>> lines;
    for (size_t row = 0; row < table.rowCount(); ++row) {
        const Summary fine = table.summary(row, "finetune_tokens"), y = table.summary(row, metric);
        if (!fine.mean || !y.mean)
            continue;
        const Summary pre = table.summary(row, "pretrain_tokens");
        lines[{table.text(row, "connector"), pre.mean ? std::lround(*pre.mean) : -1}].push_back(
            {*fine.mean, *y.mean, y.sd.value_or(0)});
    }
    size_t index = 0;
    for (auto &[key, points] : lines) {
        std::sort(points.begin(), points.end(), [](const Point &a, const Point &b) { return a.x < b.x; });
        QCPGraph *graph = addGraph();
        const QColor colour = seriesColor(index);
        graph->setPen(QPen(colour, 1.5));
        graph->setScatterStyle(QCPScatterStyle(seriesShape(index), colour, colour, 8));
        graph->setName(key.second >= 0 ? tr("%1, pre-trained with %2 tokens").arg(QString::fromStdString(key.first)).arg(key.second)
                                       : QString::fromStdString(key.first));
        auto *bars = new QCPErrorBars(xAxis, yAxis);
        bars->setDataPlottable(graph);
        bars->setPen(QPen(colour));
        bars->removeFromLegend();
        for (const Point &p : points) {
            graph->addData(p.x, p.y);
            bars->addData(p.sd);
        }
        ++index;
    }
    m_lines = int(lines.size());
    legend->setVisible(m_lines > 0);
    rescaleAxes(true);
    const QCPRange x = xAxis->range(), y = yAxis->range();
    xAxis->setRange(x.lower - std::max(x.size() * 0.08, 4.0), x.upper + std::max(x.size() * 0.08, 4.0));
    yAxis->setRange(y.lower - std::max(y.size() * 0.12, 0.01), y.upper + std::max(y.size() * 0.12, 0.01));
    replot();
}

} // namespace cosw
