#pragma once

#include "transport/fdstream.h"

#include <QObject>

namespace mcp {

class ServerSession;
struct ServerFrame;

// Serves one session over this process's stdin/stdout: newline-delimited JSON frames. stdin is read on the
// event loop (a socket notifier), so timers and other connections keep running between frames.
class StdioServerTransport : public QObject
{
    Q_OBJECT
public:
    explicit StdioServerTransport(ServerSession *session, int inFd = 0, int outFd = 1,
                                  QObject *parent = nullptr);
    ~StdioServerTransport() override;

    void start();

Q_SIGNALS:
    // stdin reached end of file (the client closed it): time to exit.
    void finished();

private:
    void write(const ServerFrame &frame);

    ServerSession *m_session;
    int m_in;
    int m_out;
    LineFramer m_frames;
};

} // namespace mcp
