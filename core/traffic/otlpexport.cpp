#include "otlpexport.h"

#include <QCryptographicHash>
#include <QHash>

namespace mcp {

namespace {

struct ConnectionInfo
{
    QByteArray traceId;
    std::string protocolVersion;
    std::string sessionId;
    bool http = false;
};

QByteArray hexId(const QByteArray &seed, int bytes)
{
    return QCryptographicHash::hash(seed, QCryptographicHash::Sha256).left(bytes).toHex();
}

Json attribute(const char *key, const std::string &value)
{
    return {{"key", key}, {"value", {{"stringValue", value}}}};
}

QHash<int, ConnectionInfo> connectionInfo(const Recorder &recorder, bool redact)
{
    QHash<int, ConnectionInfo> info;
    for (qsizetype i = 0; i < recorder.size(); ++i) {
        const FrameRecord &f = recorder.at(i);
        auto it = info.find(f.connection);
        if (it == info.end()) {
            const QByteArray seed =
                recorder.connectionName(f.connection).toUtf8() + '/' + QByteArray::number(f.timeUs);
            it = info.insert(f.connection, {hexId(seed, 16), {}, {}, false});
        }
        if (f.kind == jsonrpc::Kind::Response && it->protocolVersion.empty() &&
            recorder.method(f) == QStringLiteral("initialize")) {
            const jsonrpc::ParseResult parsed = jsonrpc::parse(f.bytes);
            if (!parsed.messages.empty())
                it->protocolVersion = toStd(stringOr(parsed.messages.front().result, "protocolVersion"));
        }
    }
    for (const Recorder::HttpRecord &record : recorder.httpExchanges()) {
        ConnectionInfo &c = info[record.connection];
        c.http = true;
        const QByteArray sid = headerValue(record.exchange.responseHeaders, "mcp-session-id");
        if (!sid.isEmpty() && c.sessionId.empty())
            c.sessionId = redact ? "sha256:" + hexId(sid, 8).toStdString() : sid.toStdString();
        const QByteArray version = headerValue(record.exchange.requestHeaders, "mcp-protocol-version");
        if (!version.isEmpty() && c.protocolVersion.empty())
            c.protocolVersion = version.toStdString();
    }
    return info;
}

std::string nanos(qint64 timeUs)
{
    return std::to_string(timeUs * 1000);
}

} // namespace

QByteArray exportOtlp(const Recorder &recorder, const ExportOptions &options)
{
    const QHash<int, ConnectionInfo> info = connectionInfo(recorder, options.redactSecrets);
    Json spans = Json::array();
    for (qsizetype i = 0; i < recorder.size(); ++i) {
        const FrameRecord &f = recorder.at(i);
        if (f.kind != jsonrpc::Kind::Request || f.parseFailed())
            continue;
        const ConnectionInfo &c = info[f.connection];
        const jsonrpc::Message request = jsonrpc::parse(f.bytes).messages.front();
        const std::string method = request.method;
        Json attributes =
            Json::array({attribute("mcp.method.name", method),
                         attribute("jsonrpc.request.id", jsonrpc::idText(request.id).toStdString()),
                         attribute("jsonrpc.protocol.version", "2.0"),
                         attribute("network.transport", c.http ? "tcp" : "pipe")});
        if (!c.protocolVersion.empty())
            attributes.push_back(attribute("mcp.protocol.version", c.protocolVersion));
        if (!c.sessionId.empty())
            attributes.push_back(attribute("mcp.session.id", c.sessionId));
        std::string name = method;
        const std::string target = toStd(stringOr(request.params, "name"));
        if (method == "tools/call" && !target.empty()) {
            attributes.push_back(attribute("gen_ai.tool.name", target));
            name += ' ' + target;
        } else if (method == "prompts/get" && !target.empty()) {
            attributes.push_back(attribute("gen_ai.prompt.name", target));
            name += ' ' + target;
        }
        const QString resource = stringOr(request.params, "uri");
        const std::string uri =
            toStd(options.redactSecrets ? redaction::redactUrl(QUrl(resource)).toString() : resource);
        if (!uri.empty())
            attributes.push_back(attribute("mcp.resource.uri", uri));

        Json status = Json::object();
        qint64 endUs = f.timeUs;
        if (f.pairedIndex >= 0) {
            const FrameRecord &reply = recorder.at(f.pairedIndex);
            endUs = reply.timeUs;
            const jsonrpc::ParseResult parsed = jsonrpc::parse(reply.bytes);
            const jsonrpc::Message *m = parsed.messages.empty() ? nullptr : &parsed.messages.front();
            if (m && m->kind == jsonrpc::Kind::Error) {
                const std::string code = std::to_string(m->errorCode());
                attributes.push_back(attribute("error.type", code));
                attributes.push_back(attribute("rpc.response.status_code", code));
                status = {{"code", 2}, {"message", toStd(m->errorMessage())}};
            } else if (m && valueOr(m->result, "isError", false)) {
                attributes.push_back(attribute("error.type", "tool_error"));
                status = {{"code", 2}, {"message", "tool returned isError"}};
            }
        }
        const QByteArray spanSeed = c.traceId + '/' + QByteArray::number(i);
        spans.push_back(
            {{"traceId", c.traceId.toStdString()},
             {"spanId", hexId(spanSeed, 8).toStdString()},
             {"name", name},
             {"kind", f.direction == Direction::Sent ? 3 : 2}, // SPAN_KIND_CLIENT : SPAN_KIND_SERVER
             {"startTimeUnixNano", nanos(f.timeUs)},
             {"endTimeUnixNano", nanos(endUs)},
             {"attributes", attributes},
             {"status", status}});
    }
    const Json otlp = {
        {"resourceSpans",
         Json::array(
             {{{"resource", {{"attributes", Json::array({attribute("service.name", "mcp-workbench")})}}},
               {"scopeSpans",
                Json::array({{{"scope", {{"name", "mcp-workbench.traffic"}, {"version", MCPWB_VERSION}}},
                              {"spans", spans}}})}}})}};
    return QByteArray::fromStdString(otlp.dump(2, ' ', false, Json::error_handler_t::replace));
}

} // namespace mcp
