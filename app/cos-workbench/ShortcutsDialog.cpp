#include "ShortcutsDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequence>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace cosw {

ShortcutsDialog::ShortcutsDialog(QWidget *window, QWidget *parent) : QDialog(parent), m_table(new QTableWidget)
{
    setWindowTitle(tr("Keyboard shortcuts"));
    QList<QAction *> actions;
    for (QAction *action : window->findChildren<QAction *>())
        if (!action->shortcut().isEmpty() && !actions.contains(action))
            actions.append(action);
    std::sort(actions.begin(), actions.end(), [](QAction *a, QAction *b) {
        return a->shortcut().toString() < b->shortcut().toString();
    });
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({tr("Shortcut"), tr("Action"), tr("What it does")});
    m_table->setRowCount(int(actions.size()));
    for (int row = 0; row < actions.size(); ++row) {
        QAction *action = actions[row];
        m_table->setItem(row, 0, new QTableWidgetItem(action->shortcut().toString(QKeySequence::NativeText)));
        m_table->setItem(row, 1, new QTableWidgetItem(action->iconText()));
        m_table->setItem(row, 2, new QTableWidgetItem(action->statusTip()));
    }
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->resizeColumnsToContents();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(720, 460);
}

} // namespace cosw
