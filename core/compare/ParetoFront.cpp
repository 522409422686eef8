#include "ParetoFront.h"

#include <algorithm>

namespace cosw {

std::vector<size_t> paretoFront(const std::vector<TradeoffPoint> &points)
{
    // Sorted by time, then best accuracy first: a point is on the front when
    // its accuracy is at least the best seen at any strictly shorter time and
    // equals the best at its own time. O(n log n), for dashboards of
    // thousands of runs.
    std::vector<size_t> order;
    for (size_t i = 0; i < points.size(); ++i)
        if (points[i].seconds && points[i].accuracy)
            order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (*points[a].seconds != *points[b].seconds)
            return *points[a].seconds < *points[b].seconds;
        return *points[a].accuracy > *points[b].accuracy;
    });
    std::vector<size_t> front;
    std::optional<double> bestBefore; // best accuracy at strictly shorter times
    for (size_t k = 0; k < order.size();) {
        const double seconds = *points[order[k]].seconds;
        const double top = *points[order[k]].accuracy; // best at this time
        size_t end = k;
        for (; end < order.size() && *points[order[end]].seconds == seconds; ++end)
            if (*points[order[end]].accuracy == top && (!bestBefore || top > *bestBefore))
                front.push_back(order[end]);
        bestBefore = bestBefore ? std::max(*bestBefore, top) : top;
        k = end;
    }
    std::sort(front.begin(), front.end());
    return front;
}

std::vector<size_t> paretoFront(const std::vector<ComparisonRow> &rows)
{
    std::vector<TradeoffPoint> points;
    points.reserve(rows.size());
    for (const ComparisonRow &r : rows)
        points.push_back({r.pretrainSeconds, r.accuracy});
    return paretoFront(points);
}

} // namespace cosw
