#pragma once
// Designs a run before it spends compute: start from a preset or an existing
// run's config, edit what researchers change, and see the token budget the
// engine computes for it after every edit. The full config tree is kept, so
// keys the form does not show survive an edit, a save and a launch.
// Validation is the engine's own (through the ConfigCheck facade); the field
// its error names is marked and Launch stays disabled until it is fixed.

#include "base/Json.h"
#include "facade/ConfigCheck.h"
#include "store/StoreRecords.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <array>
#include <initializer_list>
#include <map>
#include <optional>
#include <vector>

class QAbstractItemModel;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTableWidget;
class QTimer;

namespace cosw {

class ScalesTableModel;
class StageEditor;

class LauncherView : public QWidget {
    Q_OBJECT
public:
    explicit LauncherView(QWidget *parent = nullptr);

    // Offers the *.yaml files under `dir` (subfolders included) as presets.
    void setPresetDirectory(const QString &dir);
    // The devices a stage may run on ("cpu", "cuda:0", ...); the device box
    // stays editable for any other cuda:N.
    void setDevices(const QStringList &devices);
    // Memory of each device by id (0: unknown), so a stage estimated to need
    // more than its device has is flagged before launch.
    void setDeviceMemory(const std::map<std::string, int64_t> &bytes);
    // Imported towers and language models (cos-batch import) the run may
    // start from; those whose directory is gone are not offered.
    void setImports(const std::vector<ImportRecord> &imports);

    // Starts from config text: YAML, or the JSON a run stores. `source` names
    // it in messages. False (with the reason in `error`) when the text is not
    // a YAML mapping; a config the engine rejects is loaded and marked.
    bool setConfigText(const QString &text, const QString &source, QString *error = nullptr);
    bool loadFile(const QString &path, QString *error = nullptr);
    bool saveYaml(const QString &path, QString *error = nullptr) const;

    // The edited config as YAML, as Launch hands it on.
    QString configYaml() const;
    const Json &configTree() const { return m_tree; }
    QString runName() const;
    // Data-parallel ranks a launch asks for (the Processes box).
    int processes() const;

    bool isLaunchEnabled() const;
    // Empty while the config is valid.
    QString validationMessage() const;
    // The token budget as shown, one line per stage.
    QString tokenSummaryText() const;
    // The engine's verdict on the current config.
    const ConfigCheck &lastCheck() const { return m_check; }
    // Rows are scales (coarse to fine); columns windows per side, queries.
    QAbstractItemModel *scalesModel() const;

public slots:
    void addScale();
    // Removes the selected scale, or the last one when none is selected.
    void removeScale();

signals:
    // `processes`: data-parallel ranks the run trains on (1: one process).
    void launchRequested(const QString &configYamlText, const QString &runName, int processes);
    // The user wants this config as a sweep of variants.
    void sweepRequested(const QString &configYamlText, const QString &runName);
    void validityChanged(bool valid);

private:
    // `text` as a config tree, or nullopt with the reason in `error`: YAML
    // (or JSON) that is a mapping.
    static std::optional<Json> parseConfigText(const QString &text, const QString &source, QString *error);
    // The YAML page's text, once typing pauses: the whole config, every key,
    // stages added or removed; the form follows it.
    void applyYamlText();
    // Launch and Sweep are offered for a valid config whose YAML page parses.
    bool launchable() const { return m_check.ok && m_yamlError.isEmpty(); }

    QWidget *createRunGroup();
    QWidget *createScalesGroup();
    QWidget *createDataGroup();

    void populate();
    void populateScales();
    void populateWindowFactors();
    void recheck();
    void markFields();
    void clearMarks();
    void markWidget(QWidget *widget, const QString &reason);
    void showTokens();

    // Where edits go: the raw tree, creating mappings on the way. Null when a
    // value on the way is not a mapping (the engine reports that config).
    Json *section(std::initializer_list<const char *> path);
    Json *stage(int index);
    // The value the form shows: the tree's, or the engine's default for it.
    const Json *shownValue(const std::vector<std::string> &path) const;
    void setValue(Json *parent, const char *key, Json value);

    void onConnectorTypeEdited();
    // The two boxes of imported parts, with the part each chooses.
    std::array<std::pair<QComboBox *, std::string>, 2> pretrainedBoxes() const;
    void populatePretrained();
    // `part` (vision | lm) from the import at `path`, or trained from
    // scratch when `path` is empty. The section's architecture keys are put
    // aside while an import stands in, and come back without it.
    void choosePretrained(const std::string &part, const QString &path);
    // A stage editor's edit: `key` of stage `index` ("scaling.window" inside its scaling).
    void onStageEdited(int index, const QString &key, const Json &value);
    void choosePreset(int index);
    void browseDataDir();
    void loadWithDialog();
    void saveWithDialog();
    void launch();

    Json m_tree;
    QString m_source;
    ConfigCheck m_check;
    Json m_resolvedOnLoad; // defaults for keys the tree leaves out
    // Connector shapes put aside when the type changes, so switching back
    // restores them.
    Json m_stashedScales;
    Json m_stashedQueries;
    Json m_stashedArchitecture = Json::object(); // part -> its architecture keys
    std::vector<ImportRecord> m_imports;
    std::map<std::string, int64_t> m_deviceMemory;
    bool m_populating = false;
    bool m_applyingYaml = false; // the YAML page is the source: leave its text as typed
    QString m_yamlError;         // why the YAML page's text does not parse; empty when it does
    QStringList m_devices{QStringLiteral("cpu")};
    QString m_presetDir;
    std::vector<StageEditor *> m_stages; // one per stage tab
    std::vector<QWidget *> m_marked;

    QComboBox *m_preset = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_connectorType = nullptr;
    QComboBox *m_visionPart = nullptr;
    QComboBox *m_lmPart = nullptr;
    ScalesTableModel *m_scales = nullptr;
    QTableView *m_scalesView = nullptr;
    QPushButton *m_addScale = nullptr;
    QPushButton *m_removeScale = nullptr;
    QGroupBox *m_dataGroup = nullptr;
    QLineEdit *m_dataDir = nullptr;
    QSpinBox *m_processes = nullptr;
    QSpinBox *m_dataGrid = nullptr;
    QSpinBox *m_trainImages = nullptr;
    QSpinBox *m_testImages = nullptr;
    QTabWidget *m_stageTabs = nullptr;
    QPlainTextEdit *m_yaml = nullptr;
    QTimer *m_yamlPause = nullptr;
    QTableWidget *m_tokens = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_launch = nullptr;
    QPushButton *m_sweep = nullptr;
};

} // namespace cosw
