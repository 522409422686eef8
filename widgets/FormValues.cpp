#include "FormValues.h"

#include "LocaleNumber.h"

#include <QSpinBox>

namespace cosw {

QString configValueText(const Json *value, const QString &fallback)
{
    if (!value || value->is_null())
        return fallback;
    if (value->is_string())
        return QString::fromStdString(value->get<std::string>());
    if (value->is_number_float())
        return localeNumber(value->get<double>());
    return QString::fromStdString(value->dump());
}

int configInt(const Json *value, int fallback)
{
    return value && value->is_number_integer() ? static_cast<int>(value->get<int64_t>()) : fallback;
}

QSpinBox *formSpinBox(int minimum, int maximum)
{
    auto *box = new QSpinBox;
    box->setRange(minimum, maximum);
    box->setGroupSeparatorShown(true);
    return box;
}

} // namespace cosw
