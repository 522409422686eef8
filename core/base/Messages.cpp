#include "Messages.h"

#include <libintl.h>

#include <clocale>
#include <filesystem>
#include <system_error>
#include <vector>

namespace cosw {

namespace {

constexpr const char *kDomain = "cos-batch";

std::string catalogueDirectory()
{
    std::error_code ec;
    const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path installed = program.parent_path().parent_path() / "share" / "locale";
        if (std::filesystem::exists(installed / "de" / "LC_MESSAGES" / "cos-batch.mo", ec))
            return installed.string();
    }
    return COS_BUILD_LOCALE_DIR;
}

} // namespace

void initMessages()
{
    std::setlocale(LC_MESSAGES, "");
    // Text comes out as UTF-8 whatever LC_CTYPE names ("C" in scripts).
    bindtextdomain(kDomain, catalogueDirectory().c_str());
    bind_textdomain_codeset(kDomain, "UTF-8");
}

const char *msg(const char *english) { return dgettext(kDomain, english); }

const char *msgn(const char *singular, const char *plural, unsigned long n)
{
    return dngettext(kDomain, singular, plural, n);
}

std::string fill(const std::string &pattern, std::initializer_list<std::string> args)
{
    const std::vector<std::string> values(args);
    std::string out;
    out.reserve(pattern.size());
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] >= '1' && pattern[i + 1] <= '9') {
            const size_t index = size_t(pattern[i + 1] - '1');
            if (index < values.size()) {
                out += values[index];
                ++i;
                continue;
            }
        }
        out += pattern[i];
    }
    return out;
}

std::string listText(const std::vector<std::string> &items)
{
    std::string out;
    for (const std::string &item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

} // namespace cosw
