#include "Files.h"

#include "Errors.h"
#include "Messages.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cosw {

std::string readTextFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(fill(msg("%1: cannot open file"), {path}));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeTextFile(const std::string &path, const std::string &bytes)
{
    FileWriter out(path);
    out.write(bytes.data(), bytes.size());
    out.close();
}

FileWriter::FileWriter(const std::string &path) : m_path(path)
{
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (m_fd < 0)
        fail(errno);
}

FileWriter::~FileWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void FileWriter::write(const void *data, size_t size)
{
    // Linux write() stores at most about 2 GiB per call.
    constexpr size_t kMaxChunk = size_t(1) << 30;
    const char *p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = ::write(m_fd, p, std::min(size, kMaxChunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail(n < 0 ? errno : ENOSPC);
        p += n;
        size -= size_t(n);
    }
}

void FileWriter::close()
{
    const int rc = ::close(m_fd);
    m_fd = -1;
    if (rc != 0)
        fail(errno);
}

void FileWriter::fail(int error) const
{
    throw std::runtime_error(fill(msg("%1: cannot write (%2)"), {m_path, std::strerror(error)}));
}

} // namespace cosw
