#include "httprequesthead.h"

#include "transport/urlpolicy.h"

#include <QHash>
#include <QUrl>

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

QByteArray statusLine(int status)
{
    static const QHash<int, QByteArray> reasons = {
        {200, "OK"},
        {202, "Accepted"},
        {400, "Bad Request"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {406, "Not Acceptable"},
        {411, "Length Required"},
        {413, "Content Too Large"},
        {431, "Request Header Fields Too Large"},
        {502, "Bad Gateway"},
    };
    return QByteArray::number(status) + ' ' + reasons.value(status, "Error");
}

namespace {

// The host part of a Host header value: "127.0.0.1:8080" -> 127.0.0.1, "[::1]:80" -> ::1.
QString hostOf(const QByteArray &hostHeader)
{
    const QUrl url(QStringLiteral("http://") + QString::fromLatin1(hostHeader));
    return url.isValid() ? url.host() : QString();
}

LocalRequest refused(LocalRequest r, int status, const QByteArray &reason)
{
    r.state = LocalRequest::State::Refused;
    r.status = status;
    r.reason = reason;
    return r;
}

} // namespace

LocalRequest readLocalRequest(const QByteArray &buffer, qsizetype maxBodyBytes)
{
    LocalRequest r;
    r.head = parseRequestHead(buffer);
    if (!r.head) {
        if (buffer.size() > LocalRequest::maxHeadBytes)
            return refused(r, 431,
                           "the request head is over " + QByteArray::number(LocalRequest::maxHeadBytes) +
                               " bytes");
        return r;
    }
    const HttpRequestHead &head = *r.head;
    if (head.size > LocalRequest::maxHeadBytes)
        return refused(
            r, 431, "the request head is over " + QByteArray::number(LocalRequest::maxHeadBytes) + " bytes");
    // Origin form only: an absolute URL or "//host/..." would name another server than ours.
    if (!head.target.startsWith('/') || head.target.startsWith("//"))
        return refused(r, 400,
                       "only a path and query are accepted as the request target, got \"" +
                           head.target.left(200) + '"');
    if (!isLoopbackHost(hostOf(head.header("host"))))
        return refused(r, 403, "Host \"" + head.header("host").left(200) + "\" is not this machine");
    const QByteArray origin = head.header("origin");
    if (!origin.isEmpty() && !isLoopbackHost(QUrl(QString::fromLatin1(origin)).host()))
        return refused(r, 403, "origin " + origin.left(200) + " is not allowed");
    if (head.chunked())
        return refused(r, 411,
                       "send the request body with a valid Content-Length; chunked request bodies are not "
                       "supported");
    const qsizetype length = head.contentLength();
    if (length < 0)
        return refused(r, 400, "invalid Content-Length");
    if (length > maxBodyBytes)
        return refused(r, 413, "the request body is over " + QByteArray::number(maxBodyBytes) + " bytes");
    if (buffer.size() < head.size + length) {
        r.continueExpected = buffer.size() == head.size &&
                             head.header("expect").compare("100-continue", Qt::CaseInsensitive) == 0;
        return r;
    }
    r.body = buffer.mid(head.size, length);
    r.state = LocalRequest::State::Complete;
    return r;
}

} // namespace mcp
