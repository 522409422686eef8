#pragma once
// The dashboard's central figure: pre-training time (absolute, or relative to
// a reference run as the paper plots it) against an accuracy, one point per
// run or group, colour by fine-tuning tokens, marker by pre-training tokens,
// error bars (a group's spread, one run's standard error) and the Pareto front
// as a step line.

#include "compare/ComparisonTable.h"

#include <qcustomplot.h>

#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace cosw {

class TradeoffPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit TradeoffPlot(QWidget *parent = nullptr);

    // Draws the table's rows. A zoom the user made survives until a double
    // click resets it; otherwise the axes fit the points.
    void showTable(const ComparisonTable &table, bool relative, bool logX);
    void setSelectedRows(const QList<int> &rows);

    // The table row drawn within a few pixels of `pixel`, else -1.
    int rowAt(const QPoint &pixel) const;
    // Rows drawn as points, and those marked as on the Pareto front.
    QList<int> drawnRows() const;
    QList<int> frontRows() const { return m_front; }
    // The type prior line drawn for an accuracy metric (the rows' mean).
    std::optional<double> priorLine() const { return m_prior; }
    QPointF pointOf(int row) const; // plot coordinates; NaN when not drawn

signals:
    void rowClicked(int row);

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;

private:
    struct Point {
        int row = 0;
        double x = 0, y = 0;
        QString tip;
    };

    void fitAxes();

    std::vector<Point> m_points;
    QList<int> m_front;
    QCPGraph *m_selection = nullptr;
    std::optional<double> m_prior;
    bool m_userRange = false;
    QPoint m_pressAt;
};

} // namespace cosw
