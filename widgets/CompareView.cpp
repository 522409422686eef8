#include "CompareView.h"

#include "PerTypePlot.h"
#include "PlotExport.h"
#include "TokenScalingPlot.h"
#include "TradeoffPlot.h"
#include "base/Errors.h"
#include "base/Files.h"
#include "compare/TableExport.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <set>

namespace cosw {

namespace {

constexpr int kMaxDiffRuns = 12;

QStringList splitKeys(const QString &text)
{
    QStringList keys;
    for (const QString &part : text.split(',', Qt::SkipEmptyParts))
        if (const QString key = part.trimmed(); !key.isEmpty() && key != CompareView::tr("(none)"))
            keys << key;
    return keys;
}

std::vector<std::string> toStd(const QStringList &list)
{
    std::vector<std::string> out;
    for (const QString &s : list)
        out.push_back(s.toStdString());
    return out;
}

} // namespace

CompareView::CompareView(QWidget *parent) : QWidget(parent)
{
    setObjectName("compareView");
    m_model = new CompareTableModel(this);
    m_sorted = new QSortFilterProxyModel(this);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(CompareTableModel::SortRole);
    m_tableView = new QTableView;
    m_tableView->setObjectName("compareTable");
    m_tableView->setModel(m_sorted);
    m_tableView->setSortingEnabled(true);
    m_tableView->sortByColumn(-1, Qt::AscendingOrder); // store order until the user sorts
    m_tableView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tableView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tableView->setAlternatingRowColors(true);
    m_tableView->setWordWrap(false);
    m_tableView->verticalHeader()->hide();
    m_tableView->horizontalHeader()->setStretchLastSection(true);
    connect(m_tableView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_table || m_rebuilding)
            return; // a rebuild redraws everything once at its end
        m_tradeoff->setSelectedRows(selectedRows());
        m_perType->showRows(*m_table, selectedRows());
        updateDiff();
    });

    m_tradeoff = new TradeoffPlot;
    m_tokenScaling = new TokenScalingPlot;
    m_perType = new PerTypePlot;
    connect(m_tradeoff, &TradeoffPlot::rowClicked, this, [this](int row) {
        selectRows({row});
        const QModelIndex index = m_model->index(row, 0);
        const QList<qint64> ids = index.data(CompareTableModel::RunIdsRole).value<QList<qint64>>();
        // Comparing the run list's selection: changing that selection would
        // change what is compared, so the click stays in this view.
        if (m_source == Source::Filtered)
            emit runsActivated(ids);
    });

    m_diff = new QTableWidget;
    m_diff->setObjectName("configDiff");
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_diff->verticalHeader()->setDefaultSectionSize(m_diff->fontMetrics().height() + 6);
    m_allKeysBox = new QCheckBox(tr("Show all keys"));
    connect(m_allKeysBox, &QCheckBox::toggled, this, &CompareView::updateDiff);
    m_diffNote = new QLabel;
    m_diffNote->setWordWrap(true);
    auto *diffPage = new QWidget;
    auto *diffLayout = new QVBoxLayout(diffPage);
    auto *diffBar = new QHBoxLayout;
    diffBar->addWidget(m_diffNote, 1);
    diffBar->addWidget(m_allKeysBox);
    diffLayout->addLayout(diffBar);
    diffLayout->addWidget(m_diff, 1);

    m_plots = new QTabWidget;
    m_plots->setDocumentMode(true);
    m_plots->addTab(m_tradeoff, tr("Trade-off"));
    m_plots->addTab(m_tokenScaling, tr("Token scaling"));
    m_plots->addTab(m_perType, tr("Per type"));
    m_plots->addTab(diffPage, tr("Config diff"));

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_tableView);
    split->addWidget(m_plots);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    m_summary = new QLabel;
    m_error = new QLabel;
    m_error->setObjectName("compareError");
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(createControls());
    layout->addWidget(m_error);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    restoreChoices();
}

void CompareView::restoreChoices()
{
    // How the user last looked at runs; the reference run belongs to one store and is not kept.
    QSettings settings;
    settings.beginGroup(QStringLiteral("compare"));
    auto keys = [&](const QString &name) {
        QStringList list = settings.value(name).toStringList();
        list.removeAll(QString());
        return toStd(list);
    };
    m_options.groupBy = keys(QStringLiteral("groupBy"));
    m_options.columns = keys(QStringLiteral("columns"));
    m_options.metric = settings.value(QStringLiteral("metric"), QStringLiteral("accuracy")).toString().toStdString();
    m_relative = settings.value(QStringLiteral("relativeTime"), true).toBool();
    m_logTime = settings.value(QStringLiteral("logTime"), false).toBool();
    m_source = static_cast<Source>(settings.value(QStringLiteral("source"), int(Source::Filtered)).toInt());
    m_relativeBox->setChecked(m_relative);
    m_logBox->setChecked(m_logTime);
    m_sourceBox->setCurrentIndex(std::max(0, m_sourceBox->findData(int(m_source))));
    QStringList groupBy;
    for (const std::string &key : m_options.groupBy)
        groupBy << QString::fromStdString(key);
    m_groupBox->setEditText(groupBy.isEmpty() ? tr("(none)") : groupBy.join(QStringLiteral(", ")));
}

void CompareView::saveChoices() const
{
    auto list = [](const std::vector<std::string> &v) {
        QStringList out;
        for (const std::string &s : v)
            out << QString::fromStdString(s);
        return out;
    };
    QSettings settings;
    settings.beginGroup(QStringLiteral("compare"));
    settings.setValue(QStringLiteral("groupBy"), list(m_options.groupBy));
    settings.setValue(QStringLiteral("columns"), list(m_options.columns));
    settings.setValue(QStringLiteral("metric"), QString::fromStdString(m_options.metric));
    settings.setValue(QStringLiteral("relativeTime"), m_relative);
    settings.setValue(QStringLiteral("logTime"), m_logTime);
    settings.setValue(QStringLiteral("source"), int(m_source));
}

QWidget *CompareView::createControls()
{
    auto *bar = new QWidget;
    auto *outer = new QVBoxLayout(bar);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;

    m_sourceBox = new QComboBox;
    m_sourceBox->addItem(tr("Runs the run list shows"), int(Source::Filtered));
    m_sourceBox->addItem(tr("Runs selected in the run list"), int(Source::Selected));
    connect(m_sourceBox, &QComboBox::activated, this,
            [this] { setSource(static_cast<Source>(m_sourceBox->currentData().toInt())); });

    m_groupBox = new QComboBox;
    m_groupBox->setObjectName("groupBy");
    m_groupBox->setEditable(true);
    m_groupBox->setMinimumContentsLength(16);
    m_groupBox->setToolTip(tr("Merge runs with the same values of these keys into mean ± standard deviation: "
                              "built-in keys or any config key (stages[3].lr), separated by commas"));
    m_groupBox->addItem(tr("(none)"));
    for (const std::string &key : builtinGroupKeys())
        m_groupBox->addItem(QString::fromStdString(key));
    m_groupBox->addItem(QStringLiteral("connector, pretrain_tokens, finetune_tokens"));
    connect(m_groupBox, &QComboBox::activated, this, [this] { setGroupBy(splitKeys(m_groupBox->currentText())); });
    connect(m_groupBox->lineEdit(), &QLineEdit::editingFinished, this,
            [this] { setGroupBy(splitKeys(m_groupBox->currentText())); });

    m_metricBox = new QComboBox;
    m_metricBox->setObjectName("metric");
    m_metricBox->setToolTip(tr("The accuracy the plots show and the Pareto front is computed on"));
    connect(m_metricBox, &QComboBox::activated, this, [this] { setMetric(m_metricBox->currentData().toString()); });

    m_referenceBox = new QComboBox;
    m_referenceBox->setObjectName("reference");
    m_referenceBox->setToolTip(tr("Pre-training time is shown relative to this run (1.00×)"));
    m_referenceBox->setMinimumContentsLength(12);
    connect(m_referenceBox, &QComboBox::activated, this, [this] {
        const qint64 id = m_referenceBox->currentData().toLongLong();
        setReference(id > 0 ? std::optional<qint64>(id) : std::nullopt);
    });
    m_relativeBox = new QCheckBox(tr("Relative time"));
    m_relativeBox->setChecked(m_relative);
    connect(m_relativeBox, &QCheckBox::toggled, this, &CompareView::setRelativeTime);
    m_logBox = new QCheckBox(tr("Log time axis"));
    connect(m_logBox, &QCheckBox::toggled, this, &CompareView::setLogTime);

    m_columnsButton = new QToolButton;
    m_columnsButton->setText(tr("Columns"));
    m_columnsButton->setPopupMode(QToolButton::InstantPopup);
    m_columnsButton->setMenu(new QMenu(m_columnsButton));

    m_exportButton = new QToolButton;
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(m_exportButton);
    exportMenu->addAction(tr("Table as CSV…"), this, [this] { exportTableWithDialog(tr("CSV table (*.csv)"), "csv"); });
    exportMenu->addAction(tr("Table as Markdown…"), this,
                          [this] { exportTableWithDialog(tr("Markdown table (*.md)"), "md"); });
    exportMenu->addAction(tr("Table as LaTeX…"), this, [this] { exportTableWithDialog(tr("LaTeX table (*.tex)"), "tex"); });
    exportMenu->addAction(tr("Shown plot (PNG, PDF or SVG)…"), this, [this] {
        const QString file = askPlotFile(this, tr("Export plot"));
        if (!file.isEmpty() && !exportShownPlot(file))
            QMessageBox::warning(this, tr("Export plot"), tr("Could not write %1.").arg(file));
    });
    exportMenu->addAction(tr("All plots (PNG, PDF or SVG)…"), this, &CompareView::exportPlotsWithDialog);
    m_exportButton->setMenu(exportMenu);

    // Two rows, so the window can be as narrow as the other views allow.
    row->addWidget(new QLabel(tr("Compare:")));
    row->addWidget(m_sourceBox);
    row->addWidget(new QLabel(tr("Group by:")));
    row->addWidget(m_groupBox, 1);
    row->addWidget(m_columnsButton);
    row->addWidget(m_exportButton);
    auto *plotRow = new QHBoxLayout;
    plotRow->addWidget(new QLabel(tr("Accuracy:")));
    plotRow->addWidget(m_metricBox);
    plotRow->addWidget(new QLabel(tr("Reference:")));
    plotRow->addWidget(m_referenceBox);
    plotRow->addWidget(m_relativeBox);
    plotRow->addWidget(m_logBox);
    plotRow->addStretch(1);
    outer->addLayout(row);
    outer->addLayout(plotRow);
    return bar;
}

void CompareView::setReader(StoreReader *reader)
{
    if (m_reader)
        disconnect(m_reader, nullptr, this, nullptr);
    m_reader = reader;
    m_pending = false;
    if (!reader)
        return;
    connect(reader, &StoreReader::comparisonLoaded, this, &CompareView::onComparisonLoaded);
}

void CompareView::refresh()
{
    if (!m_reader)
        return;
    if (m_pending) {
        m_again = true; // one more query once this one answers
        return;
    }
    m_pending = true;
    StoreReader *reader = m_reader;
    QMetaObject::invokeMethod(reader, [reader] { reader->loadComparison(); }, Qt::QueuedConnection);
}

void CompareView::noteRuns(const std::vector<RunRecord> &runs)
{
    std::vector<std::pair<qint64, RunStatus>> seen;
    seen.reserve(runs.size());
    for (const RunRecord &r : runs)
        seen.emplace_back(r.id, r.status);
    if (seen == m_seen)
        return;
    m_seen = std::move(seen);
    refresh();
}

void CompareView::onComparisonLoaded(const std::vector<ComparisonRow> &rows)
{
    m_pending = false;
    m_answered = true;
    m_rows = rows;
    rebuild();
    if (m_again) {
        m_again = false;
        refresh();
    }
}

void CompareView::setRunChoice(const QList<qint64> &selected, const QList<qint64> &filtered)
{
    if (selected == m_selected && filtered == m_filtered)
        return;
    m_selected = selected;
    m_filtered = filtered;
    rebuild();
}

void CompareView::setSource(Source source)
{
    m_source = source;
    m_sourceBox->setCurrentIndex(m_sourceBox->findData(int(source)));
    rebuild();
}

void CompareView::setGroupBy(const QStringList &keys)
{
    const std::vector<std::string> chosen = toStd(keys);
    if (chosen == m_options.groupBy && m_table)
        return;
    m_options.groupBy = chosen;
    const QString text = keys.isEmpty() ? tr("(none)") : keys.join(QStringLiteral(", "));
    if (m_groupBox->currentText() != text)
        m_groupBox->setEditText(text);
    rebuild();
}

void CompareView::setReference(std::optional<qint64> runId)
{
    m_options.referenceRun = runId ? std::optional<int64_t>(*runId) : std::nullopt;
    rebuild();
}

void CompareView::setMetric(const QString &key)
{
    m_options.metric = key.toStdString();
    rebuild();
}

void CompareView::setColumns(const QStringList &keys)
{
    m_options.columns = toStd(keys);
    rebuild();
}

void CompareView::setRelativeTime(bool relative)
{
    m_relative = relative;
    if (m_relativeBox->isChecked() != relative)
        m_relativeBox->setChecked(relative);
    saveChoices();
    showPlots();
}

void CompareView::setLogTime(bool log)
{
    m_logTime = log;
    if (m_logBox->isChecked() != log)
        m_logBox->setChecked(log);
    saveChoices();
    showPlots();
}

QString CompareView::errorText() const { return m_error->isHidden() ? QString() : m_error->text(); }

void CompareView::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void CompareView::rebuild()
{
    const QList<qint64> &wanted = m_source == Source::Selected ? m_selected : m_filtered;
    const std::set<qint64> ids(wanted.begin(), wanted.end());
    std::vector<ComparisonRow> rows;
    for (const ComparisonRow &r : m_rows)
        if (ids.count(r.runId))
            rows.push_back(r);

    // A reference run no longer compared is dropped rather than refused.
    ComparisonOptions options = m_options;
    if (options.referenceRun && !ids.count(*options.referenceRun))
        options.referenceRun.reset();
    std::shared_ptr<const ComparisonTable> table;
    try {
        table = std::make_shared<const ComparisonTable>(std::move(rows), options);
    } catch (const InputError &e) {
        showError(QString::fromUtf8(e.what()));
        emit updated(); // the last good table stays, with the error above it
        return;
    }
    showError({});
    saveChoices();

    // Selection survives by row key (the runs a row merges).
    QStringList selectedKeys;
    for (int row : selectedRows())
        selectedKeys << m_model->index(row, 0).data(CompareTableModel::RowKeyRole).toString();
    m_table = table;
    m_model->setTable(table);
    QList<int> reselect;
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (selectedKeys.contains(CompareTableModel::rowKey(*table, size_t(row))))
            reselect.append(row);
    m_rebuilding = true;
    selectRows(reselect);
    m_rebuilding = false;
    m_tableView->resizeColumnsToContents();

    int runs = 0, front = 0;
    for (size_t r = 0; r < table->rowCount(); ++r) {
        runs += int(table->groups()[r].members.size());
        front += table->onFront(r) ? 1 : 0;
    }
    m_summary->setText(table->grouped()
                           ? tr("%n run(s)", "", runs) + tr(" in %n group(s)", "", int(table->rowCount())) + " · "
                                 + tr("%n on the Pareto front", "", front)
                           : tr("%n run(s)", "", runs) + " · " + tr("%n on the Pareto front", "", front));
    fillChoices();
    showPlots();
    updateDiff();
    emit updated();
}

void CompareView::fillChoices()
{
    // Metric: the accuracy-like columns, higher is better.
    const QString metric = QString::fromStdString(m_options.metric);
    m_metricBox->clear();
    for (const ComparisonColumn &c : m_table->availableColumns())
        if (c.numeric && c.better == Better::Higher && c.key.find("samples_per_second") == std::string::npos)
            m_metricBox->addItem(CompareTableModel::columnTitle(c), QString::fromStdString(c.key));
    m_metricBox->setCurrentIndex(std::max(0, m_metricBox->findData(metric)));

    const qint64 reference = m_options.referenceRun.value_or(0);
    m_referenceBox->clear();
    m_referenceBox->addItem(tr("none"), qint64(0));
    for (const ComparisonRow &r : m_table->runs())
        if (r.pretrainSeconds)
            m_referenceBox->addItem(QStringLiteral("%1 (#%2)").arg(QString::fromStdString(r.name)).arg(r.runId),
                                    qint64(r.runId));
    m_referenceBox->setCurrentIndex(std::max(0, m_referenceBox->findData(reference)));
    m_relativeBox->setEnabled(m_table->referenceSeconds().has_value());

    QMenu *menu = m_columnsButton->menu();
    menu->clear();
    std::set<std::string> shown;
    for (const ComparisonColumn &c : m_table->columns())
        shown.insert(c.key);
    for (const ComparisonColumn &c : m_table->availableColumns()) {
        QAction *action = menu->addAction(CompareTableModel::columnTitle(c));
        action->setCheckable(true);
        action->setChecked(shown.count(c.key) > 0);
        action->setData(QString::fromStdString(c.key));
        connect(action, &QAction::toggled, this, [this] {
            QStringList keys;
            for (QAction *a : m_columnsButton->menu()->actions())
                if (a->isChecked())
                    keys << a->data().toString();
            setColumns(keys);
        });
    }
    menu->addSeparator();
    menu->addAction(tr("Default columns"), this, [this] { setColumns({}); });
}

void CompareView::showPlots()
{
    if (!m_table)
        return;
    m_tradeoff->showTable(*m_table, m_relative, m_logTime);
    m_tradeoff->setSelectedRows(selectedRows());
    m_tokenScaling->showTable(*m_table);
    m_perType->showRows(*m_table, selectedRows());
}

QList<int> CompareView::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_tableView->selectionModel()->selectedRows())
        rows.append(m_sorted->mapToSource(index).row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void CompareView::selectRows(const QList<int> &rows)
{
    QItemSelection selection;
    for (int row : rows) {
        const QModelIndex first = m_sorted->mapFromSource(m_model->index(row, 0));
        if (first.isValid())
            selection.select(first, first.siblingAtColumn(m_model->columnCount() - 1));
    }
    m_tableView->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!rows.isEmpty())
        m_tableView->scrollTo(m_sorted->mapFromSource(m_model->index(rows.front(), 0)));
}

void CompareView::updateDiff()
{
    m_diff->clear();
    if (!m_table)
        return;
    std::vector<size_t> runs;
    for (int row : selectedRows())
        for (size_t m : m_table->groups()[size_t(row)].members)
            runs.push_back(m);
    const bool fromSelection = runs.size() >= 2;
    if (!fromSelection) {
        runs.clear();
        for (size_t m = 0; m < m_table->runs().size(); ++m)
            runs.push_back(m);
    }
    const bool cut = runs.size() > size_t(kMaxDiffRuns);
    if (cut)
        runs.resize(kMaxDiffRuns);
    std::vector<FlatConfig> configs;
    QStringList headers;
    for (size_t m : runs) {
        const ComparisonRow &r = m_table->runs()[m];
        configs.push_back(flattenStoredConfig(r.config));
        headers << QStringLiteral("%1 (#%2)").arg(QString::fromStdString(r.name)).arg(r.runId);
    }
    const ConfigDiff diff = diffConfigs(configs, m_allKeysBox->isChecked());
    m_diff->setColumnCount(int(runs.size()));
    m_diff->setRowCount(int(diff.keys.size()));
    m_diff->setHorizontalHeaderLabels(headers);
    QStringList keys;
    for (size_t k = 0; k < diff.keys.size(); ++k) {
        keys << QString::fromStdString(diff.keys[k]);
        for (size_t c = 0; c < runs.size(); ++c) {
            const auto &value = diff.values[k][c];
            auto *item = new QTableWidgetItem(value ? QString::fromStdString(*value) : tr("(absent)"));
            if (!value)
                item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
            m_diff->setItem(int(k), int(c), item);
        }
    }
    m_diff->setVerticalHeaderLabels(keys);
    m_diff->resizeColumnsToContents();
    QString note = runs.size() < 2 ? tr("Select two or more runs to compare their configs.")
                   : fromSelection ? tr("%n key(s) differ between the selected runs.", "", int(diff.keys.size()))
                                   : tr("%n key(s) differ between the compared runs; select rows to narrow it.", "",
                                        int(diff.keys.size()));
    if (m_allKeysBox->isChecked())
        note = tr("Every key of %n run(s).", "", int(runs.size()));
    if (cut)
        note += " " + tr("The first %1 runs are shown.").arg(kMaxDiffRuns);
    m_diffNote->setText(note);
}

bool CompareView::exportTable(const QString &file) const
{
    if (!m_table)
        return false;
    const std::string format = tableFormatOfFile(file.toStdString());
    if (format.empty())
        return false;
    try {
        writeTextFile(file.toStdString(), formatTable(*m_table, format));
    } catch (const std::exception &) {
        return false;
    }
    return true;
}

bool CompareView::exportPlots(const QString &file) const
{
    return cosw::exportPlots({m_tradeoff, m_tokenScaling, m_perType}, 3, exportCellSize(m_tradeoff), file,
                             tr("Run comparison"));
}

bool CompareView::exportShownPlot(const QString &file) const
{
    auto *plot = qobject_cast<QCustomPlot *>(m_plots->currentWidget());
    if (!plot)
        plot = m_tradeoff; // the config diff is a table: its tab exports the trade-off
    return cosw::exportPlots({plot}, 1, exportCellSize(plot, QSize(820, 560)), file, tr("Run comparison"));
}

void CompareView::exportTableWithDialog(const QString &filter, const QString &suffix)
{
    QString file = QFileDialog::getSaveFileName(this, tr("Export table"), QString(), filter);
    if (file.isEmpty())
        return;
    if (QFileInfo(file).suffix().isEmpty())
        file += "." + suffix;
    if (!exportTable(file))
        QMessageBox::warning(this, tr("Export table"), tr("Could not write %1.").arg(file));
}

void CompareView::exportPlotsWithDialog()
{
    const QString file = askPlotFile(this, tr("Export plots"));
    if (!file.isEmpty() && !exportPlots(file))
        QMessageBox::warning(this, tr("Export plots"), tr("Could not write %1.").arg(file));
}

} // namespace cosw
