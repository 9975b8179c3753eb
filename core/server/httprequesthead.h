#pragma once

#include "../transport/httpheaders.h"

#include <optional>

namespace mcp {

// The head of an HTTP/1.1 request as our servers (the HTTP server transport, the recording proxy) read it:
// the request line and the header fields, in order, names as sent.
struct HttpRequestHead
{
    QByteArray method;
    QByteArray target; // as in the request line: a path and query, or an absolute URL through a proxy
    HeaderList headers;
    qsizetype size = 0; // of the head with its closing blank line: the body starts here

    QByteArray header(QByteArrayView name) const; // case-insensitive; empty when absent
    bool hasHeader(QByteArrayView name) const;
    qsizetype contentLength() const; // 0 when absent, -1 when not a number
    bool chunked() const;            // a Transfer-Encoding other than identity
};

// The head at the start of buffer, or nothing while its closing blank line has not arrived.
std::optional<HttpRequestHead> parseRequestHead(const QByteArray &buffer);

// A request as our local listeners (the HTTP server transport, the recording proxy) take it: whole, within
// limits, addressed to this machine by a client on it. Anything else is refused with a status and a reason
// the client is shown; a web page in the user's browser (another Origin, or another Host through DNS
// rebinding) gets nothing through us.
struct LocalRequest
{
    static constexpr qsizetype maxHeadBytes = 64 * 1024;

    enum class State { Incomplete, Complete, Refused };
    State state = State::Incomplete;
    std::optional<HttpRequestHead> head; // once it has arrived
    QByteArray body;                     // Complete
    int status = 0;                      // Refused
    QByteArray reason;                   // Refused

    // The head asks for "100 Continue" and no byte of the body has come yet (curl, for large bodies).
    bool continueExpected = false;
};
LocalRequest readLocalRequest(const QByteArray &buffer, qsizetype maxBodyBytes);

// "404 Not Found": the status line's code and reason phrase.
QByteArray statusLine(int status);

} // namespace mcp
