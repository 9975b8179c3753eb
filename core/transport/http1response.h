#pragma once

#include "httpheaders.h"

#include <QByteArray>
#include <QString>

namespace mcp {

// The values of every header with this name (compared case-insensitively) joined with ", ", as RFC 9110
// combines repeated fields; empty when there is none.
QByteArray joinedHeaderValue(const HeaderList &headers, QByteArrayView name);

// Reads HTTP/1.1 responses, one after the other, from the bytes of a connection: status line, headers (with
// limits on line and head size), interim 1xx responses skipped, and the body framed by Content-Length,
// chunked transfer coding or the connection's end. No sockets: Http1Connection feeds it what it reads, and
// tests and the fuzzer (tests/fuzz/fuzz_http1response.cpp) feed it bytes.
class Http1ResponseParser
{
public:
    // What one feed() brought.
    struct Progress
    {
        bool headers = false; // the final response's head is complete: status(), reason(), headers()
        QByteArray body;      // body bytes, transfer coding removed
        bool complete = false;
        QString malformed; // non-empty: the response is malformed, and why; feed no more
    };

    // Expects a new response; that to a HEAD request has no body.
    void start(bool headRequest);
    void feed(QByteArrayView bytes, Progress &p);

    int status() const { return m_status; } // 0 until the final status line arrived
    QByteArray reason() const { return m_reason; }
    const HeaderList &headers() const { return m_headers; }
    bool keepAlive() const { return m_keepAlive; } // after the head: the connection may carry another one
    qint64 keepAliveMs() const { return m_keepAliveMs; } // from Keep-Alive: timeout=N with a margin, or -1
    bool endsWithConnection() const { return m_phase == Phase::Body && m_remaining < 0; }
    bool hasUnreadBytes() const { return !m_buffer.isEmpty(); } // bytes beyond the complete response

private:
    enum class Phase { StatusLine, Headers, Body, ChunkSize, ChunkData, ChunkEnd, Trailers };

    bool takeLine(QByteArray *line, Progress &p);
    void onStatusLine(const QByteArray &line, Progress &p);
    void onHeaderLine(const QByteArray &line, Progress &p);
    void onHeadersDone(Progress &p);
    void onChunkSize(const QByteArray &line, Progress &p);
    void takeBody(Progress &p);

    QByteArray m_buffer;
    Phase m_phase = Phase::StatusLine;
    bool m_headRequest = false;
    qint64 m_remaining = -1; // body or chunk bytes still to come; -1: until the connection closes
    qsizetype m_headerBytes = 0;
    int m_minorVersion = 1;
    int m_status = 0;
    QByteArray m_reason;
    HeaderList m_headers;
    bool m_keepAlive = true;
    qint64 m_keepAliveMs = -1;
};

} // namespace mcp
