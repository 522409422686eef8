#pragma once
// Live charts of training runs: loss, learning rate, samples/s and eval
// accuracy, several runs overlaid, against the step (stages laid end to end)
// or the wall-clock time since the run began. Points come from the store's
// down-sampled queries on the reader's thread, fetched incrementally. The
// loss and samples/s curves are drawn smoothed over the raw points, faint.

#include "StoreReader.h"

#include <QColor>
#include <QList>
#include <QWidget>

#include <map>
#include <set>
#include <utility>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QCPAbstractItem;
class QCPGraph;
class QLabel;
class QSlider;
class QTimer;

namespace cosw {

class MonitorView : public QWidget {
    Q_OBJECT
public:
    enum class XAxis { Step, Time };

    explicit MonitorView(QWidget *parent = nullptr);

    // Queries go to this reader, which lives on another thread.
    void setReader(StoreReader *reader);
    // The runs to overlay; a run already shown keeps its points.
    void setRuns(const QList<qint64> &runIds);
    QList<qint64> runs() const;

    void setXAxis(XAxis axis);
    XAxis xAxis() const { return m_xAxis; }
    // The moving average's weight for the loss and samples/s curves (0: raw
    // points only, at most 0.99); each stage is smoothed on its own. Kept
    // in the settings, as is the loss axis's scale.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    void setLogLossAxis(bool logarithmic);
    bool logLossAxis() const { return m_logLoss; }
    // Hides or shows a run in every chart, as a click on its legend entry does.
    void setRunVisible(qint64 runId, bool visible);

    // Points the chart of `metric` holds for the run (0 when none).
    int pointCount(qint64 runId, const QString &metric) const;
    // The values its chart draws for the run: the curve in the legend, or
    // with `faint` the points as logged behind a smoothed curve (empty when
    // those are not drawn).
    std::vector<double> drawnValues(qint64 runId, const QString &metric, bool faint = false) const;
    // PNG, PDF or SVG by the file's suffix: the four charts in a 2 x 2 grid.
    bool exportTo(const QString &file);

public slots:
    // Asks for the new points of every shown run that may still change.
    void refresh();
    void exportWithDialog();

signals:
    // Points of the run arrived and are drawn.
    void runUpdated(qint64 runId);

private:
    struct Chart {
        std::string metric;
        QCustomPlot *plot = nullptr;
        bool smoothed = false;                   // a noisy per-step curve
        std::map<int64_t, QCPGraph *> graphs;    // in the legend: smoothed where the chart is
        std::map<int64_t, QCPGraph *> rawGraphs; // smoothed charts: the points as logged, faint
        std::map<int64_t, std::vector<QCPAbstractItem *>> boundaries;
        bool follow = true; // rescale to the data until the user zooms or pans
    };
    struct Trace {
        RunRecord run;
        std::vector<StageRecord> stages;
        std::map<std::pair<std::string, int>, std::vector<SeriesPoint>> series; // (metric, stage)
        std::map<int, int64_t> stepOffset; // stage -> steps of the stages before it
        double startTime = 0;              // the run's first point, Unix seconds
        QColor color;
        bool pending = false;  // a query is on its way
        bool complete = false; // ended, and every point is held
    };

    QCustomPlot *addChart(const std::string &metric, const QString &title, bool smoothed);
    void applyUpdate(const SeriesUpdate &update);
    void redraw(int64_t runId);
    void replotAll();
    void toggleLegendItem(QCustomPlot *plot, QObject *item);
    void saveChoices() const;
    // x of a point: the step after every earlier stage, or seconds since the run's first point.
    double xOf(const Trace &trace, const SeriesPoint &point) const;
    double stageStartX(const Trace &trace, const StageRecord &stage) const;
    QColor nextColor() const;

    StoreReader *m_reader = nullptr;
    XAxis m_xAxis = XAxis::Step;
    std::vector<Chart> m_charts;
    std::map<int64_t, Trace> m_traces;
    std::set<int64_t> m_hidden;
    double m_smoothing = 0.9;
    bool m_logLoss = false;
    QComboBox *m_axisBox = nullptr;
    QSlider *m_smoothingSlider = nullptr;
    QLabel *m_smoothingValue = nullptr;
    QCheckBox *m_logLossBox = nullptr;
    QLabel *m_hint = nullptr;
    QTimer *m_timer = nullptr;
};

} // namespace cosw
