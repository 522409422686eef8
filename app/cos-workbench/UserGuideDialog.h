#pragma once
// Help → User guide: the Markdown guide with its screenshots, read in a
// window beside the workbench.

#include <QDialog>

class QTextBrowser;

namespace cosw {

class UserGuideDialog : public QDialog {
    Q_OBJECT
public:
    explicit UserGuideDialog(QWidget *parent = nullptr);

    // The installed guide (share/doc/cos-workbench beside the program), else
    // the source tree's; empty when neither exists.
    static QString guidePath();
    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser;
};

} // namespace cosw
