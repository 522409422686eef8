#pragma once
// The token strip's model: every visual token of an encoded image in the
// engine's order (scales coarse to fine, windows row-major, queries in bank
// order), each shown as a thumbnail of its map with its scale marked.

#include "facade/AttentionSession.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QPixmap>

#include <memory>

namespace cosw {

class AttentionTokenModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { ScaleRole = Qt::UserRole + 1, WindowRole, QueryRole };

    explicit AttentionTokenModel(QObject *parent = nullptr);

    void setMaps(std::shared_ptr<const AttentionMaps> maps);
    void setLayerAndHead(int layer, int head);
    void setThumbnailSize(int pixels);
    // Tokens drawn highlighted (those of the window under the mouse).
    void setHighlighted(const QList<int> &tokens);
    bool isHighlighted(int token) const { return m_highlighted.contains(token); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    // The colour that marks a scale, in the strip and the view.
    static QColor scaleColour(int scale);

private:
    std::shared_ptr<const AttentionMaps> m_maps;
    int m_layer = -1, m_head = -1, m_thumbnail = 48;
    mutable QHash<int, QPixmap> m_thumbnails; // drawn when first shown
    QList<int> m_highlighted;
};

} // namespace cosw
