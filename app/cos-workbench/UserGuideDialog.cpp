#include "UserGuideDialog.h"

#include "InstalledPath.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace cosw {

UserGuideDialog::UserGuideDialog(QWidget *parent) : QDialog(parent), m_browser(new QTextBrowser)
{
    setWindowTitle(tr("CoS Workbench user guide"));
    m_browser->setOpenExternalLinks(true);
    const QString path = guidePath();
    if (path.isEmpty())
        m_browser->setPlainText(tr("The user guide (USER-GUIDE.md) is not installed with this program."));
    else
        // Relative image paths resolve against the guide's own folder.
        m_browser->setSource(QUrl::fromLocalFile(path), QTextDocument::MarkdownResource);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
    layout->addWidget(buttons);
    resize(900, 700);
}

QString UserGuideDialog::guidePath()
{
    const QString path = installedOrSource("share/doc/cos-workbench/USER-GUIDE.md", COS_SOURCE_DIR "/docs/USER-GUIDE.md");
    return QFileInfo::exists(path) ? path : QString();
}

} // namespace cosw
