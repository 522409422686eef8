#include "SeriesSmoothing.h"

#include <cmath>

namespace cosw {

std::vector<double> smoothedSeries(const std::vector<double> &values, double weight,
                                   const std::vector<int64_t> &represents)
{
    std::vector<double> out(values);
    if (!(weight > 0 && weight < 1))
        return out;
    double average = 0, weightPower = 1;
    for (size_t i = 0; i < out.size(); ++i) {
        const int64_t points = represents.empty() ? 1 : represents[i];
        if (points == 0) {
            if (weightPower < 1)
                out[i] = average / (1 - weightPower);
            continue;
        }
        if (!std::isfinite(out[i]))
            continue;
        // `points` equal values in a row: the average moves as far as they
        // would move it one by one.
        const double decay = std::pow(weight, double(points));
        average = average * decay + (1 - decay) * out[i];
        weightPower *= decay;
        out[i] = average / (1 - weightPower);
    }
    return out;
}

} // namespace cosw
