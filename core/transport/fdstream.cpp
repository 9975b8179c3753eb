#include "fdstream.h"

#include <QSocketNotifier>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <poll.h>
#include <unistd.h>
#include <utility>

namespace mcp {

QList<QByteArray> LineFramer::feed(const QByteArray &chunk)
{
    QList<QByteArray> frames;
    qsizetype scanFrom = m_buffer.size(); // what is left from earlier has no newline: scan only the new bytes
    m_buffer += chunk;
    qsizetype start = 0;
    qsizetype nl;
    while ((nl = m_buffer.indexOf('\n', scanFrom)) >= 0) {
        QByteArray line;
        if (start == 0 && nl == m_buffer.size() - 1) {
            // The whole buffer is one frame (a big answer read chunk by chunk): taken, not copied.
            line = std::exchange(m_buffer, QByteArray());
            line.chop(1);
        } else {
            line = m_buffer.mid(start, nl - start);
        }
        start = scanFrom = nl + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (!line.trimmed().isEmpty())
            frames.append(line);
    }
    // All consumed: the buffer's capacity (as large as the largest frame so far) is given back.
    if (start >= m_buffer.size())
        m_buffer = QByteArray();
    else
        m_buffer.remove(0, start);
    return frames;
}

FdReader::FdReader(int fd, QObject *parent)
    : QObject(parent), m_fd(fd), m_notifier(new QSocketNotifier(fd, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &FdReader::read);
}

void FdReader::read()
{
    // One read per wake-up: the notifier said there is data (or EOF), so this does not block.
    char buffer[65536];
    const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        m_notifier->setEnabled(false);
        Q_EMIT ended();
        return;
    }
    Q_EMIT chunk(QByteArray(buffer, n));
}

void FdReader::drain()
{
    // Bounded (64 MiB): a writer that goes on writing, such as a grandchild holding the pipe, must not keep
    // the caller here.
    pollfd ready{m_fd, POLLIN, 0};
    for (int i = 0; i < 1024 && m_notifier->isEnabled() && ::poll(&ready, 1, 0) > 0; ++i)
        read();
}

void FdReader::stop()
{
    m_notifier->setEnabled(false);
}

// A write to a pipe whose reader has exited raises SIGPIPE, which ends the process. Ignore it once, as
// QProcess does before it first writes to a child (even over a handler: QtTest's would report a crash);
// write() then fails with EPIPE, which is reported. Children get the default back from QProcess.
static void ignoreSigpipe()
{
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction ignore = {};
        ignore.sa_handler = SIG_IGN;
        ::sigaction(SIGPIPE, &ignore, nullptr);
    });
}

FdWriter::FdWriter(int fd, QObject *parent)
    : QObject(parent), m_fd(fd), m_notifier(new QSocketNotifier(fd, QSocketNotifier::Write, this))
{
    ignoreSigpipe();
    m_notifier->setEnabled(false);
    connect(m_notifier, &QSocketNotifier::activated, this, &FdWriter::flush);
}

FdWriter::~FdWriter()
{
    close();
}

bool FdWriter::write(const QByteArray &bytes)
{
    if (m_fd < 0 || m_closing)
        return false;
    m_queued += bytes; // no copy when nothing is queued: QByteArray is shared
    flush();
    return m_fd >= 0;
}

void FdWriter::closeWhenWritten()
{
    m_closing = true;
    if (m_queued.isEmpty())
        close();
}

void FdWriter::flush()
{
    while (m_written < m_queued.size()) {
        const ssize_t n =
            ::write(m_fd, m_queued.constData() + m_written, size_t(m_queued.size() - m_written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break; // the pipe is full: go on when the reader has taken some
        if (n < 0) {
            const QString reason = QString::fromLocal8Bit(std::strerror(errno));
            close();
            Q_EMIT failed(reason);
            return;
        }
        m_written += n;
    }
    if (m_written < m_queued.size()) {
        m_notifier->setEnabled(true);
        return;
    }
    m_queued.clear();
    m_written = 0;
    m_notifier->setEnabled(false);
    if (m_closing)
        close();
}

void FdWriter::close()
{
    if (m_fd < 0)
        return;
    m_notifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
    m_queued.clear();
    m_written = 0;
}

bool writeAll(int fd, QByteArrayView bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

} // namespace mcp
