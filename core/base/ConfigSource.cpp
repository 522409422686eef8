#include "ConfigSource.h"

namespace cosw {

std::string ConfigSource::where(const std::string &keyPath) const
{
    std::string path = keyPath;
    for (;;) {
        if (const auto it = lines.find(path); it != lines.end())
            return (file.empty() ? std::string("<config>") : file) + ":" + std::to_string(it->second);
        if (path.empty())
            return file;
        // The holder of "a.b" is "a", of "a[2]" is "a", of "a" the document.
        const size_t cut = path.find_last_of(".[");
        path.resize(cut == std::string::npos ? 0 : cut);
    }
}

} // namespace cosw
