#include "AttentionCanvas.h"

#include "facade/AttentionFigures.h"

#include <QLinearGradient>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace cosw {

namespace {

constexpr int kBarWidth = 14;
constexpr int kBarSpace = 70; // the bar and its labels
constexpr int kTitleHeight = 22;

QImage toQImage(const RgbImage &image)
{
    return QImage(image.pixels.data(), image.width, image.height, image.width * 3, QImage::Format_RGB888).copy();
}

} // namespace

AttentionCanvas::AttentionCanvas(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(200, 150);
}

void AttentionCanvas::setMaps(std::shared_ptr<const AttentionMaps> maps)
{
    m_maps = std::move(maps);
    m_message.clear();
    m_hovered = -1;
    updateOverlay();
}

void AttentionCanvas::setSelection(int scale, int token, int layer, int head)
{
    m_scale = scale;
    m_token = token;
    m_layer = layer;
    m_head = head;
    updateOverlay();
}

void AttentionCanvas::setRelatedWindows(const QList<int> &windows)
{
    m_related = windows;
    update();
}

void AttentionCanvas::setAlpha(double alpha)
{
    m_alpha = alpha;
    updateOverlay();
}

void AttentionCanvas::setTitle(const QString &title)
{
    m_title = title;
    update();
}

void AttentionCanvas::setCustomMap(const std::vector<float> &map, const QString &caption)
{
    m_customMap = map;
    m_customCaption = caption;
    updateOverlay();
}

void AttentionCanvas::setMessage(const QString &message)
{
    m_message = message;
    update();
}

void AttentionCanvas::updateOverlay()
{
    m_peak = 0;
    const size_t cells = m_maps ? size_t(m_maps->layout.featureGrid) * size_t(m_maps->layout.featureGrid) : 0;
    if (!m_maps) {
        m_overlay = QImage();
    } else if (!m_customMap.empty() && m_customMap.size() == cells) {
        m_peak = *std::max_element(m_customMap.begin(), m_customMap.end());
        m_overlay = toQImage(heatOverlay(m_maps->image, m_customMap.data(), m_maps->layout.featureGrid, m_alpha));
    } else if (m_token < 0 || !m_maps->layout.hasAttention || m_token >= m_maps->layout.visualTokens) {
        m_overlay = toQImage(m_maps->image);
    } else {
        const float *map = m_maps->map(m_layer, m_head, m_token);
        m_peak = m_maps->peak(m_layer, m_head, m_token);
        m_overlay = toQImage(heatOverlay(m_maps->image, map, m_maps->layout.featureGrid, m_alpha));
    }
    update();
}

QRectF AttentionCanvas::imageRectIn(const QSize &size) const
{
    const qreal side = std::max<qreal>(10, std::min<qreal>(size.width() - kBarSpace - 8, size.height() - kTitleHeight - 8));
    return {4, qreal(kTitleHeight), side, side};
}

QRectF AttentionCanvas::imageRect() const { return imageRectIn(size()); }

int AttentionCanvas::windowAt(const QPointF &point) const
{
    if (!m_maps || m_scale < 0 || m_scale >= int(m_maps->layout.scales.size()))
        return -1;
    const QRectF r = imageRect();
    if (!r.contains(point))
        return -1;
    const int g = m_maps->layout.scales[size_t(m_scale)].windows;
    const int column = std::min(g - 1, int((point.x() - r.left()) / r.width() * g));
    const int row = std::min(g - 1, int((point.y() - r.top()) / r.height() * g));
    return row * g + column;
}

void AttentionCanvas::paintWindowFrame(QPainter &painter, const QRectF &image, int window, const QColor &colour,
                                       qreal width, Qt::PenStyle style) const
{
    const int g = m_maps->layout.scales[size_t(m_scale)].windows;
    const qreal cell = image.width() / g;
    QPen pen(colour, width, style);
    pen.setJoinStyle(Qt::MiterJoin);
    painter.setPen(pen);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(QRectF(image.left() + (window % g) * cell, image.top() + (window / g) * cell, cell, cell)
                         .adjusted(width / 2, width / 2, -width / 2, -width / 2));
}

void AttentionCanvas::render(QPainter &painter, const QSize &size) const
{
    painter.fillRect(QRect(QPoint(0, 0), size), palette().window());
    painter.setPen(palette().windowText().color());
    painter.drawText(QRectF(4, 0, size.width() - 8, kTitleHeight), Qt::AlignVCenter | Qt::AlignLeft, m_title);
    const QRectF image = imageRectIn(size);
    // A map given from outside (an answer's attention) shows even where the
    // connector has no maps of its own (the MLP).
    if ((!m_message.isEmpty() && m_customMap.empty()) || m_overlay.isNull()) {
        painter.drawText(image, Qt::AlignCenter | Qt::TextWordWrap,
                         m_message.isEmpty() ? tr("Open a checkpoint and an image.") : m_message);
        return;
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // a feature cell stays a block
    painter.drawImage(image, m_overlay);

    const bool haveScale = m_scale >= 0 && m_scale < int(m_maps->layout.scales.size());
    if (haveScale) {
        const TokenScaleLayout &s = m_maps->layout.scales[size_t(m_scale)];
        painter.setPen(QPen(QColor(64, 224, 255, 160), 1));
        for (int i = 1; i < s.windows; ++i) {
            const qreal x = image.left() + image.width() * i / s.windows, y = image.top() + image.height() * i / s.windows;
            painter.drawLine(QPointF(x, image.top()), QPointF(x, image.bottom()));
            painter.drawLine(QPointF(image.left(), y), QPointF(image.right(), y));
        }
        for (int w : m_customMap.empty() ? m_related : QList<int>{})
            paintWindowFrame(painter, image, w, QColor(255, 140, 0), 2, Qt::DashLine);
        if (m_customMap.empty() && m_token >= s.firstToken && m_token < s.firstToken + s.tokens())
            paintWindowFrame(painter, image, s.windowOf(m_token - s.firstToken), QColor(0, 255, 128), 3);
        if (m_hovered >= 0)
            paintWindowFrame(painter, image, m_hovered, Qt::white, 1.5, Qt::DotLine);
    }

    // The colour bar: what the colours mean for this map.
    const QRectF bar(image.right() + 10, image.top(), kBarWidth, image.height());
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 10; ++i) {
        const auto c = heatColour(i / 10.0);
        gradient.setColorAt(i / 10.0, QColor(c[0], c[1], c[2]));
    }
    painter.fillRect(bar, gradient);
    painter.setPen(palette().windowText().color());
    const QLocale locale;
    const QRectF labels(bar.right() + 3, bar.top(), kBarSpace - kBarWidth - 12, bar.height());
    if (m_peak > 0) {
        painter.drawText(labels, Qt::AlignTop | Qt::AlignLeft, locale.toString(double(m_peak), 'g', 3));
        painter.drawText(labels, Qt::AlignBottom | Qt::AlignLeft, locale.toString(0.0, 'f', 0));
        painter.save();
        painter.translate(labels.center());
        painter.rotate(-90);
        painter.drawText(QRectF(-labels.height() / 2, -10, labels.height(), 20), Qt::AlignCenter,
                         m_customMap.empty() ? tr("attention, scaled to this token's peak") : m_customCaption);
        painter.restore();
    }
}

void AttentionCanvas::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    render(painter, size());
}

void AttentionCanvas::mouseMoveEvent(QMouseEvent *event)
{
    const int window = windowAt(event->position());
    if (window != m_hovered) {
        m_hovered = window;
        emit windowHovered(window);
        update();
    }
}

void AttentionCanvas::mousePressEvent(QMouseEvent *event)
{
    const int window = windowAt(event->position());
    if (event->button() == Qt::LeftButton && window >= 0)
        emit windowClicked(window);
}

void AttentionCanvas::leaveEvent(QEvent *)
{
    if (m_hovered >= 0) {
        m_hovered = -1;
        emit windowHovered(-1);
        update();
    }
}

} // namespace cosw
