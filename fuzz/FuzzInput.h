#pragma once
// What every fuzz target shares: the input as a file (the readers under test
// take paths, as users hand them files), and the rule they are held to.
// Bad input must end in an InputError, which the programs report with exit
// status 2 and a message naming the file; anything else that escapes (a
// library's exception, a crash, a sanitizer report) is a finding.

#include "base/Errors.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace cosw::fuzz {

// A per-process scratch folder, kept between inputs.
inline const std::filesystem::path &scratch()
{
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("cos-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    return dir;
}

inline std::string writeInput(const uint8_t *data, size_t size, const std::string &name)
{
    const std::string path = (scratch() / name).string();
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char *>(data), std::streamsize(size));
    return path;
}

// Runs `read`; an InputError is the expected answer to bad input.
inline void expectInputErrorsOnly(const std::function<void()> &read)
{
    try {
        read();
    } catch (const InputError &) {
    } catch (const std::exception &e) {
        std::fprintf(stderr, "finding: %s escaped instead of an InputError: %s\n", typeid(e).name(), e.what());
        std::abort();
    }
}

} // namespace cosw::fuzz
