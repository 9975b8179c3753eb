#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QSocketNotifier;

namespace mcp {

// Splits a newline-delimited byte stream into frames as the stdio transport does: a trailing \r is not
// part of the frame, blank lines are no frames.
class LineFramer
{
public:
    QList<QByteArray> feed(const QByteArray &chunk);

private:
    QByteArray m_buffer;
};

// Reads one of this process's file descriptors (stdin) on the event loop: a chunk per wake-up, so timers
// and other connections keep running between reads.
class FdReader : public QObject
{
    Q_OBJECT
public:
    explicit FdReader(int fd, QObject *parent = nullptr);

Q_SIGNALS:
    void chunk(const QByteArray &bytes);
    void ended(); // end of file (or a read error): the other side closed it

private:
    void read();

    int m_fd;
    QSocketNotifier *m_notifier;
};

// Writes all of bytes to fd (stdout), blocking as a pipe does; false when the reader is gone.
bool writeAll(int fd, QByteArrayView bytes);

} // namespace mcp
