#include "CrashPoints.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>

namespace cosw {

namespace {

struct CrashPlan {
    std::string target; // empty: never crash
    long at = 0;
    std::string tallyFile;
    std::mutex mutex;
    std::map<std::string, long> passes;
};

void writeTally();

// Read once; never freed, so the tally can still be written at exit.
CrashPlan *plan()
{
    static CrashPlan *const p = [] () -> CrashPlan * {
        const char *at = std::getenv("COS_CRASH_AT");
        const char *tally = std::getenv("COS_CRASH_TALLY");
        if (!(at && *at) && !(tally && *tally))
            return nullptr;
        auto *made = new CrashPlan;
        if (at && *at) {
            const std::string spec(at);
            const size_t colon = spec.rfind(':');
            made->target = spec.substr(0, colon);
            made->at = colon == std::string::npos ? 1 : std::atol(spec.c_str() + colon + 1);
        }
        if (tally && *tally) {
            made->tallyFile = tally;
            std::atexit(writeTally);
        }
        return made;
    }();
    return p;
}

void writeTally()
{
    CrashPlan *p = plan();
    std::lock_guard lock(p->mutex);
    std::ofstream out(p->tallyFile);
    for (const auto &[name, count] : p->passes)
        out << name << ' ' << count << '\n';
}

} // namespace

void crashPoint(const char *name)
{
    static const std::atomic<bool> active{plan() != nullptr};
    if (!active.load(std::memory_order_relaxed))
        return;
    CrashPlan *p = plan();
    std::lock_guard lock(p->mutex);
    if (++p->passes[name] == p->at && p->target == name)
        std::raise(SIGKILL);
}

} // namespace cosw
