#include "redaction.h"

#include "../jsonrpc/message.h"

#include <QUrlQuery>

namespace mcp::redaction {

bool isSecretHeader(QByteArrayView name)
{
    for (const char *secret :
         {"authorization", "proxy-authorization", "cookie", "set-cookie", "mcp-session-id"}) {
        if (name.compare(QByteArrayView(secret), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isSecretField(QByteArrayView key)
{
    for (const char *secret :
         {"access_token", "refresh_token", "id_token", "client_secret", "password", "token", "api_key"}) {
        if (key.compare(QByteArrayView(secret), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isSecretName(QByteArrayView name)
{
    if (isSecretHeader(name))
        return true;
    const QByteArray lower = name.toByteArray().toLower();
    for (const char *part : {"token", "secret", "password", "passwd", "key", "auth", "credential"}) {
        if (lower.contains(part))
            return true;
    }
    return false;
}

bool redactJson(Json &value)
{
    bool changed = false;
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it) {
            const std::string &key = it.key();
            if (isSecretField(QByteArrayView(key.data(), qsizetype(key.size()))) && !it->is_null() &&
                *it != kMask) {
                *it = kMask;
                changed = true;
            } else {
                changed |= redactJson(*it);
            }
        }
    } else if (value.is_array()) {
        for (Json &each : value)
            changed |= redactJson(each);
    }
    return changed;
}

static bool redactJsonText(QByteArray &text)
{
    Json j = jsonrpc::parseJson(text);
    if (j.is_discarded() || !redactJson(j))
        return false;
    text = dumpCompact(j);
    return true;
}

QByteArray redactBody(const QByteArray &body)
{
    QByteArray whole = body;
    if (redactJsonText(whole))
        return whole;
    if (!body.contains("data:"))
        return body;
    // SSE: mask inside each data line; other lines (and line ends) stay as they were.
    QByteArray out;
    out.reserve(body.size());
    bool changed = false;
    qsizetype start = 0;
    while (start < body.size()) {
        qsizetype end = body.indexOf('\n', start);
        end = end < 0 ? body.size() : end + 1;
        QByteArray line = body.mid(start, end - start);
        if (line.startsWith("data:")) {
            const qsizetype contentEnd = line.endsWith("\r\n") ? line.size() - 2
                                         : line.endsWith('\n') ? line.size() - 1
                                                               : line.size();
            QByteArray data = line.mid(5, contentEnd - 5);
            if (redactJsonText(data)) {
                line = "data: " + data + line.mid(contentEnd);
                changed = true;
            }
        }
        out += line;
        start = end;
    }
    return changed ? out : body;
}

QUrl redactUrl(const QUrl &url)
{
    QUrlQuery query(url);
    bool changed = false;
    auto items = query.queryItems(QUrl::FullyEncoded);
    for (auto &item : items) {
        if (isSecretField(item.first.toUtf8())) {
            item.second = QString::fromLatin1(kMask);
            changed = true;
        }
    }
    if (!changed)
        return url;
    QUrl out = url;
    query.setQueryItems(items);
    out.setQuery(query);
    return out;
}

} // namespace mcp::redaction
