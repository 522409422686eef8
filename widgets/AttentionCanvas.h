#pragma once
// One image of the attention view: the image as the model saw it, the map
// of the selected token over it in heat colours, the window grid of the
// selected scale, and a colour bar that states the range and how the map is
// normalised. Hovering a window frames it; clicking one reports it.

#include "facade/AttentionSession.h"

#include <QImage>
#include <QList>
#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

namespace cosw {

class AttentionCanvas : public QWidget {
    Q_OBJECT
public:
    explicit AttentionCanvas(QWidget *parent = nullptr);

    void setMaps(std::shared_ptr<const AttentionMaps> maps);
    const AttentionMaps *maps() const { return m_maps.get(); }
    // What is drawn: the map of `token` (-1: none) at `layer` and `head`
    // (-1: mean), the window grid of `scale`.
    void setSelection(int scale, int token, int layer, int head);
    // Windows of the scale framed as related to the other side's selection.
    void setRelatedWindows(const QList<int> &windows);
    void setAlpha(double alpha);
    void setTitle(const QString &title);
    // Shows `map` (n * n cells, e.g. an answer's attention through the
    // visual tokens) instead of the selected token's, with `caption` on the
    // colour bar; an empty map goes back to the token's.
    void setCustomMap(const std::vector<float> &map, const QString &caption);
    bool showsCustomMap() const { return !m_customMap.empty(); }
    // A message instead of a picture (nothing open, the MLP has no maps, ...).
    void setMessage(const QString &message);

    int scale() const { return m_scale; }
    int token() const { return m_token; }
    int hoveredWindow() const { return m_hovered; }
    // The window of the selected scale under a point of the widget, or -1.
    int windowAt(const QPointF &point) const;
    // The picture's rectangle in the widget.
    QRectF imageRect() const;
    // The widget's picture at `size` (for PNG and SVG export).
    void render(QPainter &painter, const QSize &size) const;

    QSize sizeHint() const override { return {420, 380}; }

signals:
    void windowClicked(int window);
    void windowHovered(int window);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void updateOverlay();
    QRectF imageRectIn(const QSize &size) const;
    void paintWindowFrame(QPainter &painter, const QRectF &image, int window, const QColor &colour, qreal width,
                          Qt::PenStyle style = Qt::SolidLine) const;

    std::shared_ptr<const AttentionMaps> m_maps;
    QImage m_overlay; // the image with the token's map, at the image's own size
    QString m_title, m_message, m_customCaption;
    std::vector<float> m_customMap;
    QList<int> m_related;
    int m_scale = 0, m_token = -1, m_layer = -1, m_head = -1, m_hovered = -1;
    double m_alpha = 0.6;
    float m_peak = 0;
};

} // namespace cosw
