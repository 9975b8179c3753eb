#pragma once

#include "fdstream.h"
#include "transport.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTimer>
#include <sys/types.h>

namespace mcp {

struct StdioOptions
{
    QString program;
    QStringList arguments;
    QProcessEnvironment environment = minimalEnvironment(); // plus what the connection sets
    QString workingDirectory;
    qsizetype maxFrameBytes = 64 * 1024 * 1024;
    int shutdownGraceMs = 2000; // after closing stdin, before SIGTERM; then as long again before SIGKILL

    // Splits a shell-like command line ("node server.js --flag 'a b'") into program and arguments.
    static StdioOptions fromCommandLine(const QString &commandLine);
    // What a server we start gets of our environment: the variables the official SDKs pass (HOME, LOGNAME,
    // PATH, SHELL, TERM, USER) and the locale, never the rest (cloud keys, tokens, our own settings).
    static QProcessEnvironment minimalEnvironment();
};

// Spawns a server and exchanges newline-delimited JSON over its stdin/stdout; stderr lines become
// diagnostics. QProcess starts the server, reads stderr and reports the exit; stdin and stdout are our own
// pipes, so a request is written from send() at once and a reply read on its first wake-up (QProcess
// buffers writes until the next event-loop pass, which costs every round trip).
class StdioTransport : public Transport
{
    Q_OBJECT
public:
    explicit StdioTransport(StdioOptions options, QObject *parent = nullptr);
    ~StdioTransport() override;

    QString kind() const override { return QStringLiteral("stdio"); }
    void open() override;
    void send(const OutgoingFrame &frame) override;
    void close() override;

    const StdioOptions &options() const { return m_options; }
    qint64 processId() const { return m_process.processId(); }

private:
    bool openPipes();
    void closePipes();
    void readFrames(const QByteArray &chunk);
    void readStderr();
    void reportUnsent();
    void signalServer(int signal); // to the server's process group
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);

    StdioOptions m_options;
    QProcess m_process;
    FdWriter *m_stdin = nullptr;
    FdReader *m_stdout = nullptr;
    int m_childStdin = -1; // the server's ends, open in this process only until it has started
    int m_childStdout = -1;
    LineFramer m_frames;
    QByteArray m_stderrBuffer;
    QTimer m_killTimer;
    int m_shutdownStage = 0;
    pid_t m_processGroup = 0; // the server's, from its start to its exit
    // Frames the server's stdin refused, held until its exit explains why (or exitWaitMs passes).
    static constexpr int exitWaitMs = 1000;
    QList<QByteArray> m_unsent;
    QTimer m_unsentTimer;
};

} // namespace mcp
