#include "SeriesSmoothing.h"

#include <cmath>

namespace cosw {

std::vector<double> smoothedSeries(const std::vector<double> &values, double weight)
{
    std::vector<double> out(values);
    if (!(weight > 0 && weight < 1))
        return out;
    double average = 0, weightPower = 1;
    for (double &v : out) {
        if (!std::isfinite(v))
            continue;
        average = average * weight + (1 - weight) * v;
        weightPower *= weight;
        v = average / (1 - weightPower);
    }
    return out;
}

} // namespace cosw
