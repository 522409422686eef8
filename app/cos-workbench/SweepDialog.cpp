#include "SweepDialog.h"

#include "LocaleNumber.h"
#include "base/Json.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cosw {

SweepDialog::SweepDialog(const QString &program, const QString &database, const QString &configYaml,
                         const QString &configName, QWidget *parent)
    : QDialog(parent), m_program(program), m_database(database), m_configYaml(configYaml)
{
    setWindowTitle(tr("Sweep"));
    setObjectName("sweepDialog");
    m_vary = new QPlainTextEdit;
    m_vary->setObjectName("vary");
    m_vary->setPlaceholderText(tr("One key per line with its values, e.g.\n"
                                  "stages[4].lr=1e-3,3e-4\n"
                                  "stages[4].scaling.window=[1,2],[2,2]"));
    m_vary->setTabChangesFocus(true);
    m_seeds = new QSpinBox;
    m_seeds->setRange(0, 100);
    m_seeds->setSpecialValueText(tr("once, as configured"));
    m_seeds->setToolTip(tr("Repeat every variant with this many seeds; the dashboard merges them into mean ± sd"));
    m_tag = new QLineEdit((configName.isEmpty() ? QStringLiteral("run") : configName) + "-sweep");
    m_tag->setToolTip(tr("The sweep's tag: starting the same sweep again continues it, skipping finished variants"));

    m_plan = new QTableWidget(0, 4);
    m_plan->setObjectName("plan");
    m_plan->setHorizontalHeaderLabels({tr("Variant"), tr("Tokens"), tr("Estimate"), tr("State")});
    m_plan->horizontalHeader()->setStretchLastSection(true);
    m_plan->verticalHeader()->hide();
    m_plan->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_previewButton = new QPushButton(tr("&Preview"));
    connect(m_previewButton, &QPushButton::clicked, this, &SweepDialog::preview);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_start = buttons->addButton(tr("&Start sweep"), QDialogButtonBox::AcceptRole);
    m_start->setEnabled(false);
    buttons->addButton(m_previewButton, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Any edit makes the shown plan stale.
    auto stale = [this] {
        m_start->setEnabled(false);
        m_launches.clear();
    };
    connect(m_vary, &QPlainTextEdit::textChanged, this, stale);
    connect(m_seeds, &QSpinBox::valueChanged, this, stale);
    connect(m_tag, &QLineEdit::textChanged, this, stale);

    auto *form = new QFormLayout;
    form->addRow(tr("&Vary:"), m_vary);
    form->addRow(tr("S&eeds:"), m_seeds);
    form->addRow(tr("&Tag:"), m_tag);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_plan, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(760, 560);

    m_process = new QProcess(this);
    connect(m_process, &QProcess::finished, this, &SweepDialog::onFinished);
}

void SweepDialog::setVary(const QString &lines) { m_vary->setPlainText(lines); }
void SweepDialog::setSeeds(int seeds) { m_seeds->setValue(seeds); }
QString SweepDialog::message() const { return m_message->text(); }

void SweepDialog::preview()
{
    if (m_process->state() != QProcess::NotRunning)
        return;
    m_start->setEnabled(false);
    m_launches.clear();
    const QString config = QDir(m_dir.path()).filePath("config.yaml");
    QFile file(config);
    if (!m_dir.isValid() || !file.open(QIODevice::WriteOnly) || file.write(m_configYaml.toUtf8()) < 0) {
        m_message->setText(tr("Cannot write the config for the preview: %1").arg(file.errorString()));
        emit previewed(false);
        return;
    }
    file.close();
    QStringList arguments{"sweep", config, "--dry-run", "--json", "--db", m_database, "--name", m_tag->text().trimmed()};
    for (const QString &line : m_vary->toPlainText().split('\n', Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty())
            arguments << "--vary" << line.trimmed();
    if (m_seeds->value() > 0)
        arguments << "--seeds" << QString::number(m_seeds->value());
    m_message->setText(tr("Measuring this machine's speed for the estimates…"));
    m_previewButton->setEnabled(false);
    m_process->start(m_program, arguments);
}

void SweepDialog::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_previewButton->setEnabled(true);
    const QByteArray out = m_process->readAllStandardOutput();
    const QString err = QString::fromUtf8(m_process->readAllStandardError()).trimmed();
    if (status != QProcess::NormalExit || exitCode != 0) {
        m_plan->setRowCount(0);
        QString text = err;
        text.remove(QStringLiteral("cos-batch: "));
        m_message->setText(text.isEmpty() ? tr("cos-batch stopped without a plan (exit %1)").arg(exitCode) : text);
        m_message->setStyleSheet(QStringLiteral("color: #a94442;"));
        emit previewed(false);
        return;
    }
    m_message->setStyleSheet({});
    showPlan(out);
}

void SweepDialog::showPlan(const QByteArray &json)
{
    Json plan;
    try {
        plan = parseJson(json.toStdString(), "cos-batch sweep --dry-run --json");
    } catch (const std::exception &e) {
        m_message->setText(QString::fromUtf8(e.what()));
        emit previewed(false);
        return;
    }
    const QString tag = QString::fromStdString(plan.value("sweep", std::string()));
    const Json &variants = plan["variants"];
    m_plan->setRowCount(int(variants.size()));
    int pending = 0;
    for (size_t i = 0; i < variants.size(); ++i) {
        const Json &v = variants[i];
        QString label = QString::fromStdString(v["label"].get<std::string>());
        if (!v["seed"].is_null())
            label += tr(" seed %1").arg(v["seed"].get<int64_t>());
        const QString state = QString::fromStdString(v["state"].get<std::string>());
        const QString estimate = v["estimate_seconds"].is_null() ? tr("?") : localeDuration(v["estimate_seconds"].get<double>());
        const QStringList cells{label, QString::fromStdString(v["tokens"].get<std::string>()), estimate, state};
        for (int c = 0; c < cells.size(); ++c)
            m_plan->setItem(int(i), c, new QTableWidgetItem(cells[c]));

        const std::string status = v["status"].is_null() ? std::string() : v["status"].get<std::string>();
        if (status == "finished" || status == "running")
            continue;
        Launch launch;
        launch.runName = QString::fromStdString(v["run_name"].get<std::string>());
        if (status == "interrupted" || status == "failed" || status == "queued") {
            launch.resumeRunId = v["run_id"].get<int64_t>();
        } else {
            for (const Json &o : v["overrides"])
                launch.arguments << "--set" << QString::fromStdString(o.get<std::string>());
            launch.arguments << "--sweep" << tag << "--sweep-variant" << QString::fromStdString(v["label"].get<std::string>());
            if (!v["seed"].is_null())
                launch.arguments << "--sweep-seed" << QString::number(v["seed"].get<int64_t>());
        }
        m_launches.append(launch);
        ++pending;
    }
    m_plan->resizeColumnsToContents();
    m_message->setText(tr("%n run(s) to start or resume", "", pending) + " · "
                       + tr("about %1 on this machine (cached stages take less)")
                             .arg(localeDuration(plan["estimate_seconds"].get<double>())));
    m_start->setEnabled(pending > 0);
    emit previewed(true);
}

} // namespace cosw
