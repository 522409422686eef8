#pragma once
// Helpers shared by the test suites.

#include "facade/BlasKernel.h"
#include "model/ModelConfig.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <map>
#include <vector>
#include <string>

namespace cosw::test {

// A model small enough for unit tests to run in milliseconds: 32 px images,
// patch 4 (feature grid 8), widths 16 (vision, connector) and 32 (LM),
// Chain-of-Sight scales {g:1,q:2}, {g:2,q:1}. Suites adjust what they test.
ModelConfig tinyModelConfig();

// A run config (YAML) small enough to train in seconds: a short vision stage,
// then pre-training for `pretrainSteps` (lr 2e-3) and fine-tuning (lr 1e-3,
// resolution x2, windows x2 on the second scale), so a run crosses stage
// boundaries. Data: a 2x2 FMNIST-Grid in `dataDir`.
QString smallRunConfig(const QString &dataDir, int pretrainSteps);

// `config` (smallRunConfig's or a suite's own) with every stage that trains
// the connector and the language model in fp32: runs of two processes
// compared to 1e-4 must not rest on `precision: auto`, which each process
// decides by timing.
QString trainedStagesInFp32(QString config);

// A store shaped like the replica benchmark's, with figures chosen so the
// Pareto front is known: baseline (2 seeds), cos (3 seeds, two of them tied
// on time and accuracy), noscale, window, resolution, compound; a failed run
// without an evaluation and a run without a pre-training stage. Seeds share
// a sweep variant. Returns the run ids by name ("cos/1" is cos's seed 1).
struct ComparisonStore {
    std::map<std::string, int64_t> ids;
    std::vector<int64_t> front; // on the front of pre-training time against accuracy, ascending
};
ComparisonStore writeComparisonStore(const std::string &file);

// Settings (QSettings, as an INI file) and caches (COS_CACHE_DIR) of a GUI
// suite stay in `dir`, under the application name `suite`.
void keepSettingsAndCachesIn(const QTemporaryDir &dir, const char *suite);

// Whole-file helpers; readFile returns empty bytes for a missing file.
QByteArray readFile(const QString &path);
bool writeFile(const QString &path, const QByteArray &bytes);

// Path of a file in the source tree (COS_SOURCE_DIR is set by CTest).
QString sourcePath(const QString &relative);

// A CSV line split on commas outside quotes, quotes undone.
QStringList csvFields(const QString &line);

// Runs `fn` and returns the message of the exception of type E it throws, or
// an empty string when it throws nothing (another type propagates).
template <typename E>
std::string thrownMessage(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const E &e) {
        return e.what();
    }
    return {};
}

} // namespace cosw::test
