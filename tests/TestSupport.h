#pragma once
// Helpers shared by the test suites.

#include <QString>
#include <QTemporaryDir>

#include <functional>
#include <string>

namespace cosw::test {

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
