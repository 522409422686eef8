#include "MonitorView.h"

#include "LocaleNumber.h"
#include "PlotExport.h"
#include "PlotStyle.h"
#include "SeriesSmoothing.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cosw {

namespace {

constexpr int kMaxPoints = 2000;
// A series that has grown this far past a down-sampled fetch is fetched
// afresh, so a long run never piles up more points than the charts need.
constexpr size_t kRefetchPoints = 4 * kMaxPoints;
// The slider's steps: a weight of 0.00 to 0.99.
constexpr int kSmoothingSteps = 100;

bool hasEnded(RunStatus status)
{
    return status == RunStatus::Finished || status == RunStatus::Failed || status == RunStatus::Interrupted;
}

} // namespace

MonitorView::MonitorView(QWidget *parent) : QWidget(parent)
{
    m_axisBox = new QComboBox;
    m_axisBox->addItem(tr("Step"));
    m_axisBox->addItem(tr("Wall-clock time"));
    connect(m_axisBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setXAxis(index == 0 ? XAxis::Step : XAxis::Time); });
    auto *fit = new QPushButton(tr("&Fit"));
    fit->setToolTip(tr("Show all points again after zooming or panning (or double-click a chart)"));
    connect(fit, &QPushButton::clicked, this, [this] {
        for (Chart &chart : m_charts)
            chart.follow = true;
        replotAll();
    });
    auto *exportButton = new QPushButton(tr("&Export…"));
    exportButton->setToolTip(tr("Save the four charts as PNG, PDF or SVG"));
    connect(exportButton, &QPushButton::clicked, this, &MonitorView::exportWithDialog);
    m_hint = new QLabel(tr("Select one or more runs in the run list to plot them."));
    m_smoothingSlider = new QSlider(Qt::Horizontal);
    m_smoothingSlider->setRange(0, kSmoothingSteps - 1);
    m_smoothingSlider->setMaximumWidth(160);
    m_smoothingSlider->setToolTip(tr("Moving average of the loss and samples/s curves, each stage on its own; the "
                                     "points as logged stay drawn faintly behind (0: points only)"));
    m_smoothingValue = new QLabel;
    connect(m_smoothingSlider, &QSlider::valueChanged, this,
            [this](int value) { setSmoothing(double(value) / kSmoothingSteps); });
    m_logLossBox = new QCheckBox(tr("&Log loss axis"));
    m_logLossBox->setToolTip(tr("A logarithmic loss axis, so the late, small changes are not flattened by the "
                                "first steps"));
    connect(m_logLossBox, &QCheckBox::toggled, this, &MonitorView::setLogLossAxis);

    auto *bar = new QHBoxLayout;
    auto *axisLabel = new QLabel(tr("&X axis:"));
    axisLabel->setBuddy(m_axisBox);
    bar->addWidget(axisLabel);
    bar->addWidget(m_axisBox);
    bar->addSpacing(12);
    auto *smoothingLabel = new QLabel(tr("&Smoothing:"));
    smoothingLabel->setBuddy(m_smoothingSlider);
    bar->addWidget(smoothingLabel);
    bar->addWidget(m_smoothingSlider);
    bar->addWidget(m_smoothingValue);
    bar->addSpacing(12);
    bar->addWidget(m_logLossBox);
    bar->addSpacing(12);
    bar->addWidget(m_hint);
    bar->addStretch(1);
    bar->addWidget(fit);
    bar->addWidget(exportButton);

    auto *grid = new QGridLayout;
    grid->addWidget(addChart("loss", tr("Loss"), true), 0, 0);
    grid->addWidget(addChart("lr", tr("Learning rate"), false), 0, 1);
    grid->addWidget(addChart("samples_per_s", tr("Samples per second"), true), 1, 0);
    grid->addWidget(addChart("eval_accuracy", tr("Evaluation accuracy"), false), 1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);

    setXAxis(XAxis::Step);
    // How the user last looked at the curves; both are read before either
    // is applied, since applying one saves both.
    QSettings settings;
    const double smoothing = settings.value(QStringLiteral("monitor/smoothing"), m_smoothing).toDouble();
    const bool logLoss = settings.value(QStringLiteral("monitor/logLoss"), m_logLoss).toBool();
    setSmoothing(smoothing);
    setLogLossAxis(logLoss);
    m_timer = new QTimer(this);
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &MonitorView::refresh);
    m_timer->start();
}

QCustomPlot *MonitorView::addChart(const std::string &metric, const QString &title, bool smoothed)
{
    auto *plot = new QCustomPlot;
    plot->setMinimumSize(280, 180);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->setNoAntialiasingOnDrag(true);
    plot->plotLayout()->insertRow(0);
    QFont titleFont = font();
    titleFont.setBold(true);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, titleFont));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    plot->legend->setFont(small);
    plot->legend->setVisible(true);
    placeLegendClearOfData(plot, Qt::AlignTop | Qt::AlignRight);
    plot->yAxis->setLabel(title);

    const size_t index = m_charts.size();
    m_charts.push_back({metric, plot, smoothed, {}, {}, {}, true});
    connect(plot, &QCustomPlot::legendClick, this,
            [this, plot](QCPLegend *, QCPAbstractLegendItem *item, QMouseEvent *) { toggleLegendItem(plot, item); });
    // Once the user zooms or pans, new points must not snap the view back.
    connect(plot, &QCustomPlot::mouseWheel, this, [this, index] { m_charts[index].follow = false; });
    connect(plot, &QCustomPlot::mouseMove, this, [this, index](QMouseEvent *event) {
        if (event->buttons() != Qt::NoButton)
            m_charts[index].follow = false;
    });
    connect(plot, &QCustomPlot::mouseDoubleClick, this, [this, index] {
        m_charts[index].follow = true;
        replotAll();
    });
    return plot;
}

void MonitorView::setReader(StoreReader *reader)
{
    if (m_reader)
        disconnect(m_reader, nullptr, this, nullptr);
    m_reader = reader;
    for (auto &[id, trace] : m_traces)
        trace.pending = false;
    if (!reader)
        return;
    connect(reader, &StoreReader::seriesLoaded, this, &MonitorView::applyUpdate);
    // A failed query (a run deleted, a locked file) is simply asked again on the next tick.
    connect(reader, &StoreReader::failed, this, [this] {
        for (auto &[id, trace] : m_traces)
            trace.pending = false;
    });
    refresh();
}

QColor MonitorView::nextColor() const
{
    const auto &palette = seriesPalette();
    std::vector<int> uses(palette.size(), 0);
    for (const auto &[id, trace] : m_traces)
        for (size_t i = 0; i < palette.size(); ++i)
            uses[i] += trace.color == palette[i];
    return palette[std::min_element(uses.begin(), uses.end()) - uses.begin()];
}

void MonitorView::setRuns(const QList<qint64> &runIds)
{
    for (auto it = m_traces.begin(); it != m_traces.end();) {
        if (runIds.contains(it->first)) {
            ++it;
            continue;
        }
        for (Chart &chart : m_charts) {
            chart.plot->removeGraph(chart.graphs.at(it->first));
            chart.graphs.erase(it->first);
            if (const auto raw = chart.rawGraphs.find(it->first); raw != chart.rawGraphs.end()) {
                chart.plot->removeGraph(raw->second);
                chart.rawGraphs.erase(raw);
            }
            for (QCPAbstractItem *item : chart.boundaries[it->first])
                chart.plot->removeItem(item);
            chart.boundaries.erase(it->first);
        }
        it = m_traces.erase(it);
    }
    for (qint64 id : runIds) {
        if (m_traces.count(id))
            continue;
        Trace trace;
        trace.run.id = id;
        trace.color = nextColor();
        for (Chart &chart : m_charts) {
            if (chart.smoothed) {
                // Added first, so the smoothed curve is drawn over it.
                QCPGraph *raw = chart.plot->addGraph();
                QColor faint = trace.color;
                faint.setAlpha(70);
                raw->setPen(QPen(faint, 1));
                raw->removeFromLegend();
                chart.rawGraphs[id] = raw;
            }
            QCPGraph *graph = chart.plot->addGraph();
            graph->setName(QStringLiteral("#%1").arg(id));
            // A wider pen is stroked as a polygon, some 500 times slower for a noisy series.
            graph->setPen(QPen(trace.color, 1));
            if (chart.metric == "eval_accuracy")
                graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
            chart.graphs[id] = graph;
        }
        m_traces.emplace(id, std::move(trace));
        setRunVisible(id, !m_hidden.count(id));
    }
    m_hint->setVisible(runIds.isEmpty());
    // The first run carries the stage labels, and it may have changed.
    for (const auto &[id, trace] : m_traces)
        redraw(id);
    for (Chart &chart : m_charts)
        chart.follow = true;
    replotAll();
    refresh();
}

QList<qint64> MonitorView::runs() const
{
    QList<qint64> ids;
    for (const auto &[id, trace] : m_traces)
        ids.append(id);
    return ids;
}

void MonitorView::refresh()
{
    if (!m_reader)
        return;
    for (auto &[id, trace] : m_traces) {
        if (trace.pending || trace.complete)
            continue;
        SeriesRequest request;
        request.runId = id;
        request.maxPoints = kMaxPoints;
        for (const Chart &chart : m_charts)
            request.metrics.push_back(chart.metric);
        for (const auto &[key, points] : trace.series)
            if (!points.empty() && points.size() <= kRefetchPoints)
                request.lastStep[key] = points.back().step;
        trace.pending = true;
        StoreReader *reader = m_reader;
        QMetaObject::invokeMethod(reader, [reader, request] { reader->loadSeries(request); }, Qt::QueuedConnection);
    }
}

void MonitorView::applyUpdate(const SeriesUpdate &update)
{
    const auto found = m_traces.find(update.run.id);
    if (found == m_traces.end())
        return;
    Trace &trace = found->second;
    trace.pending = false;
    trace.run = update.run;
    trace.stages = update.stages;
    // Metrics are written before a run ends, so an ended run read first holds every point read after.
    trace.complete = hasEnded(update.run.status);
    for (const SeriesChunk &chunk : update.chunks) {
        std::vector<SeriesPoint> &held = trace.series[{chunk.metric, chunk.stage}];
        if (chunk.replace)
            held = chunk.points;
        else
            held.insert(held.end(), chunk.points.begin(), chunk.points.end());
    }
    int64_t offset = 0;
    trace.startTime = std::numeric_limits<double>::max();
    for (const StageRecord &stage : trace.stages) {
        trace.stepOffset[stage.index] = offset;
        // A stage that wrote no points (the vision stage, or a tower taken
        // from the cache) takes no room, so runs overlaid stay aligned.
        const bool plotted = std::any_of(trace.series.begin(), trace.series.end(), [&](const auto &entry) {
            return entry.first.second == stage.index && !entry.second.empty();
        });
        if (plotted)
            offset += stage.steps;
    }
    for (const auto &[key, points] : trace.series)
        if (!points.empty())
            trace.startTime = std::min(trace.startTime, points.front().time);
    if (trace.startTime == std::numeric_limits<double>::max())
        trace.startTime = trace.run.startedAt.value_or(trace.run.createdAt);
    redraw(update.run.id);
    replotAll();
    emit runUpdated(update.run.id);
}

double MonitorView::xOf(const Trace &trace, const SeriesPoint &point) const
{
    if (m_xAxis == XAxis::Time)
        return point.time - trace.startTime;
    const auto offset = trace.stepOffset.find(point.stage);
    return double((offset == trace.stepOffset.end() ? 0 : offset->second) + point.step);
}

double MonitorView::stageStartX(const Trace &trace, const StageRecord &stage) const
{
    if (m_xAxis == XAxis::Step)
        return double(trace.stepOffset.at(stage.index));
    double first = std::numeric_limits<double>::quiet_NaN();
    for (const auto &[key, points] : trace.series)
        if (key.second == stage.index && !points.empty() && !(points.front().time >= first))
            first = points.front().time;
    return first - trace.startTime;
}

void MonitorView::redraw(int64_t runId)
{
    const Trace &trace = m_traces.at(runId);
    const bool visible = !m_hidden.count(runId);
    const QString name = QStringLiteral("#%1 %2").arg(runId).arg(QString::fromStdString(trace.run.name));
    for (Chart &chart : m_charts) {
        QCPGraph *graph = chart.graphs.at(runId);
        graph->setName(name);
        QCPGraph *raw = chart.smoothed ? chart.rawGraphs.at(runId) : nullptr;
        const bool smoothing = raw && m_smoothing > 0;
        QVector<QCPGraphData> data, rawData;
        // The map is ordered by (metric, stage): stage by stage, as the run went.
        for (const auto &[key, points] : trace.series) {
            if (key.first != chart.metric)
                continue;
            std::vector<double> values, means;
            std::vector<int64_t> represents;
            for (const SeriesPoint &p : points) {
                values.push_back(p.value);
                means.push_back(p.mean.value_or(p.value));
                represents.push_back(p.represents);
            }
            // Within the stage only: the next stage starts from its own level.
            const std::vector<double> shown = smoothing ? smoothedSeries(means, m_smoothing, represents) : values;
            for (size_t i = 0; i < points.size(); ++i) {
                const double x = xOf(trace, points[i]);
                data.append({x, shown[i]});
                if (smoothing)
                    rawData.append({x, values[i]});
            }
        }
        // Stages are laid end to end, so by step the points are already in order.
        graph->data()->set(data, m_xAxis == XAxis::Step);
        if (raw) {
            raw->data()->set(rawData, m_xAxis == XAxis::Step);
            raw->setVisible(visible && smoothing);
        }

        std::vector<QCPAbstractItem *> &items = chart.boundaries[runId];
        for (QCPAbstractItem *item : items)
            chart.plot->removeItem(item);
        items.clear();
        QColor lineColor = trace.color;
        lineColor.setAlpha(150);
        // Stages without points (a vision stage writes none) would only crowd the labels.
        std::set<int> plotted;
        for (const auto &[key, points] : trace.series)
            if (!points.empty())
                plotted.insert(key.second);
        for (size_t i = 0; i < trace.stages.size(); ++i) {
            const double x = stageStartX(trace, trace.stages[i]);
            if (std::isnan(x) || !plotted.count(trace.stages[i].index))
                continue;
            if (i > 0) {
                auto *line = new QCPItemStraightLine(chart.plot);
                // Two points above zero, so the line is drawn on a log axis too.
                line->point1->setCoords(x, 1);
                line->point2->setCoords(x, 2);
                line->setPen(QPen(lineColor, 1, Qt::DashLine));
                line->setVisible(visible);
                items.push_back(line);
            }
            // Overlaid runs share their stage names; one set of labels is enough.
            if (runId != m_traces.begin()->first)
                continue;
            auto *label = new QCPItemText(chart.plot);
            label->position->setTypeX(QCPItemPosition::ptPlotCoords);
            label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
            label->position->setCoords(x, 0.0);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
            label->setPadding(QMargins(3, 2, 3, 2));
            label->setText(QString::fromStdString(trace.stages[i].name));
            label->setColor(trace.color);
            label->setVisible(visible);
            items.push_back(label);
        }
    }
}

void MonitorView::replotAll()
{
    for (Chart &chart : m_charts) {
        if (chart.follow) {
            chart.plot->rescaleAxes(true);
            chart.plot->xAxis->scaleRange(1.02, chart.plot->xAxis->range().center());
            chart.plot->yAxis->scaleRange(1.1, chart.plot->yAxis->range().center());
            // Evaluations are few points on a fixed scale; they line up with the training curves.
            if (chart.metric == "eval_accuracy") {
                chart.plot->yAxis->setRange(0, 1.05);
                chart.plot->xAxis->setRange(m_charts.front().plot->xAxis->range());
            }
        }
        chart.plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void MonitorView::setXAxis(XAxis axis)
{
    m_xAxis = axis;
    m_axisBox->setCurrentIndex(axis == XAxis::Step ? 0 : 1);
    for (Chart &chart : m_charts) {
        if (axis == XAxis::Time) {
            auto ticker = QSharedPointer<QCPAxisTickerTime>::create();
            ticker->setTimeFormat("%h:%m:%s");
            chart.plot->xAxis->setTicker(ticker);
            chart.plot->xAxis->setLabel(tr("time since the run began (h:m:s)"));
        } else {
            chart.plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
            chart.plot->xAxis->setLabel(tr("step (stages end to end)"));
        }
        chart.follow = true;
    }
    for (const auto &[id, trace] : m_traces)
        redraw(id);
    replotAll();
}

void MonitorView::setSmoothing(double weight)
{
    const int step =
        std::isfinite(weight) ? std::clamp(int(std::lround(weight * kSmoothingSteps)), 0, kSmoothingSteps - 1) : 0;
    m_smoothing = double(step) / kSmoothingSteps;
    m_smoothingValue->setText(localeNumber(m_smoothing, 2));
    if (m_smoothingSlider->value() != step) {
        const QSignalBlocker blocker(m_smoothingSlider);
        m_smoothingSlider->setValue(step);
    }
    for (const auto &[id, trace] : m_traces)
        redraw(id);
    replotAll();
    saveChoices();
}

void MonitorView::setLogLossAxis(bool logarithmic)
{
    m_logLoss = logarithmic;
    m_logLossBox->setChecked(logarithmic);
    for (Chart &chart : m_charts) {
        if (chart.metric != "loss")
            continue;
        QCPAxis *axis = chart.plot->yAxis;
        axis->setScaleType(logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (logarithmic)
            axis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        else
            axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        chart.follow = true;
    }
    replotAll();
    saveChoices();
}

void MonitorView::saveChoices() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("monitor/smoothing"), m_smoothing);
    settings.setValue(QStringLiteral("monitor/logLoss"), m_logLoss);
}

void MonitorView::setRunVisible(qint64 runId, bool visible)
{
    if (visible)
        m_hidden.erase(runId);
    else
        m_hidden.insert(runId);
    for (Chart &chart : m_charts) {
        const auto graph = chart.graphs.find(runId);
        if (graph == chart.graphs.end())
            continue;
        graph->second->setVisible(visible);
        if (const auto raw = chart.rawGraphs.find(runId); raw != chart.rawGraphs.end())
            raw->second->setVisible(visible && m_smoothing > 0);
        if (QCPPlottableLegendItem *item = chart.plot->legend->itemWithPlottable(graph->second))
            item->setTextColor(visible ? Qt::black : Qt::gray);
        for (QCPAbstractItem *item : chart.boundaries[runId])
            item->setVisible(visible);
    }
    replotAll();
}

void MonitorView::toggleLegendItem(QCustomPlot *plot, QObject *item)
{
    auto *entry = qobject_cast<QCPPlottableLegendItem *>(item);
    if (!entry)
        return;
    for (const Chart &chart : m_charts) {
        if (chart.plot != plot)
            continue;
        for (const auto &[id, graph] : chart.graphs)
            if (graph == entry->plottable())
                setRunVisible(id, m_hidden.count(id) > 0);
    }
}

int MonitorView::pointCount(qint64 runId, const QString &metric) const
{
    for (const Chart &chart : m_charts) {
        const auto graph = chart.graphs.find(runId);
        if (chart.metric == metric.toStdString() && graph != chart.graphs.end())
            return graph->second->dataCount();
    }
    return 0;
}

std::vector<double> MonitorView::drawnValues(qint64 runId, const QString &metric, bool faint) const
{
    std::vector<double> values;
    for (const Chart &chart : m_charts) {
        if (chart.metric != metric.toStdString())
            continue;
        const auto &graphs = faint ? chart.rawGraphs : chart.graphs;
        const auto graph = graphs.find(runId);
        if (graph == graphs.end() || (faint && !graph->second->visible()))
            continue;
        for (const QCPGraphData &point : *graph->second->data())
            values.push_back(point.value);
    }
    return values;
}

bool MonitorView::exportTo(const QString &file)
{
    std::vector<QCustomPlot *> plots;
    for (const Chart &chart : m_charts)
        plots.push_back(chart.plot);
    return exportPlots(plots, 2, exportCellSize(plots.front()), file, tr("Training runs"));
}

void MonitorView::exportWithDialog()
{
    const QString file = askPlotFile(this, tr("Export charts"));
    if (!file.isEmpty() && !exportTo(file))
        QMessageBox::warning(this, tr("Export charts"), tr("Could not write %1.").arg(file));
}

} // namespace cosw
