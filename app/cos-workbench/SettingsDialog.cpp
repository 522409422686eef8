#include "SettingsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include "Translations.h"

#include <algorithm>
#include <functional>

namespace cosw {

namespace {

// A line edit with a Browse button beside it.
QWidget *withBrowse(QLineEdit *edit, QWidget *parent, const std::function<QString()> &choose)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    auto *browse = new QPushButton(SettingsDialog::tr("Browse…"), row);
    QObject::connect(browse, &QPushButton::clicked, edit, [edit, choose] {
        const QString chosen = choose();
        if (!chosen.isEmpty())
            edit->setText(chosen);
    });
    layout->addWidget(browse);
    return row;
}

} // namespace

SettingsDialog::SettingsDialog(const WorkbenchSettings &settings, const QStringList &devices, QWidget *parent)
    : QDialog(parent),
      m_database(new QLineEdit(settings.databasePath)),
      m_dataDirectory(new QLineEdit(settings.dataDirectory)),
      m_device(new QComboBox),
      m_threads(new QSpinBox),
      m_runsPerDevice(new QSpinBox),
      m_language(new QComboBox),
      m_sessionStore(settings.sessionStore)
{
    setWindowTitle(tr("Settings"));
    m_device->setEditable(true);
    m_device->addItem(tr("each stage's own device"), QString());
    for (const QString &device : devices)
        m_device->addItem(device, device);
    const int current = m_device->findData(settings.defaultDevice);
    if (current >= 0)
        m_device->setCurrentIndex(current);
    else
        m_device->setEditText(settings.defaultDevice);
    m_threads->setRange(0, std::max(1, QThread::idealThreadCount()) * 4);
    m_threads->setSpecialValueText(tr("LibTorch's choice"));
    m_threads->setValue(settings.threads);
    m_runsPerDevice->setRange(1, 64);
    m_runsPerDevice->setValue(settings.runsPerDevice);
    m_language->addItem(tr("The system's"), QString());
    for (const UiLanguage &language : shippedLanguages())
        m_language->addItem(language.nativeName, language.code);
    m_language->setCurrentIndex(std::max(0, m_language->findData(settings.language)));

    auto *form = new QFormLayout;
    form->addRow(tr("&Experiment database:"), withBrowse(m_database, this, [this] {
        return QFileDialog::getSaveFileName(this, tr("Experiment database"), m_database->text(),
                                            tr("SQLite databases (*.sqlite *.db);;All files (*)"), nullptr,
                                            QFileDialog::DontConfirmOverwrite);
    }));
    form->addRow(tr("&Data directory:"), withBrowse(m_dataDirectory, this, [this] {
        return QFileDialog::getExistingDirectory(this, tr("Data directory"), m_dataDirectory->text());
    }));
    form->addRow(tr("Default de&vice:"), m_device);
    form->addRow(tr("&Threads per run:"), m_threads);
    form->addRow(tr("Concurrent &runs per device:"), m_runsPerDevice);
    form->addRow(tr("&Language:"), m_language);
    auto *restart = new QLabel(tr("A new language applies when the workbench starts again."));
    restart->setWordWrap(true);
    form->addRow(QString(), restart);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

WorkbenchSettings SettingsDialog::settings() const
{
    WorkbenchSettings s;
    s.databasePath = m_database->text().trimmed();
    s.dataDirectory = m_dataDirectory->text().trimmed();
    // An entry typed by hand has no data; a listed one carries its device name.
    const int index = m_device->findText(m_device->currentText());
    s.defaultDevice = index >= 0 ? m_device->itemData(index).toString() : m_device->currentText().trimmed();
    s.threads = m_threads->value();
    s.runsPerDevice = m_runsPerDevice->value();
    s.language = m_language->currentData().toString();
    s.sessionStore = m_sessionStore;
    return s;
}

} // namespace cosw
