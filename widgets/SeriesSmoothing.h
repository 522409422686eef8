#pragma once
// The monitor's smoothing of a noisy training curve: an exponential moving
// average, as TensorBoard draws it, so a researcher reads the same curve here.

#include <cstdint>
#include <vector>

namespace cosw {

// Each output point is the average of the points up to it, the one k points
// back weighted by weight^k (a weight outside (0, 1) returns the values as
// they are). The start-up bias is divided out (by 1 - weight^n), so the first
// points stay at the data's level instead of being pulled towards zero.
// Non-finite values (a diverged loss) are kept as they are and left out of
// the average, so one NaN does not blank the rest of the curve.
//
// A down-sampled series weighs every point as logged: `represents[i]` says
// how many logged points of mean `values[i]` point i stands for (the store's
// SeriesPoint::represents and mean); a point standing for none shows the
// average so far. Empty: each stands for itself.
std::vector<double> smoothedSeries(const std::vector<double> &values, double weight,
                                   const std::vector<int64_t> &represents = {});

} // namespace cosw
