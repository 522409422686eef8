#pragma once
// Edits the WorkbenchSettings.

#include "WorkbenchSettings.h"

#include <QDialog>
#include <QStringList>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace cosw {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    // `devices`: what this machine offers ("cpu", "cuda:0", ...).
    SettingsDialog(const WorkbenchSettings &settings, const QStringList &devices, QWidget *parent = nullptr);

    WorkbenchSettings settings() const;

private:
    QLineEdit *m_database;
    QLineEdit *m_dataDirectory;
    QComboBox *m_device;
    QSpinBox *m_threads;
    QSpinBox *m_runsPerDevice;
    QComboBox *m_language;
    QString m_sessionStore;
};

} // namespace cosw
