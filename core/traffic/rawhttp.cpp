#include "rawhttp.h"

#include "redaction.h"

namespace mcp {

static void appendHeaders(QByteArray &out, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    for (const auto &[name, value] : headers)
        out += name + ": " + value + '\n';
}

QByteArray formatHttpExchange(const HttpExchange &exchange, bool redact)
{
    const HttpExchange x = redact ? redaction::redactExchange(exchange) : exchange;
    const QUrl &url = x.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    QByteArray out = x.method + ' ' + target + " HTTP/1.1\n";
    if (!hasHeader(x.requestHeaders, "host"))
        out += "Host: " + url.authority(QUrl::FullyEncoded).toUtf8() + '\n';
    appendHeaders(out, x.requestHeaders);
    if (!x.requestBody.isEmpty())
        out += '\n' + x.requestBody + '\n';
    out += '\n';
    if (x.status == 0) {
        out += "(no response" + (x.error.isEmpty() ? QByteArray() : ": " + x.error.toUtf8()) + ")\n";
        return out;
    }
    out += "HTTP/1.1 " + QByteArray::number(x.status) + ' ' + x.reason + '\n';
    appendHeaders(out, x.responseHeaders);
    if (!x.responseBody.isEmpty())
        out += '\n' + x.responseBody;
    if (!x.error.isEmpty())
        out += "\n(" + x.error.toUtf8() + ")\n";
    return out;
}

} // namespace mcp
