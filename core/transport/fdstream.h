#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QSocketNotifier;

namespace mcp {

// Splits a newline-delimited byte stream into frames as the stdio transports do: a trailing \r is not
// part of the frame, blank lines are no frames.
class LineFramer
{
public:
    QList<QByteArray> feed(const QByteArray &chunk);

    // The start of a frame whose newline has not arrived yet.
    qsizetype pendingBytes() const { return m_buffer.size(); }
    QByteArray takePending() { return std::exchange(m_buffer, {}); }

private:
    QByteArray m_buffer;
};

// Reads a file descriptor (this process's stdin, a child's stdout pipe) on the event loop: a chunk per
// wake-up, so timers and other connections keep running between reads. Does not close the descriptor.
class FdReader : public QObject
{
    Q_OBJECT
public:
    explicit FdReader(int fd, QObject *parent = nullptr);

    // Reads, without waiting, what is already there: the writer may have exited before the notifier fired.
    void drain();
    // Reads no more (the descriptor is about to be closed).
    void stop();
    int fd() const { return m_fd; }

Q_SIGNALS:
    void chunk(const QByteArray &bytes);
    void ended(); // end of file (or a read error): the other side closed it

private:
    void read();

    int m_fd;
    QSocketNotifier *m_notifier;
};

// Writes to a non-blocking pipe (a child's stdin) from the caller at once; what does not fit waits, in
// order, for the pipe to drain. Owns the descriptor: closing it is the reader's end of input.
class FdWriter : public QObject
{
    Q_OBJECT
public:
    explicit FdWriter(int fd, QObject *parent = nullptr);
    ~FdWriter() override;

    // False when the reader is gone (failed() says why), or after closeWhenWritten().
    bool write(const QByteArray &bytes);
    // Closes the descriptor once everything queued is written.
    void closeWhenWritten();
    // Closes it now; what is queued is dropped.
    void close();

Q_SIGNALS:
    void failed(const QString &reason);

private:
    void flush();

    int m_fd;
    QSocketNotifier *m_notifier;
    QByteArray m_queued;
    qsizetype m_written = 0; // of m_queued: no memmove of a large frame per partial write
    bool m_closing = false;
};

// Writes all of bytes to fd (stdout), blocking as a pipe does; false when the reader is gone.
bool writeAll(int fd, QByteArrayView bytes);

} // namespace mcp
