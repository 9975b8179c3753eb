#include "stdioproxy.h"

#include "transport/childprocess.h"

namespace mcp {

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
    endWithThisProcess(m_process);
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
    auto *host = new FdReader(m_in, this);
    connect(host, &FdReader::chunk, this, &StdioProxy::fromHost);
    connect(host, &FdReader::ended, &m_process, &QProcess::closeWriteChannel); // so does the server's stdin
    return true;
}

void StdioProxy::fromHost(const QByteArray &bytes)
{
    m_process.write(bytes);
    for (const QByteArray &frame : m_fromHost.feed(bytes))
        m_recorder->record(m_connection, Direction::Sent, frame);
}

void StdioProxy::readServer()
{
    const QByteArray bytes = m_process.readAllStandardOutput();
    writeAll(m_out, bytes); // if the host is gone, keep recording what the server says
    for (const QByteArray &frame : m_fromServer.feed(bytes))
        m_recorder->record(m_connection, Direction::Received, frame);
}

} // namespace mcp
