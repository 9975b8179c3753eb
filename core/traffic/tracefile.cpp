#include "tracefile.h"

#include "exporter.h"

#include <QDateTime>
#include <QHash>
#include <QTimeZone>

namespace mcp {

TraceWriter::TraceWriter(Recorder *recorder, QObject *parent, ExportOptions options)
    : QObject(parent), m_recorder(recorder), m_options(options)
{}

bool TraceWriter::open(const QString &path, Error *error)
{
    m_file.setFileName(path);
    // Traffic carries tokens and whatever the servers said: for the user's eyes only, new file or old.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate, ownerOnly) ||
        !m_file.setPermissions(ownerOnly)) {
        *error = makeError(Error::Category::Usage, QStringLiteral("trace"),
                           QStringLiteral("cannot write %1: %2").arg(path, m_file.errorString()));
        return false;
    }
    for (qsizetype i = 0; i < m_recorder->size(); ++i)
        write(int(i));
    for (size_t i = 0; i < m_recorder->httpExchanges().size(); ++i)
        writeHttp(int(i));
    connect(m_recorder, &Recorder::frameRecorded, this, &TraceWriter::write);
    connect(m_recorder, &Recorder::httpRecorded, this, &TraceWriter::writeHttp);
    return true;
}

void TraceWriter::close()
{
    disconnect(m_recorder, nullptr, this, nullptr);
    m_file.close();
}

static QString isoTime(qint64 timeUs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(timeUs / 1000, QTimeZone::utc());
    return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.")) +
           QStringLiteral("%1Z").arg(timeUs % 1000000, 6, 10, QLatin1Char('0'));
}

QByteArray TraceWriter::line(const Recorder &recorder, const FrameRecord &frame, const ExportOptions &options)
{
    const QByteArray bytes = options.redactSecrets ? redaction::redactBody(frame.bytes) : frame.bytes;
    Json head = {{"time", toStd(isoTime(frame.timeUs))},
                 {"connection", toStd(recorder.connectionName(frame.connection))},
                 {"direction", frame.direction == Direction::Sent ? "send" : "recv"},
                 {"bytes", bytes.size()}};
    const bool verbatim = !frame.parseFailed() && !bytes.contains('\n') && !bytes.contains('\r');
    if (!verbatim) {
        // JSON strings hold text only: bytes that are not UTF-8 go as base64, so none is lost or replaced.
        if (QUtf8StringView(bytes).isValidUtf8())
            head["raw"] = bytes.toStdString();
        else
            head["rawBase64"] = bytes.toBase64().toStdString();
        return dumpCompact(head) + '\n';
    }
    QByteArray out = dumpCompact(head);
    out.chop(1); // the closing brace
    out += ",\"message\":";
    out += bytes;
    out += "}\n";
    return out;
}

static Json headersJson(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    Json out = Json::array();
    for (const auto &[name, value] : headers)
        out.push_back({name.toStdString(), value.toStdString()});
    return out;
}

static QList<QPair<QByteArray, QByteArray>> headersFrom(const Json &headers)
{
    QList<QPair<QByteArray, QByteArray>> out;
    for (const Json &h : headers)
        if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string())
            out.append({QByteArray::fromStdString(h[0].get<std::string>()),
                        QByteArray::fromStdString(h[1].get<std::string>())});
    return out;
}

QByteArray TraceWriter::httpLine(const Recorder &recorder, const Recorder::HttpRecord &record,
                                 const ExportOptions &options)
{
    const HttpExchange x =
        options.redactSecrets ? redaction::redactExchange(record.exchange) : record.exchange;
    Json http = {{"method", x.method.toStdString()},
                 {"url", x.url.toString(QUrl::FullyEncoded).toStdString()},
                 {"requestHeaders", headersJson(x.requestHeaders)},
                 {"requestBody", x.requestBody.toStdString()},
                 {"status", x.status},
                 {"reason", x.reason.toStdString()},
                 {"responseHeaders", headersJson(x.responseHeaders)},
                 {"responseBody", x.responseBody.toStdString()}};
    if (!x.error.isEmpty())
        http["error"] = toStd(x.error);
    const qint64 timeUs = x.started.toMSecsSinceEpoch() * 1000;
    const Json line = {{"time", toStd(isoTime(timeUs))},
                       {"connection", toStd(recorder.connectionName(record.connection))},
                       {"http", http}};
    return QByteArray::fromStdString(line.dump(-1, ' ', false, Json::error_handler_t::replace)) + '\n';
}

void TraceWriter::write(int index)
{
    if (m_file.isOpen()) {
        m_file.write(line(*m_recorder, m_recorder->at(index), m_options));
        m_file.flush(); // a crash or kill must not lose traffic
    }
}

void TraceWriter::writeHttp(int index)
{
    if (m_file.isOpen()) {
        m_file.write(httpLine(*m_recorder, m_recorder->httpExchanges()[size_t(index)], m_options));
        m_file.flush();
    }
}

QByteArray exportTrace(const Recorder &recorder, const ExportOptions &options)
{
    QByteArray out;
    for (qsizetype i = 0; i < recorder.size(); ++i)
        out += TraceWriter::line(recorder, recorder.at(i), options);
    for (const Recorder::HttpRecord &record : recorder.httpExchanges())
        out += TraceWriter::httpLine(recorder, record, options);
    return out;
}

bool readTrace(const QString &path, Recorder &recorder, Error *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = makeError(Error::Category::Usage, QStringLiteral("open trace"),
                           QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        return false;
    }
    return readTrace(f, path, recorder, error);
}

bool readTrace(QIODevice &f, const QString &path, Recorder &recorder, Error *error)
{
    // A line holds one frame, which may be a little over the frame limit (what arrived before a transport
    // gave up on it), escaped: up to six bytes a byte (\u00XX). Lines we wrote must read back.
    jsonrpc::Limits lineLimits;
    lineLimits.maxFrameBytes = 6 * (lineLimits.maxFrameBytes + 1024 * 1024);
    QHash<QString, int> connections;
    int lineNumber = 0;
    while (!f.atEnd()) {
        QByteArray line = f.readLine();
        ++lineNumber;
        if (line.endsWith('\n'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        const auto refuse = [&](const QString &why) {
            *error = makeError(Error::Category::Protocol, QStringLiteral("open trace"),
                               QStringLiteral("%1:%2 %3").arg(path, QString::number(lineNumber), why));
            return false;
        };
        jsonrpc::ParseError invalid;
        const Json j = jsonrpc::parseJson(line, &invalid, lineLimits);
        if (j.is_discarded())
            return refuse(QStringLiteral("is not JSON: ") + invalid.toString());
        if (!j.is_object())
            return refuse(QStringLiteral("is not a JSON object"));
        const QString name = stringOr(j, "connection");
        auto c = connections.find(name);
        if (c == connections.end())
            c = connections.insert(name, recorder.addConnection(name));
        const QDateTime t = QDateTime::fromString(stringOr(j, "time"), Qt::ISODateWithMs);
        if (const auto http = j.find("http"); http != j.end() && http->is_object()) {
            HttpExchange x;
            x.started = t;
            x.method = stringOr(*http, "method").toUtf8();
            x.url = QUrl(stringOr(*http, "url"));
            if (http->contains("status") && !(*http)["status"].is_number_integer())
                return refuse(QStringLiteral("has an HTTP \"status\" that is not an integer"));
            x.requestHeaders = headersFrom(valueOr(*http, "requestHeaders", Json::array()));
            x.requestBody = stringOr(*http, "requestBody").toUtf8();
            x.status = valueOr(*http, "status", 0);
            x.reason = stringOr(*http, "reason").toUtf8();
            x.responseHeaders = headersFrom(valueOr(*http, "responseHeaders", Json::array()));
            x.responseBody = stringOr(*http, "responseBody").toUtf8();
            x.error = stringOr(*http, "error");
            recorder.recordHttp(*c, x);
            continue;
        }
        QByteArray bytes;
        if (j.contains("raw")) {
            if (!j["raw"].is_string())
                return refuse(QStringLiteral("has a \"raw\" that is not a string"));
            bytes = QByteArray::fromStdString(j["raw"].get<std::string>());
        } else if (j.contains("rawBase64")) {
            const Json &encoded = j["rawBase64"];
            const auto decoded = QByteArray::fromBase64Encoding(
                encoded.is_string() ? QByteArray::fromStdString(encoded.get<std::string>()) : "-",
                QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return refuse(QStringLiteral("has a \"rawBase64\" that is not a base64 string"));
            bytes = *decoded;
        } else {
            const qsizetype at = line.indexOf(",\"message\":");
            if (at < 0 || !line.endsWith('}'))
                return refuse(QStringLiteral("has neither \"message\" nor \"raw\""));
            bytes = line.mid(at + 11, line.size() - at - 12);
        }
        const QString time = stringOr(j, "time");
        const qint64 micros = time.section(QLatin1Char('.'), 1).left(6).toLongLong();
        const qint64 timeUs = t.isValid() ? (t.toMSecsSinceEpoch() / 1000) * 1000000 + micros : 0;
        recorder.record(
            *c, stringOr(j, "direction") == QStringLiteral("send") ? Direction::Sent : Direction::Received,
            bytes, timeUs);
    }
    return true;
}

} // namespace mcp
