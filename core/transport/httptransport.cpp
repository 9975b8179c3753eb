#include "httptransport.h"

#include "authprovider.h"
#include "tlspolicy.h"
#include "urlpolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSslError>

namespace mcp {

namespace {

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isHeaderSafe(QByteArrayView v)
{
    for (char ch : v) {
        const auto c = static_cast<unsigned char>(ch);
        if (!(c == 0x09 || (c >= 0x20 && c <= 0x7E)))
            return false;
    }
    return true;
}

QString hostPort(const QUrl &url)
{
    const int defaultPort =
        url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("wss") ? 443 : 80;
    return QStringLiteral("%1:%2").arg(url.host()).arg(url.port(defaultPort));
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------
// HttpTransportBase

HttpTransportBase::HttpTransportBase(HttpOptions options, QObject *parent)
    : Transport(parent), m_options(std::move(options)), m_http(new Http1Client(this))
{}

HttpTransportBase::~HttpTransportBase()
{
    // The derived part is gone: no callback may run any more.
    for (auto &[reply, call] : m_calls) {
        reply->disconnect(this);
        if (!call->done)
            reply->abort();
        delete reply;
    }
    m_calls.clear();
}

QByteArray HttpTransportBase::encodeHeaderValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    bool safe = isHeaderSafe(utf8);
    if (safe && !utf8.isEmpty()) {
        const auto isWs = [](char c) { return c == ' ' || c == '\t'; };
        if (isWs(utf8.front()) || isWs(utf8.back()))
            safe = false;
    }
    if (safe && utf8.startsWith("=?base64?") && utf8.endsWith("?="))
        safe = false;
    if (safe)
        return utf8;
    return QByteArrayLiteral("=?base64?") + utf8.toBase64() + QByteArrayLiteral("?=");
}

bool HttpTransportBase::checkUrl(const QStringList &schemes)
{
    const QUrl &url = m_options.url;
    if (!url.isValid() || url.host().isEmpty() || !schemes.contains(url.scheme().toLower())) {
        fail(makeError(Error::Category::Usage, kind() + QStringLiteral(": open"),
                       QStringLiteral("\"%1\" is not a usable %2 URL")
                           .arg(url.toString(), schemes.join(QStringLiteral("/")))));
        return false;
    }
    return true;
}

bool HttpTransportBase::prepareTls()
{
    if (m_sslReady)
        return true;
    TlsPolicy tls;
    tls.insecure = m_options.insecure;
    if (!m_options.caFile.isEmpty()) {
        qsizetype added = 0;
        QString why;
        if (!trustCaFile(m_options.caFile, &tls.configuration, &added, &why)) {
            Q_EMIT diagnostic({Diagnostic::Kind::Tls, why});
            fail(makeError(Error::Category::Usage, kind() + QStringLiteral(": TLS"), why));
            return false;
        }
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Tls, QStringLiteral("trusting %1 certificate(s) from %2 besides the "
                                                   "system CAs")
                                        .arg(added)
                                        .arg(m_options.caFile)});
    }
    m_http->setSslConfiguration(tls.configuration);
    if (m_options.auth) // its requests to authorization servers trust what these do
        m_options.auth->useTls(tls);
    m_sslReady = true;
    return true;
}

HttpTransportBase::Call *HttpTransportBase::startCall(const QByteArray &verb, const QUrl &url,
                                                      const HeaderList &headers, const QByteArray &body,
                                                      int role)
{
    HeaderList sent = headers;
    for (const auto &header : m_options.headers) { // the user's headers win
        sent.removeIf([&](const auto &h) { return h.first.compare(header.first, Qt::CaseInsensitive) == 0; });
        sent.append(header);
    }

    auto call = std::make_unique<Call>();
    Call *c = call.get();
    c->role = role;
    c->exchange.started = QDateTime::currentDateTimeUtc();
    c->exchange.method = verb;
    c->exchange.url = url;
    c->exchange.requestHeaders = sent;
    c->exchange.requestBody = body;

    Http1Reply *reply = m_http->send(verb, url, sent, body);
    c->reply = reply;
    m_calls.emplace(reply, std::move(call));

    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [c] {
        c->timedOut = true;
        c->reply->abort();
    });
    if (!reply->isRequestSent()) // on a kept-alive connection it may be
        timer->start(qMax(1, m_options.connectTimeoutMs));
    const auto stopTimer = [timer] { timer->stop(); };
    connect(reply, &Http1Reply::requestSent, timer, stopTimer);
    connect(reply, &Http1Reply::headersReceived, timer, stopTimer);
    connect(reply, &Http1Reply::bodyData, this, [this, c](const QByteArray &chunk) { handleData(c, chunk); });
    connect(reply, &Http1Reply::finished, this, [this, c, timer] {
        timer->stop();
        handleFinished(c);
    });
    connect(reply, &Http1Reply::sslErrors, this,
            [this, c](const QList<QSslError> &e) { handleSslErrors(c, e); });
    connect(reply, &Http1Reply::redirected, this, [this, c](const QUrl &to) {
        // Each hop is an exchange of its own, so the traffic view shows every URL the headers went to.
        HttpExchange hop = c->exchange;
        hop.status = c->reply->status();
        hop.reason = c->reply->reason();
        hop.responseHeaders = c->reply->headers();
        Q_EMIT httpExchange(hop);
        c->exchange.started = QDateTime::currentDateTimeUtc();
        c->exchange.url = to;
    });
    return c;
}

void HttpTransportBase::handleSslErrors(Call *call, const QList<QSslError> &errors)
{
    if (acceptTlsErrors(hostPort(call->exchange.url), errors, m_options.insecure, &call->tlsErrors))
        call->reply->ignoreSslErrors();
}

void HttpTransportBase::handleData(Call *call, const QByteArray &chunk)
{
    if (call->done)
        return;
    QByteArray &rec = call->exchange.responseBody;
    call->arrived += chunk.size();
    if (rec.size() < m_options.maxRecordedBodyBytes)
        rec.append(chunk.left(m_options.maxRecordedBodyBytes - rec.size()));
    if (rec.size() >= m_options.maxRecordedBodyBytes && chunk.size() > 0)
        call->recordCut = true;
    if (call->aborted)
        return;
    onData(call, chunk);
}

void HttpTransportBase::handleFinished(Call *call)
{
    if (call->done)
        return;
    call->done = true;
    Http1Reply *reply = call->reply;
    HttpExchange &ex = call->exchange;
    ex.status = statusOf(call);
    ex.reason = reply->reason();
    ex.responseHeaders = reply->headers();
    if (call->recordCut)
        ex.responseBody += recordedBodyCut(call->arrived);
    if (call->aborted)
        ex.error = QStringLiteral("closed by the client");
    else if (!call->failure.isEmpty())
        ex.error = call->failure;
    else if (reply->error() != Http1Reply::Error::None && ex.status == 0)
        ex.error = networkError(call, QString()).message;
    Q_EMIT httpExchange(ex);
    onFinished(call);
    // Free later: a caller further up the stack may still hold the call.
    QMetaObject::invokeMethod(
        this,
        [this, reply] {
            m_calls.erase(reply);
            reply->deleteLater();
        },
        Qt::QueuedConnection);
}

void HttpTransportBase::abortCall(Call *call)
{
    if (!call || call->done)
        return;
    call->aborted = true;
    call->reply->abort();
}

void HttpTransportBase::abortAllCalls()
{
    QList<Http1Reply *> replies;
    for (const auto &entry : m_calls)
        replies << entry.first;
    for (Http1Reply *r : replies)
        abortCall(findCall(r));
}

void HttpTransportBase::abortCallsWithRole(int role)
{
    QList<Http1Reply *> replies;
    for (const auto &[reply, call] : m_calls)
        if (call->role == role)
            replies << reply;
    for (Http1Reply *r : replies)
        abortCall(findCall(r));
}

HttpTransportBase::Call *HttpTransportBase::findCall(Http1Reply *reply) const
{
    const auto it = m_calls.find(reply);
    return it == m_calls.end() ? nullptr : it->second.get();
}

void HttpTransportBase::appendBody(Call *call, const QByteArray &chunk)
{
    if (!call->failure.isEmpty())
        return;
    if (call->body.size() + chunk.size() > m_options.maxFrameBytes) {
        call->failure =
            QStringLiteral("the server's answer is over the frame limit of %1 bytes; not read further")
                .arg(m_options.maxFrameBytes);
        call->body.clear();
        call->reply->abort();
        return;
    }
    call->body.append(chunk);
}

int HttpTransportBase::statusOf(const Call *call)
{
    return call->reply->status();
}

QByteArray HttpTransportBase::contentTypeOf(const Call *call)
{
    return call->reply->header("Content-Type").trimmed().toLower();
}

bool HttpTransportBase::isConnectionLevel(const Call *call)
{
    if (call->timedOut)
        return true;
    switch (call->reply->error()) {
    case Http1Reply::Error::ConnectionRefused:
    case Http1Reply::Error::HostNotFound:
    case Http1Reply::Error::Tls:
    case Http1Reply::Error::Network:
    case Http1Reply::Error::Proxy:
        return true;
    default:
        return false;
    }
}

Error HttpTransportBase::networkError(const Call *call, const QString &step) const
{
    const QString where = hostPort(call->exchange.url);
    QString msg;
    if (!call->failure.isEmpty()) {
        msg = call->failure;
    } else if (call->timedOut) {
        msg = QStringLiteral("could not reach %1 within %2 ms (connect timeout)")
                  .arg(where)
                  .arg(m_options.connectTimeoutMs);
    } else {
        switch (call->reply->error()) {
        case Http1Reply::Error::ConnectionRefused:
            msg = QStringLiteral("connection refused by %1 (is the server running and listening there?)")
                      .arg(where);
            break;
        case Http1Reply::Error::HostNotFound:
            msg = QStringLiteral("host \"%1\" not found").arg(call->exchange.url.host());
            break;
        case Http1Reply::Error::Tls:
            msg = QStringLiteral(
                      "TLS handshake with %1 failed: %2. Trust the server's CA with the CA file option, "
                      "or (for testing only) use the insecure option")
                      .arg(where, call->tlsErrors.isEmpty() ? call->reply->errorString() : call->tlsErrors);
            break;
        case Http1Reply::Error::RemoteClosed:
            msg = QStringLiteral("%1 closed the connection before the response was complete").arg(where);
            break;
        case Http1Reply::Error::Malformed:
            msg = call->reply->errorString();
            break;
        default:
            msg = QStringLiteral("%1 %2 failed: %3")
                      .arg(QString::fromLatin1(call->exchange.method), call->exchange.url.toString(),
                           call->reply->errorString());
        }
    }
    // What we stopped reading broke a limit: the server's doing, as the same flood over stdio is.
    return makeError(call->failure.isEmpty() ? Error::Category::Connection : Error::Category::Protocol, step,
                     msg);
}

Error HttpTransportBase::httpStatusError(const Call *call, const QString &step, const QByteArray &body) const
{
    const int status = statusOf(call);
    const QByteArray reason = call->reply->reason();
    QString msg = QStringLiteral("the server answered HTTP %1%2")
                      .arg(status)
                      .arg(reason.isEmpty() ? QString() : QStringLiteral(" ") + QString::fromLatin1(reason));
    const Error::Category cat =
        status == 401 || status == 403 ? Error::Category::Auth : Error::Category::Connection;
    if (const QByteArray location = call->reply->header("Location");
        status / 100 == 3 && !location.isEmpty()) {
        const QUrl to = call->exchange.url.resolved(QUrl::fromEncoded(location));
        msg += sameOrigin(call->exchange.url, to)
                   ? QStringLiteral(" redirecting to %1 (not followed)").arg(to.toString())
                   : QStringLiteral(" redirecting to %1, another origin: not followed, so the request's "
                                    "credentials and session id were not sent there")
                         .arg(to.toString());
    }
    if (status == 401) {
        const QByteArray www = call->reply->header("WWW-Authenticate");
        if (!www.isEmpty())
            msg += QStringLiteral(" (WWW-Authenticate: %1)").arg(QString::fromLatin1(www));
    }
    const QString s = snippet(body);
    if (!s.isEmpty())
        msg += QStringLiteral(": ") + s;
    return makeError(cat, step, msg, 0);
}

QString HttpTransportBase::snippet(const QByteArray &body, int max)
{
    QString s = QString::fromUtf8(body.left(max * 4)).simplified();
    if (s.size() > max)
        s = s.left(max) + QStringLiteral("…");
    return s;
}

HeaderList HttpTransportBase::sanitizedExtraHeaders(const HeaderList &headers, QStringList *dropped)
{
    HeaderList out;
    for (const auto &[name, value] : headers) {
        bool okName = !name.isEmpty();
        for (char c : name)
            okName = okName && isTokenChar(c);
        if (!okName) {
            if (dropped)
                *dropped << QString::fromUtf8(name);
            continue;
        }
        // Already-encoded values pass through; raw non-ASCII or control characters get the Base64 sentinel.
        out.append({name, isHeaderSafe(value)
                              ? value
                              : QByteArrayLiteral("=?base64?") + value.toBase64() + QByteArrayLiteral("?=")});
    }
    return out;
}

QJsonValue HttpTransportBase::requestId(const QByteArray &frame)
{
    const QJsonDocument doc = QJsonDocument::fromJson(frame);
    if (doc.isObject())
        return doc.object().value(QLatin1String("id"));
    return QJsonValue(QJsonValue::Undefined);
}

bool HttpTransportBase::isResponseTo(const QByteArray &frame, const QJsonValue &id)
{
    const QJsonDocument doc = QJsonDocument::fromJson(frame);
    const auto matches = [&id](const QJsonObject &o) {
        return (o.contains(QLatin1String("result")) || o.contains(QLatin1String("error"))) &&
               o.value(QLatin1String("id")) == id;
    };
    if (doc.isObject())
        return matches(doc.object());
    if (doc.isArray()) {
        for (const QJsonValue &v : doc.array())
            if (v.isObject() && matches(v.toObject()))
                return true;
    }
    return false;
}

bool HttpTransportBase::isJsonRpcResponse(const QByteArray &body, bool requireId)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("jsonrpc")) != QLatin1String("2.0"))
        return false;
    if (!o.contains(QLatin1String("result")) && !o.contains(QLatin1String("error")))
        return false;
    if (requireId) {
        const QJsonValue id = o.value(QLatin1String("id"));
        return id.isString() || id.isDouble();
    }
    return true;
}

bool HttpTransportBase::isJson(const QByteArray &body)
{
    QJsonParseError err;
    QJsonDocument::fromJson(body, &err);
    return err.error == QJsonParseError::NoError;
}

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
