#include "Safetensors.h"

#include "base/Errors.h"
#include "base/Files.h"
#include "base/Json.h"
#include "base/Messages.h"
#include "base/Utf8.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// The format stores little-endian data and both directions copy raw bytes;
// a big-endian host would need a byte swap per element.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "Safetensors.cpp assumes a little-endian host");

namespace cosw {

namespace {

// A real header is a few hundred bytes per tensor; a larger length means the
// file is not safetensors, and trusting it would copy that much into memory.
constexpr uint64_t kMaxHeaderLength = uint64_t(100) << 20;
const char *const kMetadataKey = "__metadata__";

struct DtypeName {
    const char *name;
    torch::ScalarType type;
};

constexpr DtypeName kDtypes[] = {
    {"F64", torch::kDouble}, {"F32", torch::kFloat},  {"F16", torch::kHalf},
    {"BF16", torch::kBFloat16}, {"I64", torch::kLong}, {"I32", torch::kInt},
    {"I16", torch::kShort},  {"I8", torch::kChar},    {"U8", torch::kByte},
    {"BOOL", torch::kBool},
};

const char *dtypeName(torch::ScalarType type)
{
    for (const DtypeName &d : kDtypes)
        if (d.type == type)
            return d.name;
    return nullptr;
}

bool dtypeFromName(const std::string &name, torch::ScalarType *type)
{
    for (const DtypeName &d : kDtypes) {
        if (name == d.name) {
            *type = d.type;
            return true;
        }
    }
    return false;
}

std::string supportedDtypes()
{
    std::string out;
    for (const DtypeName &d : kDtypes) {
        if (!out.empty())
            out += ", ";
        out += d.name;
    }
    return out;
}

[[noreturn]] void fail(const std::string &path, const std::string &reason)
{
    throw InputError(path + ": " + reason);
}

// Quoted and escaped, so names with odd characters stay readable in messages.
std::string quoted(const std::string &s)
{
    return Json(s).dump();
}

// Offending JSON values can be arbitrarily large; a message needs only a hint.
std::string brief(const Json &value)
{
    std::string text = value.dump();
    if (text.size() > 64)
        text = text.substr(0, 60) + " ...";
    return text;
}

} // namespace

// ---------------------------------------------------------------- writing

void writeSafetensors(const std::string &path, const StateDict &tensors, const Metadata &metadata)
{
    // Lay out the whole header first so a bad argument leaves no file behind.
    // An ordered object searches its keys linearly on insert; appending to it
    // directly keeps large state dicts linear.
    Json::object_t header;
    header.reserve(tensors.size() + 1);
    if (!metadata.empty()) {
        Json::object_t meta;
        for (const auto &kv : metadata)
            meta.emplace_back(kv.first, Json(kv.second));
        header.emplace_back(kMetadataKey, Json(std::move(meta)));
    }
    uint64_t offset = 0;
    for (const auto &[name, tensor] : tensors) {
        const std::string where = path + ": tensor " + quoted(name);
        if (name == kMetadataKey)
            throw std::invalid_argument(where + ": the name is reserved for metadata");
        if (!tensor.defined())
            throw std::invalid_argument(where + " is undefined");
        if (tensor.layout() != torch::kStrided)
            throw std::invalid_argument(where + " is not a dense tensor");
        const char *dtype = dtypeName(tensor.scalar_type());
        if (!dtype)
            throw std::invalid_argument(where + " has dtype "
                                        + std::string(c10::toString(tensor.scalar_type()))
                                        + ", which safetensors cannot store");
        const auto bytes = static_cast<uint64_t>(tensor.numel()) * tensor.element_size();
        Json shape = Json::array();
        for (int64_t d : tensor.sizes())
            shape.push_back(Json(d));
        Json::object_t entry;
        entry.emplace_back("dtype", Json(dtype));
        entry.emplace_back("shape", std::move(shape));
        entry.emplace_back("data_offsets",
                           Json::array({offset, offset + bytes}));
        header.emplace_back(name, Json(std::move(entry)));
        offset += bytes;
    }
    std::string text = Json(std::move(header)).dump();
    // Padding keeps the data buffer 8-byte aligned in the file, so readers
    // that map it can use the data in place.
    text.append((8 - text.size() % 8) % 8, ' ');
    unsigned char prefix[8];
    for (int i = 0; i < 8; ++i)
        prefix[i] = static_cast<unsigned char>(static_cast<uint64_t>(text.size()) >> (8 * i));

    // Write beside the target and rename: an interrupted save then never
    // destroys the previous checkpoint of the same name.
    const std::string partial = path + ".partial";
    try {
        FileWriter out(partial);
        out.write(prefix, sizeof prefix);
        out.write(text.data(), text.size());
        for (const auto &entry : tensors) {
            // One tensor at a time, so a model on the GPU never needs a second
            // full copy in host memory. A lazily negated view shares its
            // base's bytes, which are not its values, hence resolve_neg.
            torch::Tensor cpu = entry.second.detach().to(torch::kCPU).resolve_neg().contiguous();
            if (cpu.nbytes() > 0)
                out.write(cpu.data_ptr(), cpu.nbytes());
        }
        out.close();
        if (::rename(partial.c_str(), path.c_str()) != 0)
            throw std::runtime_error(fill(msg("%1: cannot rename %2 into place: %3"),
                                          {path, partial, std::strerror(errno)}));
    } catch (...) {
        ::unlink(partial.c_str());
        throw;
    }
}

// ---------------------------------------------------------------- reading

SafetensorsFile::SafetensorsFile(const std::string &path) : m_path(path)
{
    mapFile();
    try {
        const auto *bytes = static_cast<const unsigned char *>(m_mapping);
        uint64_t headerLength = 0;
        for (int i = 7; i >= 0; --i)
            headerLength = (headerLength << 8) | bytes[i];
        const uint64_t fileSize = m_mappingSize;
        if (headerLength > kMaxHeaderLength)
            fail(m_path, fill(msg("header length %1 exceeds the limit of 100 MiB; not a safetensors file?"),
                              {std::to_string(headerLength)}));
        if (headerLength > fileSize - 8)
            fail(m_path, fill(headerLength <= fileSize
                                  ? msg("header length %1 exceeds file size %2 minus the 8-byte length prefix; "
                                        "is the file truncated?")
                                  : msg("header length %1 exceeds file size %2; is the file truncated?"),
                              {std::to_string(headerLength), std::to_string(fileSize)}));
        m_data = bytes + 8 + headerLength;
        m_dataSize = fileSize - 8 - headerLength;
        parseHeader(headerLength);
    } catch (...) {
        unmap();
        throw;
    }
}

SafetensorsFile::~SafetensorsFile()
{
    unmap();
}

SafetensorsFile::SafetensorsFile(SafetensorsFile &&other) noexcept
    : m_path(std::move(other.m_path)),
      m_mapping(std::exchange(other.m_mapping, nullptr)),
      m_mappingSize(std::exchange(other.m_mappingSize, 0)),
      m_data(std::exchange(other.m_data, nullptr)),
      m_dataSize(std::exchange(other.m_dataSize, 0)),
      m_entries(std::move(other.m_entries)),
      m_metadata(std::move(other.m_metadata))
{
}

SafetensorsFile &SafetensorsFile::operator=(SafetensorsFile &&other) noexcept
{
    if (this != &other) {
        unmap();
        m_path = std::move(other.m_path);
        m_mapping = std::exchange(other.m_mapping, nullptr);
        m_mappingSize = std::exchange(other.m_mappingSize, 0);
        m_data = std::exchange(other.m_data, nullptr);
        m_dataSize = std::exchange(other.m_dataSize, 0);
        m_entries = std::move(other.m_entries);
        m_metadata = std::move(other.m_metadata);
    }
    return *this;
}

void SafetensorsFile::mapFile()
{
    int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(m_path, fill(msg("cannot open: %1"), {std::strerror(errno)}));
    struct stat info;
    if (::fstat(fd, &info) != 0) {
        int err = errno;
        ::close(fd);
        fail(m_path, fill(msg("cannot stat: %1"), {std::strerror(err)}));
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        fail(m_path, msg("not a regular file"));
    }
    const auto size = static_cast<uint64_t>(info.st_size);
    if (size < 8) {
        ::close(fd);
        fail(m_path, fill(msg("file is %1 bytes, too short for a safetensors file (at least 8)"),
                          {std::to_string(size)}));
    }
    void *mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    int err = errno;
    // The mapping keeps the file's pages reachable; the descriptor is no
    // longer needed.
    ::close(fd);
    if (mapping == MAP_FAILED)
        fail(m_path, fill(msg("cannot map: %1"), {std::strerror(err)}));
    m_mapping = mapping;
    m_mappingSize = size;
}

void SafetensorsFile::unmap() noexcept
{
    if (m_mapping)
        ::munmap(m_mapping, m_mappingSize);
    m_mapping = nullptr;
    m_mappingSize = 0;
    m_data = nullptr;
    m_dataSize = 0;
}

void SafetensorsFile::parseHeader(uint64_t headerLength)
{
    const std::string text(static_cast<const char *>(m_mapping) + 8, headerLength);
    // Names with invalid UTF-8 would reach the UI and tools that reject them.
    if (firstInvalidUtf8(text) != std::string_view::npos)
        fail(m_path, msg("header is not valid UTF-8"));
    Json header;
    try {
        header = parseJson(text, "header");
    } catch (const InputError &e) {
        fail(m_path, fill(msg("header is not valid JSON (%1)"), {e.what()}));
    }
    if (!header.is_object())
        fail(m_path, fill(msg("header must be a JSON object, got %1"), {brief(header)}));

    // (begin, end, name) of every non-empty tensor, to find overlaps.
    std::vector<std::tuple<uint64_t, uint64_t, const std::string *>> ranges;
    for (const auto &[name, value] : header.items()) {
        if (name == kMetadataKey) {
            if (!value.is_object())
                fail(m_path, fill(msg("__metadata__ must be an object of strings, got %1"), {brief(value)}));
            for (const auto &[key, text] : value.items()) {
                if (!text.is_string())
                    fail(m_path, fill(msg("__metadata__ %1: values must be strings, got %2"),
                                      {quoted(key), brief(text)}));
                m_metadata[key] = text.get<std::string>();
            }
            continue;
        }

        const std::string quotedName = quoted(name);
        if (!value.is_object())
            fail(m_path, fill(msg("tensor %1: expected an object, got %2"), {quotedName, brief(value)}));
        const Json *dtype = findKey(value, "dtype");
        const Json *shape = findKey(value, "shape");
        const Json *offsets = findKey(value, "data_offsets");
        for (auto [field, key] : {std::pair{dtype, "dtype"}, std::pair{shape, "shape"},
                                  std::pair{offsets, "data_offsets"}})
            if (!field)
                fail(m_path, fill(msg("tensor %1: missing \"%2\""), {quotedName, key}));

        Entry entry;
        if (!dtype->is_string() || !dtypeFromName(dtype->get<std::string>(), &entry.dtype))
            fail(m_path, fill(msg("tensor %1: unknown dtype %2 (supported: %3)"),
                              {quotedName, brief(*dtype), supportedDtypes()}));

        if (!shape->is_array())
            fail(m_path, fill(msg("tensor %1: shape must be a list of integers, got %2"), {quotedName, brief(*shape)}));
        uint64_t numel = 1;
        bool overflow = false;
        for (size_t i = 0; i < shape->size(); ++i) {
            const Json &dim = shape->at(i);
            if (!dim.is_number_integer() || dim.get<int64_t>() < 0)
                fail(m_path, fill(msg("tensor %1: shape dimension %2 is %3; dimensions must be non-negative integers"),
                                  {quotedName, std::to_string(i), brief(dim)}));
            entry.shape.push_back(dim.get<int64_t>());
            overflow |= __builtin_mul_overflow(numel, static_cast<uint64_t>(dim.get<int64_t>()), &numel);
        }
        uint64_t expectedBytes = 0;
        overflow |= __builtin_mul_overflow(numel, c10::elementSize(entry.dtype), &expectedBytes);
        if (overflow || expectedBytes > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            fail(m_path, fill(msg("tensor %1: shape %2 is too large"), {quotedName, brief(*shape)}));

        const bool offsetsOk = offsets->is_array() && offsets->size() == 2
            && offsets->at(0).is_number_integer() && offsets->at(1).is_number_integer()
            && offsets->at(0).get<int64_t>() >= 0
            && offsets->at(0).get<int64_t>() <= offsets->at(1).get<int64_t>();
        if (!offsetsOk)
            fail(m_path, fill(msg("tensor %1: data_offsets must be two integers [begin, end] with "
                                  "0 <= begin <= end, got %2"),
                              {quotedName, brief(*offsets)}));
        entry.begin = static_cast<uint64_t>(offsets->at(0).get<int64_t>());
        entry.end = static_cast<uint64_t>(offsets->at(1).get<int64_t>());
        if (entry.end - entry.begin != expectedBytes)
            fail(m_path, fill(msg("tensor %1: data_offsets %2 span %3 bytes but shape %4 of %5 needs %6"),
                              {quotedName, brief(*offsets), std::to_string(entry.end - entry.begin), brief(*shape),
                               dtype->get<std::string>(), std::to_string(expectedBytes)}));
        if (entry.end > m_dataSize)
            fail(m_path, fill(msg("tensor %1: data_offsets %2 reach beyond the end of the data buffer "
                                  "(%3 bytes); is the file truncated?"),
                              {quotedName, brief(*offsets), std::to_string(m_dataSize)}));

        auto inserted = m_entries.emplace(name, std::move(entry));
        const Entry &stored = inserted.first->second;
        if (stored.end > stored.begin)
            ranges.emplace_back(stored.begin, stored.end, &inserted.first->first);
    }

    // Overlapping tensors would alias each other when used in place by other
    // readers; such a file was not written by a correct writer.
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i) {
        const auto &[beginA, endA, nameA] = ranges[i - 1];
        const auto &[beginB, endB, nameB] = ranges[i];
        if (beginB < endA)
            fail(m_path, fill(msg("tensors %1 [%2, %3] and %4 [%5, %6] overlap"),
                              {quoted(*nameA), std::to_string(beginA), std::to_string(endA), quoted(*nameB),
                               std::to_string(beginB), std::to_string(endB)}));
    }
}

std::vector<std::string> SafetensorsFile::names() const
{
    std::vector<std::string> out;
    out.reserve(m_entries.size());
    for (const auto &kv : m_entries)
        out.push_back(kv.first);
    return out;
}

const SafetensorsFile::Entry &SafetensorsFile::entry(const std::string &name) const
{
    auto it = m_entries.find(name);
    if (it == m_entries.end())
        fail(m_path, fill(msg("no tensor named %1"), {quoted(name)}));
    return it->second;
}

torch::Tensor SafetensorsFile::tensor(const std::string &name) const
{
    const Entry &e = entry(name);
    torch::Tensor out = torch::empty(e.shape, torch::TensorOptions().dtype(e.dtype));
    // memcpy, not a typed load: offsets in files from other writers need not
    // be aligned to the element size.
    if (e.end > e.begin)
        std::memcpy(out.data_ptr(), m_data + e.begin, e.end - e.begin);
    return out;
}

StateDict readSafetensors(const std::string &path, Metadata *metadata)
{
    SafetensorsFile file(path);
    StateDict out;
    for (const std::string &name : file.names())
        out.emplace(name, file.tensor(name));
    if (metadata)
        *metadata = file.metadata();
    return out;
}

} // namespace cosw
