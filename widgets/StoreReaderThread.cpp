#include "StoreReaderThread.h"

namespace cosw {

StoreReaderThread::StoreReaderThread(const QString &file, QObject *parent)
    : QObject(parent), m_reader(new StoreReader)
{
    m_thread.setObjectName("store-reader");
    m_reader->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_reader, &QObject::deleteLater);
    m_thread.start();
    setFile(file);
}

StoreReaderThread::~StoreReaderThread()
{
    m_thread.quit();
    m_thread.wait();
}

void StoreReaderThread::setFile(const QString &file)
{
    StoreReader *reader = m_reader;
    QMetaObject::invokeMethod(reader, [reader, file] { reader->setFile(file); }, Qt::QueuedConnection);
}

} // namespace cosw
