#include "MainWindow.h"

#include "InstalledPath.h"
#include "RunQueue.h"
#include "SettingsDialog.h"
#include "ShortcutsDialog.h"
#include "SweepDialog.h"
#include "UserGuideDialog.h"

#include "AttentionView.h"
#include "CompareView.h"
#include "LauncherView.h"
#include "MonitorView.h"
#include "RunFilterModel.h"
#include "RunTableModel.h"
#include "StoreReaderThread.h"
#include "facade/BlasKernel.h"
#include "facade/Devices.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTime>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace cosw {

namespace {

constexpr int kRefreshMs = 1000;

QString deviceText(const DeviceInfo &device)
{
    if (device.id == "cpu")
        return MainWindow::tr("CPU");
    QString text = QString::fromStdString(device.id);
    if (!device.name.empty())
        text += " " + QString::fromStdString(device.name);
    if (device.memoryBytes > 0)
        text += MainWindow::tr(" (%1 GiB)").arg(QLocale().toString(double(device.memoryBytes) / (1024.0 * 1024 * 1024), 'f', 1));
    return text;
}

} // namespace

MainWindow::MainWindow(const WorkbenchSettings &settings, QWidget *parent)
    : QMainWindow(parent), m_settings(settings)
{
    setObjectName("MainWindow");
    setWindowTitle(tr("CoS Workbench"));
    QStringList deviceTexts;
    std::map<std::string, int64_t> deviceMemory;
    for (const DeviceInfo &device : availableDevices()) {
        m_devices << QString::fromStdString(device.id);
        deviceTexts << deviceText(device);
        deviceMemory[device.id] = device.memoryBytes;
    }

    m_reader = new StoreReaderThread(settings.databasePath, this);
    m_queue = new RunQueue(this);
    createViews();
    m_launcher->setDeviceMemory(deviceMemory);
    createDocks(createRunList());
    createActions();
    createStatusBar();
    m_devicesLabel->setText(tr("Devices: %1").arg(deviceTexts.join(QStringLiteral(" · "))));
    m_devicesLabel->setToolTip(tr("CPU matrix products: %1").arg(QString::fromStdString(blasSummary(blasInfo()))));

    connect(m_reader->reader(), &StoreReader::runsLoaded, this, &MainWindow::onRunsLoaded);
    connect(m_reader->reader(), &StoreReader::importsLoaded, this,
            [this](const std::vector<ImportRecord> &imports) { m_launcher->setImports(imports); });
    connect(m_reader->reader(), &StoreReader::failed, this, [this](const QString &message) {
        m_runsPending = false;
        appendLog(tr("store: %1").arg(message));
    });
    connect(m_queue, &RunQueue::logLine, this, &MainWindow::appendLog);
    connect(m_queue, &RunQueue::changed, this, [this] {
        updateQueueLabel();
        updateActions();
        refreshRuns();
    });

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setInterval(kRefreshMs);
    connect(m_refreshTimer, &QTimer::timeout, this, &MainWindow::refreshRuns);
    m_refreshTimer->start();

    applySettings(settings);
    restoreLayout();
    if (m_queue->program().isEmpty())
        appendLog(tr("cos-batch was not found beside the workbench or on PATH: runs cannot be launched "
                     "(set COS_BATCH to its path)"));
}

MainWindow::~MainWindow()
{
    // The reader thread goes first among the children; the monitor must not call it afterwards.
    m_monitor->setReader(nullptr);
}

void MainWindow::createViews()
{
    m_launcher = new LauncherView;
    m_launcher->setDevices(m_devices);
    m_launcher->setPresetDirectory(presetDirectory());
    // A first look at the launcher shows a complete run rather than an empty form.
    const QString quickstart = QDir(presetDirectory()).filePath("quickstart.yaml");
    if (QFileInfo::exists(quickstart))
        m_launcher->loadFile(quickstart);
    connect(m_launcher, &LauncherView::launchRequested, this, &MainWindow::launch);
    connect(m_launcher, &LauncherView::sweepRequested, this, &MainWindow::sweep);
    connect(m_launcher, &LauncherView::validityChanged, this, &MainWindow::updateActions);

    m_monitor = new MonitorView;
    m_monitor->setReader(m_reader->reader());

    m_views = new QTabWidget;
    m_views->setDocumentMode(true);
    m_views->addTab(m_launcher, tr("&Launcher"));
    m_views->addTab(m_monitor, tr("&Monitor"));
    m_attention = new AttentionView;
    m_views->addTab(m_attention, tr("&Attention"));
    m_compare = new CompareView;
    m_compare->setReader(m_reader->reader());
    connect(m_compare, &CompareView::runsActivated, this, &MainWindow::selectRuns);
    m_views->addTab(m_compare, tr("&Compare"));
    setCentralWidget(m_views);
}

QWidget *MainWindow::createRunList()
{
    m_runModel = new RunTableModel(this);
    m_runFilter = new RunFilterModel(this);
    m_runFilter->setSourceModel(m_runModel);

    m_nameFilter = new QLineEdit;
    m_nameFilter->setPlaceholderText(tr("Filter by name"));
    m_nameFilter->setClearButtonEnabled(true);
    connect(m_nameFilter, &QLineEdit::textChanged, m_runFilter, &RunFilterModel::setNameFilter);

    m_statusFilter = new QComboBox;
    m_statusFilter->addItem(tr("All statuses"), -1);
    for (RunStatus status : {RunStatus::Running, RunStatus::Queued, RunStatus::Finished, RunStatus::Interrupted,
                             RunStatus::Failed})
        m_statusFilter->addItem(RunTableModel::statusText(status), static_cast<int>(status));
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this] {
        const int status = m_statusFilter->currentData().toInt();
        m_runFilter->setStatusFilter(status < 0 ? std::nullopt : std::optional(static_cast<RunStatus>(status)));
    });

    m_runTable = new QTableView;
    m_runTable->setModel(m_runFilter);
    m_runTable->setSortingEnabled(true);
    m_runTable->sortByColumn(RunTableModel::IdColumn, Qt::DescendingOrder);
    m_runTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runTable->setAlternatingRowColors(true);
    m_runTable->setWordWrap(false);
    m_runTable->verticalHeader()->hide();
    m_runTable->horizontalHeader()->setStretchLastSection(true);
    m_runTable->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_runTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_monitor->setRuns(selectedRuns());
        const QList<qint64> selected = selectedRuns();
        m_attention->setRun(selected.isEmpty() ? 0 : selected.front());
        offerRunsToCompare();
        updateActions();
    });
    // The filter changes the rows the proxy shows.
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_runFilter, signal, this, &MainWindow::offerRunsToCompare);
    connect(m_runFilter, &QAbstractItemModel::modelReset, this, &MainWindow::offerRunsToCompare);
    connect(m_runFilter, &QAbstractItemModel::layoutChanged, this, &MainWindow::offerRunsToCompare);
    connect(m_runTable, &QTableView::doubleClicked, this, [this] { showView(View::Monitor); });

    auto *list = new QWidget;
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_nameFilter, 1);
    filters->addWidget(m_statusFilter);
    auto *layout = new QVBoxLayout(list);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(filters);
    layout->addWidget(m_runTable, 1);
    return list;
}

void MainWindow::createDocks(QWidget *runList)
{
    auto *runs = new QDockWidget(tr("Runs"), this);
    runs->setObjectName("runsDock");
    runs->setWidget(runList);
    addDockWidget(Qt::LeftDockWidgetArea, runs);

    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *log = new QDockWidget(tr("Log"), this);
    log->setObjectName("logDock");
    log->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, log);
    resizeDocks({runs}, {440}, Qt::Horizontal);
    resizeDocks({log}, {160}, Qt::Vertical);
}

void MainWindow::createActions()
{
    auto makeAction = [this](const QString &text, const QKeySequence &shortcut, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setShortcut(shortcut);
        action->setStatusTip(tip);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, shortcut.toString(QKeySequence::NativeText)));
        return action;
    };
    m_launchAction = makeAction(tr("&Launch"), QKeySequence(Qt::CTRL | Qt::Key_Return),
                                tr("Launch the launcher's config as a new run"));
    connect(m_launchAction, &QAction::triggered, this, [this] {
        if (m_launcher->isLaunchEnabled())
            launch(m_launcher->configYaml(), m_launcher->runName());
    });
    m_cancelAction = makeAction(tr("&Cancel"), QKeySequence(Qt::CTRL | Qt::Key_Period),
                                tr("Stop the selected runs after their current step, with a checkpoint"));
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelSelected);
    m_resumeAction = makeAction(tr("&Resume"), QKeySequence(Qt::CTRL | Qt::Key_R),
                                tr("Continue the selected interrupted or failed runs from their last checkpoint, or start queued "
                                   "runs nothing here waits for"));
    connect(m_resumeAction, &QAction::triggered, this, &MainWindow::resumeSelected);
    m_duplicateAction = makeAction(tr("&Duplicate with changes"), QKeySequence(Qt::CTRL | Qt::Key_D),
                                   tr("Open the selected run's config in the launcher"));
    connect(m_duplicateAction, &QAction::triggered, this, &MainWindow::duplicateSelected);
    auto *refresh = makeAction(tr("Re&fresh"), QKeySequence(Qt::Key_F5), tr("Read the run list from the store again"));
    connect(refresh, &QAction::triggered, this, &MainWindow::refreshRuns);
    auto *showLauncher = makeAction(tr("&Launcher"), QKeySequence(Qt::CTRL | Qt::Key_1), tr("Show the launcher"));
    connect(showLauncher, &QAction::triggered, this, [this] { showView(View::Launcher); });
    auto *showMonitor = makeAction(tr("&Monitor"), QKeySequence(Qt::CTRL | Qt::Key_2), tr("Show the monitor"));
    connect(showMonitor, &QAction::triggered, this, [this] { showView(View::Monitor); });
    auto *showAttention = makeAction(tr("&Attention"), QKeySequence(Qt::CTRL | Qt::Key_3),
                                     tr("Show what the selected run's visual tokens attend to"));
    connect(showAttention, &QAction::triggered, this, [this] { showView(View::Attention); });
    auto *showCompare = makeAction(tr("&Compare"), QKeySequence(Qt::CTRL | Qt::Key_4),
                                   tr("Compare runs: tokens, time and accuracy"));
    connect(showCompare, &QAction::triggered, this, [this] { showView(View::Compare); });
    auto *findRun = makeAction(tr("&Find run"), QKeySequence(Qt::CTRL | Qt::Key_F), tr("Filter the run list by name"));
    connect(findRun, &QAction::triggered, this, [this] { m_nameFilter->setFocus(Qt::ShortcutFocusReason); });
    auto *settings = makeAction(tr("&Settings…"), QKeySequence(Qt::CTRL | Qt::Key_Comma), tr("Edit the settings"));
    connect(settings, &QAction::triggered, this, &MainWindow::editSettings);
    auto *quit = makeAction(tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q), tr("Close the workbench"));
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(settings);
    file->addSeparator();
    file->addAction(quit);
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    for (QAction *action : {m_launchAction, m_cancelAction, m_resumeAction, m_duplicateAction, refresh})
        run->addAction(action);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(showLauncher);
    view->addAction(showMonitor);
    view->addAction(showAttention);
    view->addAction(showCompare);
    view->addAction(findRun);
    view->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());

    auto *guide = makeAction(tr("&User guide"), QKeySequence(QKeySequence::HelpContents),
                             tr("Read the user guide, task by task"));
    connect(guide, &QAction::triggered, this, &MainWindow::showUserGuide);
    auto *shortcuts = makeAction(tr("&Keyboard shortcuts"), QKeySequence(Qt::CTRL | Qt::Key_Slash),
                                 tr("List every keyboard shortcut of the workbench"));
    connect(shortcuts, &QAction::triggered, this, [this] { ShortcutsDialog(this, this).exec(); });
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(guide);
    help->addAction(shortcuts);
    help->addSeparator();
    help->addAction(tr("&About CoS Workbench"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    QToolBar *tools = addToolBar(tr("Runs"));
    tools->setObjectName("runToolBar");
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction *action : {m_launchAction, m_cancelAction, m_resumeAction, m_duplicateAction, refresh})
        tools->addAction(action);
    m_runTable->addActions({showMonitor, m_cancelAction, m_resumeAction, m_duplicateAction});
    updateActions();
}

void MainWindow::createStatusBar()
{
    m_databaseLabel = new QLabel;
    m_databaseLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_devicesLabel = new QLabel;
    m_devicesLabel->setObjectName("devices");
    m_queueLabel = new QLabel;
    m_queueLabel->setObjectName(QStringLiteral("queue"));
    statusBar()->addWidget(m_databaseLabel, 1);
    statusBar()->addPermanentWidget(m_queueLabel);
    statusBar()->addPermanentWidget(m_devicesLabel);
    updateQueueLabel();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray()))
        resize(1500, 950);
    restoreState(settings.value("window/state").toByteArray());
}

void MainWindow::applySettings(const WorkbenchSettings &settings)
{
    const bool otherStore = settings.databasePath != m_settings.databasePath;
    m_settings = settings;
    m_reader->setFile(settings.databasePath);
    m_queue->setDatabase(settings.databasePath);
    m_attention->setDatabase(settings.databasePath);
    m_queue->setLaunchDirectory(QDir(settings.dataDirectory).filePath("launches"));
    m_queue->setThreads(settings.threads);
    m_queue->setRunsPerDevice(settings.runsPerDevice);
    m_databaseLabel->setText(tr("Store: %1").arg(QDir::toNativeSeparators(settings.databasePath)));
    if (otherStore) {
        m_monitor->setRuns({});
        m_runModel->setRuns({});
        m_compare->refresh();
    }
    refreshRuns();
}

void MainWindow::showView(View view)
{
    QWidget *shown = m_launcher;
    if (view == View::Monitor)
        shown = m_monitor;
    else if (view == View::Attention)
        shown = m_attention;
    else if (view == View::Compare)
        shown = m_compare;
    m_views->setCurrentWidget(shown);
}

void MainWindow::selectRuns(const QList<qint64> &runIds)
{
    QItemSelection selection;
    for (qint64 id : runIds) {
        const int row = m_runModel->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_runFilter->mapFromSource(m_runModel->index(row, 0));
        if (index.isValid())
            selection.select(index, index.siblingAtColumn(RunTableModel::ColumnCount - 1));
    }
    m_runTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

QList<qint64> MainWindow::selectedRuns() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_runTable->selectionModel()->selectedRows())
        ids.append(index.data(RunTableModel::RunIdRole).toLongLong());
    return ids;
}

void MainWindow::refreshRuns()
{
    if (m_runsPending)
        return;
    m_runsPending = true;
    StoreReader *reader = m_reader->reader();
    // Imports are few and change when `cos-batch import` runs elsewhere:
    // read with the runs, so the launcher offers them without a restart.
    QMetaObject::invokeMethod(reader, [reader] { reader->loadRuns(); reader->loadImports(); }, Qt::QueuedConnection);
}

void MainWindow::onRunsLoaded(const std::vector<RunRecord> &runs)
{
    m_runsPending = false;
    const bool first = m_runModel->rowCount() == 0;
    m_runModel->setRuns(runs);
    if (first && !runs.empty())
        m_runTable->resizeColumnsToContents();
    m_queue->adopt(runs);
    m_compare->noteRuns(runs);
    offerRunsToCompare();
    updateActions();
    emit runsRefreshed();
}

QString MainWindow::launchDevice() const
{
    if (!m_settings.defaultDevice.isEmpty())
        return m_settings.defaultDevice;
    if (const Json *stages = findKey(m_launcher->configTree(), "stages"); stages && stages->is_array())
        for (const Json &stage : *stages)
            if (const Json *device = stage.is_object() ? findKey(stage, "device") : nullptr;
                device && device->is_string() && device->get<std::string>() != "cpu")
                return QString::fromStdString(device->get<std::string>());
    return QStringLiteral("cpu");
}

void MainWindow::launch(const QString &configYaml, const QString &runName, int processes)
{
    if (m_queue->launch(configYaml, runName, launchDevice(), m_settings.defaultDevice, {}, processes))
        showView(View::Monitor);
}

void MainWindow::sweep(const QString &configYaml, const QString &runName)
{
    if (m_queue->program().isEmpty())
        return;
    SweepDialog dialog(m_queue->program(), m_settings.databasePath, configYaml, runName, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString device = launchDevice();
    for (const SweepDialog::Launch &l : dialog.launches()) {
        if (l.resumeRunId > 0)
            m_queue->resume(l.resumeRunId, l.runName, device, m_settings.defaultDevice);
        else
            m_queue->launch(configYaml, l.runName, device, m_settings.defaultDevice, l.arguments);
    }
    showView(View::Monitor);
}

void MainWindow::cancelSelected()
{
    for (qint64 id : selectedRuns()) {
        if (m_queue->cancel(id))
            continue;
        const RunRecord &run = m_runModel->run(m_runModel->rowOf(id));
        if (run.status == RunStatus::Running)
            appendLog(tr("run %1 runs on %2: stop it there").arg(id).arg(QString::fromStdString(run.host)));
    }
}

void MainWindow::resumeSelected()
{
    for (qint64 id : selectedRuns()) {
        const RunRecord &run = m_runModel->run(m_runModel->rowOf(id));
        if (!startable(run))
            continue;
        const QString device = m_settings.defaultDevice.isEmpty()
                                   ? (run.device.empty() ? QStringLiteral("cpu") : QString::fromStdString(run.device))
                                   : m_settings.defaultDevice;
        m_queue->resume(id, QString::fromStdString(run.name), device, m_settings.defaultDevice);
    }
}

bool MainWindow::startable(const RunRecord &run) const
{
    return run.status == RunStatus::Interrupted || run.status == RunStatus::Failed
           || (run.status == RunStatus::Queued && !m_queue->job(run.id));
}

void MainWindow::duplicateSelected()
{
    const QList<qint64> ids = selectedRuns();
    if (ids.size() != 1)
        return;
    const RunRecord &run = m_runModel->run(m_runModel->rowOf(ids.front()));
    QString error;
    if (!m_launcher->setConfigText(QString::fromStdString(run.config), tr("run %1").arg(run.id), &error)) {
        appendLog(tr("run %1: its config cannot be edited: %2").arg(run.id).arg(error));
        return;
    }
    showView(View::Launcher);
}

void MainWindow::editSettings()
{
    SettingsDialog dialog(m_settings, m_devices, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const WorkbenchSettings chosen = dialog.settings();
    QSettings settings;
    chosen.save(settings);
    if (chosen.language != m_settings.language)
        appendLog(tr("The new language applies when the workbench starts again."));
    applySettings(chosen);
}

void MainWindow::showUserGuide()
{
    if (!m_userGuide)
        m_userGuide = new UserGuideDialog(this);
    m_userGuide->show();
    m_userGuide->raise();
    m_userGuide->activateWindow();
}

QString MainWindow::aboutText() const
{
    QStringList devices;
    for (const DeviceInfo &device : availableDevices())
        devices << deviceText(device).toHtmlEscaped();
    return tr("<h3>CoS Workbench %1</h3>"
              "<p>A research workbench for Chain-of-Sight: pre-train a multimodal model with few visual tokens, "
              "fine-tune it with many, and compare tokens, time and accuracy.</p>"
              "<p>Qt %2 · LibTorch %3<br>CPU matrix products: %4<br>Devices: %5</p>")
        .arg(QStringLiteral(COS_VERSION), QString::fromLatin1(qVersion()),
             QString::fromStdString(libtorchVersion()), QString::fromStdString(blasSummary(blasInfo())).toHtmlEscaped(),
             devices.join(QStringLiteral(", ")));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About CoS Workbench"), aboutText());
}

void MainWindow::appendLog(const QString &line)
{
    m_log->appendPlainText(QTime::currentTime().toString("HH:mm:ss  ") + line);
}

void MainWindow::updateActions()
{
    if (!m_launchAction)
        return;
    m_launchAction->setEnabled(m_launcher->isLaunchEnabled() && !m_queue->program().isEmpty());
    bool cancellable = false, resumable = false;
    const QList<qint64> ids = selectedRuns();
    for (qint64 id : ids) {
        const int row = m_runModel->rowOf(id);
        if (row < 0)
            continue;
        cancellable |= m_queue->job(id) != nullptr;
        resumable |= startable(m_runModel->run(row));
    }
    m_cancelAction->setEnabled(cancellable);
    m_resumeAction->setEnabled(resumable && !m_queue->program().isEmpty());
    m_duplicateAction->setEnabled(ids.size() == 1);
}

void MainWindow::offerRunsToCompare()
{
    QList<qint64> shown;
    for (int row = 0; row < m_runFilter->rowCount(); ++row)
        shown.append(m_runFilter->index(row, 0).data(RunTableModel::RunIdRole).toLongLong());
    std::sort(shown.begin(), shown.end());
    m_compare->setRunChoice(selectedRuns(), shown);
}

void MainWindow::updateQueueLabel()
{
    m_queueLabel->setText(tr("%1 running (%n process(es)), %2 waiting", "", m_queue->runningProcesses())
                              .arg(m_queue->runningCount())
                              .arg(m_queue->waitingCount()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const int running = m_queue->runningCount(), waiting = m_queue->waitingCount();
    if (running + waiting > 0) {
        QString text = tr("%n run(s) still running.", "", running);
        if (waiting > 0)
            text += " " + tr("%n run(s) waiting in the queue.", "", waiting);
        QMessageBox box(QMessageBox::Question, tr("Runs in progress"), text, QMessageBox::NoButton, this);
        box.setInformativeText(tr("Runs left running keep going and appear again in the run list when the "
                                  "workbench starts; waiting runs stay queued in the store and wait again then. "
                                  "Stopped runs write a checkpoint and can be resumed; stopped waiting runs are "
                                  "marked interrupted and start from the beginning when resumed."));
        QPushButton *leave = box.addButton(tr("&Leave running"), QMessageBox::AcceptRole);
        QPushButton *stop = box.addButton(tr("&Stop them"), QMessageBox::DestructiveRole);
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(leave);
        box.exec();
        if (box.clickedButton() == stop) {
            for (RunJob *job : m_queue->jobs())
                job->cancel();
        } else if (box.clickedButton() != leave) {
            event->ignore();
            return;
        }
    }
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    event->accept();
}

QString MainWindow::presetDirectory()
{
    return installedOrSource("share/cos-workbench/configs", COS_SOURCE_DIR "/configs");
}

} // namespace cosw
