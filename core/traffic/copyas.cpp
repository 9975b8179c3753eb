#include "copyas.h"

#include <QProcessEnvironment>
#include <QRegularExpression>
#include <algorithm>
#include <optional>

namespace mcp {

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool isStdio(const TransportConfig &t)
{
    return t.kind == TransportConfig::Kind::Stdio ||
           (t.kind == TransportConfig::Kind::Auto && t.http.url.isEmpty() && !t.stdio.program.isEmpty());
}

// The frame's single message (after redaction), or nothing for batches and text that is not JSON-RPC.
std::optional<jsonrpc::Message> message(const QByteArray &frame, const ExportOptions &options)
{
    const jsonrpc::ParseResult parsed =
        jsonrpc::parse(options.redactSecrets ? redaction::redactBody(frame) : frame);
    if (parsed.error || parsed.batch || parsed.messages.size() != 1)
        return std::nullopt;
    return parsed.messages.front();
}

QString quotedJson(const Json &value)
{
    return copyas::shellQuote(QString::fromUtf8(dumpCompact(value)));
}

QString headerValue(const QByteArray &name, const QByteArray &value, const ExportOptions &options)
{
    return QString::fromUtf8(options.redactSecrets ? redaction::redactHeaderValue(name, value) : value);
}

// The verb and its words for a request, as `mcpwb --help` lists them.
QStringList verbFor(const jsonrpc::Message &request)
{
    const QString method = toQString(request.method);
    const Json params = request.params.is_object() ? request.params : Json::object();
    Json plain = params; // what a dedicated verb cannot express makes the request generic
    plain.erase("_meta");
    auto onlyKeys = [&plain](std::initializer_list<const char *> keys) {
        for (auto it = plain.begin(); it != plain.end(); ++it)
            if (std::none_of(keys.begin(), keys.end(), [&it](const char *k) { return it.key() == k; }))
                return false;
        return true;
    };
    const bool stringName = plain.contains("name") && plain["name"].is_string();
    const bool stringUri = plain.contains("uri") && plain["uri"].is_string();
    const Json arguments = plain.value("arguments", Json::object());
    auto withArguments = [&](QStringList words) {
        if (!arguments.empty())
            words << quotedJson(arguments);
        return words;
    };
    if (method == QStringLiteral("tools/call") && stringName && arguments.is_object() &&
        onlyKeys({"name", "arguments"}))
        return withArguments({QStringLiteral("tools call"), copyas::shellQuote(stringOr(plain, "name"))});
    if (method == QStringLiteral("prompts/get") && stringName && arguments.is_object() &&
        onlyKeys({"name", "arguments"}))
        return withArguments({QStringLiteral("prompts get"), copyas::shellQuote(stringOr(plain, "name"))});
    if (method == QStringLiteral("resources/read") && stringUri && onlyKeys({"uri"}))
        return {QStringLiteral("resources read"), copyas::shellQuote(stringOr(plain, "uri"))};
    if (method == QStringLiteral("resources/subscribe") && stringUri && onlyKeys({"uri"}))
        return {QStringLiteral("resources subscribe"), copyas::shellQuote(stringOr(plain, "uri"))};
    if (plain.empty()) {
        if (method == QStringLiteral("initialize") || method == QStringLiteral("server/discover"))
            return {QStringLiteral("info")};
        if (method == QStringLiteral("ping"))
            return {QStringLiteral("ping")};
        if (method == QStringLiteral("tools/list"))
            return {QStringLiteral("tools list")};
        if (method == QStringLiteral("resources/list"))
            return {QStringLiteral("resources list")};
        if (method == QStringLiteral("resources/templates/list"))
            return {QStringLiteral("resources templates")};
        if (method == QStringLiteral("prompts/list"))
            return {QStringLiteral("prompts list")};
    }
    QStringList words{QStringLiteral("request"), copyas::shellQuote(method)};
    if (!plain.empty())
        words << quotedJson(plain);
    return words;
}

// Variables the connection sets on top of (or differently from) our own environment.
QStringList environmentArguments(const QProcessEnvironment &env, const ExportOptions &options)
{
    const QProcessEnvironment inherited = QProcessEnvironment::systemEnvironment();
    QStringList keys = env.keys();
    keys.sort();
    QStringList out;
    for (const QString &key : keys) {
        const QString value = env.value(key);
        if (inherited.contains(key) && inherited.value(key) == value)
            continue;
        const bool mask = options.redactSecrets && redaction::isSecretSetting(key.toUtf8(), value.toUtf8());
        out << QStringLiteral("--env")
            << copyas::shellQuote(key + QLatin1Char('=') +
                                  (mask ? QString::fromLatin1(redaction::kMask) : value));
    }
    return out;
}

} // namespace

CopyTarget CopyTarget::fromRecording(const Recorder &recorder, qsizetype index,
                                     const TransportConfig &transport)
{
    CopyTarget target;
    target.transport = transport;
    const FrameRecord &frame = recorder.at(index);
    for (const Recorder::HttpRecord &record : recorder.httpExchanges()) {
        const HttpExchange &x = record.exchange;
        if (record.connection != frame.connection || x.method != "POST" || x.requestBody != frame.bytes)
            continue;
        target.postUrl = x.url;
        for (const auto &[name, value] : x.requestHeaders) {
            if (!name.toLower().startsWith("mcp-"))
                continue;
            target.sessionHeaders.append({name, value});
            if (sameName(name, "mcp-protocol-version"))
                target.protocolVersion = QString::fromUtf8(value);
        }
        break;
    }
    return target;
}

namespace copyas {

QString shellQuote(const QString &word)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    if (safe.match(word).hasMatch())
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString json(const QByteArray &frame, const ExportOptions &options)
{
    const QByteArray bytes = options.redactSecrets ? redaction::redactBody(frame) : frame;
    const Json j = jsonrpc::parseJson(bytes);
    return j.is_discarded() ? QString::fromUtf8(bytes) : dumpPretty(j);
}

QStringList connectionArguments(const TransportConfig &t, const ExportOptions &options)
{
    QStringList words;
    if (isStdio(t)) {
        QStringList command{shellQuote(t.stdio.program)};
        for (const QString &argument : t.stdio.arguments)
            command << shellQuote(argument);
        words << QStringLiteral("--stdio") << shellQuote(command.join(QLatin1Char(' ')));
        words << environmentArguments(t.stdio.environment, options);
        if (!t.stdio.workingDirectory.isEmpty())
            words << QStringLiteral("--cwd") << shellQuote(t.stdio.workingDirectory);
    } else {
        const QUrl url = options.redactSecrets ? redaction::redactUrl(t.http.url) : t.http.url;
        words << QStringLiteral("--url") << shellQuote(url.toString(QUrl::FullyEncoded));
        if (t.kind != TransportConfig::Kind::Auto)
            words << QStringLiteral("--transport") << TransportConfig::kindName(t.kind);
        for (const auto &[name, value] : t.http.headers)
            words << QStringLiteral("--header")
                  << shellQuote(QString::fromUtf8(name) + QStringLiteral(": ") +
                                headerValue(name, value, options));
        if (!t.http.caFile.isEmpty())
            words << QStringLiteral("--ca") << shellQuote(t.http.caFile);
        if (t.http.insecure)
            words << QStringLiteral("--insecure");
    }
    return words;
}

QString mcpwbCommand(const QByteArray &request, const CopyTarget &target, const ExportOptions &options)
{
    const std::optional<jsonrpc::Message> m = message(request, options);
    if (!m || !m->isRequest())
        return {};
    QStringList words = QStringList{QStringLiteral("mcpwb")} + connectionArguments(target.transport, options);
    if (!target.protocolVersion.isEmpty())
        words << QStringLiteral("--protocol-version") << shellQuote(target.protocolVersion);
    words << verbFor(*m);
    return words.join(QLatin1Char(' '));
}

bool curlApplies(const TransportConfig &transport)
{
    using Kind = TransportConfig::Kind;
    const QString scheme = transport.http.url.scheme();
    return !isStdio(transport) && transport.kind != Kind::WebSocket &&
           (scheme == QStringLiteral("http") || scheme == QStringLiteral("https"));
}

QString curlCommand(const QByteArray &frame, const CopyTarget &target, const ExportOptions &options)
{
    const TransportConfig &t = target.transport;
    if (!curlApplies(t))
        return {};
    QUrl url = target.postUrl.isEmpty() ? t.http.url : target.postUrl;
    if (options.redactSecrets)
        url = redaction::redactUrl(url);
    // Later headers of the same name replace earlier ones: MCP's own, then what the session sent, then the
    // user's (which the transport lets override its own).
    Headers headers{{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}};
    if (!target.protocolVersion.isEmpty())
        headers.append({"MCP-Protocol-Version", target.protocolVersion.toUtf8()});
    auto set = [&headers](const QByteArray &name, const QByteArray &value) {
        for (auto &header : headers)
            if (sameName(header.first, name)) {
                header.second = value;
                return;
            }
        headers.append({name, value});
    };
    for (const auto &[name, value] : target.sessionHeaders)
        set(name, value);
    for (const auto &[name, value] : t.http.headers)
        set(name, value);

    QStringList lines{QStringLiteral("curl -sS -N -X POST ") + shellQuote(url.toString(QUrl::FullyEncoded))};
    for (const auto &[name, value] : headers)
        lines << QStringLiteral("-H ") + shellQuote(QString::fromUtf8(name) + QStringLiteral(": ") +
                                                    headerValue(name, value, options));
    if (t.http.insecure)
        lines << QStringLiteral("--insecure");
    if (!t.http.caFile.isEmpty())
        lines << QStringLiteral("--cacert ") + shellQuote(t.http.caFile);
    const QByteArray body = options.redactSecrets ? redaction::redactBody(frame) : frame;
    lines << QStringLiteral("--data-raw ") + shellQuote(QString::fromUtf8(body));
    return lines.join(QStringLiteral(" \\\n  "));
}

} // namespace copyas
} // namespace mcp
