#pragma once
// One stage's tab in the launcher: steps, batch size, learning rate, the
// parts that train, precision, device, seed and the token scaling that
// starts the stage. It shows the stage's values (the engine's defaults where
// the config leaves a key out) and reports every edit as a new value for a
// key of the stage; the launcher puts it into the config tree and re-checks.
// Each editor is named by the key it edits ("stages[2].scaling.window"), so
// a config error can mark it.

#include "base/Json.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <string>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLineEdit;
class QSpinBox;

namespace cosw {

class StageEditor : public QWidget {
    Q_OBJECT
public:
    // `shown(key)`: the value the form shows for a key of the stage, or null.
    // `scaling`: the stage's own scaling mapping, or null when it has none
    // (the identity the engine states for every stage does not count).
    StageEditor(int index, const QStringList &devices, const std::function<const Json *(const char *key)> &shown,
                const Json *scaling, QWidget *parent = nullptr);

    // Offers these devices, keeping the one chosen.
    void setDevices(const QStringList &devices);
    // Shows the stage's scaling.window (null: none) in the window-factor field.
    void showWindowFactors(const Json *window);

signals:
    // The stage's `key` ("steps", or "scaling.window" inside its scaling)
    // takes `value`; a null value removes the key.
    void edited(const QString &key, const cosw::Json &value);

private:
    Json trainedParts() const;
    Json scalingMapping() const;

    QCheckBox *m_trainVision = nullptr;
    QCheckBox *m_trainConnector = nullptr;
    QCheckBox *m_trainLm = nullptr;
    QComboBox *m_device = nullptr;
    QGroupBox *m_scaling = nullptr;
    QSpinBox *m_resolutionFactor = nullptr;
    QLineEdit *m_windowFactors = nullptr;
};

} // namespace cosw
