#pragma once
// The experiment comparison dashboard (DESIGN §5a): the runs chosen in the
// run list, optionally grouped (seeds → mean ± sd), as a table with best and
// second best marked; the time/accuracy trade-off with its Pareto front; the
// token-scaling curve; accuracy per question type with the controls; and a
// config diff. Store queries run on the reader's thread; the view follows
// the store as runs finish without losing selection or zoom.

#include "CompareTableModel.h"
#include "StoreReader.h"

#include <QList>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTableWidget;
class QToolButton;

namespace cosw {

class PerTypePlot;
class TokenScalingPlot;
class TradeoffPlot;

class CompareView : public QWidget {
    Q_OBJECT
public:
    enum class Source { Filtered, Selected };

    explicit CompareView(QWidget *parent = nullptr);

    // Queries go through `reader` (on its own thread); nullptr detaches.
    void setReader(StoreReader *reader);
    // What the run list offers: its selection and every run its filter shows.
    void setRunChoice(const QList<qint64> &selected, const QList<qint64> &filtered);
    // The run list as last read: the view asks the store again when a run
    // appeared or changed status (an evaluation lands before a run finishes).
    void noteRuns(const std::vector<RunRecord> &runs);
    void refresh();

    void setSource(Source source);
    // Group keys (RunGroups.h); an unknown key shows an error and keeps the table.
    void setGroupBy(const QStringList &keys);
    void setReference(std::optional<qint64> runId);
    void setMetric(const QString &key);
    void setColumns(const QStringList &keys); // empty: the defaults
    void setRelativeTime(bool relative);
    void setLogTime(bool log);

    const ComparisonTable *table() const { return m_table.get(); }
    // The store has answered at least once.
    bool hasAnswer() const { return m_answered; }
    QTableView *tableView() const { return m_tableView; }
    TradeoffPlot *tradeoffPlot() const { return m_tradeoff; }
    TokenScalingPlot *tokenScalingPlot() const { return m_tokenScaling; }
    PerTypePlot *perTypePlot() const { return m_perType; }
    QTableWidget *configDiff() const { return m_diff; }
    QString errorText() const;
    // Selected table rows (model rows of the comparison table).
    QList<int> selectedRows() const;
    void selectRows(const QList<int> &rows);

    // By the file's suffix: .csv, .md, .tex or .json.
    bool exportTable(const QString &file) const;
    // The three plots side by side: .png, .pdf or .svg.
    bool exportPlots(const QString &file) const;
    // The plot of the current tab alone (the trade-off from the config diff's).
    bool exportShownPlot(const QString &file) const;

signals:
    // A point of the trade-off was clicked: its runs, for the run list.
    void runsActivated(const QList<qint64> &runIds);
    // The table and plots show the store's latest answer, or the error the
    // current choices gave (errorText) above the last table they allowed.
    void updated();

private:
    QWidget *createControls();
    // Group keys, columns, metric, time axis and source persist between sessions.
    void restoreChoices();
    void saveChoices() const;
    void onComparisonLoaded(const std::vector<ComparisonRow> &rows);
    void rebuild();
    void showPlots();
    void updateDiff();
    void fillChoices();
    void showError(const QString &message);
    void exportTableWithDialog(const QString &filter, const QString &suffix);
    void exportPlotsWithDialog();

    StoreReader *m_reader = nullptr;
    bool m_pending = false, m_again = false, m_answered = false;
    bool m_rebuilding = false; // selection restored by rebuild(), which then draws once
    std::vector<std::pair<qint64, RunStatus>> m_seen;
    std::vector<ComparisonRow> m_rows;
    QList<qint64> m_selected, m_filtered;
    Source m_source = Source::Filtered;
    ComparisonOptions m_options;
    bool m_relative = true, m_logTime = false;
    std::shared_ptr<const ComparisonTable> m_table;

    QComboBox *m_sourceBox = nullptr, *m_groupBox = nullptr, *m_referenceBox = nullptr, *m_metricBox = nullptr;
    QCheckBox *m_relativeBox = nullptr, *m_logBox = nullptr, *m_allKeysBox = nullptr;
    QToolButton *m_columnsButton = nullptr, *m_exportButton = nullptr;
    QLabel *m_summary = nullptr, *m_error = nullptr, *m_diffNote = nullptr;
    CompareTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_sorted = nullptr;
    QTableView *m_tableView = nullptr;
    QTabWidget *m_plots = nullptr;
    TradeoffPlot *m_tradeoff = nullptr;
    TokenScalingPlot *m_tokenScaling = nullptr;
    PerTypePlot *m_perType = nullptr;
    QTableWidget *m_diff = nullptr;
};

} // namespace cosw
