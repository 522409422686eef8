#pragma once
// Writes a config tree as YAML that loadYamlFile/parseYaml read back to an
// equal tree, so a config edited in the GUI can be saved and run as written.

#include "base/Json.h"

#include <string>

namespace cosw {

// Comments of the source are not kept: the tree does not hold them.
std::string toYaml(const Json &value);

} // namespace cosw
