#include "httprequesthead.h"

namespace mcp {

static const QPair<QByteArray, QByteArray> *findHeader(const HttpRequestHead &head, QByteArrayView name)
{
    for (const auto &field : head.headers)
        if (name.compare(field.first, Qt::CaseInsensitive) == 0)
            return &field;
    return nullptr;
}

QByteArray HttpRequestHead::header(QByteArrayView name) const
{
    const auto *field = findHeader(*this, name);
    return field ? field->second : QByteArray();
}

bool HttpRequestHead::hasHeader(QByteArrayView name) const
{
    return findHeader(*this, name) != nullptr;
}

qsizetype HttpRequestHead::contentLength() const
{
    const auto *field = findHeader(*this, "content-length");
    if (!field)
        return 0;
    bool ok = false;
    const qsizetype length = field->second.toLongLong(&ok);
    return ok && length >= 0 ? length : -1;
}

bool HttpRequestHead::chunked() const
{
    const auto *field = findHeader(*this, "transfer-encoding");
    return field && field->second.compare("identity", Qt::CaseInsensitive) != 0;
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
