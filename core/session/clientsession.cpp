#include "clientsession.h"

#include "../traffic/recorder.h"
#include "protocolversion.h"
#include "toolheaders.h"

#include <QTimer>

namespace mcp {

using jsonrpc::Kind;
using jsonrpc::Message;

struct ClientSession::Pending
{
    QString method;
    Json params; // as the caller gave them, for 2026-07-28 retries
    RequestOptions options;
    ReplyHandler handler;
    QPointer<QObject> context;
    bool hasContext = false;
    bool handshake = false;
    int inputRounds = 0;    // 2026-07-28 input_required retries so far
    int versionRetries = 0; // UnsupportedProtocolVersion retries so far
    QElapsedTimer age;
    qint64 deadlineMs = 0; // on ClientSession::m_clock
};

ClientSession::ClientSession(Transport *transport, Recorder *recorder, SessionOptions options,
                             QObject *parent)
    : QObject(parent), m_transport(transport), m_recorder(recorder), m_options(std::move(options)),
      m_timeoutTimer(new QTimer(this))
{
    m_clock.start();
    m_timeoutTimer->setSingleShot(true);
    // a coarse timer may fire up to 5% early, reporting "no answer for N ms" before N ms have passed
    m_timeoutTimer->setTimerType(Qt::PreciseTimer);
    connect(m_timeoutTimer, &QTimer::timeout, this, &ClientSession::onTimeouts);
    m_transport->setParent(this);
    if (m_recorder)
        m_connectionId = m_recorder->addConnection(m_options.connectionName);

    connect(m_transport, &Transport::frameReceived, this, &ClientSession::onFrame);
    connect(m_transport, &Transport::diagnostic, this, &ClientSession::diagnostic);
    connect(m_transport, &Transport::httpExchange, this, [this](const HttpExchange &exchange) {
        if (m_recorder)
            m_recorder->recordHttp(m_connectionId, exchange);
    });
    connect(m_transport, &Transport::stateChanged, this, [this](Transport::State s) {
        if (s == Transport::State::Open && m_state == State::Connecting)
            beginHandshake();
        else if (s == Transport::State::Closed && m_state != State::Failed) {
            failAll(makeError(Error::Category::Connection, QStringLiteral("close"),
                              QStringLiteral("connection closed")));
            setState(State::Closed);
        }
    });
    connect(m_transport, &Transport::failed, this, &ClientSession::failSession);
    connect(m_transport, &Transport::sendFailed, this, [this](const QByteArray &frame, const Error &error) {
        const auto parsed = jsonrpc::parse(frame);
        if (parsed.ok() && parsed.messages.front().isRequest() &&
            parsed.messages.front().id.is_number_integer())
            finish(parsed.messages.front().id.get<qint64>(), Reply{nullptr, error});
        else
            Q_EMIT protocolError(error);
    });
    connect(m_transport, &Transport::sessionExpired, this, [this] {
        Q_EMIT diagnostic({Diagnostic::Kind::Warning,
                           QStringLiteral("the server forgot this session (HTTP 404); initializing again")});
        if (m_state == State::Ready)
            sendInitialize();
    });
}

ClientSession::~ClientSession()
{
    m_pending.clear();
}

QString ClientSession::stateName(State s)
{
    switch (s) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Initializing:
        return QStringLiteral("initializing");
    case State::Ready:
        return QStringLiteral("ready");
    case State::Closing:
        return QStringLiteral("closing");
    case State::Closed:
        return QStringLiteral("closed");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

bool ClientSession::isModern() const
{
    return protocol::isModern(m_version);
}

void ClientSession::setState(State s)
{
    if (s == m_state)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void ClientSession::start()
{
    m_lastError = {};
    m_version.clear();
    setState(State::Connecting);
    if (m_transport->state() == Transport::State::Open)
        beginHandshake();
    else
        m_transport->open();
}

void ClientSession::close()
{
    if (m_state == State::Closed || m_state == State::Idle) {
        setState(State::Closed);
        return;
    }
    failAll(makeError(Error::Category::Cancelled, QStringLiteral("close"),
                      QStringLiteral("connection closed by the user")));
    setState(State::Closing);
    m_transport->close();
    if (m_transport->state() == Transport::State::Closed || m_transport->state() == Transport::State::Failed)
        setState(State::Closed);
}

void ClientSession::failSession(const Error &error)
{
    if (m_state == State::Failed)
        return;
    m_lastError = error;
    failAll(error);
    if (m_state == State::Closing) { // an expected end
        setState(State::Closed);
        return;
    }
    setState(State::Failed);
    Q_EMIT failed(error);
}

void ClientSession::failAll(const Error &error)
{
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (auto &[id, p] : pending)
        deliver(*p, Reply{nullptr, error});
}

// ---- handshake -------------------------------------------------------------------------------------

void ClientSession::beginHandshake()
{
    setState(State::Initializing);
    const QString pinned = m_options.protocolVersion;
    if (!pinned.isEmpty() && !protocol::isSupported(pinned)) {
        failSession(makeError(Error::Category::Usage, QStringLiteral("negotiate"),
                              QStringLiteral("protocol version %1 is not one this client speaks (%2)")
                                  .arg(pinned, protocol::supportedVersions().join(QStringLiteral(", ")))));
        return;
    }
    // The legacy SSE transport exists only for 2024-11-05 servers: no point probing for a modern one.
    const bool probe = pinned.isEmpty()
                           ? m_options.probeModern && m_transport->kind() != QStringLiteral("sse")
                           : protocol::isModern(pinned);
    if (probe)
        sendDiscover(pinned.isEmpty() ? protocol::V2026_07_28 : pinned);
    else
        sendInitialize();
}

void ClientSession::sendDiscover(const QString &version)
{
    m_version = version; // requests carry it in _meta and MCP-Protocol-Version
    m_transport->setProtocolVersion(version);
    RequestOptions options;
    options.timeoutMs =
        m_options.protocolVersion.isEmpty() ? m_options.probeTimeoutMs : m_options.requestTimeoutMs;
    sendRequest(
        QStringLiteral("server/discover"), Json::object(), [this](const Reply &r) { onDiscoverReply(r); },
        options, nullptr, true);
}

static QStringList versionList(const Json &array)
{
    QStringList versions;
    for (const auto &v : array)
        if (v.is_string())
            versions << toQString(v.get<std::string>());
    return versions;
}

// The pinned version if the server offers it, else the newest modern version both sides speak; or empty.
QString ClientSession::chooseModernVersion(const QStringList &theirs) const
{
    if (!m_options.protocolVersion.isEmpty())
        return theirs.contains(m_options.protocolVersion) ? m_options.protocolVersion : QString();
    for (const QString &v : protocol::supportedVersions())
        if (protocol::isModern(v) && theirs.contains(v))
            return v;
    return {};
}

void ClientSession::onDiscoverReply(const Reply &reply)
{
    const bool pinned = !m_options.protocolVersion.isEmpty();
    if (reply.ok()) {
        const QStringList theirs = versionList(valueOr(reply.result, "supportedVersions", Json::array()));
        const QString chosen = chooseModernVersion(theirs);
        if (chosen.isEmpty()) {
            if (!pinned) { // a dual-era server that offers only legacy versions to us
                sendInitialize();
                return;
            }
            failSession(makeError(Error::Category::Protocol, QStringLiteral("server/discover"),
                                  QStringLiteral("the server supports %1, not the pinned version %2")
                                      .arg(theirs.join(QStringLiteral(", ")), m_options.protocolVersion)));
            return;
        }
        m_version = chosen;
        m_transport->setProtocolVersion(chosen);
        m_serverCapabilities = valueOr(reply.result, "capabilities", Json::object());
        m_serverInfo =
            valueOr(valueOr(reply.result, "_meta", Json::object()), protocol::MetaServerInfo, Json::object());
        m_instructions = stringOr(reply.result, "instructions");
        becomeReady();
        return;
    }
    if (pinned) {
        failSession(makeError(Error::Category::Protocol, QStringLiteral("server/discover"),
                              QStringLiteral("the server does not speak %1: %2")
                                  .arg(m_options.protocolVersion, reply.error.message),
                              reply.error.code, reply.error.data));
        return;
    }
    // Anything else identifies a legacy server (spec 2026-07-28, versioning: backward compatibility).
    Q_EMIT diagnostic(
        {Diagnostic::Kind::Info, QStringLiteral("server/discover probe: %1; using the initialize "
                                                "handshake")
                                     .arg(reply.error.toString())});
    sendInitialize();
}

void ClientSession::sendInitialize()
{
    setState(State::Initializing);
    const QString offered =
        m_options.protocolVersion.isEmpty() ? protocol::latestStatefulVersion() : m_options.protocolVersion;
    m_version.clear();
    m_transport->setProtocolVersion(QString()); // initialize itself carries no version header
    Json params = {
        {"protocolVersion", toStd(offered)},
        {"capabilities", clientCapabilities()},
        {"clientInfo", {{"name", toStd(m_options.clientName)}, {"version", toStd(m_options.clientVersion)}}}};
    sendRequest(
        QStringLiteral("initialize"), std::move(params), [this](const Reply &r) { onInitializeReply(r); }, {},
        nullptr, true);
}

void ClientSession::onInitializeReply(const Reply &reply)
{
    if (!reply.ok()) {
        Error e = reply.error;
        e.step = QStringLiteral("initialize");
        failSession(e);
        return;
    }
    const QString version = stringOr(reply.result, "protocolVersion");
    if (!protocol::isSupported(version) || protocol::isModern(version)) {
        failSession(
            makeError(Error::Category::Protocol, QStringLiteral("initialize"),
                      QStringLiteral("the server chose protocol version \"%1\", which this client does not "
                                     "speak over initialize (it speaks %2)")
                          .arg(version, protocol::supportedVersions().mid(1).join(QStringLiteral(", ")))));
        return;
    }
    if (!m_options.protocolVersion.isEmpty() && version != m_options.protocolVersion)
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Warning, QStringLiteral("asked for protocol %1, the server chose %2")
                                            .arg(m_options.protocolVersion, version)});
    m_version = version;
    m_transport->setProtocolVersion(version);
    m_serverCapabilities = valueOr(reply.result, "capabilities", Json::object());
    m_serverInfo = valueOr(reply.result, "serverInfo", Json::object());
    m_instructions = stringOr(reply.result, "instructions");
    notify(QStringLiteral("notifications/initialized"));
    if (!m_options.logLevel.isEmpty() && m_serverCapabilities.contains("logging"))
        request(QStringLiteral("logging/setLevel"), {{"level", toStd(m_options.logLevel)}},
                [](const Reply &) {});
    becomeReady();
}

void ClientSession::becomeReady()
{
    setState(State::Ready);
    Q_EMIT ready();
}

Json ClientSession::clientCapabilities() const
{
    Json caps = m_handler ? m_handler->capabilities() : Json::object();
    if (!caps.is_object())
        caps = Json::object();
    return caps;
}

void ClientSession::setLogLevel(const QString &level)
{
    m_options.logLevel = level;
    if (m_state == State::Ready && !isModern())
        request(QStringLiteral("logging/setLevel"), {{"level", toStd(level)}}, [](const Reply &) {});
}

// ---- requests --------------------------------------------------------------------------------------

qint64 ClientSession::request(const QString &method, Json params, ReplyHandler handler,
                              RequestOptions options, QObject *context)
{
    if (m_state != State::Ready) {
        const Error e =
            makeError(Error::Category::Connection, method,
                      QStringLiteral("not connected (the connection is %1)").arg(stateName(m_state)));
        QTimer::singleShot(0, context ? context : this, [handler, e] { handler(Reply{nullptr, e}); });
        return -1;
    }
    if (method == QStringLiteral("tools/call") && mirrorsToolHeaders()) {
        const QString tool = stringOr(params, "name");
        if (m_rejectedTools.contains(tool)) {
            const Error e = makeError(Error::Category::Usage, method,
                                      QStringLiteral("unknown tool \"%1\": its definition was rejected (%2)")
                                          .arg(tool, m_rejectedTools.value(tool)));
            QTimer::singleShot(0, context ? context : this, [handler, e] { handler(Reply{nullptr, e}); });
            return -1;
        }
        if (const auto known = m_tools.constFind(tool); known != m_tools.constEnd())
            options.extraHeaders += toolheaders::paramHeaders(valueOr(*known, "inputSchema", Json::object()),
                                                              valueOr(params, "arguments", Json::object()));
    }
    if (method == QStringLiteral("tools/call") && !isModern()) {
        const auto tool = m_tools.constFind(stringOr(params, "name")); // no copy of its schema per call
        if (tool != m_tools.constEnd() && stringOr(valueOr(*tool, "execution", Json::object()),
                                                   "taskSupport") == QStringLiteral("required"))
            options.asTask = true; // the server refuses to run it any other way
    }
    return sendRequest(method, std::move(params), std::move(handler), std::move(options), context, false);
}

bool ClientSession::mirrorsToolHeaders() const
{
    return isModern() && m_transport->kind().contains(QStringLiteral("http"));
}

// Over 2026-07-28 HTTP, tools with invalid x-mcp-header annotations must be left out of tools/list.
void ClientSession::screenTools(Json &result)
{
    if (!result.contains("tools") || !result["tools"].is_array())
        return;
    Json kept = Json::array();
    for (auto &tool : result["tools"]) {
        const QString name = stringOr(tool, "name");
        const QString why = mirrorsToolHeaders()
                                ? toolheaders::validate(valueOr(tool, "inputSchema", Json::object()))
                                : QString();
        if (why.isEmpty()) {
            m_tools.insert(name, tool);
            kept.push_back(std::move(tool));
        } else {
            m_rejectedTools.insert(name, why);
            Q_EMIT diagnostic(
                {Diagnostic::Kind::Warning, QStringLiteral("tool \"%1\" rejected: %2").arg(name, why)});
        }
    }
    result["tools"] = std::move(kept);
}

// A tool result with isError: true is an error of its own kind, carrying the tool's words.
static Error toolError(const Json &result)
{
    if (const auto flag = result.find("isError"); flag != result.end() && !flag->is_boolean())
        return makeError(Error::Category::Protocol, QStringLiteral("tools/call"),
                         QStringLiteral("the result's \"isError\" must be a boolean, got %1")
                             .arg(QString::fromLatin1(flag->type_name())));
    if (!valueOr(result, "isError", false))
        return {};
    QString text;
    for (const auto &c : valueOr(result, "content", Json::array()))
        if (stringOr(c, "type") == QStringLiteral("text"))
            text += stringOr(c, "text");
    return makeError(Error::Category::Tool, QStringLiteral("tools/call"),
                     text.isEmpty() ? QStringLiteral("the tool reported an error") : text);
}

// The name that the 2026-07-28 HTTP transport puts in Mcp-Name.
static QString frameName(const QString &method, const Json &params)
{
    if (method == QStringLiteral("tools/call") || method == QStringLiteral("prompts/get"))
        return stringOr(params, "name");
    if (method == QStringLiteral("resources/read") || method == QStringLiteral("resources/subscribe") ||
        method == QStringLiteral("resources/unsubscribe"))
        return stringOr(params, "uri");
    return {};
}

Json ClientSession::withModernMeta(Json params) const
{
    if (!params.is_object())
        params = Json::object();
    Json &meta = params["_meta"];
    if (!meta.is_object())
        meta = Json::object();
    meta[protocol::MetaProtocolVersion] = toStd(m_version);
    meta[protocol::MetaClientInfo] = {{"name", toStd(m_options.clientName)},
                                      {"version", toStd(m_options.clientVersion)}};
    meta[protocol::MetaClientCapabilities] = clientCapabilities();
    if (!m_options.logLevel.isEmpty())
        meta[protocol::MetaLogLevel] = toStd(m_options.logLevel);
    return params;
}

qint64 ClientSession::sendRequest(const QString &method, Json params, ReplyHandler handler,
                                  RequestOptions options, QObject *context, bool handshake)
{
    auto p = std::make_unique<Pending>();
    p->method = method;
    p->params = std::move(params);
    p->options = std::move(options);
    p->handler = std::move(handler);
    p->context = context;
    p->hasContext = context != nullptr;
    p->handshake = handshake;
    return dispatch(std::move(p));
}

// Sends a request again as a new one (new id), as 2026-07-28 retries must.
qint64 ClientSession::resend(const Pending &original, const Json &wireAdditions, int inputRounds,
                             int versionRetries)
{
    auto p = std::make_unique<Pending>();
    p->method = original.method;
    p->params = original.params;
    p->options = original.options;
    p->handler = original.handler;
    p->context = original.context;
    p->hasContext = original.hasContext;
    p->handshake = original.handshake;
    p->inputRounds = inputRounds;
    p->versionRetries = versionRetries;
    return dispatch(std::move(p), wireAdditions);
}

qint64 ClientSession::dispatch(std::unique_ptr<Pending> p, const Json &wireAdditions)
{
    const qint64 id = m_nextId++;
    p->age.start();
    Json wire = isModern() ? withModernMeta(p->params) : p->params;
    for (const auto &[key, value] : wireAdditions.items())
        wire[key] = value;
    if (p->options.reportProgress) {
        if (!wire.is_object())
            wire = Json::object();
        wire["_meta"]["progressToken"] = id;
    }
    if (p->options.asTask && !wire.contains("task"))
        wire["task"] = Json::object();
    Pending &ref = *p;
    m_pending.emplace(id, std::move(p));
    armTimeout(ref);
    const QString name = frameName(ref.method, wire);
    transmit(Message::request(id, toStd(ref.method), wire.is_null() ? Json::object() : std::move(wire)),
             ref.method, name, true, ref.options.extraHeaders);
    return id;
}

void ClientSession::transmit(const Message &message, const QString &method, const QString &name,
                             bool expectsReply, const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    OutgoingFrame frame;
    frame.bytes = message.serialize();
    frame.method = method;
    frame.name = name;
    frame.expectsReply = expectsReply;
    frame.extraHeaders = extraHeaders;
    if (m_recorder)
        m_recorder->record(m_connectionId, Direction::Sent, frame.bytes, message);
    m_transport->send(frame);
}

void ClientSession::armTimeout(Pending &p)
{
    const int timeout = p.options.timeoutMs > 0 ? p.options.timeoutMs : m_options.requestTimeoutMs;
    const qint64 left = qMax<qint64>(0, m_options.maxRequestTimeoutMs - p.age.elapsed());
    p.deadlineMs = m_clock.elapsed() + qMin<qint64>(timeout, left);
    if (!m_timeoutTimer->isActive() || p.deadlineMs < m_timeoutDue)
        scheduleTimeouts(p.deadlineMs);
}

void ClientSession::scheduleTimeouts(qint64 dueMs)
{
    m_timeoutDue = dueMs;
    m_timeoutTimer->start(int(qMax<qint64>(0, dueMs - m_clock.elapsed())));
}

// Answered requests keep no claim on the timer: it fires for the earliest deadline it was set for, times
// out whatever is due by now, and is set again for the earliest deadline still pending.
void ClientSession::onTimeouts()
{
    const qint64 now = m_clock.elapsed();
    QList<qint64> due;
    for (const auto &[id, p] : m_pending)
        if (p->deadlineMs <= now)
            due << id;
    for (const qint64 id : std::as_const(due))
        onTimeout(id);
    qint64 next = -1;
    for (const auto &[id, p] : m_pending)
        if (next < 0 || p->deadlineMs < next)
            next = p->deadlineMs;
    if (next >= 0 && (!m_timeoutTimer->isActive() || next < m_timeoutDue))
        scheduleTimeouts(next);
}

void ClientSession::onTimeout(qint64 id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    const Pending &p = *it->second;
    const bool hardLimit = p.age.elapsed() >= m_options.maxRequestTimeoutMs;
    const QString why =
        hardLimit ? QStringLiteral("no result within the maximum of %1 ms").arg(m_options.maxRequestTimeoutMs)
                  : QStringLiteral("no answer or progress for %1 ms")
                        .arg(p.options.timeoutMs > 0 ? p.options.timeoutMs : m_options.requestTimeoutMs);
    const Error error = makeError(Error::Category::Timeout, p.method, why);
    if (!p.handshake) // tell the server to stop working on it
        notify(QStringLiteral("notifications/cancelled"), {{"requestId", id}, {"reason", toStd(why)}});
    abandon(id);
    finish(id, Reply{nullptr, error});
}

void ClientSession::notify(const QString &method, Json params)
{
    transmit(Message::notification(toStd(method), std::move(params)), method, {}, false);
}

void ClientSession::cancel(qint64 requestId, const QString &reason)
{
    if (!m_pending.count(requestId))
        return;
    Json params = {{"requestId", requestId}};
    if (!reason.isEmpty())
        params["reason"] = toStd(reason);
    notify(QStringLiteral("notifications/cancelled"), std::move(params));
    abandon(requestId);
    finish(requestId, Reply{nullptr, makeError(Error::Category::Cancelled, m_pending[requestId]->method,
                                               reason.isEmpty() ? QStringLiteral("cancelled") : reason)});
}

void ClientSession::abandon(qint64 id)
{
    if (m_abandoned.size() >= maxAbandoned) // a server that never answers: forget the oldest ones too
        m_abandoned.clear();
    m_abandoned.insert(id);
}

std::unique_ptr<ClientSession::Pending> ClientSession::take(qint64 id)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return nullptr;
    std::unique_ptr<Pending> p = std::move(it->second);
    m_pending.erase(it);
    return p;
}

void ClientSession::deliver(const Pending &p, const Reply &reply)
{
    if (p.handler && (!p.hasContext || p.context))
        p.handler(reply);
}

void ClientSession::finish(qint64 id, const Reply &reply)
{
    if (auto p = take(id))
        deliver(*p, reply);
}

void ClientSession::listAll(const QString &method, const QString &key, ReplyHandler handler, QObject *context,
                            int maxPages, PageHandler onPage)
{
    struct Walk
    {
        Json items = Json::array();
        QSet<QString> seenCursors;
        int pages = 0;
    };
    auto walk = std::make_shared<Walk>();
    auto step = std::make_shared<std::function<void(const QString &)>>();
    *step = [this, method, key, handler, context, maxPages, onPage, walk, step](const QString &cursor) {
        Json params = Json::object();
        if (!cursor.isEmpty())
            params["cursor"] = toStd(cursor);
        request(
            method, params,
            [=](const Reply &r) {
                if (!r.ok()) {
                    handler(r);
                    *step = nullptr; // break the self-reference
                    return;
                }
                const std::string k = toStd(key);
                if (r.result.contains(k) && r.result[k].is_array()) {
                    if (onPage)
                        onPage(r.result[k]);
                    walk->items.insert(walk->items.end(), r.result[k].begin(), r.result[k].end());
                }
                ++walk->pages;
                const QString next = stringOr(r.result, "nextCursor");
                if (next.isEmpty() || walk->pages >= maxPages || walk->seenCursors.contains(next)) {
                    Json all = Json::object();
                    all[k] = std::move(walk->items);
                    if (!next.isEmpty())
                        all["nextCursor"] = toStd(next); // stopped early: say where
                    handler(Reply{std::move(all), {}});
                    *step = nullptr;
                    return;
                }
                walk->seenCursors.insert(next);
                (*step)(next);
            },
            {}, context);
    };
    (*step)(QString());
}

// ---- incoming --------------------------------------------------------------------------------------

void ClientSession::onFrame(const QByteArray &bytes)
{
    jsonrpc::Limits limits;
    limits.allowBatch = m_version.isEmpty() || protocol::allowsBatches(m_version);
    jsonrpc::ParseResult parsed = jsonrpc::parse(bytes, limits);
    if (m_recorder)
        m_recorder->record(m_connectionId, Direction::Received, bytes, parsed);
    if (!parsed.ok()) {
        const Error e =
            makeError(Error::Category::Protocol, QStringLiteral("receive"),
                      QStringLiteral("invalid frame from the server: %1").arg(parsed.error->toString()));
        // A reply without an id answers no request, so it cannot break one: said, and kept in the traffic.
        // Legacy servers answer the version probe so (sometimes after the handshake went on), and the
        // conformance harness's server answers notifications/initialized with {"result":{}}.
        if (parsed.replyWithoutId) {
            Q_EMIT diagnostic({Diagnostic::Kind::Warning, e.message});
            return;
        }
        if (parsed.errorId.is_number_integer() && m_pending.count(parsed.errorId.get<qint64>()))
            finish(parsed.errorId.get<qint64>(), Reply{nullptr, e});
        else
            Q_EMIT protocolError(e);
        return;
    }
    // Handlers check types before reading fields; this is the net under a check that was missed, so that
    // one frame cannot end the process.
    try {
        for (Message &m : parsed.messages)
            onMessage(m);
    } catch (const Json::exception &e) {
        Q_EMIT protocolError(makeError(
            Error::Category::Protocol, QStringLiteral("receive"),
            QStringLiteral("could not handle a frame from the server: %1").arg(QString::fromUtf8(e.what()))));
    }
}

void ClientSession::onMessage(Message &m)
{
    switch (m.kind) {
    case Kind::Response:
    case Kind::Error:
        onReply(m);
        break;
    case Kind::Request:
        onServerRequest(m);
        break;
    case Kind::Notification:
        onNotification(m);
        break;
    }
}

// Takes the result out of m for the reply: a result can be large.
void ClientSession::onReply(Message &m)
{
    const qint64 id = m.id.is_number_integer() ? m.id.get<qint64>() : -1;
    auto it = m_pending.find(id);
    if (it == m_pending.end()) {
        // A server that cannot tell which request failed (id null) during the modern probe: it is legacy.
        if (m.kind == Kind::Error && m.id.is_null()) {
            for (auto &[pid, p] : m_pending)
                if (p->handshake) {
                    finish(pid, Reply{nullptr, makeError(Error::Category::Rpc, p->method, m.errorMessage(),
                                                         m.errorCode())});
                    return;
                }
        }
        if (m_abandoned.remove(id)) { // allowed: the server may have answered before it saw the cancellation
            Q_EMIT diagnostic({Diagnostic::Kind::Info,
                               QStringLiteral("a late response to request %1, which had timed out or was "
                                              "cancelled; ignored")
                                   .arg(id)});
            return;
        }
        const QString idText = jsonrpc::shortIdText(m.id);
        Q_EMIT protocolError(makeError(
            Error::Category::Protocol, QStringLiteral("receive"),
            id > 0 && id < m_nextId
                ? QStringLiteral("a second response to request %1, which was already answered").arg(idText)
                : QStringLiteral("a response to request %1, which was never sent").arg(idText)));
        return;
    }
    Pending &p = *it->second;
    if (m.kind == Kind::Error && m.errorCode() == jsonrpc::ErrorCode::UnsupportedProtocolVersion &&
        isModern() && retryWithSupportedVersion(id, valueOr(m.error, "data", Json::object())))
        return;
    if (m.kind == Kind::Error) {
        finish(id, Reply{nullptr, makeError(Error::Category::Rpc, p.method, m.errorMessage(), m.errorCode(),
                                            valueOr(m.error, "data", Json()))});
        return;
    }
    if (!m.result.is_object()) {
        finish(id, Reply{nullptr, makeError(Error::Category::Protocol, p.method,
                                            QStringLiteral("the result is not a JSON object"))});
        return;
    }
    if (p.options.asTask && valueOr(m.result, "task", Json::object()).contains("taskId")) {
        awaitTaskResult(id, m.result["task"]);
        return;
    }
    if (stringOr(m.result, "resultType") == QStringLiteral("input_required")) {
        answerInputRequired(id, m.result);
        return;
    }
    Reply reply{std::move(m.result), {}};
    if (p.method == QStringLiteral("tools/list"))
        screenTools(reply.result);
    if (p.method == QStringLiteral("tools/call"))
        reply.error = toolError(reply.result);
    finish(id, reply);
}

// A task was created: tasks/result blocks until it ends and answers with the original request's result.
void ClientSession::awaitTaskResult(qint64 id, const Json &task)
{
    std::unique_ptr<Pending> creator = take(id);
    Q_EMIT taskCreated(id, task);
    Pending result;
    result.method = QStringLiteral("tasks/result");
    result.params = {{"taskId", task["taskId"]}};
    result.options = creator->options;
    result.options.asTask = false;
    result.options.reportProgress = false;
    result.handler = [this, id, method = creator->method, handler = creator->handler](const Reply &reply) {
        m_progressAlias.remove(id);
        Reply r = reply;
        if (r.ok() && method == QStringLiteral("tools/call"))
            r.error = toolError(r.result);
        if (handler)
            handler(r);
    };
    result.context = creator->context;
    result.hasContext = creator->hasContext;
    const qint64 resultId = resend(result, Json::object(), 0, 0);
    if (creator->options.reportProgress)
        m_progressAlias.insert(id, resultId); // progress keeps naming the creating request's token
}

// A modern server that wants another version names the ones it supports: retry with one we share.
bool ClientSession::retryWithSupportedVersion(qint64 id, const Json &errorData)
{
    constexpr int maxRetries = 2;
    Pending &p = *m_pending[id];
    if (p.versionRetries >= maxRetries)
        return false;
    const QStringList theirs = versionList(valueOr(errorData, "supported", Json::array()));
    const QString chosen = chooseModernVersion(theirs);
    if (chosen.isEmpty())
        return false;
    Q_EMIT diagnostic(
        {Diagnostic::Kind::Info, QStringLiteral("%1: the server asked for another protocol version "
                                                "(it supports %2); retrying with %3")
                                     .arg(p.method, theirs.join(QStringLiteral(", ")), chosen)});
    m_version = chosen;
    m_transport->setProtocolVersion(chosen);
    std::unique_ptr<Pending> original = take(id);
    resend(*original, Json::object(), original->inputRounds, original->versionRetries + 1);
    return true;
}

// 2026-07-28 multi round-trip requests: answer every input request, then retry with a new id.
void ClientSession::answerInputRequired(qint64 id, const Json &result)
{
    std::shared_ptr<Pending> original = take(id);
    const Json requests = valueOr(result, "inputRequests", Json::object());
    if (original->inputRounds >= m_options.maxInputRounds) {
        deliver(*original,
                Reply{nullptr, makeError(Error::Category::Protocol, original->method,
                                         QStringLiteral("the server asked for input %1 times; giving up")
                                             .arg(original->inputRounds))});
        return;
    }
    struct Round
    {
        Json responses = Json::object();
        size_t outstanding = 0;
        Error error;
    };
    auto round = std::make_shared<Round>();
    round->outstanding = requests.is_object() ? requests.size() : 0;
    const Json state = result.contains("requestState") ? result["requestState"] : Json();
    auto retry = [this, round, state, original, alive = QPointer<ClientSession>(this)] {
        if (!alive)
            return;
        if (round->error) {
            deliver(*original, Reply{nullptr, round->error});
            return;
        }
        Json additions = Json::object();
        if (!round->responses.empty())
            additions["inputResponses"] = round->responses;
        if (!state.is_null())
            additions["requestState"] = state;
        resend(*original, additions, original->inputRounds + 1, original->versionRetries);
    };
    if (round->outstanding == 0) {
        retry();
        return;
    }
    for (const auto &[key, inputRequest] : requests.items()) {
        const QString method = stringOr(inputRequest, "method");
        // key copied by name: clang 14 cannot capture a structured binding
        auto answer = [round, key = key, retry](const Json &answerResult, const Error &error) {
            if (error && !round->error)
                round->error = error;
            else
                round->responses[key] = answerResult;
            if (--round->outstanding == 0)
                retry();
        };
        if (!m_handler)
            answer({}, makeError(Error::Category::Protocol, original->method,
                                 QStringLiteral(
                                     "the server needs %1 from the client, which this client does not answer")
                                     .arg(method)));
        else
            m_handler->handle(method, valueOr(inputRequest, "params", Json::object()), answer);
    }
}

void ClientSession::onServerRequest(const Message &m)
{
    const QString method = toQString(m.method);
    const Json id = m.id;
    auto respond = [this, id, method, alive = QPointer<ClientSession>(this)](const Json &result,
                                                                             const Error &error) {
        if (!alive || (m_state != State::Ready && m_state != State::Initializing))
            return;
        if (error)
            transmit(Message::errorResponse(id, error.code ? error.code : jsonrpc::ErrorCode::InternalError,
                                            toStd(error.message), error.data),
                     {}, {}, false);
        else
            transmit(Message::response(id, result), {}, {}, false);
    };
    if (method == QStringLiteral("ping")) {
        respond(Json::object(), {});
        return;
    }
    const bool known = method == QStringLiteral("sampling/createMessage") ||
                       method == QStringLiteral("elicitation/create") ||
                       method == QStringLiteral("roots/list");
    if (known && !m.params.is_null() && !m.params.is_object()) {
        respond({}, makeError(Error::Category::Rpc, method,
                              QStringLiteral("%1: \"params\" must be an object").arg(method),
                              jsonrpc::ErrorCode::InvalidParams));
        return;
    }
    if (!known || !m_handler) {
        respond({}, makeError(Error::Category::Rpc, method,
                              known ? QStringLiteral("this client does not answer %1").arg(method)
                                    : QStringLiteral("method not found: %1").arg(method),
                              jsonrpc::ErrorCode::MethodNotFound));
        return;
    }
    m_handler->handle(method, m.params, respond);
}

// Why a notification the session acts on is malformed, or empty when it is fine.
static QString malformedNotification(const QString &method, const Json &params)
{
    if (method == QStringLiteral("notifications/progress")) {
        const Json token = valueOr(params, "progressToken", Json());
        if (!params.is_object() || !(token.is_string() || token.is_number_integer()) ||
            !valueOr(params, "progress", Json()).is_number())
            return QStringLiteral("\"params\" must be an object with a string or integer \"progressToken\" "
                                  "and a number \"progress\"");
    } else if (method == QStringLiteral("notifications/message")) {
        if (!params.is_object() || !valueOr(params, "level", Json()).is_string())
            return QStringLiteral("\"params\" must be an object with a string \"level\"");
    }
    return {};
}

void ClientSession::onNotification(const Message &m)
{
    const QString method = toQString(m.method);
    if (const QString why = malformedNotification(method, m.params); !why.isEmpty()) {
        Q_EMIT protocolError(makeError(Error::Category::Protocol, QStringLiteral("receive"),
                                       QStringLiteral("%1: %2").arg(method, why)));
        return;
    }
    if (method == QStringLiteral("notifications/progress")) {
        const Json &token = m.params["progressToken"];
        if (token.is_number_integer()) {
            auto it = m_pending.find(m_progressAlias.value(token.get<qint64>(), token.get<qint64>()));
            if (it != m_pending.end()) {
                armTimeout(*it->second); // progress proves the server is alive
                Q_EMIT progress(token.get<qint64>(), m.params["progress"].get<double>(),
                                valueOr(m.params, "total", 0.0), stringOr(m.params, "message"));
            }
        }
    } else if (method == QStringLiteral("notifications/message")) {
        Q_EMIT logMessage(stringOr(m.params, "level"), stringOr(m.params, "logger"),
                          valueOr(m.params, "data", Json()));
    }
    Q_EMIT notificationReceived(method, m.params);
}

} // namespace mcp
