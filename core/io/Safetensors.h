#pragma once
// Reader and writer for the safetensors format (https://github.com/huggingface/safetensors):
// an 8-byte little-endian header length N, N bytes of JSON describing each
// tensor's dtype, shape and byte range, then the raw little-endian data.
// Checkpoints come from other tools and other people, so the reader treats
// every file as untrusted input and reports problems as InputError.

#include <torch/torch.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cosw {

using StateDict = std::map<std::string, torch::Tensor>;
using Metadata = std::map<std::string, std::string>;

// Writes `tensors` in name order with `metadata` as "__metadata__". Tensors
// may live on any device and have any strides; they are stored as contiguous
// CPU data. The file is written next to `path` and renamed into place so an
// interrupted write never leaves a half-written checkpoint under that name.
// Throws std::invalid_argument for an undefined or sparse tensor, a dtype the
// format cannot hold, or a tensor named "__metadata__"; std::runtime_error
// naming the path on I/O failure.
void writeSafetensors(const std::string &path, const StateDict &tensors,
                      const Metadata &metadata = {});

// Reads every tensor of `path` into CPU tensors that own their memory. Stores
// the file's metadata in `*metadata` when it is not null. Throws InputError
// whose message starts with the path when the file is missing or malformed.
StateDict readSafetensors(const std::string &path, Metadata *metadata = nullptr);

// An open, memory-mapped safetensors file whose header has been validated.
// Lets a loader inspect names, dtypes and shapes before copying any data, and
// copy out only the tensors it needs.
class SafetensorsFile {
public:
    struct Entry {
        torch::ScalarType dtype = torch::kFloat;
        std::vector<int64_t> shape;
        uint64_t begin = 0; // relative to the start of the data buffer
        uint64_t end = 0;
    };

    // Throws InputError "PATH: reason" when the file cannot be opened or its
    // header is malformed.
    explicit SafetensorsFile(const std::string &path);
    ~SafetensorsFile();

    SafetensorsFile(const SafetensorsFile &) = delete;
    SafetensorsFile &operator=(const SafetensorsFile &) = delete;
    SafetensorsFile(SafetensorsFile &&other) noexcept;
    SafetensorsFile &operator=(SafetensorsFile &&other) noexcept;

    const std::string &path() const { return m_path; }
    const Metadata &metadata() const { return m_metadata; }
    std::vector<std::string> names() const; // sorted
    bool contains(const std::string &name) const { return m_entries.count(name) != 0; }
    // Throws InputError naming the path and the tensor when it is absent.
    const Entry &entry(const std::string &name) const;
    // A CPU copy of the tensor; it stays valid after the file is closed.
    torch::Tensor tensor(const std::string &name) const;

private:
    void mapFile();
    void parseHeader(uint64_t headerLength);
    void unmap() noexcept;

    std::string m_path;
    void *m_mapping = nullptr;
    size_t m_mappingSize = 0;
    const unsigned char *m_data = nullptr; // start of the data buffer
    uint64_t m_dataSize = 0;
    std::map<std::string, Entry> m_entries;
    Metadata m_metadata;
};

} // namespace cosw
