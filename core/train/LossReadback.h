#pragma once
// A stage's training steps whose losses are still on the device.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace cosw {

class DataParallel;

// How many steps a stage queues before reading their losses back: the
// stage's log_interval, or by default every step on the CPU (where a read
// costs nothing) and every 10 on a GPU.
int64_t readBackInterval(int logInterval, const torch::Device &device);

// Reading a loss back from a GPU makes the host wait for the step to finish,
// so steps queue their losses here and the stage reads them back together,
// every few steps, before an evaluation or a checkpoint, and at the end.
class LossReadback {
public:
    struct Step {
        int64_t step = 0;
        double loss = 0;    // summed over the ranks
        double lr = 0;
        double seconds = 0; // the step's own time and its share of the wait
    };

    // After optimizer step `step`: its loss (a scalar on the device) and the
    // host's time for it.
    void add(int64_t step, const torch::Tensor &loss, double lr, double hostSeconds);
    bool empty() const { return m_steps.empty(); }
    // Every queued step, in order, in one copy from the device (and one sum
    // over the ranks); the wait is shared out by the steps' host times.
    std::vector<Step> take(DataParallel *parallel);

private:
    std::vector<Step> m_steps;
    std::vector<torch::Tensor> m_losses;
};

} // namespace cosw
