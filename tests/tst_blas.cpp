// The BLAS kernel choice (issue: OpenBLAS falls back to SSE3 kernels on CPU
// models it does not know): a table of detected kernels and CPU features,
// since the machine running the tests rarely has the failing CPU; and what
// this process reports about its own BLAS.

#include "TestSupport.h"

#include "base/MemoryReuse.h"
#include "facade/BlasKernel.h"

#include <QTest>

#include <sys/resource.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

using namespace cosw;

Q_DECLARE_METATYPE(cosw::CpuFeatures)

namespace {

CpuFeatures features(bool avx2, bool avx512, bool bf16)
{
    CpuFeatures f;
    f.avx2 = avx2;
    f.fma = avx2;
    f.avx512 = avx512;
    f.avx512Bf16 = bf16;
    return f;
}

} // namespace

class TestBlas : public QObject {
    Q_OBJECT
public:
    static void initMain() { ensureBlasKernel(); }

private slots:
    void kernelChoice_data()
    {
        QTest::addColumn<QString>("detected");
        QTest::addColumn<CpuFeatures>("cpu");
        QTest::addColumn<bool>("userSet");
        QTest::addColumn<QString>("expected");
        const CpuFeatures emerald = features(true, true, true), skylake = features(true, true, false);
        const CpuFeatures haswell = features(true, false, false), old = features(false, false, false);
        // The failing case: a new Xeon that Debian's OpenBLAS 0.3.21 calls Prescott.
        QTest::newRow("Prescott on AVX-512 + BF16") << "Prescott" << emerald << false << "Cooperlake";
        QTest::newRow("Prescott on AVX-512") << "Prescott" << skylake << false << "SkylakeX";
        QTest::newRow("Core2 on AVX2") << "Core2" << haswell << false << "Haswell";
        QTest::newRow("Nehalem on AVX-512") << "Nehalem" << skylake << false << "SkylakeX";
        QTest::newRow("Sandybridge on AVX2") << "Sandybridge" << haswell << false << "Haswell";
        QTest::newRow("lower-case name") << "prescott" << emerald << false << "Cooperlake";
        // What the CPU cannot run is never chosen.
        QTest::newRow("Prescott on an SSE CPU") << "Prescott" << old << false << "";
        // A kernel that already uses AVX2 or wider is the library's own good choice.
        QTest::newRow("Haswell on AVX-512") << "Haswell" << emerald << false << "";
        QTest::newRow("Zen") << "Zen" << skylake << false << "";
        QTest::newRow("SkylakeX") << "SkylakeX" << emerald << false << "";
        QTest::newRow("Cooperlake") << "Cooperlake" << emerald << false << "";
        // A name the table does not know is left alone, as is the user's setting.
        QTest::newRow("unknown kernel") << "Neoverse" << emerald << false << "";
        QTest::newRow("user set OPENBLAS_CORETYPE") << "Prescott" << emerald << true << "";
        QTest::newRow("not OpenBLAS") << "" << emerald << false << "";
    }
    void kernelChoice()
    {
        QFETCH(QString, detected);
        QFETCH(CpuFeatures, cpu);
        QFETCH(bool, userSet);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(chooseOpenBlasKernel(detected.toStdString(), cpu, userSet)), expected);
    }

    // A user's OPENBLAS_CORETYPE is kept, but one narrower than the CPU gets
    // the family to try named.
    void widerKernelSuggested_data()
    {
        QTest::addColumn<QString>("kernel");
        QTest::addColumn<CpuFeatures>("cpu");
        QTest::addColumn<QString>("expected");
        const CpuFeatures emerald = features(true, true, true), skylake = features(true, true, false);
        const CpuFeatures haswell = features(true, false, false), old = features(false, false, false);
        QTest::newRow("Haswell on AVX-512 + BF16") << "Haswell" << emerald << "Cooperlake";
        QTest::newRow("Zen on AVX-512") << "Zen" << skylake << "SkylakeX";
        QTest::newRow("Prescott on AVX2") << "Prescott" << haswell << "Haswell";
        QTest::newRow("SkylakeX on AVX-512 + BF16") << "SkylakeX" << emerald << "";
        QTest::newRow("Haswell on AVX2") << "Haswell" << haswell << "";
        QTest::newRow("Prescott on an SSE CPU") << "Prescott" << old << "";
        QTest::newRow("unknown kernel") << "Neoverse" << emerald << "";
    }
    void widerKernelSuggested()
    {
        QFETCH(QString, kernel);
        QFETCH(CpuFeatures, cpu);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(widerKernelThan(kernel.toStdString(), cpu)), expected);
    }

    // Settings of glibc's malloc the user made are left alone.
    void mallocSettingsOfTheUserKept_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("expected");
        QTest::newRow("nothing set") << "" << "" << false;
        QTest::newRow("a malloc tunable") << "GLIBC_TUNABLES" << "glibc.malloc.trim_threshold=0" << true;
        QTest::newRow("malloc among others") << "GLIBC_TUNABLES" << "glibc.rtld.nns=2:glibc.malloc.arena_max=1" << true;
        QTest::newRow("other tunables only") << "GLIBC_TUNABLES" << "glibc.rtld.nns=2" << false;
        QTest::newRow("MALLOC_MMAP_THRESHOLD_") << "MALLOC_MMAP_THRESHOLD_" << "65536" << true;
        QTest::newRow("MALLOC_TRIM_THRESHOLD_") << "MALLOC_TRIM_THRESHOLD_" << "0" << true;
        QTest::newRow("MALLOC_TOP_PAD_") << "MALLOC_TOP_PAD_" << "0" << true;
        QTest::newRow("MALLOC_MMAP_MAX_") << "MALLOC_MMAP_MAX_" << "0" << true;
        QTest::newRow("MALLOC_ARENA_MAX") << "MALLOC_ARENA_MAX" << "2" << false;
    }
    void mallocSettingsOfTheUserKept()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(bool, expected);
        std::map<std::string, std::string> env;
        if (!name.isEmpty())
            env[name.toStdString()] = value.toStdString();
        auto lookup = [&](const char *key) -> const char * {
            auto it = env.find(key);
            return it == env.end() ? nullptr : it->second.c_str();
        };
        QCOMPARE(mallocSetByUser(lookup), expected);
    }

    // Blocks of a step freed and allocated again do not fault their pages in
    // again: one of 24 MiB (which glibc alone maps afresh every time) and
    // 80 MiB in 10 MiB blocks (which it alone trims off the heap's top).
    void freedMemoryIsReused()
    {
#ifndef __GLIBC__
        QSKIP("glibc's malloc only");
#endif
        if (mallocSetByUser([](const char *name) { return std::getenv(name); }))
            QSKIP("malloc is configured by the environment");
        const bool applied = keepFreedMemoryForReuse();
#if defined(__SANITIZE_ADDRESS__)
        // The sanitizer's allocator stands in for glibc's and declines mallopt.
        QVERIFY(!applied);
        QSKIP("the sanitizer's allocator replaces glibc's malloc");
#endif
        QVERIFY(applied);
        const std::vector<size_t> sizes = {24u << 20, 10u << 20, 10u << 20, 10u << 20, 10u << 20,
                                           10u << 20, 10u << 20, 10u << 20, 10u << 20};
        size_t pages = 0;
        for (size_t s : sizes)
            pages += s / 4096;
        auto faults = [] {
            rusage usage{};
            getrusage(RUSAGE_SELF, &usage);
            return usage.ru_minflt;
        };
        auto step = [&] {
            std::vector<char *> blocks;
            for (size_t s : sizes) {
                blocks.push_back(static_cast<char *>(std::malloc(s)));
                QVERIFY(blocks.back());
                std::memset(blocks.back(), 1, s);
            }
            for (char *b : blocks)
                std::free(b);
        };
        step();
        const long before = faults();
        const int steps = 5;
        for (int i = 0; i < steps; ++i)
            step();
        const long after = faults();
        // Without keepFreedMemoryForReuse every page faults again each step.
        QVERIFY2(after - before < long(pages * steps / 20),
                 qPrintable(QStringLiteral("%1 page faults over %2 steps of %3 pages").arg(after - before).arg(steps).arg(pages)));
    }

    // This process (started through ensureBlasKernel) says which library and
    // kernel it runs on, and runs on no fallback the CPU could beat.
    void reportsItsOwnBlas()
    {
        const BlasInfo info = blasInfo();
        const std::string summary = blasSummary(info);
        QVERIFY(!summary.empty());
        if (info.kernel.empty())
            QSKIP("the BLAS is not OpenBLAS");
        QVERIFY2(summary.find("kernel " + info.kernel) != std::string::npos, summary.c_str());
        QVERIFY2(info.threads > 0, summary.c_str());
        if (info.choice.find("wrong products") != std::string::npos)
            QSKIP("the better kernel computed wrong products on this machine");
        QCOMPARE(chooseOpenBlasKernel(info.kernel, cpuFeatures(), false), std::string());
    }

    // A run's --threads reaches the BLAS too, and its summary says so.
    void threadCountReachesTheBlas()
    {
        const BlasInfo before = blasInfo();
        if (before.kernel.empty()) {
            QVERIFY(!setBlasThreads(1));
            QSKIP("the BLAS is not OpenBLAS");
        }
        QVERIFY(!setBlasThreads(0));
        QCOMPARE(blasInfo().threads, before.threads);
        QVERIFY(setBlasThreads(1));
        QCOMPARE(blasInfo().threads, 1);
        QVERIFY2(blasSummary(blasInfo()).find(", 1 thread") != std::string::npos, blasSummary(blasInfo()).c_str());
        QVERIFY(setBlasThreads(before.threads));
        QCOMPARE(blasInfo().threads, before.threads);
    }
};

QTEST_APPLESS_MAIN(TestBlas)
#include "tst_blas.moc"
