#include "clientsession.h"

#include "../traffic/recorder.h"
#include "clientsessionprivate.h"
#include "protocolversion.h"
#include "toolheaders.h"

#include <QTimer>
#include <limits>

namespace mcp {

using jsonrpc::Kind;
using jsonrpc::Message;

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
    endListens(true); // their end is ours, not news
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
    endListens(false); // the session's failure says it all
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
    if (p.options.longLived) {
        p.deadlineMs = std::numeric_limits<qint64>::max();
        return;
    }
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
        if (!p->options.longLived && (next < 0 || p->deadlineMs < next))
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

} // namespace mcp
