#include "mcpserver.h"

#include "../session/protocolversion.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>
#include <QUrl>

namespace mcp {

using jsonrpc::Message;
namespace Code = jsonrpc::ErrorCode;

namespace {

const QStringList LogLevels = {QStringLiteral("debug"),  QStringLiteral("info"),
                               QStringLiteral("notice"), QStringLiteral("warning"),
                               QStringLiteral("error"),  QStringLiteral("critical"),
                               QStringLiteral("alert"),  QStringLiteral("emergency")};

const QSet<QString> ModernMethods = {QStringLiteral("server/discover"),
                                     QStringLiteral("tools/list"),
                                     QStringLiteral("tools/call"),
                                     QStringLiteral("resources/list"),
                                     QStringLiteral("resources/templates/list"),
                                     QStringLiteral("resources/read"),
                                     QStringLiteral("subscriptions/listen"),
                                     QStringLiteral("prompts/list"),
                                     QStringLiteral("prompts/get"),
                                     QStringLiteral("completion/complete")};

const QSet<QString> LegacyMethods = {QStringLiteral("initialize"),
                                     QStringLiteral("ping"),
                                     QStringLiteral("server/discover"),
                                     QStringLiteral("tools/list"),
                                     QStringLiteral("tools/call"),
                                     QStringLiteral("resources/list"),
                                     QStringLiteral("resources/templates/list"),
                                     QStringLiteral("resources/read"),
                                     QStringLiteral("resources/subscribe"),
                                     QStringLiteral("resources/unsubscribe"),
                                     QStringLiteral("prompts/list"),
                                     QStringLiteral("prompts/get"),
                                     QStringLiteral("completion/complete"),
                                     QStringLiteral("logging/setLevel")};

QString key(const Json &id)
{
    return jsonrpc::idText(id);
}

QString typeName(const Json &v)
{
    if (v.is_null())
        return QStringLiteral("null");
    if (v.is_boolean())
        return QStringLiteral("boolean");
    if (v.is_number_integer() || v.is_number_unsigned())
        return QStringLiteral("integer");
    if (v.is_number())
        return QStringLiteral("number");
    if (v.is_string())
        return QStringLiteral("string");
    if (v.is_array())
        return QStringLiteral("array");
    return QStringLiteral("object");
}

bool typeMatches(const QString &want, const Json &v)
{
    const QString have = typeName(v);
    return want == have || (want == QStringLiteral("number") && have == QStringLiteral("integer"));
}

// The part of JSON Schema that tool input schemas use: type, required, properties, items, enum, ranges.
bool validate(const Json &schema, const Json &value, const QString &path, QString *error)
{
    if (!schema.is_object())
        return true;
    const QString where = path.isEmpty() ? QStringLiteral("arguments") : path;
    if (auto t = schema.find("type"); t != schema.end() && t->is_string()) {
        const QString want = toQString(t->get<std::string>());
        if (!typeMatches(want, value)) {
            *error = QStringLiteral("%1 must be %2, not %3").arg(where, want, typeName(value));
            return false;
        }
    }
    if (auto e = schema.find("enum");
        e != schema.end() && e->is_array() && std::find(e->begin(), e->end(), value) == e->end()) {
        *error = QStringLiteral("%1 must be one of %2").arg(where, toQString(e->dump()));
        return false;
    }
    if (value.is_number()) {
        const double d = value.get<double>();
        if (auto m = schema.find("minimum"); m != schema.end() && m->is_number() && d < m->get<double>()) {
            *error = QStringLiteral("%1 must be at least %2").arg(where, toQString(m->dump()));
            return false;
        }
        if (auto m = schema.find("maximum"); m != schema.end() && m->is_number() && d > m->get<double>()) {
            *error = QStringLiteral("%1 must be at most %2").arg(where, toQString(m->dump()));
            return false;
        }
    }
    if (value.is_object()) {
        for (const auto &r : valueOr(schema, "required", Json::array()))
            if (r.is_string() && !value.contains(r.get<std::string>())) {
                *error = QStringLiteral("%1 is missing the required property \"%2\"")
                             .arg(where, toQString(r.get<std::string>()));
                return false;
            }
        const Json props = valueOr(schema, "properties", Json::object());
        for (const auto &[name, sub] : value.items()) {
            const QString subPath =
                path.isEmpty() ? toQString(name) : path + QLatin1Char('.') + toQString(name);
            if (props.contains(name)) {
                if (!validate(props[name], sub, subPath, error))
                    return false;
            } else if (valueOr(schema, "additionalProperties", Json(true)) == Json(false)) {
                *error = QStringLiteral("%1 has no property \"%2\"").arg(where, toQString(name));
                return false;
            }
        }
    }
    if (value.is_array() && schema.contains("items")) {
        int i = 0;
        for (const auto &item : value)
            if (!validate(schema["items"], item, QStringLiteral("%1[%2]").arg(where).arg(i++), error))
                return false;
    }
    return true;
}

// RFC 6570 level 1 templates ({var} between literals), as resource templates use them.
std::optional<QHash<QString, QString>> matchTemplate(const QString &uriTemplate, const QString &uri)
{
    static const QRegularExpression var(QStringLiteral("\\{([A-Za-z0-9_]+)\\}"));
    QString pattern = QStringLiteral("^");
    QStringList names;
    qsizetype last = 0;
    for (auto it = var.globalMatch(uriTemplate); it.hasNext();) {
        const auto m = it.next();
        pattern += QRegularExpression::escape(uriTemplate.mid(last, m.capturedStart() - last));
        pattern += QStringLiteral("([^/?#]+)");
        names << m.captured(1);
        last = m.capturedEnd();
    }
    pattern += QRegularExpression::escape(uriTemplate.mid(last)) + QStringLiteral("$");
    const auto m = QRegularExpression(pattern).match(uri);
    if (!m.hasMatch())
        return std::nullopt;
    QHash<QString, QString> vars;
    for (int i = 0; i < names.size(); ++i)
        vars.insert(names[i], QUrl::fromPercentEncoding(m.captured(i + 1).toUtf8()));
    return vars;
}

Json adaptContent(Json block, const QString &version)
{
    const QString type = stringOr(block, "type");
    if (type == QStringLiteral("resource_link") && version < protocol::V2025_06_18)
        return {{"type", "text"},
                {"text", toStd(QStringLiteral("Resource: %1 (%2)")
                                   .arg(stringOr(block, "uri"), stringOr(block, "name")))}};
    if (type == QStringLiteral("audio") && version < protocol::V2025_03_26)
        return {{"type", "text"},
                {"text",
                 toStd(QStringLiteral("[%1 audio omitted: audio content needs protocol 2025-03-26 or later]")
                           .arg(stringOr(block, "mimeType")))}};
    return block;
}

void adaptFeature(Json &item, const QString &version)
{
    if (version < protocol::V2025_06_18) {
        item.erase("title");
        item.erase("outputSchema");
        item.erase("_meta");
        if (item.contains("arguments") && item["arguments"].is_array())
            for (auto &a : item["arguments"])
                a.erase("title");
    }
    if (version < protocol::V2025_03_26)
        item.erase("annotations");
    if (version < protocol::V2025_11_25) {
        item.erase("icons");
        item.erase("execution");
    }
}

QString encodeCursor(int offset)
{
    return QString::fromLatin1(QByteArray("o:" + QByteArray::number(offset)).toBase64());
}

std::optional<int> decodeCursor(const QString &cursor)
{
    const QByteArray raw = QByteArray::fromBase64(cursor.toLatin1());
    bool ok = false;
    const int offset = raw.startsWith("o:") ? raw.mid(2).toInt(&ok) : -1;
    if (!ok || offset < 0)
        return std::nullopt;
    return offset;
}

} // namespace

Json adaptForVersion(const QString &method, Json result, const QString &version)
{
    if (version.isEmpty() || !result.is_object())
        return result;
    static const QHash<QString, const char *> listKeys = {
        {QStringLiteral("tools/list"), "tools"},
        {QStringLiteral("resources/list"), "resources"},
        {QStringLiteral("resources/templates/list"), "resourceTemplates"},
        {QStringLiteral("prompts/list"), "prompts"}};
    if (auto k = listKeys.find(method); k != listKeys.end() && result.contains(*k))
        for (auto &item : result[*k])
            adaptFeature(item, version);
    if (method == QStringLiteral("initialize") && version < protocol::V2025_06_18)
        result["serverInfo"].erase("title");
    if (method == QStringLiteral("initialize") && version < protocol::V2025_03_26)
        result["capabilities"].erase("completions");
    if (method == QStringLiteral("tools/call")) {
        for (auto &block : result["content"])
            block = adaptContent(block, version);
        if (version < protocol::V2025_06_18)
            result.erase("structuredContent");
    }
    if (method == QStringLiteral("prompts/get") && result.contains("messages"))
        for (auto &message : result["messages"])
            message["content"] = adaptContent(message["content"], version);
    if (method == QStringLiteral("notifications/progress") && version < protocol::V2025_03_26)
        result.erase("message");
    if (method == QStringLiteral("elicitation/create") && version < protocol::V2025_11_25)
        result.erase("mode");
    return result;
}

// ---- RequestContext ---------------------------------------------------------------------------------

void RequestContext::progress(double progress, double total, const QString &message)
{
    if (isDone() || !m_session || m_progressToken.is_null())
        return;
    Json params = {{"progressToken", m_progressToken}, {"progress", progress}};
    if (total >= 0)
        params["total"] = total;
    if (!message.isEmpty())
        params["message"] = toStd(message);
    m_session->send(
        Message::notification("notifications/progress",
                              adaptForVersion(QStringLiteral("notifications/progress"), params, m_version)),
        m_key);
}

void RequestContext::log(const QString &level, const QString &logger, const Json &data)
{
    if (!isDone() && m_session)
        m_session->sendLog(level, logger, data, m_logLevel, m_key);
}

void RequestContext::ask(const QString &key, const QString &method, Json params, AnswerHandler handler)
{
    if (isDone() || !m_session)
        return;
    const char *capability = method == QStringLiteral("elicitation/create")       ? "elicitation"
                             : method == QStringLiteral("sampling/createMessage") ? "sampling"
                                                                                  : "roots";
    if (method == QStringLiteral("elicitation/create") && !protocol::hasElicitation(m_version)) {
        handler({}, makeError(Error::Category::Usage, method,
                              QStringLiteral("elicitation needs protocol 2025-06-18 or later (this is %1)")
                                  .arg(m_version)));
        return;
    }
    if (!m_clientCapabilities.contains(capability)) {
        handler({}, makeError(Error::Category::Usage, method,
                              QStringLiteral("the client did not declare the %1 capability")
                                  .arg(QLatin1String(capability))));
        return;
    }
    if (!m_modern) {
        m_session->sendRequestToClient(*this, method, std::move(params), std::move(handler));
        return;
    }
    if (m_inputResponses.is_object() && m_inputResponses.contains(toStd(key)) &&
        m_inputResponses[toStd(key)].is_object()) {
        handler(m_inputResponses[toStd(key)], {});
        return;
    }
    // Collect every question of this run, then end the request once the handler has returned.
    const bool first = m_inputRequests.is_null();
    if (first)
        m_inputRequests = Json::object();
    m_inputRequests[toStd(key)] = {{"method", toStd(method)}, {"params", std::move(params)}};
    if (first)
        QTimer::singleShot(0, m_session, [session = m_session, k = m_key] {
            if (session)
                session->finishInputRequired(k);
        });
}

void RequestContext::finish(Json result)
{
    if (m_session && m_inputRequests.is_null())
        m_session->respond(*this, std::move(result));
}

void RequestContext::fail(int code, const QString &message, Json data)
{
    if (m_session && m_inputRequests.is_null())
        m_session->respondError(*this, code, message, std::move(data));
}

// ---- McpServer ----------------------------------------------------------------------------------------

McpServer::McpServer(ServerOptions options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_stateKey.resize(32);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(m_stateKey.data()), 8);
}

McpServer::~McpServer() = default;

void McpServer::addTool(Json definition, ToolHandler handler)
{
    m_tools.append({std::move(definition), std::move(handler)});
}

bool McpServer::replaceToolDefinition(const QString &name, Json definition)
{
    for (Tool &t : m_tools) {
        if (stringOr(t.definition, "name") == name) {
            t.definition = std::move(definition);
            return true;
        }
    }
    return false;
}

void McpServer::addResource(Json definition, ResourceReader reader)
{
    m_resources.append({std::move(definition), std::move(reader)});
}

void McpServer::removeResource(const QString &uri)
{
    m_resources.removeIf([&](const Resource &r) { return stringOr(r.definition, "uri") == uri; });
}

void McpServer::addResourceTemplate(Json definition, TemplateReader reader)
{
    m_templates.append({std::move(definition), std::move(reader)});
}

void McpServer::addPrompt(Json definition, PromptHandler handler)
{
    m_prompts.append({std::move(definition), std::move(handler)});
}

void McpServer::addCompletion(const QString &refType, const QString &refName, const QString &argument,
                              Completer completer)
{
    m_completers.insert(refType + QLatin1Char('\n') + refName + QLatin1Char('\n') + argument,
                        std::move(completer));
}

Json McpServer::capabilities() const
{
    Json caps = {{"logging", Json::object()}};
    if (!m_completers.isEmpty())
        caps["completions"] = Json::object();
    if (!m_prompts.isEmpty())
        caps["prompts"] = {{"listChanged", true}};
    if (!m_resources.isEmpty() || !m_templates.isEmpty())
        caps["resources"] = {{"subscribe", true}, {"listChanged", true}};
    if (!m_tools.isEmpty())
        caps["tools"] = {{"listChanged", true}};
    return caps;
}

QStringList McpServer::supportedVersions()
{
    return protocol::supportedVersions();
}

void McpServer::notifyResourceUpdated(const QString &uri)
{
    Q_EMIT resourceUpdated(uri);
}

void McpServer::notifyListChanged(const QString &kind)
{
    Q_EMIT listChanged(kind);
}

void McpServer::addSubscriber(const QString &uri, int delta)
{
    const int count = qMax(0, m_subscribers.value(uri) + delta);
    if (count == 0)
        m_subscribers.remove(uri);
    else
        m_subscribers.insert(uri, count);
    Q_EMIT subscribersChanged(uri, count);
}

QByteArray McpServer::signState(const QByteArray &payload) const
{
    return QMessageAuthenticationCode::hash(payload, m_stateKey, QCryptographicHash::Sha256);
}

// ---- ServerSession -------------------------------------------------------------------------------------

ServerSession::ServerSession(McpServer *server, QObject *parent) : QObject(parent), m_server(server)
{
    connect(server, &McpServer::resourceUpdated, this, &ServerSession::onResourceUpdated);
    connect(server, &McpServer::listChanged, this, &ServerSession::onListChanged);
}

ServerSession::~ServerSession()
{
    for (auto it = m_active.cbegin(); it != m_active.cend(); ++it)
        it.value()->m_cancelled = true; // handlers still holding a context must not reach a dead session
    if (!m_server)
        return;
    for (const QString &uri : std::as_const(m_subscriptions))
        m_server->addSubscriber(uri, -1);
    for (const Listener &l : std::as_const(m_listeners))
        for (const auto &uri : valueOr(l.filter, "resourceSubscriptions", Json::array()))
            m_server->addSubscriber(toQString(uri.get<std::string>()), -1);
}

void ServerSession::send(const Message &m, const QString &related, bool finalResponse)
{
    Q_EMIT frameOut({m.serialize(), related, finalResponse});
}

void ServerSession::handleFrame(const QByteArray &frame)
{
    const jsonrpc::ParseResult parsed = jsonrpc::parse(frame);
    if (!parsed.ok()) {
        const bool wellFormed = !parsed.errorId.is_null();
        send(Message::errorResponse(parsed.errorId, wellFormed ? Code::InvalidRequest : Code::ParseError,
                                    toStd(parsed.error->toString())),
             {});
        return;
    }
    if (parsed.batch && !m_version.isEmpty() && !protocol::allowsBatches(m_version)) {
        send(Message::errorResponse(
                 nullptr, Code::InvalidRequest,
                 toStd(QStringLiteral("JSON-RPC batches are not part of protocol %1").arg(m_version))),
             {});
        return;
    }
    for (const Message &m : parsed.messages) {
        // Handlers check types before reading fields; this is the net under a check that was missed.
        try {
            handleMessage(m);
        } catch (const Json::exception &e) {
            if (m.isRequest())
                send(Message::errorResponse(m.id, Code::InvalidParams,
                                            std::string("invalid params: ") + e.what()),
                     {});
        }
    }
}

void ServerSession::handleMessage(const Message &m)
{
    if (m.isReply()) {
        handleReply(m);
        return;
    }
    if (m.isNotification()) {
        handleNotification(m);
        return;
    }
    auto ctx = std::make_shared<RequestContext>();
    ctx->m_session = this;
    ctx->m_key = key(m.id);
    ctx->m_method = toQString(m.method);
    ctx->m_id = m.id;
    ctx->m_params = m.params.is_null() ? Json::object() : m.params;
    if (!ctx->m_params.is_object()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("params must be an object"));
        return;
    }
    if (m_active.contains(ctx->m_key)) {
        respondError(
            *ctx, Code::InvalidRequest,
            QStringLiteral("request id %1 is already in use by a request in progress").arg(ctx->m_key));
        return;
    }
    const Json meta = valueOr(ctx->m_params, "_meta", Json::object());
    const QString metaVersion = stringOr(meta, protocol::MetaProtocolVersion);
    if (!metaVersion.isEmpty()) {
        if (!protocol::isModern(metaVersion) || !protocol::isSupported(metaVersion)) {
            QStringList modern;
            for (const QString &v : protocol::supportedVersions())
                if (protocol::isModern(v))
                    modern << v;
            Json supported = Json::array();
            for (const QString &v : modern)
                supported.push_back(toStd(v));
            respondError(
                *ctx, Code::UnsupportedProtocolVersion,
                QStringLiteral("protocol version %1 is not supported per request; use %2 (or initialize "
                               "for older versions)")
                    .arg(metaVersion, modern.join(QStringLiteral(", "))),
                {{"requested", toStd(metaVersion)}, {"supported", supported}});
            return;
        }
        ctx->m_modern = true;
        ctx->m_version = metaVersion;
        ctx->m_clientCapabilities = meta.value(protocol::MetaClientCapabilities, Json::object());
        ctx->m_logLevel = stringOr(meta, protocol::MetaLogLevel);
    } else if (ctx->m_method == QStringLiteral("server/discover")) {
        ctx->m_modern = true; // a probe without _meta still gets a modern answer
        ctx->m_version = protocol::V2026_07_28;
    } else if (!m_initialized && ctx->m_method != QStringLiteral("initialize") &&
               ctx->m_method != QStringLiteral("ping")) {
        respondError(*ctx, Code::InvalidRequest,
                     QStringLiteral("%1 before initialize: send initialize first, or carry "
                                    "_meta[\"%2\"] for 2026-07-28")
                         .arg(ctx->m_method, QLatin1String(protocol::MetaProtocolVersion)));
        return;
    } else {
        ctx->m_version = m_version;
        ctx->m_clientCapabilities = m_clientCapabilities;
        ctx->m_logLevel = m_logLevel;
    }
    if (meta.contains("progressToken"))
        ctx->m_progressToken = meta["progressToken"];
    m_active.insert(ctx->m_key, ctx);
    try {
        dispatch(ctx);
    } catch (const Json::exception &e) { // a handler met JSON of a shape it did not expect
        respondError(*ctx, Code::InternalError,
                     QStringLiteral("internal error: %1").arg(QString::fromUtf8(e.what())));
    }
}

void ServerSession::dispatch(const RequestContext::Ptr &ctx)
{
    const QString &method = ctx->m_method;
    const bool known = ctx->m_modern ? ModernMethods.contains(method) : LegacyMethods.contains(method);
    if (!known) {
        respondError(
            *ctx, Code::MethodNotFound,
            (ctx->m_modern ? QStringLiteral("method not found: %1 (not a %2 request)")
                           : QStringLiteral("method not found: %1 (protocol %2)"))
                .arg(method, ctx->m_version.isEmpty() ? QStringLiteral("unnegotiated") : ctx->m_version));
        return;
    }
    const Json caps = m_server ? m_server->capabilities() : Json::object();
    const QString area = method.section(QLatin1Char('/'), 0, 0);
    const bool needsCapability = area == QStringLiteral("tools") || area == QStringLiteral("resources") ||
                                 area == QStringLiteral("prompts");
    if (!m_server || (needsCapability && !caps.contains(toStd(area)))) {
        respondError(*ctx, Code::MethodNotFound,
                     QStringLiteral("method not found: this server offers no %1").arg(area));
        return;
    }
    if (method == QStringLiteral("initialize"))
        onInitialize(ctx);
    else if (method == QStringLiteral("ping"))
        respond(*ctx, Json::object());
    else if (method == QStringLiteral("server/discover"))
        onDiscover(ctx);
    else if (method == QStringLiteral("tools/list"))
        onList(ctx, QStringLiteral("tools"));
    else if (method == QStringLiteral("resources/list"))
        onList(ctx, QStringLiteral("resources"));
    else if (method == QStringLiteral("resources/templates/list"))
        onList(ctx, QStringLiteral("resourceTemplates"));
    else if (method == QStringLiteral("prompts/list"))
        onList(ctx, QStringLiteral("prompts"));
    else if (method == QStringLiteral("tools/call"))
        onCallTool(ctx);
    else if (method == QStringLiteral("resources/read"))
        onReadResource(ctx);
    else if (method == QStringLiteral("resources/subscribe"))
        onSubscribe(ctx, true);
    else if (method == QStringLiteral("resources/unsubscribe"))
        onSubscribe(ctx, false);
    else if (method == QStringLiteral("subscriptions/listen"))
        onListen(ctx);
    else if (method == QStringLiteral("prompts/get"))
        onGetPrompt(ctx);
    else if (method == QStringLiteral("completion/complete"))
        onComplete(ctx);
    else if (method == QStringLiteral("logging/setLevel"))
        onSetLevel(ctx);
}

Json ServerSession::decorate(const QString &method, Json result, const QString &version) const
{
    result = adaptForVersion(method, std::move(result), version);
    if (!protocol::isModern(version) || !result.is_object())
        return result;
    if (!result.contains("resultType"))
        result["resultType"] = "complete";
    static const QSet<QString> cacheable = {
        QStringLiteral("server/discover"), QStringLiteral("tools/list"),
        QStringLiteral("resources/list"),  QStringLiteral("resources/templates/list"),
        QStringLiteral("prompts/list"),    QStringLiteral("resources/read")};
    if (cacheable.contains(method) && stringOr(result, "resultType") == QStringLiteral("complete")) {
        const bool read = method == QStringLiteral("resources/read");
        result["ttlMs"] =
            m_server ? (read ? m_server->options().readTtlMs : m_server->options().listTtlMs) : 0;
        result["cacheScope"] = "public";
    }
    return result;
}

void ServerSession::respond(RequestContext &ctx, Json result)
{
    if (ctx.isDone())
        return;
    ctx.m_done = true;
    const RequestContext::Ptr keep = m_active.take(ctx.m_key);
    send(Message::response(ctx.m_id, decorate(ctx.m_method, std::move(result), ctx.m_version)), ctx.m_key,
         true);
}

void ServerSession::respondError(RequestContext &ctx, int code, const QString &message, Json data)
{
    if (ctx.isDone())
        return;
    ctx.m_done = true;
    const RequestContext::Ptr keep = m_active.take(ctx.m_key);
    send(Message::errorResponse(ctx.m_id, code, toStd(message), std::move(data)), ctx.m_key, true);
}

void ServerSession::finishInputRequired(const QString &requestKey)
{
    const RequestContext::Ptr ctx = m_active.value(requestKey);
    if (!ctx || ctx->isDone() || !m_server)
        return;
    // Earlier answers ride along in the signed requestState, so a handler that asks one question per run
    // still sees them all on the last retry.
    const qint64 expires = QDateTime::currentMSecsSinceEpoch() + m_server->options().requestStateTtlMs;
    const Json payload = {{"m", toStd(ctx->m_method)},
                          {"n", valueOr(ctx->m_params, "name", valueOr(ctx->m_params, "uri", Json("")))},
                          {"r", ctx->m_inputResponses.is_object() ? ctx->m_inputResponses : Json::object()},
                          {"e", expires}};
    const QByteArray body = dumpCompact(payload);
    const QByteArray state = body.toBase64(QByteArray::Base64UrlEncoding) + '.' +
                             m_server->signState(body).toBase64(QByteArray::Base64UrlEncoding);
    Json result = {{"resultType", "input_required"},
                   {"inputRequests", Json::object()},
                   {"requestState", state.toStdString()}};
    for (const auto &[k, request] : ctx->m_inputRequests.items())
        result["inputRequests"][k] = {
            {"method", request["method"]},
            {"params", adaptForVersion(toQString(request["method"].get<std::string>()), request["params"],
                                       ctx->m_version)}};
    ctx->m_inputRequests = nullptr; // lets respond() through
    respond(*ctx, std::move(result));
}

bool ServerSession::restoreRequestState(const RequestContext::Ptr &ctx)
{
    Json responses = Json::object();
    if (ctx->m_params.contains("requestState")) {
        const Json &raw = ctx->m_params["requestState"];
        const QByteArray state =
            raw.is_string() ? QByteArray::fromStdString(raw.get<std::string>()) : QByteArray();
        const qsizetype dot = state.indexOf('.');
        const QByteArray body = QByteArray::fromBase64(state.left(dot), QByteArray::Base64UrlEncoding);
        const QByteArray mac = QByteArray::fromBase64(state.mid(dot + 1), QByteArray::Base64UrlEncoding);
        // Parsed only once we know we signed it, and then within the parser's limits: until then these are
        // a client's bytes.
        const bool signedByUs = !body.isEmpty() && m_server && mac == m_server->signState(body);
        const Json payload = signedByUs ? jsonrpc::parseJson(body) : Json();
        const bool ok = signedByUs && payload.is_object() && stringOr(payload, "m") == ctx->m_method &&
                        valueOr(payload, "n", Json()) ==
                            valueOr(ctx->m_params, "name", valueOr(ctx->m_params, "uri", Json(""))) &&
                        valueOr(payload, "e", qint64(0)) > QDateTime::currentMSecsSinceEpoch();
        if (!ok) {
            respondError(*ctx, Code::InvalidParams,
                         QStringLiteral("requestState is invalid, expired, or belongs to another request"));
            return false;
        }
        responses = valueOr(payload, "r", Json::object());
    }
    const Json fresh = valueOr(ctx->m_params, "inputResponses", Json::object());
    if (!fresh.is_object()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("inputResponses must be an object"));
        return false;
    }
    for (const auto &[k, v] : fresh.items())
        responses[k] = v;
    ctx->m_inputResponses = std::move(responses);
    return true;
}

// ---- handshake
// ---------------------------------------------------------------------------------------------

void ServerSession::onInitialize(const RequestContext::Ptr &ctx)
{
    const QString requested = stringOr(ctx->m_params, "protocolVersion");
    if (requested.isEmpty()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("initialize needs params.protocolVersion (a string)"));
        return;
    }
    const bool speak = protocol::isSupported(requested) && !protocol::isModern(requested);
    m_version = speak ? requested : protocol::latestStatefulVersion();
    m_initialized = true;
    m_clientInfo = valueOr(ctx->m_params, "clientInfo", Json::object());
    m_clientCapabilities = valueOr(ctx->m_params, "capabilities", Json::object());
    if (!m_clientCapabilities.is_object())
        m_clientCapabilities = Json::object();
    ctx->m_version = m_version;
    const ServerOptions &o = m_server->options();
    Json info = {{"name", toStd(o.name)}, {"version", toStd(o.version)}};
    if (!o.title.isEmpty())
        info["title"] = toStd(o.title);
    Json result = {{"protocolVersion", toStd(m_version)},
                   {"capabilities", m_server->capabilities()},
                   {"serverInfo", info}};
    if (!o.instructions.isEmpty())
        result["instructions"] = toStd(o.instructions);
    respond(*ctx, std::move(result));
}

void ServerSession::onDiscover(const RequestContext::Ptr &ctx)
{
    const ServerOptions &o = m_server->options();
    Json versions = Json::array();
    for (const QString &v : McpServer::supportedVersions())
        versions.push_back(toStd(v));
    Json info = {{"name", toStd(o.name)}, {"version", toStd(o.version)}};
    if (!o.title.isEmpty())
        info["title"] = toStd(o.title);
    Json result = {{"supportedVersions", versions},
                   {"capabilities", m_server->capabilities()},
                   {"_meta", {{protocol::MetaServerInfo, info}}}};
    if (!o.instructions.isEmpty())
        result["instructions"] = toStd(o.instructions);
    respond(*ctx, std::move(result));
}

// ---- features ---------------------------------------------------------------------------------------------

void ServerSession::onList(const RequestContext::Ptr &ctx, const QString &listKey)
{
    QList<Json> all;
    if (listKey == QStringLiteral("tools"))
        for (const auto &t : std::as_const(m_server->m_tools))
            all << t.definition;
    else if (listKey == QStringLiteral("resources"))
        for (const auto &r : std::as_const(m_server->m_resources))
            all << r.definition;
    else if (listKey == QStringLiteral("resourceTemplates"))
        for (const auto &t : std::as_const(m_server->m_templates))
            all << t.definition;
    else
        for (const auto &p : std::as_const(m_server->m_prompts))
            all << p.definition;
    int offset = 0;
    if (ctx->m_params.contains("cursor")) {
        const Json &c = ctx->m_params["cursor"];
        const auto decoded = c.is_string() ? decodeCursor(toQString(c.get<std::string>())) : std::nullopt;
        if (!decoded || *decoded > all.size()) {
            respondError(*ctx, Code::InvalidParams,
                         QStringLiteral("invalid cursor %1: pass back a nextCursor this server gave")
                             .arg(toQString(c.dump())));
            return;
        }
        offset = *decoded;
    }
    const int pageSize = m_server->options().pageSize;
    Json items = Json::array();
    for (int i = offset; i < all.size() && i < offset + pageSize; ++i)
        items.push_back(all[i]);
    Json result = {{toStd(listKey), items}};
    if (offset + pageSize < all.size())
        result["nextCursor"] = toStd(encodeCursor(offset + pageSize));
    respond(*ctx, std::move(result));
}

void ServerSession::onCallTool(const RequestContext::Ptr &ctx)
{
    const QString name = stringOr(ctx->m_params, "name");
    if (name.isEmpty()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("tools/call needs params.name (a string)"));
        return;
    }
    const auto tool =
        std::find_if(m_server->m_tools.cbegin(), m_server->m_tools.cend(),
                     [&](const McpServer::Tool &t) { return stringOr(t.definition, "name") == name; });
    if (tool == m_server->m_tools.cend()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("unknown tool: %1").arg(name));
        return;
    }
    const Json arguments = valueOr(ctx->m_params, "arguments", Json::object());
    if (!arguments.is_object()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("tools/call params.arguments must be an object"));
        return;
    }
    QString problem;
    if (!validate(valueOr(tool->definition, "inputSchema", Json::object()), arguments, {}, &problem)) {
        // The spec reports bad tool input as a tool error, so that a model can correct itself.
        respond(*ctx,
                {{"content",
                  {{{"type", "text"},
                    {"text", toStd(QStringLiteral("Invalid arguments for %1: %2.").arg(name, problem))}}}},
                 {"isError", true}});
        return;
    }
    if (ctx->m_modern && !restoreRequestState(ctx))
        return;
    const ToolHandler handler = tool->handler; // the registry may change while the tool runs
    handler(arguments, ctx);
}

void ServerSession::onReadResource(const RequestContext::Ptr &ctx)
{
    const QString uri = stringOr(ctx->m_params, "uri");
    if (uri.isEmpty()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("resources/read needs params.uri (a string)"));
        return;
    }
    std::optional<Json> contents;
    bool known = false;
    for (const auto &r : std::as_const(m_server->m_resources))
        if (stringOr(r.definition, "uri") == uri) {
            known = true;
            contents = r.reader(uri);
            break;
        }
    for (int i = 0; !known && i < m_server->m_templates.size(); ++i) {
        const auto &t = m_server->m_templates[i];
        if (auto vars = matchTemplate(stringOr(t.definition, "uriTemplate"), uri)) {
            known = true;
            contents = t.reader(uri, *vars);
        }
    }
    if (!contents) {
        respondError(*ctx, ServerErrorCode::ResourceNotFound,
                     QStringLiteral("resource not found: %1").arg(uri), {{"uri", toStd(uri)}});
        return;
    }
    respond(*ctx, {{"contents", *contents}});
}

void ServerSession::onSubscribe(const RequestContext::Ptr &ctx, bool subscribe)
{
    const QString uri = stringOr(ctx->m_params, "uri");
    if (uri.isEmpty()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("%1 needs params.uri (a string)").arg(ctx->m_method));
        return;
    }
    if (subscribe && !m_subscriptions.contains(uri)) {
        m_subscriptions << uri;
        m_server->addSubscriber(uri, +1);
    } else if (!subscribe && m_subscriptions.removeOne(uri)) {
        m_server->addSubscriber(uri, -1);
    }
    respond(*ctx, Json::object());
}

void ServerSession::onListen(const RequestContext::Ptr &ctx)
{
    const Json wanted = valueOr(ctx->m_params, "notifications", Json());
    if (!wanted.is_object()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("subscriptions/listen needs params.notifications (a filter object)"));
        return;
    }
    const Json caps = m_server->capabilities();
    Json accepted = Json::object();
    for (const char *k : {"toolsListChanged", "promptsListChanged", "resourcesListChanged"}) {
        const std::string area = std::string(k).substr(0, std::string(k).find("ListChanged"));
        if (wanted.value(k, false) == true && caps.contains(area))
            accepted[k] = true;
    }
    if (wanted.contains("resourceSubscriptions") && caps.contains("resources")) {
        accepted["resourceSubscriptions"] = Json::array();
        for (const auto &uri : wanted["resourceSubscriptions"])
            if (uri.is_string()) {
                accepted["resourceSubscriptions"].push_back(uri);
                m_server->addSubscriber(toQString(uri.get<std::string>()), +1);
            }
    }
    // The stream stays open without a response until the client cancels or the server shuts down.
    ctx->m_done = true;
    m_active.remove(ctx->m_key);
    m_listeners.insert(ctx->m_key, {ctx->m_id, accepted});
    send(Message::notification("notifications/subscriptions/acknowledged",
                               {{"_meta", {{"io.modelcontextprotocol/subscriptionId", ctx->m_id}}},
                                {"notifications", accepted}}),
         ctx->m_key);
}

void ServerSession::onGetPrompt(const RequestContext::Ptr &ctx)
{
    const QString name = stringOr(ctx->m_params, "name");
    if (name.isEmpty()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("prompts/get needs params.name (a string)"));
        return;
    }
    const auto prompt =
        std::find_if(m_server->m_prompts.cbegin(), m_server->m_prompts.cend(),
                     [&](const McpServer::Prompt &p) { return stringOr(p.definition, "name") == name; });
    if (prompt == m_server->m_prompts.cend()) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("unknown prompt: %1").arg(name));
        return;
    }
    const Json arguments = valueOr(ctx->m_params, "arguments", Json::object());
    if (!arguments.is_object()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("prompts/get params.arguments must be an object"));
        return;
    }
    for (const auto &a : valueOr(prompt->definition, "arguments", Json::array())) {
        const std::string argName = valueOr(a, "name", "");
        if (valueOr(a, "required", false) && !arguments.contains(argName)) {
            respondError(*ctx, Code::InvalidParams,
                         QStringLiteral("prompt %1 needs the argument \"%2\"").arg(name, toQString(argName)));
            return;
        }
        if (arguments.contains(argName) && !arguments[argName].is_string()) {
            respondError(*ctx, Code::InvalidParams,
                         QStringLiteral("prompt argument \"%1\" must be a string").arg(toQString(argName)));
            return;
        }
    }
    QString error;
    Json result = prompt->handler(arguments, &error);
    if (!error.isEmpty()) {
        respondError(*ctx, Code::InvalidParams, error);
        return;
    }
    respond(*ctx, std::move(result));
}

void ServerSession::onComplete(const RequestContext::Ptr &ctx)
{
    const Json ref = valueOr(ctx->m_params, "ref", Json::object());
    const QString refType = stringOr(ref, "type");
    const QString refName = refType == QStringLiteral("ref/prompt")     ? stringOr(ref, "name")
                            : refType == QStringLiteral("ref/resource") ? stringOr(ref, "uri")
                                                                        : QString();
    const Json argument = valueOr(ctx->m_params, "argument", Json::object());
    const QString argName = stringOr(argument, "name");
    if (refName.isEmpty() || argName.isEmpty()) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("completion/complete needs ref ({type: \"ref/prompt\", name} or "
                                    "{type: \"ref/resource\", uri}) and argument {name, value}"));
        return;
    }
    if (refType == QStringLiteral("ref/prompt") &&
        std::none_of(m_server->m_prompts.cbegin(), m_server->m_prompts.cend(),
                     [&](const McpServer::Prompt &p) { return stringOr(p.definition, "name") == refName; })) {
        respondError(*ctx, Code::InvalidParams, QStringLiteral("unknown prompt: %1").arg(refName));
        return;
    }
    const QString value = stringOr(argument, "value");
    const Completer completer =
        m_server->m_completers.value(refType + QLatin1Char('\n') + refName + QLatin1Char('\n') + argName);
    QStringList matches;
    if (completer) {
        const Json context = valueOr(ctx->m_params, "context", Json::object());
        const Json contextArguments =
            context.is_object() ? valueOr(context, "arguments", Json::object()) : Json::object();
        for (const QString &candidate : completer(value, contextArguments))
            if (candidate.startsWith(value, Qt::CaseInsensitive))
                matches << candidate;
    }
    Json values = Json::array();
    for (const QString &m : matches.mid(0, 100))
        values.push_back(toStd(m));
    respond(*ctx, {{"completion",
                    {{"values", values}, {"total", matches.size()}, {"hasMore", matches.size() > 100}}}});
}

void ServerSession::onSetLevel(const RequestContext::Ptr &ctx)
{
    const QString level = stringOr(ctx->m_params, "level");
    if (!LogLevels.contains(level)) {
        respondError(*ctx, Code::InvalidParams,
                     QStringLiteral("level must be one of %1").arg(LogLevels.join(QStringLiteral(", "))));
        return;
    }
    m_logLevel = level;
    respond(*ctx, Json::object());
}

void ServerSession::sendLog(const QString &level, const QString &logger, const Json &data,
                            const QString &threshold, const QString &related)
{
    if (threshold.isEmpty() || LogLevels.indexOf(level) < LogLevels.indexOf(threshold))
        return;
    Json params = {{"level", toStd(level)}};
    if (!logger.isEmpty())
        params["logger"] = toStd(logger);
    params["data"] = data;
    send(Message::notification("notifications/message", std::move(params)), related);
}

// ---- notifications and replies from the client ------------------------------------------------------------

void ServerSession::handleNotification(const Message &m)
{
    if (m.method != "notifications/cancelled")
        return; // initialized, roots/list_changed and the like need nothing from this server
    if (m.params.is_object())
        cancelRequest(key(valueOr(m.params, "requestId", Json())));
}

void ServerSession::cancelRequest(const QString &requestKey)
{
    if (const RequestContext::Ptr ctx = m_active.take(requestKey)) {
        ctx->m_cancelled = true;
        for (const auto &callback : ctx->m_onCancelled)
            callback();
        Q_EMIT requestAbandoned(requestKey);
        return;
    }
    if (!m_listeners.contains(requestKey))
        return;
    dropListener(requestKey);
    Q_EMIT requestAbandoned(requestKey);
}

void ServerSession::dropListener(const QString &requestKey)
{
    const Listener listener = m_listeners.take(requestKey);
    for (const auto &uri : valueOr(listener.filter, "resourceSubscriptions", Json::array()))
        m_server->addSubscriber(toQString(uri.get<std::string>()), -1);
}

void ServerSession::handleReply(const Message &m)
{
    if (!m.id.is_number_integer())
        return; // not one of ours
    const auto it = m_outgoing.find(m.id.get<qint64>());
    if (it == m_outgoing.end())
        return; // late (timed out) or unknown: nothing waits for it
    OutgoingRequest out = it.value();
    m_outgoing.erase(it);
    delete out.timer;
    if (m.kind != jsonrpc::Kind::Error && !m.result.is_object())
        out.handler({}, makeError(Error::Category::Protocol, QStringLiteral("client"),
                                  QStringLiteral("the client answered with a result that is not an object")));
    else if (m.kind == jsonrpc::Kind::Error)
        out.handler({}, makeError(Error::Category::Rpc, QStringLiteral("client"), m.errorMessage(),
                                  m.errorCode(), valueOr(m.error, "data", Json())));
    else
        out.handler(m.result, {});
}

void ServerSession::sendRequestToClient(RequestContext &ctx, const QString &method, Json params,
                                        RequestContext::AnswerHandler handler)
{
    const qint64 id = m_nextOutgoingId++;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, id, method, related = ctx.m_key] {
        const auto it = m_outgoing.find(id);
        if (it == m_outgoing.end())
            return;
        OutgoingRequest out = it.value();
        m_outgoing.erase(it);
        out.timer->deleteLater();
        const int ms = m_server ? m_server->options().clientRequestTimeoutMs : 0;
        send(Message::notification(
                 "notifications/cancelled",
                 {{"requestId", id}, {"reason", toStd(QStringLiteral("no answer within %1 ms").arg(ms))}}),
             related);
        out.handler({}, makeError(Error::Category::Timeout, method,
                                  QStringLiteral("the client did not answer within %1 ms").arg(ms)));
    });
    m_outgoing.insert(id, {std::move(handler), timer, ctx.m_key});
    timer->start(m_server->options().clientRequestTimeoutMs);
    send(Message::request(id, toStd(method), adaptForVersion(method, std::move(params), ctx.m_version)),
         ctx.m_key);
}

// ---- broadcasts
// ---------------------------------------------------------------------------------------------

void ServerSession::onResourceUpdated(const QString &uri)
{
    const Json params = {{"uri", toStd(uri)}};
    if (m_initialized && m_subscriptions.contains(uri))
        send(Message::notification("notifications/resources/updated", params), {});
    for (auto it = m_listeners.cbegin(); it != m_listeners.cend(); ++it) {
        const Json uris = valueOr(it->filter, "resourceSubscriptions", Json::array());
        if (std::find(uris.begin(), uris.end(), Json(toStd(uri))) == uris.end())
            continue;
        Json p = params;
        p["_meta"] = {{"io.modelcontextprotocol/subscriptionId", it->id}};
        send(Message::notification("notifications/resources/updated", std::move(p)), it.key());
    }
}

void ServerSession::onListChanged(const QString &kind)
{
    const std::string method = "notifications/" + toStd(kind) + "/list_changed";
    if (m_initialized)
        send(Message::notification(method), {});
    const std::string filterKey = toStd(kind) + "ListChanged";
    for (auto it = m_listeners.cbegin(); it != m_listeners.cend(); ++it)
        if (it->filter.value(filterKey, false) == true)
            send(Message::notification(method,
                                       {{"_meta", {{"io.modelcontextprotocol/subscriptionId", it->id}}}}),
                 it.key());
}

void ServerSession::shutdown()
{
    const auto listeners = m_listeners;
    for (auto it = listeners.cbegin(); it != listeners.cend(); ++it) {
        dropListener(it.key());
        send(Message::response(it->id, {{"resultType", "complete"},
                                        {"_meta", {{"io.modelcontextprotocol/subscriptionId", it->id}}}}),
             it.key(), true);
    }
    const auto outgoing = m_outgoing;
    m_outgoing.clear();
    for (const OutgoingRequest &out : outgoing) {
        delete out.timer;
        out.handler({}, makeError(Error::Category::Cancelled, QStringLiteral("server"),
                                  QStringLiteral("the server is shutting down")));
    }
}

} // namespace mcp
