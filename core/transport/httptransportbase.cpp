#include "httptransportbase.h"

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
{
    m_http->setPeerCheck(m_options.peerCheck);
}

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
} // namespace mcp
