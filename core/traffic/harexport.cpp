#include "harexport.h"

#include <QHash>
#include <QUrlQuery>

namespace mcp {

namespace {

Json harHeaders(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    Json out = Json::array();
    for (const auto &[name, value] : headers)
        out.push_back({{"name", name.toStdString()}, {"value", value.toStdString()}});
    return out;
}

// Cookie: a=1; b=2  and  Set-Cookie: a=1; Path=/ (one cookie per header).
Json harCookies(const QList<QPair<QByteArray, QByteArray>> &headers, QByteArrayView headerName, bool redact)
{
    Json out = Json::array();
    for (const auto &[name, value] : headers) {
        if (QByteArrayView(name).compare(headerName, Qt::CaseInsensitive) != 0)
            continue;
        const QList<QByteArray> parts = headerName.compare("cookie", Qt::CaseInsensitive) == 0
                                            ? value.split(';')
                                            : QList<QByteArray>{value.left(value.indexOf(';'))};
        for (const QByteArray &part : parts) {
            const QByteArray pair = part.trimmed();
            const qsizetype eq = pair.indexOf('=');
            if (eq <= 0)
                continue;
            out.push_back(
                {{"name", pair.left(eq).toStdString()},
                 {"value", redact ? std::string(redaction::kMask) : pair.mid(eq + 1).toStdString()}});
        }
    }
    return out;
}

std::string mimeType(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    const QByteArray type = headerValue(headers, "content-type");
    return type.isEmpty() ? "application/octet-stream" : type.toStdString();
}

} // namespace

QByteArray exportHar(const Recorder &recorder, const ExportOptions &options)
{
    const bool redact = options.redactSecrets;
    // Sent frames of HTTP connections by (connection, bytes), to time each POST by the reply it carried.
    QHash<int, QHash<QByteArray, int>> sentFrames;
    for (const Recorder::HttpRecord &record : recorder.httpExchanges())
        sentFrames[record.connection];
    for (qsizetype i = 0; i < recorder.size(); ++i) {
        const FrameRecord &f = recorder.at(i);
        auto c = sentFrames.find(f.connection);
        if (c != sentFrames.end() && f.direction == Direction::Sent)
            c->insert(f.bytes, int(i));
    }

    Json entries = Json::array();
    for (const Recorder::HttpRecord &record : recorder.httpExchanges()) {
        const HttpExchange &raw = record.exchange;
        const HttpExchange x = redact ? redaction::redactExchange(raw) : raw;
        const QUrl &url = x.url;
        Json query = Json::array();
        for (const auto &[name, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
            query.push_back({{"name", name.toStdString()}, {"value", value.toStdString()}});
        double timeMs = 0;
        const int frame = sentFrames.value(record.connection).value(raw.requestBody, -1);
        if (frame >= 0 && recorder.at(frame).latencyUs >= 0)
            timeMs = recorder.at(frame).latencyUs / 1000.0;

        Json request = {{"method", x.method.toStdString()},
                        {"url", url.toString(QUrl::FullyEncoded).toStdString()},
                        {"httpVersion", "HTTP/1.1"},
                        {"headers", harHeaders(x.requestHeaders)},
                        {"queryString", query},
                        {"cookies", harCookies(raw.requestHeaders, "cookie", redact)},
                        {"headersSize", -1},
                        {"bodySize", x.requestBody.size()}};
        if (!x.requestBody.isEmpty())
            request["postData"] = {{"mimeType", mimeType(x.requestHeaders)},
                                   {"text", x.requestBody.toStdString()}};
        Json response = {{"status", x.status},
                         {"statusText", x.reason.toStdString()},
                         {"httpVersion", "HTTP/1.1"},
                         {"headers", harHeaders(x.responseHeaders)},
                         {"cookies", harCookies(raw.responseHeaders, "set-cookie", redact)},
                         {"content",
                          {{"size", x.responseBody.size()},
                           {"mimeType", mimeType(x.responseHeaders)},
                           {"text", x.responseBody.toStdString()}}},
                         {"redirectURL", headerValue(x.responseHeaders, "location").toStdString()},
                         {"headersSize", -1},
                         {"bodySize", x.responseBody.size()}};
        Json entry = {{"startedDateTime", x.started.toUTC().toString(Qt::ISODateWithMs).toStdString()},
                      {"time", timeMs},
                      {"request", request},
                      {"response", response},
                      {"cache", Json::object()},
                      {"timings", {{"send", 0}, {"wait", timeMs}, {"receive", 0}}},
                      {"_connection", recorder.connectionName(record.connection).toStdString()}};
        if (!x.error.isEmpty())
            entry["_error"] = x.error.toStdString();
        entries.push_back(std::move(entry));
    }
    const Json har = {{"log",
                       {{"version", "1.2"},
                        {"creator", {{"name", "MCP Workbench"}, {"version", MCPWB_VERSION}}},
                        {"pages", Json::array()},
                        {"entries", entries}}}};
    return QByteArray::fromStdString(har.dump(2, ' ', false, Json::error_handler_t::replace));
}

} // namespace mcp
