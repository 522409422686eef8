#pragma once
// Owns the worker thread a StoreReader runs on and stops it on destruction.

#include "StoreReader.h"

#include <QObject>
#include <QThread>

namespace cosw {

class StoreReaderThread : public QObject {
    Q_OBJECT
public:
    explicit StoreReaderThread(const QString &file, QObject *parent = nullptr);
    ~StoreReaderThread() override;

    // Connect to its signals; call it only through queued invocations
    // (QMetaObject::invokeMethod with Qt::QueuedConnection), never directly.
    StoreReader *reader() const { return m_reader; }
    void setFile(const QString &file);

private:
    QThread m_thread;
    StoreReader *m_reader;
};

} // namespace cosw
