#include "LocaleNumber.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace cosw {

QString localeNumber(double value)
{
    QLocale locale;
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    return locale.toString(value, 'g', QLocale::FloatingPointShortest);
}

QString localeNumber(double value, int decimals)
{
    QLocale locale;
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    return locale.toString(value, 'f', decimals);
}

QString localeDuration(double seconds)
{
    if (seconds < 90)
        return QCoreApplication::translate("cosw::LocaleNumber", "%1 s").arg(localeNumber(seconds, 0));
    if (seconds < 5400)
        return QCoreApplication::translate("cosw::LocaleNumber", "%1 min").arg(localeNumber(seconds / 60, 1));
    return QCoreApplication::translate("cosw::LocaleNumber", "%1 h").arg(localeNumber(seconds / 3600, 1));
}

std::optional<double> parseTypedNumber(const QString &text)
{
    const QString trimmed = text.trimmed();
    QLocale user;
    user.setNumberOptions(QLocale::RejectGroupSeparator);
    bool ok = false;
    double value = user.toDouble(trimmed, &ok);
    if (!ok)
        value = QLocale::c().toDouble(trimmed, &ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

} // namespace cosw
