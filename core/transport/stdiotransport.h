#pragma once

#include "transport.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTimer>

namespace mcp {

struct StdioOptions
{
    QString program;
    QStringList arguments;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString workingDirectory;
    qsizetype maxFrameBytes = 64 * 1024 * 1024;
    int shutdownGraceMs = 2000; // after closing stdin, before SIGTERM; then as long again before SIGKILL

    // Splits a shell-like command line ("node server.js --flag 'a b'") into program and arguments.
    static StdioOptions fromCommandLine(const QString &commandLine);
};

// Spawns a server and exchanges newline-delimited JSON over its stdin/stdout; stderr lines become
// diagnostics.
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
    void readStdout();
    void readStderr();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);

    StdioOptions m_options;
    QProcess m_process;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderrBuffer;
    QTimer m_killTimer;
    int m_shutdownStage = 0;
};

} // namespace mcp
