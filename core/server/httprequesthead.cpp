#include "httprequesthead.h"

namespace mcp {

QByteArray HttpRequestHead::header(QByteArrayView name) const
{
    return headerValue(headers, name);
}

bool HttpRequestHead::hasHeader(QByteArrayView name) const
{
    return mcp::hasHeader(headers, name);
}

qsizetype HttpRequestHead::contentLength() const
{
    if (!hasHeader("content-length"))
        return 0;
    bool ok = false;
    const qsizetype length = header("content-length").toLongLong(&ok);
    return ok && length >= 0 ? length : -1;
}

bool HttpRequestHead::chunked() const
{
    return hasHeader("transfer-encoding") &&
           header("transfer-encoding").compare("identity", Qt::CaseInsensitive) != 0;
}

std::optional<HttpRequestHead> parseRequestHead(const QByteArray &buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    HttpRequestHead head;
    head.size = end + 4;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    head.method = requestLine.value(0);
    head.target = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            head.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
    }
    return head;
}

} // namespace mcp
