#include "InstalledPath.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace cosw {

QString installedOrSource(const QString &relative, const QString &sourcePath)
{
    const QFileInfo installed(QDir(QCoreApplication::applicationDirPath()).filePath("../" + relative));
    return installed.exists() ? installed.canonicalFilePath() : sourcePath;
}

} // namespace cosw
