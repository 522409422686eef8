#include "LauncherView.h"
#include "LocaleNumber.h"

#include "FormValues.h"
#include "ScalesTableModel.h"
#include "StageEditor.h"

#include "base/ByteSize.h"
#include "base/Errors.h"
#include "train/StageKind.h"
#include "train/YamlLoader.h"
#include "train/YamlWriter.h"

#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScopedValueRollback>
#include <QSettings>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>


namespace cosw {

namespace {

enum TokenColumn { TokensPerScaleColumn = 4, MemoryColumn = 6, LmSequenceColumn = 7, TokenColumnCount = 8 };

// "12.4 GiB" in the user's locale.
QString bytesText(int64_t bytes)
{
    const ByteSize size = byteSize(bytes);
    return QStringLiteral("%1 %2").arg(localeNumber(size.value, size.decimals), QLatin1String(size.unit));
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// The node a form value lives in, made a mapping when it is absent.
Json *asMapping(Json &node)
{
    return node.is_object() || node.is_null() ? &node : nullptr;
}

// A mapping's child, without inserting it when absent.
Json *childOf(Json *node, const char *key)
{
    return node ? findKey(*node, key) : nullptr;
}

// The tree's value at `path` (numeric parts index lists), or null.
const Json *valueAt(const Json &root, const std::vector<std::string> &path)
{
    const Json *node = &root;
    for (const std::string &part : path) {
        if (node->is_array()) {
            const size_t index = std::stoul(part);
            if (index >= node->size())
                return nullptr;
            node = &node->at(index);
        } else if (node->is_object()) {
            node = findKey(*node, part);
            if (!node)
                return nullptr;
        } else {
            return nullptr;
        }
    }
    return node->is_null() ? nullptr : node;
}

} // namespace

LauncherView::LauncherView(QWidget *parent)
    : QWidget(parent)
{
    m_preset = new QComboBox;
    m_preset->setObjectName(QStringLiteral("preset"));
    m_preset->setPlaceholderText(tr("Choose a preset…"));
    m_preset->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_preset, &QComboBox::activated, this, &LauncherView::choosePreset);
    auto *load = new QPushButton(tr("&Load YAML…"));
    connect(load, &QPushButton::clicked, this, &LauncherView::loadWithDialog);
    auto *save = new QPushButton(tr("&Save YAML…"));
    connect(save, &QPushButton::clicked, this, &LauncherView::saveWithDialog);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Preset:")));
    top->addWidget(m_preset);
    top->addWidget(load);
    top->addWidget(save);
    top->addStretch();

    auto *left = new QVBoxLayout;
    left->addWidget(createRunGroup());
    left->addWidget(createScalesGroup(), 1);
    left->addWidget(createDataGroup());

    m_stageTabs = new QTabWidget;
    m_tokens = new QTableWidget(0, TokenColumnCount);
    m_tokens->setObjectName(QStringLiteral("tokens"));
    m_tokens->setHorizontalHeaderLabels({tr("Stage"), tr("Resolution"), tr("Grid"), tr("Windows per side"),
                                         tr("Tokens per scale"), tr("Visual tokens"), tr("Memory"), tr("LM sequence")});
    m_tokens->horizontalHeaderItem(LmSequenceColumn)->setToolTip(
        tr("Visual tokens plus a sample's text tokens, within the language model's maximum sequence length"));
    m_tokens->horizontalHeaderItem(MemoryColumn)->setToolTip(
        tr("Estimated: the weights (what the stage trains in fp32, the rest at its precision), the gradients and "
           "AdamW moments of what it trains, and the activations kept for the backward pass at its batch and the "
           "language model's longest sequence"));
    m_tokens->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tokens->setSelectionMode(QAbstractItemView::NoSelection);
    m_tokens->verticalHeader()->hide();
    m_tokens->setWordWrap(false);
    m_tokens->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tokens->horizontalHeader()->setStretchLastSection(true);
    auto *tokenGroup = new QGroupBox(tr("Token budget (computed by the engine)"));
    auto *tokenLayout = new QVBoxLayout(tokenGroup);
    tokenLayout->addWidget(m_tokens);

    m_stageTabs->setObjectName(QStringLiteral("stages"));
    m_yaml = new QPlainTextEdit;
    m_yaml->setObjectName(QStringLiteral("configYaml"));
    m_yaml->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_yaml->setTabChangesFocus(true);
    m_yaml->setToolTip(tr("The whole config: every key, stages added or removed. The form follows what you type."));
    m_yamlPause = new QTimer(this);
    m_yamlPause->setSingleShot(true);
    m_yamlPause->setInterval(400);
    connect(m_yamlPause, &QTimer::timeout, this, &LauncherView::applyYamlText);
    connect(m_yaml, &QPlainTextEdit::textChanged, m_yamlPause, qOverload<>(&QTimer::start));
    auto *pages = new QTabWidget;
    pages->setObjectName(QStringLiteral("configPages"));
    pages->addTab(m_stageTabs, tr("Stages"));
    //: The launcher's page showing the whole run config as editable YAML text.
    pages->addTab(m_yaml, tr("YAML"));

    auto *right = new QVBoxLayout;
    right->addWidget(pages, 3);
    right->addWidget(tokenGroup, 2);

    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 4);
    columns->addLayout(right, 7);

    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_launch = new QPushButton(tr("&Launch"));
    m_launch->setObjectName(QStringLiteral("launch"));
    m_launch->setDefault(true);
    m_launch->setEnabled(false);
    connect(m_launch, &QPushButton::clicked, this, &LauncherView::launch);
    m_sweep = new QPushButton(tr("S&weep…"));
    m_sweep->setObjectName(QStringLiteral("sweep"));
    m_sweep->setToolTip(tr("Launch this config as a grid of variants and seeds, tagged for the comparison dashboard"));
    m_sweep->setEnabled(false);
    connect(m_sweep, &QPushButton::clicked, this, [this] {
        if (launchable())
            emit sweepRequested(configYaml(), runName());
    });
    m_processes = new QSpinBox;
    m_processes->setObjectName(QStringLiteral("processes"));
    m_processes->setRange(1, 64);
    m_processes->setToolTip(tr("Data-parallel processes: each takes its share of every batch and the gradients "
                               "are summed, so the run trains as one process with the whole batch would. The "
                               "CPUs are shared out among them."));
    // The machine decides what pays (two ranks on two cores train the quickstart about 1.6x faster): kept for the next launch.
    m_processes->setValue(QSettings().value(QStringLiteral("launcher/processes"), 1).toInt());
    connect(m_processes, &QSpinBox::valueChanged, this,
            [](int processes) { QSettings().setValue(QStringLiteral("launcher/processes"), processes); });
    auto *processesLabel = new QLabel(tr("&Processes:"));
    processesLabel->setBuddy(m_processes);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_message, 1);
    bottom->addWidget(processesLabel, 0, Qt::AlignBottom);
    bottom->addWidget(m_processes, 0, Qt::AlignBottom);
    bottom->addWidget(m_sweep, 0, Qt::AlignBottom);
    bottom->addWidget(m_launch, 0, Qt::AlignBottom);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(columns, 1);
    layout->addLayout(bottom);

    m_message->setText(tr("Choose a preset or load a run config."));
}

QWidget *LauncherView::createRunGroup()
{
    // Editors are named by the config key they edit: invalid keys find
    // their editor by name.
    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("(unnamed)"));
    connect(m_name, &QLineEdit::textEdited, this, [this](const QString &text) {
        setValue(section({}), "name", Json(text.toStdString()));
    });
    m_connectorType = new QComboBox;
    m_connectorType->setObjectName(QStringLiteral("model.connector.type"));
    m_connectorType->addItem(tr("Chain-of-Sight"), QStringLiteral("chain_of_sight"));
    m_connectorType->addItem(tr("Resampler (one global window)"), QStringLiteral("resampler"));
    m_connectorType->addItem(tr("MLP projector (one token per patch)"), QStringLiteral("mlp"));
    connect(m_connectorType, &QComboBox::activated, this, &LauncherView::onConnectorTypeEdited);

    m_visionPart = new QComboBox;
    m_visionPart->setObjectName(QStringLiteral("model.vision.pretrained"));
    m_lmPart = new QComboBox;
    m_lmPart->setObjectName(QStringLiteral("model.lm.pretrained"));
    for (const auto &[box, part] : pretrainedBoxes()) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        connect(box, &QComboBox::activated, this, [this, box = box, part = part](int index) {
            choosePretrained(part, box->itemData(index).toString());
        });
    }

    auto *group = new QGroupBox(tr("Run"));
    auto *form = new QFormLayout(group);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Connector:"), m_connectorType);
    form->addRow(tr("&Vision tower:"), m_visionPart);
    form->addRow(tr("Lan&guage model:"), m_lmPart);
    return group;
}

void LauncherView::setImports(const std::vector<ImportRecord> &imports)
{
    auto same = [](const ImportRecord &a, const ImportRecord &b) {
        return a.id == b.id && a.path == b.path && a.createdAt == b.createdAt;
    };
    if (std::equal(imports.begin(), imports.end(), m_imports.begin(), m_imports.end(), same))
        return; // nothing new: the boxes stay as the user may be using them
    m_imports = imports;
    populatePretrained();
}

std::array<std::pair<QComboBox *, std::string>, 2> LauncherView::pretrainedBoxes() const
{
    return {{{m_visionPart, "vision"}, {m_lmPart, "lm"}}};
}

void LauncherView::populatePretrained()
{
    for (const auto &[box, part] : pretrainedBoxes()) {
        QSignalBlocker blocker(box);
        box->clear();
        box->addItem(tr("Trained here, from scratch"), QString());
        for (const ImportRecord &r : m_imports) {
            const QString path = qs(r.path);
            if (r.part != part || !QFileInfo(path).isDir())
                continue;
            box->addItem(tr("%1 (%2)").arg(qs(r.architecture), QFileInfo(path).fileName()), path);
            box->setItemData(box->count() - 1,
                             tr("%1\nimported from %2\n%3 parameters")
                                 .arg(path, qs(r.source), QLocale().toString(qlonglong(r.parameters))),
                             Qt::ToolTipRole);
        }
        const QString chosen = configValueText(valueAt(m_tree, {"model", part, "pretrained"}));
        int index = chosen.isEmpty() ? 0 : box->findData(chosen);
        if (index < 0) {
            box->addItem(tr("%1 (not among the imports)").arg(chosen), chosen);
            index = box->count() - 1;
        }
        box->setCurrentIndex(index);
    }
}

void LauncherView::choosePretrained(const std::string &part, const QString &path)
{
    Json *sec = section({"model", part.c_str()});
    if (!sec)
        return;
    const bool imported = findKey(*sec, "pretrained") != nullptr;
    if (path.isEmpty()) {
        sec->erase("pretrained");
        if (Json *stash = findKey(m_stashedArchitecture, part)) {
            for (const auto &[key, value] : stash->items())
                (*sec)[key] = value;
            m_stashedArchitecture.erase(part);
        }
    } else {
        if (!imported) {
            Json stash = Json::object();
            for (auto it = sec->begin(); it != sec->end();) {
                if (isRunChoiceWithImport(part, it.key())) {
                    ++it;
                    continue;
                }
                stash[it.key()] = it.value();
                it = sec->erase(it);
            }
            m_stashedArchitecture[part] = stash;
        }
        (*sec)["pretrained"] = path.toStdString();
    }
    // An imported language model reads text with its own pieces; the data
    // set's words come back when it goes.
    if (part == "lm") {
        const Json *chosen = valueAt(m_tree, {"data", "tokenizer"});
        if (!path.isEmpty() && QFileInfo::exists(path + QStringLiteral("/tokenizer.model"))) {
            if (Json *data = section({"data"}))
                (*data)["tokenizer"] = "lm";
        } else if (chosen && *chosen == "lm") {
            section({"data"})->erase("tokenizer");
        }
    }
    recheck();
}

QWidget *LauncherView::createScalesGroup()
{
    m_scales = new ScalesTableModel(m_tree, this);
    connect(m_scales, &ScalesTableModel::edited, this, &LauncherView::recheck);
    m_scalesView = new QTableView;
    m_scalesView->setObjectName(QStringLiteral("model.connector.scales"));
    m_scalesView->setModel(m_scales);
    m_scalesView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_scalesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_scalesView->setSelectionMode(QAbstractItemView::SingleSelection);

    m_addScale = new QPushButton(tr("&Add scale"));
    connect(m_addScale, &QPushButton::clicked, this, &LauncherView::addScale);
    m_removeScale = new QPushButton(tr("&Remove scale"));
    connect(m_removeScale, &QPushButton::clicked, this, &LauncherView::removeScale);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addScale);
    buttons->addWidget(m_removeScale);
    buttons->addStretch();

    auto *group = new QGroupBox(tr("Scales (coarse to fine)"));
    auto *layout = new QVBoxLayout(group);
    layout->addWidget(m_scalesView);
    layout->addLayout(buttons);
    return group;
}

QWidget *LauncherView::createDataGroup()
{
    m_dataDir = new QLineEdit;
    m_dataDir->setObjectName(QStringLiteral("data.dir"));
    m_dataDir->setPlaceholderText(tr("default data directory"));
    connect(m_dataDir, &QLineEdit::textEdited, this, [this](const QString &text) {
        setValue(section({"data"}), "dir", text.isEmpty() ? Json() : Json(text.toStdString()));
    });
    auto *browse = new QPushButton(tr("&Browse…"));
    connect(browse, &QPushButton::clicked, this, &LauncherView::browseDataDir);
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_dataDir, 1);
    dirRow->addWidget(browse);

    m_dataGrid = formSpinBox(0, 64);
    m_dataGrid->setSuffix(tr(" cells per side"));
    m_trainImages = formSpinBox(0, INT_MAX);
    m_testImages = formSpinBox(0, INT_MAX);
    const std::pair<QSpinBox *, const char *> spins[] = {
        {m_dataGrid, "grid"}, {m_trainImages, "train_images"}, {m_testImages, "test_images"}};
    for (const auto &[box, key] : spins) {
        box->setObjectName(QStringLiteral("data.") + QLatin1String(key));
        connect(box, &QSpinBox::valueChanged, this, [this, key = key](int value) {
            setValue(section({"data"}), key, Json(value));
        });
    }

    m_dataGroup = new QGroupBox(tr("Dataset (FMNIST-Grid)"));
    m_dataGroup->setObjectName(QStringLiteral("data"));
    auto *form = new QFormLayout(m_dataGroup);
    form->addRow(tr("Directory:"), dirRow);
    form->addRow(tr("&Grid:"), m_dataGrid);
    form->addRow(tr("&Training images:"), m_trainImages);
    form->addRow(tr("T&est images:"), m_testImages);
    return m_dataGroup;
}

void LauncherView::setPresetDirectory(const QString &dir)
{
    m_presetDir = dir;
    m_preset->clear();
    QStringList files;
    QDirIterator it(dir, {QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(dir).relativeFilePath(it.next());
    files.sort();
    for (const QString &file : files)
        m_preset->addItem(file, QDir(dir).absoluteFilePath(file));
    m_preset->setCurrentIndex(-1);
}

void LauncherView::setDevices(const QStringList &devices)
{
    m_devices = devices;
    for (StageEditor *editor : m_stages)
        editor->setDevices(m_devices);
}

std::optional<Json> LauncherView::parseConfigText(const QString &text, const QString &source, QString *error)
{
    Json tree;
    try {
        tree = parseYaml(text.toStdString(), source.toStdString());
    } catch (const InputError &e) {
        if (error)
            *error = qs(e.what());
        return std::nullopt;
    }
    if (!tree.is_object()) {
        if (error)
            *error = tr("%1: a run config is a mapping with model and stages").arg(source);
        return std::nullopt;
    }
    return tree;
}

bool LauncherView::setConfigText(const QString &text, const QString &source, QString *error)
{
    std::optional<Json> tree = parseConfigText(text, source, error);
    if (!tree)
        return false;
    m_tree = std::move(*tree);
    m_source = source;
    m_stashedScales = Json();
    m_stashedQueries = Json();
    m_stashedArchitecture = Json::object();
    {
        // Fields are marked once the form shows the new config.
        QScopedValueRollback<bool> guard(m_populating, true);
        recheck();
    }
    populate();
    return true;
}

void LauncherView::applyYamlText()
{
    QScopedValueRollback<bool> applying(m_applyingYaml, true);
    //: Names the launcher's YAML page in an error about its text, e.g. "the YAML page: line 3: ...".
    std::optional<Json> tree = parseConfigText(m_yaml->toPlainText(), tr("the YAML page"), &m_yamlError);
    if (!tree) {
        recheck();
        return;
    }
    m_yamlError.clear();
    if (*tree == m_tree) {
        recheck();
        return;
    }
    m_tree = std::move(*tree);
    {
        QScopedValueRollback<bool> guard(m_populating, true);
        recheck();
    }
    populate();
}

bool LauncherView::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    return setConfigText(QString::fromUtf8(file.readAll()), path, error);
}

bool LauncherView::saveYaml(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        file.write(configYaml().toUtf8());
        if (file.commit())
            return true;
    }
    if (error)
        *error = tr("%1: %2").arg(path, file.errorString());
    return false;
}

QString LauncherView::configYaml() const
{
    return qs(toYaml(m_tree));
}

QString LauncherView::runName() const
{
    const Json *name = valueAt(m_tree, {"name"});
    return name && name->is_string() ? qs(name->get<std::string>()) : QString();
}

bool LauncherView::isLaunchEnabled() const
{
    return m_launch->isEnabled();
}

QString LauncherView::validationMessage() const
{
    return launchable() ? QString() : m_message->text();
}

QAbstractItemModel *LauncherView::scalesModel() const
{
    return m_scales;
}

QString LauncherView::tokenSummaryText() const
{
    QStringList lines;
    for (int row = 0; row < m_tokens->rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < m_tokens->columnCount(); ++column)
            cells << m_tokens->horizontalHeaderItem(column)->text() + QStringLiteral(": ")
                         + m_tokens->item(row, column)->text();
        lines << cells.join(QStringLiteral("; "));
    }
    return lines.join(QLatin1Char('\n'));
}

Json *LauncherView::section(std::initializer_list<const char *> path)
{
    Json *node = asMapping(m_tree);
    for (const char *key : path) {
        if (!node)
            return nullptr;
        node = asMapping((*node)[key]);
    }
    return node;
}

Json *LauncherView::stage(int index)
{
    Json *root = asMapping(m_tree);
    const Json *stages = root ? findKey(*root, "stages") : nullptr;
    if (!stages || !stages->is_array() || size_t(index) >= stages->size())
        return nullptr;
    return asMapping((*root)["stages"].at(size_t(index)));
}

const Json *LauncherView::shownValue(const std::vector<std::string> &path) const
{
    if (const Json *value = valueAt(m_tree, path))
        return value;
    return m_check.ok ? valueAt(m_check.resolved, path) : nullptr;
}

void LauncherView::setValue(Json *parent, const char *key, Json value)
{
    if (m_populating || !parent)
        return;
    if (value.is_null())
        parent->erase(key);
    else
        (*parent)[key] = std::move(value);
    recheck();
}

void LauncherView::populate()
{
    QScopedValueRollback<bool> guard(m_populating, true);
    m_name->setText(runName());
    const int type = m_connectorType->findData(configValueText(shownValue({"model", "connector", "type"}),
                                                      QStringLiteral("chain_of_sight")));
    m_connectorType->setCurrentIndex(type);
    populatePretrained();
    populateScales();

    m_dataDir->setText(configValueText(valueAt(m_tree, {"data", "dir"})));
    m_dataGrid->setValue(configInt(shownValue({"data", "grid"}), 0));
    m_trainImages->setValue(configInt(shownValue({"data", "train_images"}), 0));
    m_testImages->setValue(configInt(shownValue({"data", "test_images"}), 0));

    // Deleted now, not later: the new tabs' editors reuse the names.
    while (m_stageTabs->count() > 0)
        delete m_stageTabs->widget(0);
    m_stages.clear();
    const Json *stages = valueAt(m_tree, {"stages"});
    const size_t count = stages && stages->is_array() ? stages->size() : 0;
    for (size_t i = 0; i < count; ++i) {
        const int index = static_cast<int>(i);
        const QString name = configValueText(valueAt(m_tree, {"stages", std::to_string(i), "name"}),
                                    tr("stage %1").arg(index));
        auto *editor = new StageEditor(
            index, m_devices,
            [this, i](const char *key) { return shownValue({"stages", std::to_string(i), key}); },
            valueAt(m_tree, {"stages", std::to_string(i), "scaling"}));
        connect(editor, &StageEditor::edited, this,
                [this, index](const QString &key, const Json &value) { onStageEdited(index, key, value); });
        m_stages.push_back(editor);
        m_stageTabs->addTab(editor, name);
    }
    populateWindowFactors();
    markFields();
}

void LauncherView::populateScales()
{
    m_scales->reload();
    const QString type = m_connectorType->currentData().toString();
    const bool windowed = type == QLatin1String("chain_of_sight");
    m_scalesView->setEnabled(type != QLatin1String("mlp"));
    m_addScale->setEnabled(windowed);
    m_removeScale->setEnabled(windowed && m_scales->rowCount() > 1);
}

void LauncherView::populateWindowFactors()
{
    QScopedValueRollback<bool> guard(m_populating, true);
    for (size_t i = 0; i < m_stages.size(); ++i)
        m_stages[i]->showWindowFactors(valueAt(m_tree, {"stages", std::to_string(i), "scaling", "window"}));
}

void LauncherView::onConnectorTypeEdited()
{
    Json *connector = section({"model", "connector"});
    if (!connector)
        return;
    const std::string type = m_connectorType->currentData().toString().toStdString();
    // Put the other types' shapes aside: the engine rejects a resampler
    // with scales and needs them for Chain-of-Sight.
    if (const Json *scales = findKey(*connector, "scales"); scales && type != "chain_of_sight") {
        m_stashedScales = *scales;
        connector->erase("scales");
    }
    if (const Json *queries = findKey(*connector, "queries"); queries && type != "resampler") {
        m_stashedQueries = *queries;
        connector->erase("queries");
    }
    if (type == "chain_of_sight" && !findKey(*connector, "scales"))
        (*connector)["scales"] = m_stashedScales.is_null() ? Json::array({Json{{"windows", 1}, {"queries", 1}}}) : m_stashedScales;
    if (type == "resampler" && !findKey(*connector, "queries")) {
        // As many queries as the first (global) scale has.
        const Json *first = valueAt(m_stashedScales, {"0", "queries"});
        (*connector)["queries"] = m_stashedQueries.is_null() ? Json(configInt(first, 1)) : m_stashedQueries;
    }
    (*connector)["type"] = type;
    populateScales();
    recheck();
}

void LauncherView::addScale()
{
    Json *scales = childOf(section({"model", "connector"}), "scales");
    if (!scales || !scales->is_array())
        return;
    // A finer scale than the last: twice the windows per side.
    const Json *last = scales->size() ? &scales->back() : nullptr;
    const int windows = last && last->is_object() ? configInt(findKey(*last, "windows"), 1) : 1;
    const int queries = last && last->is_object() ? configInt(findKey(*last, "queries"), 1) : 1;
    scales->push_back(Json{{"windows", 2 * windows}, {"queries", queries}});
    // Stages that list a window factor per scale get the identity for the
    // new one, so the list still matches the scales.
    for (size_t i = 0; i < m_stages.size(); ++i) {
        Json *window = childOf(childOf(stage(static_cast<int>(i)), "scaling"), "window");
        if (window && window->is_array())
            window->push_back(Json(1));
    }
    populateScales();
    populateWindowFactors();
    recheck();
}

void LauncherView::removeScale()
{
    Json *scales = childOf(section({"model", "connector"}), "scales");
    if (!scales || !scales->is_array() || scales->size() < 2)
        return;
    const QModelIndexList selected = m_scalesView->selectionModel()->selectedRows();
    const size_t row = selected.isEmpty() ? scales->size() - 1 : size_t(selected.first().row());
    if (row >= scales->size())
        return;
    scales->erase(row);
    for (size_t i = 0; i < m_stages.size(); ++i) {
        Json *window = childOf(childOf(stage(static_cast<int>(i)), "scaling"), "window");
        if (window && window->is_array() && row < window->size())
            window->erase(row);
    }
    populateScales();
    populateWindowFactors();
    recheck();
}

void LauncherView::onStageEdited(int index, const QString &key, const Json &value)
{
    // "scaling.window" lives in the stage's scaling, which the toggle makes.
    const QStringList parts = key.split('.');
    Json *parent = parts.size() > 1 ? childOf(stage(index), parts.first().toUtf8().constData()) : stage(index);
    setValue(parent, parts.last().toUtf8().constData(), value);
}

void LauncherView::recheck()
{
    const bool wasValid = launchable();
    m_check = checkRunConfig(m_tree, m_source.toStdString());
    if (!m_applyingYaml) {
        // An edit in the form (or a new config) replaces the page's text.
        m_yamlError.clear();
        const QSignalBlocker quiet(m_yaml);
        m_yamlPause->stop();
        m_yaml->setPlainText(configYaml());
    }
    m_launch->setEnabled(launchable());
    m_sweep->setEnabled(launchable());
    if (!m_yamlError.isEmpty()) {
        // The form still shows the last config that parsed; Launch waits for the text.
        m_message->setText(m_yamlError);
        m_message->setStyleSheet(QStringLiteral("color: #a94442;"));
    } else if (m_check.ok) {
        m_message->setText(tr("Ready to launch."));
        m_message->setStyleSheet({});
    } else {
        // The field shows where; the label says what, with the key path for
        // values the form does not show.
        m_message->setText(m_check.errorKey.empty() ? qs(m_check.error)
                                                    : tr("%1: %2").arg(qs(m_check.errorKey), qs(m_check.errorReason)));
        m_message->setStyleSheet(QStringLiteral("color: #a94442;"));
    }
    showTokens();
    if (!m_populating)
        markFields();
    if (wasValid != launchable())
        emit validityChanged(launchable());
}

void LauncherView::showTokens()
{
    m_tokens->setRowCount(0);
    if (!m_check.ok)
        return;
    m_tokens->setRowCount(static_cast<int>(m_check.stages.size()));
    QStringList overflows;
    for (size_t i = 0; i < m_check.stages.size(); ++i) {
        const StageTokens &s = m_check.stages[i];
        QStringList windows, perScale, shapes;
        for (const ScaleTokens &scale : s.scales) {
            windows << QString::number(scale.windows);
            perScale << QString::number(scale.tokens);
            shapes << tr("%1×%1 windows × %2 queries").arg(scale.windows).arg(scale.queries);
        }
        // A text stage sees no image; a vision stage trains the tower alone,
        // with no tokens and no language model.
        const bool image = stageSeesImage(s.kind), tokens = stageHasVisualTokens(s.kind);
        const QString none = QStringLiteral("–");
        const QString cells[TokenColumnCount] = {
            s.name == s.kind ? qs(s.name) : tr("%1 (%2)").arg(qs(s.name), qs(s.kind)),
            image ? tr("%1 px").arg(s.resolution) : none,
            image ? tr("%1×%1").arg(s.grid) : none,
            tokens ? windows.join(QStringLiteral(", ")) : none,
            tokens ? perScale.join(QStringLiteral(" + ")) : none,
            QString::number(s.visualTokens),
            bytesText(s.memoryTotal),
            tokens  ? tr("%1 + text ≤ %2").arg(s.visualTokens).arg(s.lmMaxSequence)
            : image ? none
                    : tr("text ≤ %1").arg(s.lmMaxSequence),
        };
        const auto device = m_deviceMemory.find(s.device);
        const int64_t available = device == m_deviceMemory.end() ? 0 : device->second;
        const bool tooLarge = available > 0 && s.memoryTotal > available;
        if (tooLarge)
            overflows << tr("%1 needs about %2, more than %3's %4")
                             .arg(qs(s.name), bytesText(s.memoryTotal), qs(s.device), bytesText(available));
        for (int column = 0; column < TokenColumnCount; ++column) {
            auto *item = new QTableWidgetItem(cells[column]);
            if (column == TokensPerScaleColumn)
                item->setToolTip(shapes.join(QStringLiteral(" + ")));
            if (column == LmSequenceColumn)
                item->setToolTip(tr("Room for %1 text tokens per sample").arg(s.textRoom()));
            if (column == MemoryColumn) {
                item->setToolTip(tr("weights %1, gradients %2, optimizer %3, activations %4")
                                     .arg(bytesText(s.memoryWeights), bytesText(s.memoryGradients),
                                          bytesText(s.memoryOptimizer), bytesText(s.memoryActivations)));
                if (tooLarge)
                    item->setBackground(kInvalidColor);
            }
            m_tokens->setItem(static_cast<int>(i), column, item);
        }
    }
    // A warning, not a refusal: the estimate is an upper bound.
    if (!overflows.isEmpty()) {
        m_message->setText(tr("Ready to launch, but %1.").arg(overflows.join(QStringLiteral("; "))));
        m_message->setStyleSheet(QStringLiteral("color: #8a6d3b;"));
    }
}

void LauncherView::setDeviceMemory(const std::map<std::string, int64_t> &bytes)
{
    m_deviceMemory = bytes;
    recheck();
}

void LauncherView::clearMarks()
{
    for (QWidget *w : m_marked) {
        w->setProperty("invalid", false);
        w->setToolTip(w->property("help").toString());
        w->setStyleSheet({});
    }
    m_marked.clear();
    m_scales->clearMarks();
    for (int i = 0; i < m_stageTabs->count(); ++i)
        m_stageTabs->tabBar()->setTabTextColor(i, QColor());
}

void LauncherView::markWidget(QWidget *widget, const QString &reason)
{
    widget->setProperty("invalid", true);
    widget->setToolTip(reason);
    // Only on the marked widget, so the others keep the platform style; the
    // selector keeps a container's children unmarked.
    widget->setStyleSheet(QStringLiteral("[invalid=\"true\"] { background-color: %1; border: 1px solid #c9302c; }")
                              .arg(kInvalidColor.name()));
    m_marked.push_back(widget);
}

void LauncherView::markFields()
{
    QScopedValueRollback<bool> guard(m_populating, true);
    clearMarks();
    if (m_check.ok || m_check.errorKey.empty())
        return;
    const QString key = qs(m_check.errorKey);
    const QString reason = qs(m_check.errorReason);

    static const QRegularExpression scaleKey(
        QStringLiteral(R"(^model\.connector\.scales\[(\d+)\]\.(windows|queries)$)"));
    static const QRegularExpression stageKey(QStringLiteral(R"(^stages\[(\d+)\])"));
    static const QRegularExpression lastPart(QStringLiteral(R"((\.\w+|\[\d+\])$)"));
    if (const auto m = scaleKey.match(key); m.hasMatch()) {
        m_scales->markCell(m.captured(1).toInt(), m.captured(2) == QLatin1String("windows")
                                                      ? ScalesTableModel::WindowsColumn
                                                      : ScalesTableModel::QueriesColumn,
                           reason);
        return;
    }
    if (key == QLatin1String("model.connector.queries")) {
        m_scales->markCell(0, ScalesTableModel::QueriesColumn, reason);
        return;
    }
    if (const auto m = stageKey.match(key); m.hasMatch() && m.captured(1).toInt() < m_stageTabs->count())
        m_stageTabs->tabBar()->setTabTextColor(m.captured(1).toInt(), QColor(0xa9, 0x44, 0x42));
    // Editors are named by the key they edit; a key below one (a list item,
    // a sub-key) marks the editor that holds it.
    for (QString path = key; !path.isEmpty(); path.remove(lastPart)) {
        if (auto *widget = findChild<QWidget *>(path)) {
            markWidget(widget, reason);
            return;
        }
        if (!lastPart.match(path).hasMatch())
            return;
    }
}

void LauncherView::choosePreset(int index)
{
    QString error;
    if (!loadFile(m_preset->itemData(index).toString(), &error)) {
        m_message->setText(error);
        m_message->setStyleSheet(QStringLiteral("color: #a94442;"));
    }
}

void LauncherView::browseDataDir()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset directory"), m_dataDir->text());
    if (dir.isEmpty())
        return;
    m_dataDir->setText(dir);
    setValue(section({"data"}), "dir", Json(dir.toStdString()));
}

void LauncherView::loadWithDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load run config"), m_presetDir,
                                                      tr("Run configs (*.yaml *.yml *.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!loadFile(path, &error)) {
        m_message->setText(error);
        m_message->setStyleSheet(QStringLiteral("color: #a94442;"));
        return;
    }
    m_preset->setCurrentIndex(m_preset->findData(QFileInfo(path).absoluteFilePath()));
}

void LauncherView::saveWithDialog()
{
    const QString suggested = QDir(m_presetDir).filePath((runName().isEmpty() ? tr("run") : runName()) + ".yaml");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save run config"), suggested,
                                                      tr("YAML (*.yaml *.yml)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveYaml(path, &error)) {
        m_message->setText(error);
        m_message->setStyleSheet(QStringLiteral("color: #a94442;"));
    }
}

void LauncherView::launch()
{
    if (launchable())
        emit launchRequested(configYaml(), runName(), processes());
}

int LauncherView::processes() const { return m_processes->value(); }

} // namespace cosw
