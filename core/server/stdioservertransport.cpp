#include "stdioservertransport.h"

#include "mcpserver.h"

namespace mcp {

StdioServerTransport::StdioServerTransport(ServerSession *session, int inFd, int outFd, QObject *parent)
    : QObject(parent), m_session(session), m_in(inFd), m_out(outFd)
{
    connect(session, &ServerSession::frameOut, this, &StdioServerTransport::write);
}

StdioServerTransport::~StdioServerTransport() = default;

void StdioServerTransport::start()
{
    auto *input = new FdReader(m_in, this);
    connect(input, &FdReader::chunk, this, [this](const QByteArray &bytes) {
        for (const QByteArray &frame : m_frames.feed(bytes))
            m_session->handleFrame(frame);
    });
    connect(input, &FdReader::ended, this, &StdioServerTransport::finished);
}

void StdioServerTransport::write(const ServerFrame &frame)
{
    writeAll(m_out, frame.bytes + '\n'); // if the client is gone, stdin's end of file will end the server
}

} // namespace mcp
