#include "WorkbenchSettings.h"

#include "Translations.h"
#include "store/ExperimentStore.h"

#include <QFileInfo>
#include <QSettings>

#include <algorithm>

namespace cosw {

WorkbenchSettings WorkbenchSettings::defaults()
{
    WorkbenchSettings s;
    s.databasePath = QString::fromStdString(ExperimentStore::defaultPath());
    s.dataDirectory = QFileInfo(s.databasePath).absolutePath();
    return s;
}

WorkbenchSettings WorkbenchSettings::load(QSettings &settings)
{
    WorkbenchSettings s = defaults();
    settings.beginGroup("workbench");
    if (qEnvironmentVariableIsEmpty("COS_DB"))
        s.databasePath = settings.value("databasePath", s.databasePath).toString();
    else
        s.sessionStore = s.databasePath;
    s.dataDirectory = settings.value("dataDirectory", s.dataDirectory).toString();
    s.defaultDevice = settings.value("defaultDevice", s.defaultDevice).toString();
    s.threads = std::max(0, settings.value("threads", s.threads).toInt());
    s.runsPerDevice = std::max(1, settings.value("runsPerDevice", s.runsPerDevice).toInt());
    s.language = settings.value("language", s.language).toString();
    if (!isShippedLanguage(s.language))
        s.language.clear();
    settings.endGroup();
    return s;
}

void WorkbenchSettings::save(QSettings &settings) const
{
    settings.beginGroup("workbench");
    if (databasePath != sessionStore)
        settings.setValue("databasePath", databasePath);
    settings.setValue("dataDirectory", dataDirectory);
    settings.setValue("defaultDevice", defaultDevice);
    settings.setValue("threads", threads);
    settings.setValue("runsPerDevice", runsPerDevice);
    settings.setValue("language", language);
    settings.endGroup();
}

bool WorkbenchSettings::operator==(const WorkbenchSettings &o) const
{
    return databasePath == o.databasePath && dataDirectory == o.dataDirectory && defaultDevice == o.defaultDevice
           && threads == o.threads && runsPerDevice == o.runsPerDevice && language == o.language
           && sessionStore == o.sessionStore;
}

} // namespace cosw
