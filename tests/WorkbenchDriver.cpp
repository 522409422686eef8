#include "WorkbenchDriver.h"

#include "RunQueue.h"
#include "RunTableModel.h"

#include <QJsonObject>

namespace cosw::test {

std::optional<RunRecord> runNamed(const MainWindow &window, const std::string &name)
{
    const RunTableModel *model = window.runModel();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->run(row).name == name)
            return model->run(row);
    return std::nullopt;
}

std::optional<RunRecord> runWithId(const MainWindow &window, qint64 id)
{
    const int row = window.runModel()->rowOf(id);
    return row < 0 ? std::nullopt : std::optional(window.runModel()->run(row));
}

void StepWatch::connect(RunQueue *queue)
{
    QObject::connect(queue, &RunQueue::jobEvent, queue, [this](qint64 id, const QJsonObject &e) {
        if (e.value("event").toString() == "step" && e.value("stage").toInt() >= 1)
            training.insert(id);
    });
}

StopRunsAtExit::~StopRunsAtExit()
{
    for (RunJob *job : queue->jobs())
        job->cancel();
}

} // namespace cosw::test
