#include "TestSupport.h"

#include <QDir>

namespace cosw::test {

QString sourcePath(const QString &relative)
{
    QByteArray root = qgetenv("COS_SOURCE_DIR");
    return QDir(QString::fromLocal8Bit(root)).filePath(relative);
}

} // namespace cosw::test
