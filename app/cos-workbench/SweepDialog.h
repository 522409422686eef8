#pragma once
// "Sweep…": the launcher's config as a grid of variants and seeds. The plan
// (variants, token budgets, time estimates, what an earlier start of the
// same sweep already finished) comes from `cos-batch sweep --dry-run --json`,
// so the GUI and the command line expand and validate a sweep the same way.

#include <QDialog>
#include <QList>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace cosw {

class SweepDialog : public QDialog {
    Q_OBJECT
public:
    // What the queue gets for one variant: a new run of the config with
    // these `cos-batch run` arguments, or a stored run to resume.
    struct Launch {
        QString runName;
        QStringList arguments; // --set ... --sweep TAG --sweep-variant LABEL [--sweep-seed K]
        qint64 resumeRunId = 0;
    };

    SweepDialog(const QString &program, const QString &database, const QString &configYaml, const QString &configName,
                QWidget *parent = nullptr);

    void setVary(const QString &lines); // one key.path=v1,v2,... per line
    void setSeeds(int seeds);
    // Asks cos-batch for the plan; `previewed` says how it went.
    void preview();
    // The variants that still need a run, once a preview succeeded.
    QList<Launch> launches() const { return m_launches; }
    QString message() const;
    QTableWidget *planTable() const { return m_plan; }

signals:
    void previewed(bool ok);

private:
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void showPlan(const QByteArray &json);

    QString m_program, m_database, m_configYaml;
    QTemporaryDir m_dir;
    QPlainTextEdit *m_vary = nullptr;
    QSpinBox *m_seeds = nullptr;
    QLineEdit *m_tag = nullptr;
    QTableWidget *m_plan = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_previewButton = nullptr, *m_start = nullptr;
    QProcess *m_process = nullptr;
    QList<Launch> m_launches;
};

} // namespace cosw
