#pragma once
// What the launcher's editors share: how a config value reads in a field
// (numbers in the user's locale) and how a field the engine rejects looks.

#include "base/Json.h"

#include <QColor>
#include <QString>

class QSpinBox;

namespace cosw {

// A value as a field shows it: text as it is, reals in the user's locale,
// other values as JSON; `fallback` when there is none.
QString configValueText(const Json *value, const QString &fallback = {});

// An integer value, or `fallback` when the value is none or not an integer.
int configInt(const Json *value, int fallback);

// A spin box as the launcher's number fields use it (digits grouped).
QSpinBox *formSpinBox(int minimum, int maximum);

// The background of a field or cell the engine's check names.
inline const QColor kInvalidColor(255, 218, 218);

} // namespace cosw
