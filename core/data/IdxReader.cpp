#include "IdxReader.h"

#include "base/Errors.h"
#include "base/Messages.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace cosw {

namespace {

constexpr uint32_t kUnsignedByteImages = 0x00000803;
constexpr uint32_t kUnsignedByteLabels = 0x00000801;
// Far above Fashion-MNIST's 60000 x 28 x 28; stops a corrupt header from
// asking for an absurd allocation before the truncation check could run.
constexpr uint64_t kMaxIdxBytes = uint64_t(1) << 32;

// Named in the messages that say how to install the data set.
const char *kPackage = "dataset-fashion-mnist";
const char *kDirVariable = "COS_FASHION_MNIST_DIR";

class GzFile {
public:
    explicit GzFile(const std::string &path) : m_path(path)
    {
        if (!std::filesystem::is_regular_file(path))
            throw InputError(fill(msg("%1: no such file"), {path}));
        m_file = gzopen(path.c_str(), "rb");
        if (!m_file)
            throw InputError(fill(msg("%1: cannot open file"), {path}));
    }
    ~GzFile() { gzclose(m_file); }
    GzFile(const GzFile &) = delete;
    GzFile &operator=(const GzFile &) = delete;

    // Reads up to `size` bytes; fewer only at the end of the stream.
    size_t read(uint8_t *data, size_t size)
    {
        size_t done = 0;
        while (done < size) {
            const unsigned chunk = static_cast<unsigned>(std::min<size_t>(size - done, 1u << 30));
            const int n = gzread(m_file, data + done, chunk);
            if (n < 0) {
                int code = 0;
                const char *message = gzerror(m_file, &code);
                throw InputError(fill(msg("%1: corrupt gzip stream (%2)"), {m_path, message}));
            }
            if (n == 0)
                break;
            done += static_cast<size_t>(n);
        }
        return done;
    }

    uint32_t readBigEndian32(const char *what)
    {
        uint8_t b[4];
        if (read(b, 4) != 4)
            throw InputError(fill(msg("%1: truncated IDX header (no %2)"), {m_path, what}));
        return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | uint32_t(b[3]);
    }

    // Reads exactly `size` bytes of data and checks that nothing follows.
    std::vector<uint8_t> readPayload(uint64_t size)
    {
        if (size > kMaxIdxBytes)
            throw InputError(fill(msg("%1: IDX dimensions describe %2 bytes, more than this reader accepts"),
                                  {m_path, std::to_string(size)}));
        // Grown as the data arrives, so a header that promises more than the
        // file holds costs no memory.
        constexpr size_t kChunk = size_t(16) << 20;
        std::vector<uint8_t> data;
        while (data.size() < size) {
            const size_t had = data.size();
            const size_t want = static_cast<size_t>(std::min<uint64_t>(size - had, kChunk));
            data.resize(had + want);
            const size_t got = read(data.data() + had, want);
            if (got != want)
                throw InputError(fill(msg("%1: truncated: the header describes %2 bytes of data, the file holds %3"),
                                      {m_path, std::to_string(size), std::to_string(had + got)}));
        }
        uint8_t extra;
        if (read(&extra, 1) != 0)
            throw InputError(
                fill(msg("%1: unexpected bytes after the %2 bytes of data"), {m_path, std::to_string(size)}));
        return data;
    }

    const std::string &path() const { return m_path; }

private:
    std::string m_path;
    gzFile m_file = nullptr;
};

std::string hex(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

void expectMagic(GzFile &file, uint32_t expected, const char *kind)
{
    const uint32_t magic = file.readBigEndian32(msg("magic number"));
    if (magic != expected)
        throw InputError(fill(msg("%1: not an IDX file of %2 (magic number %3, expected %4)"),
                              {file.path(), kind, hex(magic), hex(expected)}));
}

int dimension(GzFile &file, const char *name, bool mayBeZero)
{
    const uint32_t v = file.readBigEndian32(name);
    if (v > uint32_t(INT32_MAX) || (v == 0 && !mayBeZero))
        throw InputError(fill(msg("%1: bad IDX dimension: %2 = %3"), {file.path(), name, std::to_string(v)}));
    return static_cast<int>(v);
}

std::string datasetFile(const std::string &name)
{
    const std::string path = (std::filesystem::path(fashionMnistDir()) / name).string();
    if (!std::filesystem::is_regular_file(path))
        throw InputError(fill(msg("%1: Fashion-MNIST file missing; install the Debian package %2 (apt-get install %2) "
                                  "or set %3"),
                              {path, kPackage, kDirVariable}));
    return path;
}

} // namespace

IdxImages readIdxImages(const std::string &path)
{
    GzFile file(path);
    expectMagic(file, kUnsignedByteImages, msg("unsigned-byte images"));
    IdxImages images;
    images.count = dimension(file, msg("image count"), true);
    images.rows = dimension(file, msg("rows"), false);
    images.cols = dimension(file, msg("columns"), false);
    images.pixels = file.readPayload(uint64_t(images.count) * uint64_t(images.rows) * uint64_t(images.cols));
    return images;
}

std::vector<uint8_t> readIdxLabels(const std::string &path)
{
    GzFile file(path);
    expectMagic(file, kUnsignedByteLabels, msg("unsigned-byte labels"));
    const int count = dimension(file, msg("label count"), true);
    return file.readPayload(uint64_t(count));
}

std::string fashionMnistDir()
{
    const char *env = std::getenv("COS_FASHION_MNIST_DIR");
    const std::string dir = env && *env ? env : "/usr/share/datasets/fashion-mnist";
    if (!std::filesystem::is_directory(dir))
        throw InputError(fill(msg("%1: Fashion-MNIST directory missing; install the Debian package %2 (apt-get "
                                  "install %2) or set %3"),
                              {dir, kPackage, kDirVariable}));
    return dir;
}

FashionMnistSplit readFashionMnist(const std::string &split)
{
    FashionMnistSplit out;
    out.images = readIdxImages(datasetFile(split + "-images-idx3-ubyte.gz"));
    const std::string labelPath = datasetFile(split + "-labels-idx1-ubyte.gz");
    out.labels = readIdxLabels(labelPath);
    if (out.labels.size() != size_t(out.images.count))
        throw InputError(fill(msg("%1: %2 labels for %3 images"),
                              {labelPath, std::to_string(out.labels.size()), std::to_string(out.images.count)}));
    for (size_t i = 0; i < out.labels.size(); ++i)
        if (out.labels[i] > 9)
            throw InputError(fill(msg("%1: label %2 is %3, Fashion-MNIST has classes 0..9"),
                                  {labelPath, std::to_string(i), std::to_string(out.labels[i])}));
    return out;
}

} // namespace cosw
