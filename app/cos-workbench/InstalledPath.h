#pragma once
// Files the workbench ships (presets, the user guide) live under the install
// prefix beside the program; a build tree reads the source tree's.

#include <QString>

namespace cosw {

// `relative` under the prefix the program is installed in (bin/..) where it
// exists, else `sourcePath`.
QString installedOrSource(const QString &relative, const QString &sourcePath);

} // namespace cosw
