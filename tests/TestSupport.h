#pragma once
// Helpers shared by the test suites.

#include "facade/BlasKernel.h"
#include "model/ModelConfig.h"

#include <QByteArray>
#include <QString>
#include <QTemporaryDir>

#include <functional>
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

// Settings (QSettings, as an INI file) and caches (COS_CACHE_DIR) of a GUI
// suite stay in `dir`, under the application name `suite`.
void keepSettingsAndCachesIn(const QTemporaryDir &dir, const char *suite);

// Whole-file helpers; readFile returns empty bytes for a missing file.
QByteArray readFile(const QString &path);
bool writeFile(const QString &path, const QByteArray &bytes);

// Path of a file in the source tree (COS_SOURCE_DIR is set by CTest).
QString sourcePath(const QString &relative);

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
