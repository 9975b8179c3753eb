#include "recordedhttp.h"

#include "../transport/http1connection.h"
#include "../transport/urlpolicy.h"

#include <QHostInfo>
#include <QTimer>
#include <memory>

namespace mcp::auth {

namespace {

QString hostPort(const QUrl &url)
{
    return QStringLiteral("%1:%2")
        .arg(url.host())
        .arg(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
}

} // namespace

RecordedHttp::RecordedHttp(QObject *parent) : QObject(parent), m_client(new Http1Client(this))
{}

RecordedHttp::~RecordedHttp() = default;

void RecordedHttp::setTlsPolicy(const TlsPolicy &policy)
{
    m_tls = policy;
    m_client->setSslConfiguration(policy.configuration);
}

void RecordedHttp::holdPeersTo(const QUrl &mcpServer)
{
    if (mcpServer == m_server)
        return;
    const QUrl earlier = std::exchange(m_server, mcpServer);
    ++m_serverGeneration;
    m_serverAddresses.clear();
    m_lookup = mcpServer.isEmpty() ? Lookup::NotNeeded : Lookup::Pending;
    for (const Waiting &w : std::exchange(m_waitingForLookup, {})) {
        HttpExchange ex;
        ex.started = QDateTime::currentDateTimeUtc();
        ex.method = w.verb;
        ex.url = w.url;
        ex.requestHeaders = w.headers;
        ex.requestBody = w.body;
        ex.error = QStringLiteral("not sent: it was made for the MCP server %1, and the connection now leads "
                                  "to %2")
                       .arg(earlier.toDisplayString(), mcpServer.toDisplayString());
        QTimer::singleShot(0, this, [done = w.done, ex] { done(ex); }); // done runs later, as promised
    }
    if (mcpServer.isEmpty())
        return m_client->setPeerCheck({});
    m_client->setPeerCheck([this](const QHostAddress &peer, const QString &host) {
        return refusalToReach(peer, host, m_server, m_serverAddresses);
    });
}

void RecordedHttp::send(const QByteArray &verb, const QUrl &url, const HeaderList &headers,
                        const QByteArray &body, Done done, Done hop)
{
    if (m_lookup != Lookup::Pending)
        return sendNow(verb, url, headers, body, std::move(done), std::move(hop));
    if (m_waitingForLookup.isEmpty())
        QHostInfo::lookupHost(m_server.host(), this,
                              [this, generation = m_serverGeneration](const QHostInfo &info) {
                                  if (generation != m_serverGeneration)
                                      return; // resolved for a server we no longer hold peers to
                                  m_serverAddresses = info.addresses();
                                  m_lookup = Lookup::Done;
                                  for (const Waiting &w : std::exchange(m_waitingForLookup, {}))
                                      sendNow(w.verb, w.url, w.headers, w.body, w.done, w.hop);
                              });
    m_waitingForLookup.append({verb, url, headers, body, std::move(done), std::move(hop)});
}

void RecordedHttp::sendNow(const QByteArray &verb, const QUrl &url, const HeaderList &headers,
                           const QByteArray &body, Done done, Done hop)
{
    auto ex = std::make_shared<HttpExchange>();
    ex->started = QDateTime::currentDateTimeUtc();
    ex->method = verb;
    ex->url = url;
    ex->requestHeaders = headers;
    ex->requestBody = body;
    auto failure = std::make_shared<QString>(); // why the answer was cut off, when it was

    Http1Reply *reply = m_client->send(verb, url, headers, body);
    reply->setParent(this);
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, [reply, failure, seconds = m_timeoutMs / 1000.0] {
        *failure = QStringLiteral("no complete answer within %1 s").arg(seconds);
        reply->abort();
    });
    deadline->start(m_timeoutMs);

    connect(reply, &Http1Reply::redirected, reply, [reply, ex, hop](const QUrl &to) {
        ex->requestHeaders = reply->writtenHeaders();
        HttpExchange h = *ex;
        h.status = reply->status();
        h.reason = reply->reason();
        h.responseHeaders = reply->headers();
        if (hop)
            hop(h);
        ex->started = QDateTime::currentDateTimeUtc();
        ex->url = to;
    });
    connect(reply, &Http1Reply::bodyData, reply, [reply, ex, failure](const QByteArray &chunk) {
        if (ex->responseBody.size() + chunk.size() > maxAnswerBytes) {
            *failure = QStringLiteral("the answer is longer than %1 KiB, the limit for authorization servers")
                           .arg(maxAnswerBytes / 1024);
            reply->abort();
            return;
        }
        ex->responseBody += chunk;
    });
    connect(reply, &Http1Reply::sslErrors, reply, [this, reply, ex](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &e : errors)
            texts << e.errorString();
        if (!m_tls.insecure) {
            ex->error = QStringLiteral("TLS certificate of %1 rejected: %2")
                            .arg(hostPort(ex->url), texts.join(QStringLiteral("; ")));
            return;
        }
        ex->error =
            QStringLiteral(
                "INSECURE: ignoring TLS certificate errors for %1 because the insecure option is on: %2")
                .arg(hostPort(ex->url), texts.join(QStringLiteral("; ")));
        reply->ignoreSslErrors();
    });
    connect(reply, &Http1Reply::finished, this, [reply, ex, failure, done] {
        reply->deleteLater();
        if (!reply->writtenHeaders().isEmpty()) // else never written: the headers as given
            ex->requestHeaders = reply->writtenHeaders();
        ex->status = reply->status();
        ex->reason = reply->reason();
        ex->responseHeaders = reply->headers();
        if (!failure->isEmpty() || reply->error() != Http1Reply::Error::None) {
            ex->status = 0; // no answer to act on
            if (!failure->isEmpty())
                ex->error = *failure;
            else if (ex->error.isEmpty() || ex->error.startsWith(QLatin1String("INSECURE")))
                ex->error = reply->errorString();
        }
        done(*ex);
    });
}

} // namespace mcp::auth
