#include "stdiotransport.h"

#include "childprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

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

QProcessEnvironment StdioOptions::minimalEnvironment()
{
    static const QStringList passed = {QStringLiteral("HOME"), QStringLiteral("LOGNAME"),
                                       QStringLiteral("PATH"), QStringLiteral("SHELL"),
                                       QStringLiteral("TERM"), QStringLiteral("USER"),
                                       QStringLiteral("LANG"), QStringLiteral("LANGUAGE")};
    const QProcessEnvironment ours = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    for (const QString &name : ours.keys()) {
        const QString value = ours.value(name);
        // "()…" is an exported shell function, not a value (the SDKs leave those out too).
        if ((passed.contains(name) || name.startsWith(QLatin1String("LC_"))) &&
            !value.startsWith(QLatin1String("()")))
            env.insert(name, value);
    }
    return env;
}

StdioTransport::StdioTransport(StdioOptions options, QObject *parent)
    : Transport(parent), m_options(std::move(options))
{
    m_killTimer.setSingleShot(true);
    m_unsentTimer.setSingleShot(true);
    // The server's stdin and stdout are our pipes (openPipes), put in place between fork and exec. QProcess
    // keeps stderr.
    m_process.setInputChannelMode(QProcess::ForwardedInputChannel);
    m_process.setProcessChannelMode(QProcess::ForwardedOutputChannel);
    endWithThisProcess(m_process, SIGTERM, [this] {
        ::dup2(m_childStdin, STDIN_FILENO); // the copies are not close-on-exec; the originals are
        ::dup2(m_childStdout, STDOUT_FILENO);
        ::setpgid(0, 0); // a group of its own, so that signals reach what it starts too (sh -c, npx)
    });
    connect(&m_process, &QProcess::readyReadStandardError, this, &StdioTransport::readStderr);
    connect(&m_process, &QProcess::finished, this, &StdioTransport::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &StdioTransport::onProcessError);
    connect(&m_process, &QProcess::started, this, [this] {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Info,
             QStringLiteral("started %1 (pid %2)").arg(m_options.program).arg(m_process.processId())});
        m_processGroup = pid_t(m_process.processId());
        setState(State::Open);
    });
    connect(&m_unsentTimer, &QTimer::timeout, this, &StdioTransport::reportUnsent);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process.state() == QProcess::NotRunning)
            return;
        if (m_shutdownStage == 1) {
            Q_EMIT diagnostic({Diagnostic::Kind::Warning,
                               QStringLiteral("server did not exit after stdin closed; sending SIGTERM")});
            m_shutdownStage = 2;
            signalServer(SIGTERM);
            m_killTimer.start(m_options.shutdownGraceMs);
        } else {
            Q_EMIT diagnostic(
                {Diagnostic::Kind::Warning, QStringLiteral("server ignored SIGTERM; sending SIGKILL")});
            m_shutdownStage = 3;
            signalServer(SIGKILL);
        }
    });
}

StdioTransport::~StdioTransport()
{
    // Never leave a child behind; the event loop may already be gone, so no graceful wait here.
    closePipes();
    if (m_process.state() != QProcess::NotRunning) {
        m_process.disconnect(this);
        signalServer(SIGTERM);
        if (!m_process.waitForFinished(200))
            signalServer(SIGKILL);
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
    closePipes(); // from an earlier run
    m_frames = {};
    m_stderrBuffer.clear();
    if (!openPipes()) {
        fail(makeError(Error::Category::Connection, QStringLiteral("stdio: start"),
                       QStringLiteral("could not create pipes: %1").arg(qt_error_string(errno))));
        return;
    }
    m_process.setProcessEnvironment(m_options.environment);
    QStringList names = m_options.environment.keys(); // names only: values may be secrets
    names.sort();
    Q_EMIT diagnostic({Diagnostic::Kind::Info, QStringLiteral("environment passed to the server: %1")
                                                   .arg(names.isEmpty() ? QStringLiteral("none")
                                                                        : names.join(QStringLiteral(", ")))});
    if (!m_options.workingDirectory.isEmpty())
        m_process.setWorkingDirectory(m_options.workingDirectory);
    m_process.start(m_options.program, m_options.arguments);
    // The child has its copies now (or never will): ours would keep the server from seeing end of input.
    ::close(std::exchange(m_childStdin, -1));
    ::close(std::exchange(m_childStdout, -1));
}

bool StdioTransport::openPipes()
{
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0)
        return false;
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        return false;
    }
    // Our ends never block the event loop; the server's ends block, as servers expect of stdio.
    ::fcntl(in[1], F_SETFL, O_NONBLOCK);
    ::fcntl(out[0], F_SETFL, O_NONBLOCK);
    m_childStdin = in[0];
    m_childStdout = out[1];
    m_stdin = new FdWriter(in[1], this);
    connect(m_stdin, &FdWriter::failed, this, [this](const QString &reason) {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Warning, QStringLiteral("write to the server failed: %1").arg(reason)});
    });
    m_stdout = new FdReader(out[0], this);
    connect(m_stdout, &FdReader::chunk, this, &StdioTransport::readFrames);
    return true;
}

void StdioTransport::closePipes()
{
    // Deleted later, not now: this may run inside one of their signals.
    if (m_stdin) {
        m_stdin->close();
        std::exchange(m_stdin, nullptr)->deleteLater();
    }
    if (m_stdout) {
        m_stdout->stop();
        ::close(m_stdout->fd());
        std::exchange(m_stdout, nullptr)->deleteLater();
    }
}

void StdioTransport::send(const OutgoingFrame &frame)
{
    const bool running = m_process.state() == QProcess::Running && m_stdin;
    if (running && m_stdin->write(frame.bytes + '\n'))
        return;
    m_unsent.append(frame.bytes);
    if (!running) {
        reportUnsent();
        return;
    }
    // A broken pipe mostly means that the server has exited and QProcess has not told us yet. Its exit
    // status (in onFinished) says more than the pipe does, so wait for it a moment; a server that is still
    // running then has closed its stdin.
    if (!m_unsentTimer.isActive())
        m_unsentTimer.start(exitWaitMs);
}

void StdioTransport::reportUnsent()
{
    m_unsentTimer.stop();
    for (const QByteArray &bytes : std::exchange(m_unsent, {}))
        Q_EMIT sendFailed(bytes, makeError(Error::Category::Connection, QStringLiteral("stdio: send"),
                                           QStringLiteral("the server is not reading its input (not "
                                                          "running, or it closed stdin)")));
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
    if (m_stdin)
        m_stdin->closeWhenWritten();
    m_killTimer.start(m_options.shutdownGraceMs);
}

void StdioTransport::readFrames(const QByteArray &chunk)
{
    for (const QByteArray &frame : m_frames.feed(chunk)) {
        Q_EMIT frameReceived(frame);
        if (state() == State::Failed || state() == State::Closed)
            return; // a receiver closed us
    }
    if (m_frames.pendingBytes() > m_options.maxFrameBytes) {
        // Hand over what arrived so it is recorded, then give up: the stream cannot be resynchronised.
        const QByteArray partial = m_frames.takePending();
        Q_EMIT frameReceived(partial);
        fail(makeError(
            Error::Category::Protocol, QStringLiteral("stdio: read"),
            QStringLiteral("the server wrote %1 bytes without a newline, over the frame limit of %2 "
                           "bytes; connection closed")
                .arg(partial.size())
                .arg(m_options.maxFrameBytes)));
        m_process.disconnect(this);
        signalServer(SIGKILL);
        closePipes();
    }
}

void StdioTransport::signalServer(int signal)
{
    // The whole group: a server started through a shell or a launcher keeps running children otherwise.
    if (m_processGroup > 0)
        ::kill(-m_processGroup, signal);
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
    m_unsentTimer.stop();
    m_unsent.clear();      // the exit fails whatever they carried
    signalServer(SIGTERM); // what it started and left running; the group id is not reused while they live
    m_processGroup = 0;
    if (m_stdout)
        m_stdout->drain(); // what the server wrote last may not have woken us yet
    if (const QByteArray last = m_frames.takePending(); !last.trimmed().isEmpty())
        Q_EMIT frameReceived(last); // the last line had no newline: still recorded
    closePipes();
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
    if (error != QProcess::FailedToStart)
        return; // a crash is reported by onFinished
    closePipes();
    fail(makeError(
        Error::Category::Connection, QStringLiteral("stdio: start"),
        QStringLiteral("could not start \"%1\": %2").arg(m_options.program, m_process.errorString())));
}

} // namespace mcp
