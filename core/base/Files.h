#pragma once
// Whole-file I/O with errors that name the file.

#include <cstddef>
#include <string>

namespace cosw {

// Throws InputError "PATH: cannot open file" when the file cannot be read.
std::string readTextFile(const std::string &path);
// Writes `bytes` (text or not) through a FileWriter.
void writeTextFile(const std::string &path, const std::string &bytes);

// A file written through POSIX calls, so that a failure names the file and
// says why (a full disk, a file-size limit): std::runtime_error
// "PATH: cannot write (REASON)". Creates or truncates the file.
class FileWriter {
public:
    explicit FileWriter(const std::string &path);
    ~FileWriter(); // closes a file close() was not called for
    FileWriter(const FileWriter &) = delete;
    FileWriter &operator=(const FileWriter &) = delete;

    void write(const void *data, size_t size);
    // Flushes to the system and closes; a late failure (NFS, quotas) throws.
    void close();

private:
    [[noreturn]] void fail(int error) const;

    std::string m_path;
    int m_fd = -1;
};

} // namespace cosw
