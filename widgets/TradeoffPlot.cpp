#include "TradeoffPlot.h"

#include "CompareTableModel.h"

#include "LocaleNumber.h"
#include "PlotStyle.h"

#include <QToolTip>

#include <cmath>
#include <map>

namespace cosw {

namespace {

constexpr double kPickPixels = 8;

QString tokensLabel(const Summary &tokens)
{
    return tokens.mean ? QString::number(std::lround(*tokens.mean)) : TradeoffPlot::tr("–");
}

} // namespace

TradeoffPlot::TradeoffPlot(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName("tradeoffPlot");
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setMouseTracking(true);
    legend->setVisible(true);
    legend->setFont(font());
    legend->setBrush(QColor(255, 255, 255, 190)); // where every corner covers points, they stay visible
    placeLegendClearOfData(this, Qt::AlignBottom | Qt::AlignRight);
    setMinimumSize(320, 240);
}

void TradeoffPlot::showTable(const ComparisonTable &table, bool relative, bool logX)
{
    clearGraphs();
    clearPlottables();
    m_points.clear();
    m_front.clear();
    m_selection = nullptr;
    const bool asRelative = relative && table.referenceSeconds().has_value();
    const double scale = asRelative ? *table.referenceSeconds() : 1.0;
    const std::string metric = table.options().metric;
    const QString metricTitle = CompareTableModel::metricTitle(table);

    // One series per (pre-training tokens, fine-tuning tokens): its colour
    // says the fine-tuning tokens, its marker the pre-training tokens.
    std::map<long, size_t> colourOf, shapeOf;
    struct Series {
        QCPGraph *graph = nullptr;
        QCPErrorBars *xBars = nullptr, *yBars = nullptr;
    };
    std::map<std::pair<long, long>, Series> series;
    for (size_t row = 0; row < table.rowCount(); ++row) {
        const Summary x = table.summary(row, "pretrain_seconds"), y = table.summary(row, metric);
        if (!x.mean || !y.mean)
            continue;
        const Summary pre = table.summary(row, "pretrain_tokens"), fine = table.summary(row, "finetune_tokens");
        const long preKey = pre.mean ? std::lround(*pre.mean) : -1, fineKey = fine.mean ? std::lround(*fine.mean) : -1;
        colourOf.try_emplace(fineKey, colourOf.size());
        shapeOf.try_emplace(preKey, shapeOf.size());
        Series &s = series[{preKey, fineKey}];
        if (!s.graph) {
            s.graph = addGraph();
            s.graph->setLineStyle(QCPGraph::lsNone);
            const QColor colour = seriesColor(colourOf[fineKey]);
            s.graph->setScatterStyle(QCPScatterStyle(seriesShape(shapeOf[preKey]), colour, colour, 9));
            s.graph->setName(tr("%1 → %2 tokens").arg(tokensLabel(pre), tokensLabel(fine)));
            for (QCPErrorBars **bars : {&s.xBars, &s.yBars}) {
                *bars = new QCPErrorBars(xAxis, yAxis);
                (*bars)->setDataPlottable(s.graph);
                (*bars)->setPen(QPen(colour));
                (*bars)->removeFromLegend();
            }
            s.xBars->setErrorType(QCPErrorBars::etKeyError);
            s.yBars->setErrorType(QCPErrorBars::etValueError);
        }
        const double px = *x.mean / scale, py = *y.mean;
        // A group's bars are its spread; one run's accuracy has its binomial
        // standard error, which says how far apart two points must be.
        const bool single = table.groups()[row].members.size() == 1;
        const std::optional<double> se = single && metric == "accuracy" ? table.summary(row, "accuracy_se").mean : std::nullopt;
        s.graph->addData(px, py);
        s.xBars->addData(x.sd.value_or(0) / scale);
        s.yBars->addData(se ? *se : y.sd.value_or(0));
        QString tip = QStringLiteral("<b>%1</b><br>").arg(QString::fromStdString(table.cell(row, 0).text).toHtmlEscaped());
        if (table.groups()[row].members.size() > 1)
            tip += tr("%n run(s)", "", int(table.groups()[row].members.size())) + "<br>";
        tip += tr("tokens %1 → %2").arg(tokensLabel(pre), tokensLabel(fine)) + "<br>";
        tip += (asRelative ? tr("pre-training %1× the reference").arg(localeNumber(px, 2))
                           : tr("pre-training %1 s").arg(localeNumber(px, 1)))
               + "<br>" + QStringLiteral("%1 %2").arg(metricTitle.toHtmlEscaped(), localeNumber(py, 3));
        if (y.sd)
            tip += QStringLiteral(" ± %1 ").arg(localeNumber(*y.sd, 3)) + tr("(sd)");
        else if (se)
            tip += QStringLiteral(" ± %1 ").arg(localeNumber(*se, 3)) + tr("(se)");
        if (table.onFront(row))
            tip += "<br>" + tr("on the Pareto front");
        m_points.push_back({int(row), px, py, tip});
        if (table.onFront(row))
            m_front.append(int(row));
    }

    // The front as a step line: from each front point, the best accuracy so
    // far holds until a slower run improves on it.
    std::vector<std::pair<double, double>> front;
    for (const Point &p : m_points)
        if (m_front.contains(p.row))
            front.emplace_back(p.x, p.y);
    std::sort(front.begin(), front.end());
    if (!front.empty()) {
        QCPGraph *line = addGraph();
        line->setName(tr("Pareto front"));
        line->setLineStyle(QCPGraph::lsStepLeft);
        line->setPen(QPen(QColor(60, 60, 60), 1.5, Qt::DashLine));
        line->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(30, 30, 30), 1.5), Qt::NoBrush, 15));
        for (const auto &[x, y] : front)
            line->addData(x, y);
    }
    // The image-blind control as a reference line: a point below it says
    // nothing about reading the image.
    clearItems();
    const std::string control = metric == "accuracy" ? "type_prior" : metric.rfind("accuracy.", 0) == 0
                                                                          ? "type_prior." + metric.substr(9)
                                                                          : std::string();
    std::vector<double> priors;
    for (const Point &p : m_points)
        if (!control.empty())
            if (const Summary prior = table.summary(size_t(p.row), control); prior.mean)
                priors.push_back(*prior.mean);
    if (!priors.empty()) {
        const double prior = summarize(priors).mean.value_or(0);
        auto *line = new QCPItemStraightLine(this);
        line->point1->setCoords(0, prior);
        line->point2->setCoords(1, prior);
        line->setPen(QPen(QColor(150, 150, 150), 1.2, Qt::DashDotLine));
        auto *label = new QCPItemText(this);
        label->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        label->position->setTypeY(QCPItemPosition::ptPlotCoords);
        label->position->setCoords(0.01, prior);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setColor(QColor(110, 110, 110));
        label->setText(tr("type prior %1").arg(localeNumber(prior, 3)));
        m_prior = prior;
    } else {
        m_prior.reset();
    }
    m_selection = addGraph();
    m_selection->setLineStyle(QCPGraph::lsNone);
    m_selection->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(Qt::black, 2), Qt::NoBrush, 18));
    m_selection->removeFromLegend();

    xAxis->setLabel(asRelative ? tr("pre-training time (× reference run %1)").arg(*table.options().referenceRun)
                               : tr("pre-training time (s)"));
    yAxis->setLabel(metricTitle);
    if (logX) {
        xAxis->setScaleType(QCPAxis::stLogarithmic);
        xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    } else {
        xAxis->setScaleType(QCPAxis::stLinear);
        xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    legend->setVisible(!m_points.empty());
    if (!m_userRange)
        fitAxes();
    replot();
}

void TradeoffPlot::fitAxes()
{
    if (m_points.empty()) {
        xAxis->setRange(0, 1);
        yAxis->setRange(0, 1);
        return;
    }
    rescaleAxes(true);
    if (m_prior) // the control line stays in view
        yAxis->setRange(std::min(yAxis->range().lower, *m_prior), std::max(yAxis->range().upper, *m_prior));
    // Room around the points, so markers and error bars at the edge show whole.
    const QCPRange x = xAxis->range(), y = yAxis->range();
    if (xAxis->scaleType() == QCPAxis::stLogarithmic)
        xAxis->setRange(x.lower / 1.3, x.upper * 1.3);
    else {
        const double pad = std::max(x.size() * 0.08, std::abs(x.center()) * 0.05 + 1e-9);
        xAxis->setRange(x.lower - pad, x.upper + pad);
    }
    const double padY = std::max(y.size() * 0.12, 0.01);
    yAxis->setRange(y.lower - padY, y.upper + padY);
}

void TradeoffPlot::setSelectedRows(const QList<int> &rows)
{
    if (!m_selection)
        return;
    m_selection->data()->clear();
    for (const Point &p : m_points)
        if (rows.contains(p.row))
            m_selection->addData(p.x, p.y);
    replot();
}

int TradeoffPlot::rowAt(const QPoint &pixel) const
{
    int best = -1;
    double bestDistance = kPickPixels;
    for (const Point &p : m_points) {
        const double dx = xAxis->coordToPixel(p.x) - pixel.x(), dy = yAxis->coordToPixel(p.y) - pixel.y();
        const double d = std::hypot(dx, dy);
        if (d <= bestDistance) {
            bestDistance = d;
            best = p.row;
        }
    }
    return best;
}

QList<int> TradeoffPlot::drawnRows() const
{
    QList<int> rows;
    for (const Point &p : m_points)
        rows.append(p.row);
    return rows;
}

QPointF TradeoffPlot::pointOf(int row) const
{
    for (const Point &p : m_points)
        if (p.row == row)
            return {p.x, p.y};
    return {std::nan(""), std::nan("")};
}

void TradeoffPlot::mouseMoveEvent(QMouseEvent *event)
{
    QCustomPlot::mouseMoveEvent(event);
    if (event->buttons() != Qt::NoButton) {
        m_userRange = true; // dragging the range
        return;
    }
    const int row = rowAt(event->pos());
    for (const Point &p : m_points)
        if (p.row == row) {
            QToolTip::showText(event->globalPosition().toPoint(), p.tip, this);
            return;
        }
    QToolTip::hideText();
}

void TradeoffPlot::mousePressEvent(QMouseEvent *event)
{
    m_pressAt = event->pos();
    QCustomPlot::mousePressEvent(event);
}

void TradeoffPlot::mouseReleaseEvent(QMouseEvent *event)
{
    QCustomPlot::mouseReleaseEvent(event);
    if ((event->pos() - m_pressAt).manhattanLength() <= 3 && event->button() == Qt::LeftButton)
        if (const int row = rowAt(event->pos()); row >= 0)
            emit rowClicked(row);
}

void TradeoffPlot::mouseDoubleClickEvent(QMouseEvent *event)
{
    QCustomPlot::mouseDoubleClickEvent(event);
    m_userRange = false;
    fitAxes();
    replot();
}

void TradeoffPlot::wheelEvent(QWheelEvent *event)
{
    m_userRange = true;
    QCustomPlot::wheelEvent(event);
}

} // namespace cosw
