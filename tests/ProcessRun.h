#pragma once
// A program run from a test to its end: exit status and output; killed when
// it outlives the timeout (exit status -1 then, as for a crash).

#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>

namespace cosw::test {

struct Finished {
    int exitCode = -1;
    QString out, err;
};

// `childSetup` runs in the child before the program starts (limits, a
// user to run as).
inline Finished runProcess(const QString &program, const QStringList &args,
                           const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                           const QString &workingDirectory = {}, int timeoutMs = 120000,
                           const std::function<void()> &childSetup = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(workingDirectory);
    if (childSetup)
        p.setChildProcessModifier(childSetup);
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace cosw::test
