#include "fdstream.h"

#include <QSocketNotifier>
#include <cerrno>
#include <unistd.h>

namespace mcp {

QList<QByteArray> LineFramer::feed(const QByteArray &chunk)
{
    QList<QByteArray> frames;
    qsizetype scanFrom = m_buffer.size();
    m_buffer += chunk;
    qsizetype start = 0;
    qsizetype nl;
    while ((nl = m_buffer.indexOf('\n', scanFrom)) >= 0) {
        QByteArray line = m_buffer.mid(start, nl - start);
        start = scanFrom = nl + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (!line.trimmed().isEmpty())
            frames.append(line);
    }
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
