// The BLAS kernel choice (issue: OpenBLAS falls back to SSE3 kernels on CPU
// models it does not know): a table of detected kernels and CPU features,
// since the machine running the tests rarely has the failing CPU; and what
// this process reports about its own BLAS.

#include "TestSupport.h"

#include "facade/BlasKernel.h"

#include <QTest>

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
