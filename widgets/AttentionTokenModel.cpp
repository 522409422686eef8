#include "AttentionTokenModel.h"

#include "facade/AttentionFigures.h"

#include <QImage>
#include <QLocale>
#include <QPainter>

namespace cosw {

AttentionTokenModel::AttentionTokenModel(QObject *parent) : QAbstractListModel(parent) {}

void AttentionTokenModel::setMaps(std::shared_ptr<const AttentionMaps> maps)
{
    beginResetModel();
    m_maps = std::move(maps);
    m_thumbnails.clear();
    m_highlighted.clear();
    endResetModel();
}

void AttentionTokenModel::setLayerAndHead(int layer, int head)
{
    if (layer == m_layer && head == m_head)
        return;
    m_layer = layer;
    m_head = head;
    m_thumbnails.clear();
    if (rowCount() > 0)
        emit dataChanged(index(0), index(rowCount() - 1), {Qt::DecorationRole});
}

void AttentionTokenModel::setThumbnailSize(int pixels)
{
    m_thumbnail = pixels;
    m_thumbnails.clear();
    if (rowCount() > 0)
        emit dataChanged(index(0), index(rowCount() - 1), {Qt::DecorationRole, Qt::SizeHintRole});
}

void AttentionTokenModel::setHighlighted(const QList<int> &tokens)
{
    if (tokens == m_highlighted)
        return;
    QList<int> changed = m_highlighted + tokens;
    m_highlighted = tokens;
    for (int t : changed)
        if (t >= 0 && t < rowCount())
            emit dataChanged(index(t), index(t), {Qt::BackgroundRole});
}

int AttentionTokenModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_maps || !m_maps->layout.hasAttention ? 0 : m_maps->layout.visualTokens;
}

QColor AttentionTokenModel::scaleColour(int scale)
{
    static const QColor colours[] = {QColor(0, 200, 120), QColor(255, 140, 0), QColor(80, 160, 255),
                                     QColor(230, 80, 200)};
    return colours[scale % 4];
}

QVariant AttentionTokenModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int token = index.row();
    const TokenLayout &layout = m_maps->layout;
    const int scale = layout.scaleOf(token);
    const TokenScaleLayout &s = layout.scales[size_t(scale)];
    const int inScale = token - s.firstToken;
    switch (role) {
    case ScaleRole:
        return scale;
    case WindowRole:
        return s.windowOf(inScale);
    case QueryRole:
        return s.queryOf(inScale);
    case Qt::ToolTipRole: {
        const int window = s.windowOf(inScale);
        return tr("Token %1: scale %2 (%3×%3 windows), window row %4, column %5, query %6; peak %7; "
                  "reads %8 of the window's %9 cells, as if evenly")
            .arg(token + 1)
            .arg(scale + 1)
            .arg(s.windows)
            .arg(window / s.windows + 1)
            .arg(window % s.windows + 1)
            .arg(s.queryOf(inScale) + 1)
            .arg(QLocale().toString(double(m_maps->peak(m_layer, m_head, token)), 'g', 3))
            .arg(QLocale().toString(double(m_maps->spread(m_layer, m_head, token)), 'f', 1))
            .arg(layout.cellsPerWindow(scale));
    }
    case Qt::AccessibleTextRole:
        return tr("Token %1 of scale %2").arg(token + 1).arg(scale + 1);
    case Qt::BackgroundRole:
        return m_highlighted.contains(token) ? QVariant(QColor(255, 255, 255, 90)) : QVariant();
    case Qt::SizeHintRole:
        return QSize(m_thumbnail + 6, m_thumbnail + 6);
    case Qt::DecorationRole: {
        auto cached = m_thumbnails.find(token);
        if (cached != m_thumbnails.end())
            return *cached;
        const RgbImage overlay = heatOverlay(m_maps->image, m_maps->map(m_layer, m_head, token), layout.featureGrid, 0.75);
        QImage image(overlay.pixels.data(), overlay.width, overlay.height, overlay.width * 3, QImage::Format_RGB888);
        QPixmap thumbnail = QPixmap::fromImage(image.scaled(m_thumbnail, m_thumbnail, Qt::IgnoreAspectRatio,
                                                            Qt::FastTransformation));
        // A bar along the bottom marks the scale.
        QPainter painter(&thumbnail);
        painter.fillRect(0, m_thumbnail - 4, m_thumbnail, 4, scaleColour(scale));
        painter.end();
        m_thumbnails.insert(token, thumbnail);
        return thumbnail;
    }
    default:
        return {};
    }
}

} // namespace cosw
