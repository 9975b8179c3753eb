#include "rawhttp.h"

#include "redaction.h"

namespace mcp {

static void appendHeaders(QByteArray &out, const QList<QPair<QByteArray, QByteArray>> &headers, bool redact)
{
    for (const auto &[name, value] : headers)
        out += name + ": " +
               (redact && redaction::isSecretHeader(name) ? QByteArray(redaction::kMask) : value) + '\n';
}

QByteArray formatHttpExchange(const HttpExchange &x, bool redact)
{
    const QUrl url = redact ? redaction::redactUrl(x.url) : x.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    QByteArray out = x.method + ' ' + target + " HTTP/1.1\n";
    if (!hasHeader(x.requestHeaders, "host"))
        out += "Host: " + url.authority(QUrl::FullyEncoded).toUtf8() + '\n';
    appendHeaders(out, x.requestHeaders, redact);
    if (!x.requestBody.isEmpty())
        out += '\n' + (redact ? redaction::redactBody(x.requestBody) : x.requestBody) + '\n';
    out += '\n';
    if (x.status == 0) {
        out += "(no response" + (x.error.isEmpty() ? QByteArray() : ": " + x.error.toUtf8()) + ")\n";
        return out;
    }
    out += "HTTP/1.1 " + QByteArray::number(x.status) + ' ' + x.reason + '\n';
    appendHeaders(out, x.responseHeaders, redact);
    if (!x.responseBody.isEmpty())
        out += '\n' + (redact ? redaction::redactBody(x.responseBody) : x.responseBody);
    if (!x.error.isEmpty())
        out += "\n(" + x.error.toUtf8() + ")\n";
    return out;
}

} // namespace mcp
