#include "httptransport.h"

#include "authprovider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace mcp {

// ---------------------------------------------------------------------------------------------------------------
// HttpTransport

HttpTransport::HttpTransport(HttpOptions options, QObject *parent)
    : HttpTransportBase(std::move(options), parent)
{
    m_holdTimer.setSingleShot(true);
    connect(&m_holdTimer, &QTimer::timeout, this, &HttpTransport::releaseHeldFrames);
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        if (state() != State::Closing)
            return;
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Warning, QStringLiteral("no answer to DELETE within %1 ms; closed "
                                                       "without confirmation")
                                            .arg(m_options.closeTimeoutMs)});
        abortAllCalls();
        m_sessionId.clear();
        setState(State::Closed);
    });
}

HttpTransport::~HttpTransport() = default;

QString HttpTransport::kind() const
{
    return isStateless() ? QStringLiteral("stateless-http") : QStringLiteral("http");
}

bool HttpTransport::isStatelessVersion(const QString &version)
{
    // Versions are dates (YYYY-MM-DD), which compare correctly as strings.
    return version.size() == 10 && version.at(4) == QLatin1Char('-') &&
           version >= QLatin1String("2026-07-28");
}

void HttpTransport::setProtocolVersion(const QString &version)
{
    Transport::setProtocolVersion(version);
    if (isStateless()) {
        if (!m_sessionId.isEmpty())
            Q_EMIT diagnostic(
                {Diagnostic::Kind::Info,
                 QStringLiteral("protocol %1 has no sessions; dropping session id").arg(version)});
        m_sessionId.clear();
        abortCallsWithRole(GetStream);
    }
}

void HttpTransport::open()
{
    if (state() == State::Open || state() == State::Connecting)
        return;
    if (!checkUrl({QStringLiteral("http"), QStringLiteral("https")}) || !prepareTls())
        return;
    ++m_generation;
    m_sessionId.clear();
    m_expiredSessionId.clear();
    m_anySuccess = false;
    m_getLastEventId.clear();
    m_getRetryMs = -1;
    m_getAttempts = 0;
    // Nothing to connect yet: every frame is its own request.
    setState(State::Connecting);
    setState(State::Open);
}

HeaderList HttpTransport::commonHeaders(const QByteArray &verb) const
{
    HeaderList h;
    if (!isStateless() && !m_sessionId.isEmpty())
        h.append({"Mcp-Session-Id", m_sessionId});
    if (!protocolVersion().isEmpty())
        h.append({"MCP-Protocol-Version", protocolVersion().toUtf8()});
    if (m_options.auth)
        h += m_options.auth->requestHeaders(verb, m_options.url);
    return h;
}

void HttpTransport::send(const OutgoingFrame &frame)
{
    if (state() != State::Open) {
        Q_EMIT sendFailed(frame.bytes,
                          makeError(Error::Category::Connection, QStringLiteral("http: send"),
                                    QStringLiteral("the transport is %1, not open").arg(stateName(state()))));
        return;
    }
    if (m_holdForGetStream) {
        m_held.append(frame);
        return;
    }
    if (frame.method == QLatin1String("notifications/initialized") && !isStateless() &&
        m_options.openGetStream) {
        // Open the server's channel first: later requests may make it ask us something there.
        m_holdForGetStream = true;
        m_holdTimer.start(2000);
        startGetStream();
        if (!m_getReply)
            releaseHeldFrames();
    }
    post(frame);
}

void HttpTransport::post(const OutgoingFrame &frame)
{
    HeaderList h{{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}};
    h += commonHeaders("POST");
    if (isStateless()) {
        if (!frame.method.isEmpty())
            h.append({"Mcp-Method", frame.method.toUtf8()});
        if (!frame.name.isEmpty())
            h.append({"Mcp-Name", encodeHeaderValue(frame.name)});
    }
    QStringList dropped;
    h += sanitizedExtraHeaders(frame.extraHeaders, &dropped);
    if (!dropped.isEmpty())
        Q_EMIT diagnostic({Diagnostic::Kind::Warning, QStringLiteral("dropped headers with invalid names: %1")
                                                          .arg(dropped.join(QStringLiteral(", ")))});
    Call *c = startCall("POST", m_options.url, h, frame.bytes, Post);
    c->frame = frame;
    c->sessionIdSent = isStateless() ? QByteArray() : m_sessionId;
    if (frame.expectsReply) {
        c->awaiting = true;
        c->awaitedId = requestId(frame.bytes);
    }
}

void HttpTransport::close()
{
    if (state() == State::Closed || state() == State::Closing)
        return;
    ++m_generation;
    abortAllCalls();
    m_getReply = nullptr;
    m_holdForGetStream = false;
    m_holdTimer.stop();
    m_held.clear();
    if (state() == State::Open && !isStateless() && !m_sessionId.isEmpty()) {
        setState(State::Closing);
        startCall("DELETE", m_options.url, commonHeaders("DELETE"), {}, Delete);
        m_closeTimer.start(qMax(1, m_options.closeTimeoutMs));
        return;
    }
    m_sessionId.clear();
    setState(State::Closed);
}

void HttpTransport::checkHeaders(Call *call)
{
    if (call->headersChecked)
        return;
    call->headersChecked = true;
    const int status = statusOf(call);
    if (!isSuccess(status))
        return;
    m_anySuccess = true;
    if (m_options.auth &&
        call->exchange.requestHeaders.contains({"Authorization", m_options.auth->authorization()}))
        m_options.auth->accepted(call->reply->headers());
    call->isSse = contentTypeOf(call).startsWith("text/event-stream");
    if (call->role == Post && !isStateless() && call->frame.method == QLatin1String("initialize")) {
        const QByteArray sid = call->reply->header("Mcp-Session-Id").trimmed();
        if (!sid.isEmpty()) {
            // We send it back in every request: anything but visible ASCII could split or forge headers.
            const bool visibleAscii =
                std::all_of(sid.begin(), sid.end(), [](char c) { return c > 0x20 && c < 0x7f; });
            if (!visibleAscii) {
                fail(makeError(
                    Error::Category::Protocol, QStringLiteral("http: session"),
                    QStringLiteral("the server's Mcp-Session-Id has characters outside visible ASCII "
                                   "(0x21-0x7E), which the specification forbids; it is not sent "
                                   "back, and the connection is closed")));
                return;
            }
            m_sessionId = sid;
            // The id is a credential of sorts: say that there is one, not what it is (HttpExchange has the
            // bytes).
            Q_EMIT diagnostic(
                {Diagnostic::Kind::Info,
                 QStringLiteral("the server assigned a session id (%1 characters)").arg(sid.size())});
        }
    }
}

void HttpTransport::onData(Call *call, const QByteArray &chunk)
{
    checkHeaders(call);
    if (!call->isSse) {
        appendBody(call, chunk);
        return;
    }
    const QList<SseEvent> events = call->parser.feed(chunk);
    const quint64 generation = m_generation;
    for (const SseEvent &ev : events) {
        if (ev.event != "message") {
            Q_EMIT diagnostic(
                {Diagnostic::Kind::Info,
                 QStringLiteral("ignored SSE event of type \"%1\"").arg(QString::fromUtf8(ev.event))});
            continue;
        }
        if (ev.data.trimmed().isEmpty())
            continue; // a priming event (id, no data)
        if (call->role == GetStream)
            m_getAttempts = 0;
        else
            call->attempt = 0;
        if (call->awaiting && !call->answered && isResponseTo(ev.data, call->awaitedId))
            call->answered = true;
        Q_EMIT frameReceived(ev.data);
        if (call->done || call->aborted || generation != m_generation)
            return; // a receiver closed us
    }
    if (call->role == GetStream) {
        if (call->parser.hasLastEventId())
            m_getLastEventId = call->parser.lastEventId();
        if (call->parser.retryMs() >= 0)
            m_getRetryMs = call->parser.retryMs();
    }
    if (call->parser.hasError()) {
        call->failure = call->parser.errorString();
        call->reply->abort();
    }
}

void HttpTransport::onFinished(Call *call)
{
    if (call->role == Delete) {
        finishDelete(call);
        return;
    }
    if (call->aborted || state() != State::Open)
        return;
    checkHeaders(call);
    if (call->role == GetStream)
        finishGetStream(call);
    else
        finishPostOrResume(call);
}

void HttpTransport::finishPostOrResume(Call *call)
{
    const QString step =
        call->role == Resume ? QStringLiteral("http: resume stream") : QStringLiteral("http: POST");
    const int status = statusOf(call);
    // No answer, one we stopped reading, or a JSON body the server cut short (by closing before its
    // Content-Length): that last one used to be parsed as it was and reported as "not JSON".
    if (status == 0 || !call->failure.isEmpty() ||
        (!call->isSse && call->reply->error() != Http1Reply::Error::None)) {
        const Error err = networkError(call, step);
        if (call->role == Resume && call->attempt < m_options.maxReconnectAttempts) {
            Q_EMIT diagnostic({Diagnostic::Kind::Warning, err.toString()});
            scheduleResume(call);
            return;
        }
        Q_EMIT sendFailed(call->frame.bytes, err);
        if (isConnectionLevel(call))
            fail(err);
        return;
    }
    if (isSuccess(status)) {
        if (call->isSse) {
            const QString problem = call->parser.finish();
            if (call->awaiting && !call->answered) {
                if (!problem.isEmpty())
                    Q_EMIT diagnostic({Diagnostic::Kind::Warning, problem});
                const bool haveId = call->parser.hasLastEventId() || !call->resumeFromId.isEmpty();
                if (!isStateless() && haveId && call->attempt < m_options.maxReconnectAttempts) {
                    scheduleResume(call);
                    return;
                }
                QString msg =
                    problem.isEmpty()
                        ? QStringLiteral("the server ended the response stream without sending the response")
                        : problem;
                if (call->reply->error() != Http1Reply::Error::None)
                    msg += QStringLiteral(" (%1)").arg(networkError(call, {}).message);
                if (haveId && !isStateless())
                    msg += QStringLiteral("; gave up after %1 resumption attempts").arg(call->attempt);
                Q_EMIT sendFailed(call->frame.bytes, makeError(Error::Category::Connection, step, msg));
            } else if (!problem.isEmpty()) {
                Q_EMIT diagnostic({Diagnostic::Kind::Warning, problem});
            }
        } else {
            const QByteArray body = call->body.trimmed();
            if (!body.isEmpty()) {
                if (isJson(body)) {
                    Q_EMIT frameReceived(body);
                    if (state() != State::Open)
                        return;
                } else {
                    Q_EMIT sendFailed(
                        call->frame.bytes,
                        makeError(Error::Category::Protocol, step,
                                  QStringLiteral("HTTP %1 with a body that is not JSON (Content-Type "
                                                 "\"%2\"): %3")
                                      .arg(status)
                                      .arg(QString::fromLatin1(contentTypeOf(call)), snippet(body))));
                    return;
                }
            } else if (call->awaiting) {
                Q_EMIT diagnostic(
                    {Diagnostic::Kind::Warning,
                     QStringLiteral("HTTP %1 without a body in answer to a request; the response can only "
                                    "come on the GET stream")
                         .arg(status)});
            }
        }
        return;
    }
    // An HTTP error status.
    if (status == 404 && !call->sessionIdSent.isEmpty()) {
        expireSession(call);
        return;
    }
    if ((status == 401 || status == 403) && call->role == Post && handOverRefusal(call))
        return;
    const QByteArray body = call->body.trimmed();
    if (m_legacyDetection && call->role == Post && !m_anySuccess &&
        (status == 400 || status == 404 || status == 405) && !isJsonRpcResponse(body, false)) {
        Q_EMIT legacyServerSuspected(call->frame, status);
        return;
    }
    if (isJsonRpcResponse(body, true)) {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Http,
             QStringLiteral("HTTP %1 carrying a JSON-RPC response; delivered as a frame").arg(status)});
        Q_EMIT frameReceived(body);
        return;
    }
    Q_EMIT diagnostic({Diagnostic::Kind::Http, QStringLiteral("POST answered HTTP %1").arg(status)});
    Q_EMIT sendFailed(call->frame.bytes, httpStatusError(call, step, body));
}

bool HttpTransport::handOverRefusal(Call *call)
{
    if (!m_options.auth)
        return false;
    // The refused request is re-sent (with the new Authorization header) once the provider has authorized.
    const OutgoingFrame frame = call->frame;
    const quint64 generation = m_generation;
    QPointer<HttpTransport> self(this);
    return m_options.auth->handleRefusal(call->exchange, [self, frame, generation](const Error &error) {
        if (!self || generation != self->m_generation || self->state() != State::Open)
            return;
        if (error)
            Q_EMIT self->sendFailed(frame.bytes, error);
        else
            self->post(frame);
    });
}

void HttpTransport::expireSession(Call *call)
{
    const bool current = call->sessionIdSent == m_sessionId;
    if (current) {
        m_expiredSessionId = m_sessionId;
        m_sessionId.clear();
        m_getLastEventId.clear();
        abortCallsWithRole(GetStream);
        m_getReply = nullptr;
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Warning,
             QStringLiteral("the server no longer knows session %1 (HTTP 404); a new initialize is needed")
                 .arg(QString::fromLatin1(call->sessionIdSent))});
    }
    if (call->role != GetStream)
        Q_EMIT sendFailed(call->frame.bytes,
                          makeError(Error::Category::Connection, QStringLiteral("http: POST"),
                                    QStringLiteral("session %1 expired (HTTP 404); initialize again")
                                        .arg(QString::fromLatin1(call->sessionIdSent))));
    if (current)
        Q_EMIT sessionExpired();
}

void HttpTransport::scheduleResume(const Call *from)
{
    const QByteArray lastId = from->parser.hasLastEventId() ? from->parser.lastEventId() : from->resumeFromId;
    const int retry = from->parser.retryMs() >= 0 ? from->parser.retryMs()
                      : from->retryMs >= 0        ? from->retryMs
                                                  : m_options.defaultRetryMs;
    const int attempt = from->attempt + 1;
    Q_EMIT diagnostic(
        {Diagnostic::Kind::Info,
         QStringLiteral("response stream dropped before the response; resuming with Last-Event-ID %1 "
                        "in %2 ms (attempt %3 of %4)")
             .arg(QString::fromLatin1(lastId))
             .arg(retry)
             .arg(attempt)
             .arg(m_options.maxReconnectAttempts)});
    const OutgoingFrame frame = from->frame;
    const QJsonValue awaitedId = from->awaitedId;
    const bool awaiting = from->awaiting;
    const quint64 generation = m_generation;
    QTimer::singleShot(retry, this, [=, this] {
        if (generation != m_generation || state() != State::Open)
            return;
        HeaderList h{{"Accept", "text/event-stream"}};
        h += commonHeaders("GET");
        h.append({"Last-Event-ID", lastId});
        Call *c = startCall("GET", m_options.url, h, {}, Resume);
        c->frame = frame;
        c->awaiting = awaiting;
        c->awaitedId = awaitedId;
        c->attempt = attempt;
        c->resumeFromId = lastId;
        c->retryMs = retry;
        c->sessionIdSent = m_sessionId;
    });
}

void HttpTransport::startGetStream()
{
    if (m_getReply || isStateless() || !m_options.openGetStream || state() != State::Open)
        return;
    HeaderList h{{"Accept", "text/event-stream"}};
    h += commonHeaders("GET");
    if (!m_getLastEventId.isEmpty())
        h.append({"Last-Event-ID", m_getLastEventId});
    Call *c = startCall("GET", m_options.url, h, {}, GetStream);
    c->sessionIdSent = m_sessionId;
    m_getReply = c->reply;
    connect(c->reply, &Http1Reply::headersReceived, this, &HttpTransport::releaseHeldFrames);
}

void HttpTransport::releaseHeldFrames()
{
    if (!m_holdForGetStream)
        return;
    m_holdForGetStream = false;
    m_holdTimer.stop();
    const QList<OutgoingFrame> held = std::exchange(m_held, {});
    for (const OutgoingFrame &frame : held)
        send(frame);
}

void HttpTransport::scheduleGetStream()
{
    if (m_getAttempts >= m_options.maxReconnectAttempts) {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Warning,
             QStringLiteral("the GET stream could not be kept open after %1 attempts; server-initiated "
                            "messages now only arrive on POST response streams")
                 .arg(m_getAttempts)});
        return;
    }
    ++m_getAttempts;
    const int retry = m_getRetryMs >= 0 ? m_getRetryMs : m_options.defaultRetryMs;
    Q_EMIT diagnostic(
        {Diagnostic::Kind::Info,
         QStringLiteral("GET stream ended; reconnecting in %1 ms%2")
             .arg(retry)
             .arg(
                 m_getLastEventId.isEmpty()
                     ? QString()
                     : QStringLiteral(" with Last-Event-ID %1").arg(QString::fromLatin1(m_getLastEventId)))});
    const quint64 generation = m_generation;
    QTimer::singleShot(retry, this, [this, generation] {
        if (generation == m_generation)
            startGetStream();
    });
}

void HttpTransport::finishGetStream(Call *call)
{
    releaseHeldFrames();
    if (m_getReply == call->reply)
        m_getReply = nullptr;
    const int status = statusOf(call);
    if (status == 405) {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Info, QStringLiteral("the server offers no GET stream (HTTP 405); "
                                                    "server messages arrive on POST responses only")});
        return;
    }
    if (status == 404 && !call->sessionIdSent.isEmpty()) {
        expireSession(call);
        return;
    }
    if (status == 0) {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Warning, networkError(call, QStringLiteral("http: GET stream")).toString()});
        scheduleGetStream();
        return;
    }
    if (!isSuccess(status) || !call->isSse) {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Http, QStringLiteral("GET stream not opened: %1")
                                         .arg(httpStatusError(call, QString(), call->body).message)});
        return;
    }
    const QString problem = call->parser.finish();
    if (!problem.isEmpty())
        Q_EMIT diagnostic({Diagnostic::Kind::Warning, QStringLiteral("GET stream: ") + problem});
    scheduleGetStream();
}

void HttpTransport::finishDelete(Call *call)
{
    m_closeTimer.stop();
    if (!call->aborted) {
        const int status = statusOf(call);
        if (status == 405)
            Q_EMIT diagnostic(
                {Diagnostic::Kind::Info,
                 QStringLiteral("the server does not let clients end sessions (DELETE answered 405)")});
        else if (status == 0 || !isSuccess(status))
            Q_EMIT diagnostic({Diagnostic::Kind::Http,
                               QStringLiteral("DELETE of the session failed: %1")
                                   .arg(status == 0 ? networkError(call, {}).message
                                                    : httpStatusError(call, {}, call->body).message)});
    }
    m_sessionId.clear();
    if (state() == State::Closing)
        setState(State::Closed);
}

} // namespace mcp
