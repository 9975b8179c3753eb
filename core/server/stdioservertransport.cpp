#include "stdioservertransport.h"

#include "mcpserver.h"

#include <QSocketNotifier>
#include <cerrno>
#include <unistd.h>

namespace mcp {

StdioServerTransport::StdioServerTransport(ServerSession *session, int inFd, int outFd, QObject *parent)
    : QObject(parent), m_session(session), m_in(inFd), m_out(outFd)
{
    connect(session, &ServerSession::frameOut, this, &StdioServerTransport::write);
}

StdioServerTransport::~StdioServerTransport() = default;

void StdioServerTransport::start()
{
    m_notifier = new QSocketNotifier(m_in, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdioServerTransport::readInput);
}

void StdioServerTransport::readInput()
{
    // One read per wake-up: the notifier said there is data (or EOF), so this does not block.
    char chunk[65536];
    const ssize_t n = ::read(m_in, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        m_notifier->setEnabled(false);
        Q_EMIT finished();
        return;
    }
    m_buffer.append(chunk, n);
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline).trimmed();
        m_buffer.remove(0, newline + 1);
        if (!line.isEmpty())
            m_session->handleFrame(line);
    }
}

void StdioServerTransport::write(const ServerFrame &frame)
{
    const QByteArray bytes = frame.bytes + '\n';
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(m_out, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // the client is gone; stdin EOF will end the server
        done += n;
    }
}

} // namespace mcp
