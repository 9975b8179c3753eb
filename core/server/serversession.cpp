// ServerSession: one client's frames in, ids, the handshake, input_required state, cancellation and replies;
// the feature requests themselves are in serverfeatures.cpp.
#include "../session/protocolversion.h"
#include "mcpserver.h"

#include <QDateTime>
#include <QSet>
#include <QTimer>

namespace mcp {

using jsonrpc::Message;
namespace Code = jsonrpc::ErrorCode;

namespace {

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

} // namespace

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
