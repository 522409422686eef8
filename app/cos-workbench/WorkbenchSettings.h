#pragma once
// What the user sets once and the workbench remembers (QSettings).

#include <QString>

class QSettings;

namespace cosw {

struct WorkbenchSettings {
    QString databasePath;   // the experiment store
    QString dataDirectory;  // launched configs and the runs' progress logs
    QString defaultDevice;  // passed to launched runs; empty: each stage's own device
    int threads = 0;        // intra-op threads of a launched run; 0: LibTorch's choice
    int runsPerDevice = 1;  // concurrent runs on one device; further launches wait
    QString language;       // en, de, zh_CN; empty: the system's (applies at the next start)
    // The store named for this session alone, by --db or $COS_DB: it beats
    // the saved one and is never saved in its place.
    QString sessionStore;

    // The defaults: the store's default file ($COS_DB honoured) and its folder.
    static WorkbenchSettings defaults();
    // Missing keys keep their defaults; $COS_DB, when set, is the store
    // whatever was saved.
    static WorkbenchSettings load(QSettings &settings);
    void save(QSettings &settings) const;

    bool operator==(const WorkbenchSettings &other) const;
    bool operator!=(const WorkbenchSettings &other) const { return !(*this == other); }
};

} // namespace cosw
