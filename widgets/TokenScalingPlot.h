#pragma once
// Accuracy against fine-tuning visual tokens, one line per pre-training
// configuration (connector and pre-training tokens): the paper's
// 32 → 80/128/320 ablation as a plot.

#include "compare/ComparisonTable.h"

#include <qcustomplot.h>

namespace cosw {

class TokenScalingPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit TokenScalingPlot(QWidget *parent = nullptr);

    void showTable(const ComparisonTable &table);
    int lineCount() const { return m_lines; }

private:
    int m_lines = 0;
};

} // namespace cosw
