#pragma once
// Help → Keyboard shortcuts: every shortcut of the window's actions, read
// from the actions themselves so the list cannot fall behind them.

#include <QDialog>

class QTableWidget;

namespace cosw {

class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutsDialog(QWidget *window, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace cosw
