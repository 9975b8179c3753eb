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

} // namespace mcp
