#include "RankLauncher.h"

#include "base/Errors.h"
#include "base/Messages.h"
#include "store/ExperimentStore.h"
#include "train/DataParallel.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

namespace fs = std::filesystem;

namespace cosw::batch {

namespace {

std::vector<std::string> &commandLine()
{
    static std::vector<std::string> args;
    return args;
}

std::vector<pid_t> g_children; // for the signal handler: read only while ranks run
volatile sig_atomic_t g_stopping = 0;

void passOn(int signal)
{
    g_stopping = 1;
    for (pid_t child : g_children)
        ::kill(child, signal);
}

// A loopback port nothing listens on now, for rank 0's rendezvous store.
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        const int error = errno; // before close() and gettext can change it
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error(fill(msg("no free loopback port for the ranks' rendezvous: %1"), {std::strerror(error)}));
    }
    const int port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

std::string describe(int rank, int status)
{
    if (WIFSIGNALED(status))
        return fill(msg("rank %1 was killed by signal %2"), {std::to_string(rank), std::to_string(WTERMSIG(status))});
    return fill(msg("rank %1 exited with status %2"), {std::to_string(rank), std::to_string(WEXITSTATUS(status))});
}

// Rank 0, killed, could not record why its run ended: its runs fail
// naming it (the store's check for vanished processes would only say
// "interrupted"). Returns what to tell the user.
std::string recordRankZeroDeath(const std::string &db, pid_t rank0, double since, const std::string &why)
{
    try {
        ExperimentStore store(db);
        std::string ids;
        for (const int64_t id : store.failRunsOfEndedProcess(rank0, since, why))
            ids += (ids.empty() ? "" : ", ") + std::to_string(id);
        if (ids.empty())
            return {};
        return fill(msg("run %1 marked failed in %2"), {ids, db});
    } catch (const std::exception &e) {
        return fill(msg("the store could not record it: %1"), {e.what()});
    }
}

} // namespace

std::filesystem::path rankScratchDirectory(int rank, pid_t pid)
{
    return std::filesystem::temp_directory_path() / ("cos-batch-rank" + std::to_string(rank) + "-" + std::to_string(pid));
}

void setCommandLine(int argc, char **argv)
{
    commandLine().assign(argv, argv + argc);
}

int launchRanks(const RankLaunch &launch)
{
    const double launched = unixNow();
    const int port = freePort();
    const int threads = launch.threadsPerRank > 0
                            ? launch.threadsPerRank
                            : std::max(1, int(std::thread::hardware_concurrency()) / launch.ranks);
    // The command again, with each rank's share of the CPUs as its --threads.
    std::vector<std::string> args;
    for (size_t i = 0; i < commandLine().size(); ++i) {
        const std::string &a = commandLine()[i];
        if (a == "--threads")
            ++i; // and its value
        else if (a.rfind("--threads=", 0) != 0)
            args.push_back(a);
    }
    args.push_back("--threads");
    args.push_back(std::to_string(threads));
    fs::create_directories(launch.logDir);
    const std::string others = launch.ranks == 2 ? std::string(msg("rank 1"))
                                                 : fill(msg("ranks 1-%1"), {std::to_string(launch.ranks - 1)});

    std::map<pid_t, int> rankOf;
    pid_t rankZero = 0;
    for (int rank = 0; rank < launch.ranks; ++rank) {
        const std::string log = (fs::path(launch.logDir) / ("rank" + std::to_string(rank) + ".log")).string();
        const pid_t pid = ::fork();
        if (pid < 0) {
            const int error = errno; // before gettext can change it
            throw std::runtime_error(fill(msg("cannot start rank %1: %2"), {std::to_string(rank), std::strerror(error)}));
        }
        if (pid == 0) {
            ::setenv("RANK", std::to_string(rank).c_str(), 1);
            ::setenv("LOCAL_RANK", std::to_string(rank).c_str(), 1);
            ::setenv("WORLD_SIZE", std::to_string(launch.ranks).c_str(), 1);
            ::setenv("MASTER_ADDR", "127.0.0.1", 1);
            ::setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
            if (rank > 0) {
                const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
                if (fd >= 0) {
                    ::dup2(fd, STDOUT_FILENO);
                    ::dup2(fd, STDERR_FILENO);
                    ::close(fd);
                }
            }
            std::vector<char *> argv;
            for (std::string &a : args)
                argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv("/proc/self/exe", argv.data());
            const int error = errno; // before gettext can change it
            std::cerr << "cos-batch: " << fill(msg("cannot start rank %1: %2"), {std::to_string(rank), std::strerror(error)})
                      << "\n";
            ::_exit(127);
        }
        rankOf[pid] = rank;
        rankZero = rank == 0 ? pid : rankZero;
        g_children.push_back(pid);
    }
    const std::string logs = launch.ranks == 2 ? fill(msg("rank 1 logs to %1"), {launch.logDir})
                                               : fill(msg("ranks 1-%1 log to %2"),
                                                      {std::to_string(launch.ranks - 1), launch.logDir});
    std::cout << fill(msgn("%1 ranks (%2 thread each) on port %3", "%1 ranks (%2 threads each) on port %3",
                           static_cast<unsigned long>(threads)),
                      {std::to_string(launch.ranks), std::to_string(threads), std::to_string(port)})
              << "; " << logs << "\n" << std::flush;
    struct sigaction action{}, oldInt{}, oldTerm{};
    action.sa_handler = passOn;
    ::sigaction(SIGINT, &action, &oldInt);
    ::sigaction(SIGTERM, &action, &oldTerm);

    int rankZeroStatus = 0;
    bool rankZeroKilled = false; // by a signal: it recorded nothing
    std::string failure;
    bool failedByExit = false; // rather than by a signal
    std::chrono::steady_clock::time_point killAt{};
    while (!rankOf.empty()) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid == 0 || (pid < 0 && errno == EINTR)) {
            if (!failure.empty() && std::chrono::steady_clock::now() > killAt)
                for (const auto &[child, rank] : rankOf)
                    ::kill(child, SIGKILL);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        if (pid < 0)
            break;
        const int rank = rankOf.at(pid);
        rankOf.erase(pid);
        std::error_code ignored;
        std::filesystem::remove_all(rankScratchDirectory(rank, pid), ignored);
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        if (rank == 0) {
            rankZeroStatus = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
            rankZeroKilled = WIFSIGNALED(status);
        }
        if (!ok && failure.empty()) {
            failure = describe(rank, status);
            failedByExit = WIFEXITED(status);
            // The others cannot go on without it: they are asked to stop, then made to.
            for (const auto &[child, other] : rankOf)
                ::kill(child, SIGTERM);
            killAt = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        }
    }
    ::sigaction(SIGINT, &oldInt, nullptr);
    ::sigaction(SIGTERM, &oldTerm, nullptr);
    g_children.clear();
    // Asked to stop: every rank ends its run interrupted (exit 1), rank 0 says so.
    if (failure.empty() || (g_stopping && rankZeroStatus != 0 && failedByExit))
        return rankZeroStatus;
    // The run fails for the first rank that did, whichever was killed last.
    const std::string recorded = rankZeroKilled ? recordRankZeroDeath(launch.db, rankZero, launched, failure) : "";
    std::cerr << "cos-batch: "
              << fill(rankZeroStatus == 0 || rankZeroKilled
                          ? msg("%1; %2 logged to %3")
                          : msg("%1 (rank 0's output says what the run recorded); %2 logged to %3"),
                      {failure, others, launch.logDir})
              << (recorded.empty() ? "" : "; " + recorded) << "\n";
    return rankZeroStatus != 0 ? rankZeroStatus : 1;
}

std::optional<int> launchedRanks(const ParallelOptions &parallel, const TrainingOptions &training)
{
    if (parallel.nproc <= 1 || std::getenv("WORLD_SIZE"))
        return std::nullopt;
    const fs::path logs =
        fs::path(ExperimentStore::runsDirectory(dbPath(training.db))) / ("ranks-" + std::to_string(::getpid()));
    return launchRanks({parallel.nproc, training.threads, logs.string(), dbPath(training.db)});
}

std::unique_ptr<DataParallel> joinGroup(const ParallelOptions &parallel)
{
    const RankPlacement placement = RankPlacement::fromEnvironment();
    if (placement.worldSize == 1)
        return nullptr;
    auto group = std::make_unique<DataParallel>(placement, std::chrono::seconds(parallel.rankTimeout));
    group->join();
    return group;
}

} // namespace cosw::batch
