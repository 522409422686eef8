#pragma once
// Accuracy per question type for a few rows of the comparison side by side,
// with each row's image-blind controls (type prior, shuffled images) marked
// on its bars: a bar that does not clear its marks does not read the image.

#include "compare/ComparisonTable.h"

#include <qcustomplot.h>

#include <QList>

namespace cosw {

class PerTypePlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit PerTypePlot(QWidget *parent = nullptr);

    // At most kMaxRows rows; none: the table's first rows.
    void showRows(const ComparisonTable &table, QList<int> rows);
    static constexpr int kMaxRows = 8;
    int barCount() const { return m_bars; }

private:
    int m_bars = 0;
};

} // namespace cosw
