#pragma once
// Whether the process a run recorded is still the one running: a pid alone
// is not enough, since the system hands a dead process's pid to a new one.

#include <cstdint>
#include <optional>

namespace cosw {

// A process with this pid exists (also under another user) and has not
// ended: an exited process nobody reaped yet (a zombie) counts as ended.
bool processAlive(int64_t pid);

// When the process with this pid started, in seconds since the epoch (to
// the kernel's clock tick); nullopt where the system does not say (no /proc).
std::optional<double> processStartTime(int64_t pid);

// `pid` is alive and, where both are known, started when `recordedStart`
// says: a later start means the pid now belongs to another process.
bool sameProcessAlive(int64_t pid, std::optional<double> recordedStart);

} // namespace cosw
