#pragma once

#include "../traffic/recorder.h"
#include "../transport/stdiotransport.h"
#include "transport/fdstream.h"

#include <QProcess>

namespace mcp {

// Sits between an MCP host speaking stdio to this process and a server process: every byte passes through
// unchanged, as it arrives, and each frame of both directions is recorded (host -> server as Sent, so a
// recording reads like a client's own trace). The server's stderr is passed to ours.
class StdioProxy : public QObject
{
    Q_OBJECT
public:
    StdioProxy(StdioOptions server, Recorder *recorder, int inFd = 0, int outFd = 1,
               QObject *parent = nullptr);
    ~StdioProxy() override;

    bool start(Error *error);

Q_SIGNALS:
    // The server exited (after the host closed stdin, or on its own): its exit code.
    void finished(int exitCode);

private:
    void fromHost(const QByteArray &bytes);
    void readServer();

    StdioOptions m_options;
    Recorder *m_recorder;
    int m_connection;
    int m_in;
    int m_out;
    QProcess m_process;
    LineFramer m_fromHost;
    LineFramer m_fromServer;
};

} // namespace mcp
