#pragma once

// Numbers a person reads or types in a widget use their locale ("0,001" under
// de_DE); what the engine stores is always the exact double. Files never see
// these texts: they go through core/base/Numbers.h.

#include <QString>

#include <optional>

namespace cosw {

// The shortest text in the user's locale that reads back to exactly `value`.
QString localeNumber(double value);
// `decimals` digits after the separator, in the user's locale.
QString localeNumber(double value, int decimals);

// A duration in seconds, minutes or hours, whichever reads best ("95 s" is
// "1,6 min" under de_DE).
QString localeDuration(double seconds);

// A number typed by the user: in their locale (without group separators, so
// "0.001" under de_DE is not read as 1), or else in the "C" notation that
// configs and papers use. nullopt if it is neither.
std::optional<double> parseTypedNumber(const QString &text);

} // namespace cosw
