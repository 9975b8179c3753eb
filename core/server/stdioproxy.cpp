#include "stdioproxy.h"

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

StdioProxy::StdioProxy(StdioOptions server, Recorder *recorder, int inFd, int outFd, QObject *parent)
    : QObject(parent), m_options(std::move(server)), m_recorder(recorder),
      m_connection(recorder->addConnection(m_options.program)), m_in(inFd), m_out(outFd)
{}

StdioProxy::~StdioProxy()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

bool StdioProxy::start(Error *error)
{
    m_process.setProgram(m_options.program);
    m_process.setArguments(m_options.arguments);
    m_process.setProcessEnvironment(m_options.environment);
    m_process.setWorkingDirectory(m_options.workingDirectory);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &StdioProxy::readServer);
    connect(&m_process, &QProcess::finished, this, [this](int exitCode) {
        readServer();
        Q_EMIT finished(exitCode);
    });
    m_process.start();
    if (!m_process.waitForStarted()) {
        *error =
            makeError(Error::Category::Connection, QStringLiteral("proxy: start"),
                      QStringLiteral("cannot start %1: %2").arg(m_options.program, m_process.errorString()));
        return false;
    }
    m_notifier = new QSocketNotifier(m_in, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdioProxy::readHost);
    return true;
}

void StdioProxy::readHost()
{
    char chunk[65536];
    const ssize_t n = ::read(m_in, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) { // the host closed stdin: so does the server's
        m_notifier->setEnabled(false);
        m_process.closeWriteChannel();
        return;
    }
    const QByteArray bytes(chunk, n);
    m_process.write(bytes);
    for (const QByteArray &frame : m_fromHost.feed(bytes))
        m_recorder->record(m_connection, Direction::Sent, frame);
}

void StdioProxy::readServer()
{
    const QByteArray bytes = m_process.readAllStandardOutput();
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(m_out, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // the host is gone; keep recording what the server says
        done += n;
    }
    for (const QByteArray &frame : m_fromServer.feed(bytes))
        m_recorder->record(m_connection, Direction::Received, frame);
}

} // namespace mcp
