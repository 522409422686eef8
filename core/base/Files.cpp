#include "Files.h"

#include "Errors.h"

#include <fstream>
#include <sstream>

namespace cosw {

std::string readTextFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path + ": cannot open file");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeTextFile(const std::string &path, const std::string &text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out)
        throw std::runtime_error(path + ": cannot write");
}

} // namespace cosw
