#include "StageKind.h"

namespace cosw {

bool stageSeesImage(const std::string &kind)
{
    return kind != "text";
}

bool stageHasVisualTokens(const std::string &kind)
{
    return kind != "text" && kind != "vision";
}

} // namespace cosw
