#include "StageEditor.h"

#include "FormValues.h"
#include "LocaleNumber.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>

#include <climits>

namespace cosw {

namespace {

// "2" or "1, 2" as the engine's scaling.window: one factor for every scale
// or a list; text that is neither goes through as text for the engine to
// reject. Empty (null) means the key is left out.
Json windowFactors(const QString &text)
{
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return Json();
    Json list = Json::array();
    for (const QString &part : parts) {
        bool ok = false;
        const int k = part.toInt(&ok);
        if (!ok)
            return Json(text.toStdString());
        list.push_back(k);
    }
    return list.size() == 1 ? list.at(0) : list;
}

QString windowFactorsText(const Json *window)
{
    if (!window || window->is_null())
        return {};
    if (window->is_number_integer())
        return QString::number(window->get<int64_t>());
    if (window->is_string())
        return QString::fromStdString(window->get<std::string>());
    QStringList parts;
    if (window->is_array())
        for (const Json &k : *window)
            parts << (k.is_number_integer() ? QString::number(k.get<int64_t>()) : QString::fromStdString(k.dump()));
    return parts.join(QStringLiteral(", "));
}

} // namespace

StageEditor::StageEditor(int index, const QStringList &devices,
                         const std::function<const Json *(const char *key)> &shown, const Json *scaling,
                         QWidget *parent)
    : QWidget(parent)
{
    auto *steps = formSpinBox(0, INT_MAX);
    steps->setValue(configInt(shown("steps"), 0));
    connect(steps, &QSpinBox::valueChanged, this, [this](int v) { emit edited(QStringLiteral("steps"), Json(v)); });

    auto *batchSize = formSpinBox(0, 1 << 20);
    batchSize->setValue(configInt(shown("batch_size"), 0));
    connect(batchSize, &QSpinBox::valueChanged, this,
            [this](int v) { emit edited(QStringLiteral("batch_size"), Json(v)); });

    auto *lr = new QLineEdit(configValueText(shown("lr")));
    lr->setPlaceholderText(tr("e.g. 1e-3"));
    connect(lr, &QLineEdit::textEdited, this, [this](const QString &text) {
        const auto value = parseTypedNumber(text);
        emit edited(QStringLiteral("lr"),
                    text.trimmed().isEmpty() ? Json() : value ? Json(*value) : Json(text.toStdString()));
    });

    auto *train = new QWidget;
    // So that a style sheet can paint its background when it is marked.
    train->setAttribute(Qt::WA_StyledBackground);
    auto *trainRow = new QHBoxLayout(train);
    trainRow->setContentsMargins(0, 0, 0, 0);
    m_trainVision = new QCheckBox(tr("Vision tower"));
    m_trainConnector = new QCheckBox(tr("Connector"));
    m_trainLm = new QCheckBox(tr("Language model"));
    const Json *trained = shown("train");
    for (auto [box, part] : {std::pair{m_trainVision, "vision"}, std::pair{m_trainConnector, "connector"},
                             std::pair{m_trainLm, "lm"}}) {
        bool on = false;
        if (trained && trained->is_array())
            for (const Json &p : *trained)
                on = on || (p.is_string() && p.get<std::string>() == part);
        box->setChecked(on);
        trainRow->addWidget(box);
        connect(box, &QCheckBox::toggled, this, [this] { emit edited(QStringLiteral("train"), trainedParts()); });
    }
    trainRow->addStretch();

    auto *precision = new QComboBox;
    precision->addItem(tr("auto (bf16 where it is faster)"), QStringLiteral("auto"));
    precision->addItem(tr("fp32"), QStringLiteral("fp32"));
    precision->addItem(tr("bf16 (autocast: CUDA, or a CPU with bf16 products)"), QStringLiteral("bf16"));
    const int chosen = precision->findData(configValueText(shown("precision"), QStringLiteral("auto")));
    precision->setCurrentIndex(chosen < 0 ? 0 : chosen);
    connect(precision, &QComboBox::activated, this, [this, precision] {
        emit edited(QStringLiteral("precision"), Json(precision->currentData().toString().toStdString()));
    });

    m_device = new QComboBox;
    m_device->setEditable(true);
    m_device->addItems(devices);
    m_device->setCurrentText(configValueText(shown("device"), QStringLiteral("cpu")));
    connect(m_device, &QComboBox::currentTextChanged, this,
            [this](const QString &text) { emit edited(QStringLiteral("device"), Json(text.trimmed().toStdString())); });

    auto *seed = formSpinBox(0, INT_MAX);
    seed->setGroupSeparatorShown(false);
    seed->setValue(configInt(shown("seed"), 0));
    connect(seed, &QSpinBox::valueChanged, this, [this](int v) { emit edited(QStringLiteral("seed"), Json(v)); });

    m_scaling = new QGroupBox(tr("Scale tokens at the start of this stage"));
    m_scaling->setCheckable(true);
    m_scaling->setChecked(scaling != nullptr);
    m_resolutionFactor = formSpinBox(0, 16);
    m_resolutionFactor->setPrefix(QStringLiteral("×"));
    m_resolutionFactor->setValue(scaling ? configInt(findKey(*scaling, "resolution"), 1) : 1);
    m_windowFactors = new QLineEdit;
    m_windowFactors->setPlaceholderText(tr("1, or one factor per scale: 1, 2"));
    m_windowFactors->setProperty("help", tr("Window scaling: each scale's windows per side are multiplied by its "
                                            "factor. One number applies to every scale."));
    m_windowFactors->setToolTip(m_windowFactors->property("help").toString());
    connect(m_scaling, &QGroupBox::toggled, this,
            [this](bool on) { emit edited(QStringLiteral("scaling"), on ? scalingMapping() : Json()); });
    // Only enabled while the stage has a scaling mapping.
    connect(m_resolutionFactor, &QSpinBox::valueChanged, this,
            [this](int v) { emit edited(QStringLiteral("scaling.resolution"), Json(v)); });
    connect(m_windowFactors, &QLineEdit::textEdited, this,
            [this](const QString &text) { emit edited(QStringLiteral("scaling.window"), windowFactors(text)); });
    auto *scalingForm = new QFormLayout(m_scaling);
    scalingForm->addRow(tr("Resolution factor:"), m_resolutionFactor);
    scalingForm->addRow(tr("Window factors:"), m_windowFactors);

    const QString prefix = QStringLiteral("stages[%1].").arg(index);
    const std::pair<QWidget *, const char *> named[] = {
        {steps, "steps"}, {batchSize, "batch_size"}, {lr, "lr"}, {train, "train"},
        {precision, "precision"}, {m_device, "device"}, {seed, "seed"}, {m_scaling, "scaling"},
        {m_resolutionFactor, "scaling.resolution"}, {m_windowFactors, "scaling.window"}};
    for (const auto &[widget, key] : named)
        widget->setObjectName(prefix + QLatin1String(key));

    auto *form = new QFormLayout(this);
    form->addRow(tr("Steps:"), steps);
    form->addRow(tr("Batch size:"), batchSize);
    form->addRow(tr("Learning rate:"), lr);
    form->addRow(tr("Trains:"), train);
    form->addRow(tr("Precision:"), precision);
    form->addRow(tr("Device:"), m_device);
    form->addRow(tr("Seed:"), seed);
    form->addRow(m_scaling);
}

void StageEditor::setDevices(const QStringList &devices)
{
    const QSignalBlocker quiet(m_device);
    const QString current = m_device->currentText();
    m_device->clear();
    m_device->addItems(devices);
    m_device->setCurrentText(current);
}

void StageEditor::showWindowFactors(const Json *window)
{
    m_windowFactors->setText(windowFactorsText(window));
}

Json StageEditor::trainedParts() const
{
    Json parts = Json::array();
    if (m_trainVision->isChecked())
        parts.push_back("vision");
    if (m_trainConnector->isChecked())
        parts.push_back("connector");
    if (m_trainLm->isChecked())
        parts.push_back("lm");
    return parts;
}

Json StageEditor::scalingMapping() const
{
    Json scaling = Json::object();
    scaling["resolution"] = m_resolutionFactor->value();
    const Json window = windowFactors(m_windowFactors->text());
    if (!window.is_null())
        scaling["window"] = window;
    return scaling;
}

} // namespace cosw
