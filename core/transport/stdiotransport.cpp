#include "stdiotransport.h"

namespace mcp {

// POSIX shell quoting without expansions: '...' literal, "..." with \" \\ \$ \` escapes, \ outside quotes.
// (QProcess::splitCommand knows only double quotes, so 'a b' came out as two arguments.)
static QStringList splitShellWords(const QString &line)
{
    QStringList words;
    QString word;
    bool inWord = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (c == QLatin1Char('\'')) {
            const qsizetype end = line.indexOf(QLatin1Char('\''), i + 1);
            word += line.mid(i + 1, (end < 0 ? line.size() : end) - i - 1);
            i = end < 0 ? line.size() : end;
            inWord = true;
        } else if (c == QLatin1Char('"')) {
            for (++i; i < line.size() && line[i] != QLatin1Char('"'); ++i) {
                if (line[i] == QLatin1Char('\\') && i + 1 < line.size() &&
                    QStringLiteral("\"\\$`").contains(line[i + 1]))
                    ++i;
                word += line[i];
            }
            inWord = true;
        } else if (c == QLatin1Char('\\') && i + 1 < line.size()) {
            word += line[++i];
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                words << std::exchange(word, {});
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        words << word;
    return words;
}

StdioOptions StdioOptions::fromCommandLine(const QString &commandLine)
{
    StdioOptions o;
    const QStringList parts = splitShellWords(commandLine);
    if (!parts.isEmpty()) {
        o.program = parts.first();
        o.arguments = parts.mid(1);
    }
    return o;
}

StdioTransport::StdioTransport(StdioOptions options, QObject *parent)
    : Transport(parent), m_options(std::move(options))
{
    m_killTimer.setSingleShot(true);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &StdioTransport::readStdout);
    connect(&m_process, &QProcess::readyReadStandardError, this, &StdioTransport::readStderr);
    connect(&m_process, &QProcess::finished, this, &StdioTransport::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &StdioTransport::onProcessError);
    connect(&m_process, &QProcess::started, this, [this] {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Info,
             QStringLiteral("started %1 (pid %2)").arg(m_options.program).arg(m_process.processId())});
        setState(State::Open);
    });
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process.state() == QProcess::NotRunning)
            return;
        if (m_shutdownStage == 1) {
            Q_EMIT diagnostic({Diagnostic::Kind::Warning,
                               QStringLiteral("server did not exit after stdin closed; sending SIGTERM")});
            m_shutdownStage = 2;
            m_process.terminate();
            m_killTimer.start(m_options.shutdownGraceMs);
        } else {
            Q_EMIT diagnostic(
                {Diagnostic::Kind::Warning, QStringLiteral("server ignored SIGTERM; sending SIGKILL")});
            m_shutdownStage = 3;
            m_process.kill();
        }
    });
}

StdioTransport::~StdioTransport()
{
    // Never leave a child behind; the event loop may already be gone, so no graceful wait here.
    if (m_process.state() != QProcess::NotRunning) {
        m_process.disconnect(this);
        m_process.closeWriteChannel();
        m_process.terminate();
        if (!m_process.waitForFinished(200))
            m_process.kill();
        m_process.waitForFinished(1000);
    }
}

void StdioTransport::open()
{
    if (m_options.program.isEmpty()) {
        fail(makeError(Error::Category::Usage, QStringLiteral("stdio: start"),
                       QStringLiteral("no command given")));
        return;
    }
    setState(State::Connecting);
    m_shutdownStage = 0;
    m_stdoutBuffer.clear();
    m_stderrBuffer.clear();
    m_process.setProcessEnvironment(m_options.environment);
    if (!m_options.workingDirectory.isEmpty())
        m_process.setWorkingDirectory(m_options.workingDirectory);
    m_process.start(m_options.program, m_options.arguments);
}

void StdioTransport::send(const OutgoingFrame &frame)
{
    if (m_process.state() != QProcess::Running) {
        Q_EMIT sendFailed(frame.bytes, makeError(Error::Category::Connection, QStringLiteral("stdio: send"),
                                                 QStringLiteral("the server process is not running")));
        return;
    }
    m_process.write(frame.bytes);
    m_process.write("\n", 1);
}

void StdioTransport::close()
{
    if (m_process.state() == QProcess::NotRunning) {
        setState(State::Closed);
        return;
    }
    setState(State::Closing);
    // Some servers ignore end of input: close stdin, then SIGTERM, then SIGKILL, each after a grace period.
    m_shutdownStage = 1;
    m_process.closeWriteChannel();
    m_killTimer.start(m_options.shutdownGraceMs);
}

void StdioTransport::readStdout()
{
    // What is left from earlier reads has no newline: scan only the new bytes, or a long line costs O(n²).
    qsizetype scanFrom = m_stdoutBuffer.size();
    m_stdoutBuffer += m_process.readAllStandardOutput();
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_stdoutBuffer.indexOf('\n', scanFrom);
        if (nl < 0)
            break;
        QByteArray line = m_stdoutBuffer.mid(start, nl - start);
        start = scanFrom = nl + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (!line.trimmed().isEmpty())
            Q_EMIT frameReceived(line);
        if (state() == State::Failed || state() == State::Closed)
            return; // a receiver closed us
    }
    m_stdoutBuffer.remove(0, start);
    if (m_stdoutBuffer.size() > m_options.maxFrameBytes) {
        // Hand over what arrived so it is recorded, then give up: the stream cannot be resynchronised.
        const QByteArray partial = std::exchange(m_stdoutBuffer, {});
        Q_EMIT frameReceived(partial);
        fail(makeError(
            Error::Category::Protocol, QStringLiteral("stdio: read"),
            QStringLiteral("the server wrote %1 bytes without a newline, over the frame limit of %2 "
                           "bytes; connection closed")
                .arg(partial.size())
                .arg(m_options.maxFrameBytes)));
        m_process.disconnect(this);
        m_process.kill();
    }
}

void StdioTransport::readStderr()
{
    m_stderrBuffer += m_process.readAllStandardError();
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_stderrBuffer.indexOf('\n', start);
        if (nl < 0)
            break;
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Stderr, QString::fromUtf8(m_stderrBuffer.mid(start, nl - start)).trimmed()});
        start = nl + 1;
    }
    m_stderrBuffer.remove(0, start);
    if (m_stderrBuffer.size() > 64 * 1024) // a line that never ends still gets shown
        Q_EMIT diagnostic({Diagnostic::Kind::Stderr, QString::fromUtf8(std::exchange(m_stderrBuffer, {}))});
}

void StdioTransport::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_killTimer.stop();
    readStdout();
    if (!m_stderrBuffer.isEmpty())
        Q_EMIT diagnostic({Diagnostic::Kind::Stderr, QString::fromUtf8(std::exchange(m_stderrBuffer, {}))});
    if (state() == State::Closing) {
        setState(State::Closed);
        return;
    }
    const QString how = status == QProcess::CrashExit ? QStringLiteral("crashed")
                                                      : QStringLiteral("exited with status %1").arg(exitCode);
    fail(makeError(Error::Category::Connection, QStringLiteral("stdio"),
                   QStringLiteral("the server process %1").arg(how)));
}

void StdioTransport::onProcessError(QProcess::ProcessError error)
{
    if (error == QProcess::FailedToStart) {
        fail(makeError(
            Error::Category::Connection, QStringLiteral("stdio: start"),
            QStringLiteral("could not start \"%1\": %2").arg(m_options.program, m_process.errorString())));
    } else if (error == QProcess::WriteError && state() == State::Open) {
        Q_EMIT diagnostic({Diagnostic::Kind::Warning,
                           QStringLiteral("write to the server failed: %1").arg(m_process.errorString())});
    }
}

} // namespace mcp
