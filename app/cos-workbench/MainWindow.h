#pragma once
// The workbench window: the run list (left), the views (launcher, monitor,
// attention)
// in the middle, the log (bottom) and the store and devices in the status bar.

#include "WorkbenchSettings.h"

#include <QList>
#include <QMainWindow>
#include <QStringList>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;
class QTableView;
class QTimer;

namespace cosw {

class AttentionView;
class CompareView;
class LauncherView;
class MonitorView;
class RunFilterModel;
class RunQueue;
class RunTableModel;
class StoreReaderThread;
class UserGuideDialog;
struct RunRecord;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class View { Launcher, Monitor, Attention, Compare };

    explicit MainWindow(const WorkbenchSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    void showView(View view);
    // Selects these runs in the run list; the monitor plots the selection.
    void selectRuns(const QList<qint64> &runIds);
    QList<qint64> selectedRuns() const;

    const WorkbenchSettings &settings() const { return m_settings; }
    // Help → About: version, Qt, LibTorch, BLAS and devices.
    QString aboutText() const;
    // The installed presets (share/cos-workbench/configs), else the source tree's.
    static QString presetDirectory();
    // Switches store, data directory and queue limits; persists nothing.
    void applySettings(const WorkbenchSettings &settings);

    LauncherView *launcher() const { return m_launcher; }
    MonitorView *monitor() const { return m_monitor; }
    AttentionView *attention() const { return m_attention; }
    CompareView *compare() const { return m_compare; }
    RunQueue *queue() const { return m_queue; }
    RunTableModel *runModel() const { return m_runModel; }
    RunFilterModel *runFilter() const { return m_runFilter; }

public slots:
    // Asks for the store's runs; the list updates when they arrive.
    void refreshRuns();
    void launch(const QString &configYaml, const QString &runName, int processes = 1);
    // The "Sweep…" dialog on this config; its variants join the queue.
    void sweep(const QString &configYaml, const QString &runName);
    void cancelSelected();
    void resumeSelected();
    void duplicateSelected();
    void editSettings();
    void showUserGuide();
    void showAbout();
    void appendLog(const QString &line);

signals:
    // The run list holds what the store said a moment ago.
    void runsRefreshed();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createViews();
    QWidget *createRunList();
    void createDocks(QWidget *runList);
    void createActions();
    void createStatusBar();
    void restoreLayout();
    void onRunsLoaded(const std::vector<RunRecord> &runs);
    void updateActions();
    // Resume can take it: interrupted, failed, or queued with no job waiting for it here.
    bool startable(const RunRecord &run) const;
    void updateQueueLabel();
    // Tells the comparison dashboard which runs the run list selects and shows.
    void offerRunsToCompare();
    // The device a launch waits for: the default device, else the first
    // non-CPU device of its stages, else the CPU.
    QString launchDevice() const;

    WorkbenchSettings m_settings;
    StoreReaderThread *m_reader = nullptr;
    RunQueue *m_queue = nullptr;
    RunTableModel *m_runModel = nullptr;
    RunFilterModel *m_runFilter = nullptr;
    QTableView *m_runTable = nullptr;
    QLineEdit *m_nameFilter = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QTabWidget *m_views = nullptr;
    LauncherView *m_launcher = nullptr;
    MonitorView *m_monitor = nullptr;
    AttentionView *m_attention = nullptr;
    CompareView *m_compare = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QLabel *m_databaseLabel = nullptr;
    QLabel *m_devicesLabel = nullptr;
    QLabel *m_queueLabel = nullptr;
    QTimer *m_refreshTimer = nullptr;
    bool m_runsPending = false;
    QStringList m_devices;
    QAction *m_launchAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_resumeAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    UserGuideDialog *m_userGuide = nullptr;
};

} // namespace cosw
