#include "http1connection.h"

#include "urlpolicy.h"

#include <QNetworkProxyFactory>
#include <QSslSocket>
#include <algorithm>
#include <utility>

namespace mcp {

namespace {

constexpr int MaxRedirects = 5;
constexpr int MaxIdlePerClient = 4;

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------
// Http1Reply

Http1Reply::Http1Reply(QByteArray verb, QUrl url, HeaderList headers, QByteArray body)
    : m_verb(std::move(verb)), m_url(std::move(url)), m_requestHeaders(std::move(headers)),
      m_requestBody(std::move(body))
{}

Http1Reply::~Http1Reply()
{
    if (m_connection)
        m_connection->discard();
}

QByteArray Http1Reply::header(QByteArrayView name) const
{
    return joinedHeaderValue(m_headers, name);
}

void Http1Reply::abort()
{
    if (m_finished)
        return;
    if (m_connection)
        m_connection->discard();
    finish(Error::Aborted, QStringLiteral("aborted"));
}

void Http1Reply::ignoreSslErrors()
{
    if (m_connection)
        m_connection->ignoreSslErrors();
}

void Http1Reply::finish(Error error, const QString &text)
{
    if (m_finished)
        return;
    m_finished = true;
    m_connection = nullptr;
    m_error = error;
    m_errorString = text;
    Q_EMIT finished();
}

// ---------------------------------------------------------------------------------------------------------------
// Http1Client

Http1Client::Http1Client(QObject *parent) : QObject(parent)
{}

Http1Client::~Http1Client() = default; // connections are children

Http1Reply *Http1Client::send(const QByteArray &verb, const QUrl &url, const HeaderList &headers,
                              const QByteArray &body)
{
    auto *reply = new Http1Reply(verb, url, headers, body);
    dispatch(reply, true);
    return reply;
}

void Http1Client::dispatch(Http1Reply *reply, bool mayReuse)
{
    const QNetworkProxy proxy = QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(reply->m_url))
                                    .value(0, QNetworkProxy::NoProxy);
    const QString key = Http1Connection::keyOf(reply->m_url, proxy);
    Http1Connection *connection = nullptr;
    for (qsizetype i = 0; i < m_idle.size() && mayReuse && !connection;) {
        Http1Connection *c = m_idle[i];
        if (!c->isUsable())
            c->discard(); // removes it from m_idle
        else if (c->key() == key)
            connection = m_idle.takeAt(i);
        else
            ++i;
    }
    if (!connection)
        connection = new Http1Connection(this, reply->m_url, proxy, m_ssl);
    connection->start(reply);
}

void Http1Client::release(Http1Connection *connection)
{
    m_idle.prepend(connection); // the most recently used first: the least likely to have timed out
    while (m_idle.size() > MaxIdlePerClient)
        m_idle.last()->discard();
}

void Http1Client::drop(Http1Connection *connection)
{
    m_idle.removeOne(connection);
}

// ---------------------------------------------------------------------------------------------------------------
// Http1Connection

Http1Connection::Http1Connection(Http1Client *client, const QUrl &url, const QNetworkProxy &proxy,
                                 const QSslConfiguration &ssl)
    : QObject(client), m_client(client), m_ssl(ssl), m_key(keyOf(url, proxy)), m_host(url.host()),
      m_port(quint16(url.port(isHttps(url) ? 443 : 80))), m_proxy(proxy)
{
    const bool httpProxy =
        proxy.type() == QNetworkProxy::HttpProxy || proxy.type() == QNetworkProxy::HttpCachingProxy;
    m_forwardProxy = httpProxy && !isHttps(url);
}

Http1Connection::~Http1Connection()
{
    if (m_client)
        m_client->drop(this);
}

QString Http1Connection::keyOf(const QUrl &url, const QNetworkProxy &proxy)
{
    return QStringLiteral("%1://%2:%3 %4 %5:%6")
        .arg(url.scheme().toLower(), url.host().toLower())
        .arg(url.port(isHttps(url) ? 443 : 80))
        .arg(int(proxy.type()))
        .arg(proxy.hostName())
        .arg(proxy.port());
}

bool Http1Connection::isUsable() const
{
    return m_socket && m_connected && !m_reply && m_socket->state() == QAbstractSocket::ConnectedState &&
           m_socket->bytesAvailable() == 0 &&
           (m_parser.keepAliveMs() < 0 || m_idleSince.elapsed() < m_parser.keepAliveMs());
}

QString Http1Connection::where() const
{
    return QStringLiteral("%1:%2").arg(m_host).arg(m_port);
}

void Http1Connection::start(Http1Reply *reply)
{
    m_reply = reply;
    reply->m_connection = this;
    m_anyResponseByte = false;
    m_parser.start(reply->m_verb == "HEAD");
    m_redirect.clear();
    if (m_socket) {
        m_reused = true;
        writeRequest();
        return;
    }
    const bool tls = isHttps(reply->m_url);
    if (tls) {
        auto *ssl = new QSslSocket(this);
        ssl->setSslConfiguration(m_ssl);
        connect(ssl, &QSslSocket::encrypted, this, [this] {
            m_connected = true;
            writeRequest();
        });
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            if (m_reply)
                Q_EMIT m_reply->sslErrors(errors);
        });
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
    }
    m_socket->setProxy(m_forwardProxy ? QNetworkProxy(QNetworkProxy::NoProxy) : m_proxy);
    // At most this much per wake-up, as the stdio transport reads: a server that sends tens of megabytes
    // of events at once is handled a slice at a time between the other events of the loop (the window
    // stalled for 11 s over 200,000 notifications), and what we have not read waits in the kernel.
    m_socket->setReadBufferSize(64 * 1024);
    connect(m_socket, &QTcpSocket::connected, this, [this, tls] {
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (!tls) {
            m_connected = true;
            writeRequest();
        }
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &Http1Connection::onReadyRead);
    // Queued: a socket may fail inside connectToHost() or flush(), and a reply never finishes inside send().
    connect(m_socket, &QTcpSocket::disconnected, this, &Http1Connection::onClosed, Qt::QueuedConnection);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &Http1Connection::onClosed, Qt::QueuedConnection);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_reply && m_reportSent && m_socket->bytesToWrite() == 0) {
            m_reportSent = false;
            m_reply->m_requestSent = true;
            Q_EMIT m_reply->requestSent();
        }
    });
    const QString host = m_forwardProxy ? m_proxy.hostName() : m_host;
    const quint16 port = m_forwardProxy ? m_proxy.port() : m_port;
    if (tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(host, port);
    else
        m_socket->connectToHost(host, port);
}

void Http1Connection::writeRequest()
{
    Http1Reply *r = m_reply;
    if (!r)
        return;
    if (m_client && m_client->m_peerCheck && m_proxy.type() == QNetworkProxy::NoProxy) {
        if (QString refusal = m_client->m_peerCheck(m_socket->peerAddress(), m_host); !refusal.isEmpty()) {
            // Queued: on a reused connection this runs inside send(), and a reply never finishes there.
            QMetaObject::invokeMethod(
                this,
                [this, refusal = std::move(refusal)] {
                    Progress p;
                    p.error = Http1Reply::Error::Refused;
                    p.errorText = refusal;
                    if (m_reply)
                        deliver(m_reply, p);
                },
                Qt::QueuedConnection);
            return;
        }
    }
    const QUrl &url = r->m_url;
    QByteArray target =
        m_forwardProxy ? url.toEncoded(QUrl::RemoveUserInfo | QUrl::RemoveFragment)
                       : url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (target.isEmpty())
        target = "/";
    HeaderList &written = r->m_writtenHeaders;
    written.clear();
    if (!hasHeader(r->m_requestHeaders, "Host"))
        written.append({"Host", url.adjusted(QUrl::RemoveUserInfo).authority(QUrl::FullyEncoded).toLatin1()});
    written += r->m_requestHeaders;
    if (!r->m_requestBody.isEmpty() || r->m_verb == "POST" || r->m_verb == "PUT")
        written.append({"Content-Length", QByteArray::number(r->m_requestBody.size())});
    if (!hasHeader(r->m_requestHeaders, "User-Agent"))
        written.append({"User-Agent", QByteArrayLiteral("mcp-workbench/" MCPWB_VERSION)});
    QByteArray out;
    out.reserve(1024 + r->m_requestBody.size());
    out += r->m_verb + ' ' + target + " HTTP/1.1\r\n";
    for (const auto &[name, value] : written)
        out += name + ": " + value + "\r\n";
    if (m_forwardProxy && !m_proxy.user().isEmpty())
        out += "Proxy-Authorization: Basic " +
               (m_proxy.user() + QLatin1Char(':') + m_proxy.password()).toUtf8().toBase64() + "\r\n";
    out += "\r\n";
    out += r->m_requestBody;
    m_reportSent = true; // before write(): bytesWritten may come from flush()
    m_socket->write(out);
    m_socket->flush(); // now, not on the next turn of the event loop
}

void Http1Connection::onReadyRead()
{
    if (!m_reply) {
        discard(); // bytes nobody asked for on an idle connection: it cannot be trusted with a request
        return;
    }
    const QByteArray bytes = m_socket->readAll();
    m_anyResponseByte = m_anyResponseByte || !bytes.isEmpty();
    Http1ResponseParser::Progress parsed;
    m_parser.feed(bytes, parsed);
    Progress p;
    if (parsed.headers)
        onHead(p);
    if (m_redirect.isEmpty()) // the body of a redirect that is followed is nobody's
        p.body = std::move(parsed.body);
    p.complete = parsed.complete;
    if (!parsed.malformed.isEmpty())
        malformed(p, parsed.malformed);
    deliver(m_reply, p);
}

void Http1Connection::onClosed()
{
    if (!m_reply) {
        discard();
        return;
    }
    if (m_socket->bytesAvailable() > 0) {
        onReadyRead();
        if (!m_reply)
            return;
    }
    Http1Reply *reply = m_reply;
    Progress p;
    if (m_parser.endsWithConnection()) {
        p.complete = true; // the body ends with the connection
    } else if (m_reused && !m_anyResponseByte && !reply->m_retried && m_client) {
        // The server closed a kept-alive connection instead of answering: it never took the request up.
        reply->m_retried = true;
        reply->m_connection = nullptr;
        m_reply = nullptr;
        Http1Client *client = m_client;
        discard();
        client->dispatch(reply, false);
        return;
    } else {
        using E = QAbstractSocket::SocketError;
        switch (m_socket->error()) {
        case E::ConnectionRefusedError:
            p.error = Http1Reply::Error::ConnectionRefused;
            break;
        case E::HostNotFoundError:
            p.error = Http1Reply::Error::HostNotFound;
            break;
        case E::SslHandshakeFailedError:
        case E::SslInternalError:
        case E::SslInvalidUserDataError:
            p.error = Http1Reply::Error::Tls;
            break;
        case E::ProxyAuthenticationRequiredError:
        case E::ProxyConnectionRefusedError:
        case E::ProxyConnectionClosedError:
        case E::ProxyConnectionTimeoutError:
        case E::ProxyNotFoundError:
        case E::ProxyProtocolError:
            p.error = Http1Reply::Error::Proxy;
            break;
        case E::RemoteHostClosedError:
        case E::UnknownSocketError: // closed without an error
            p.error = Http1Reply::Error::RemoteClosed;
            break;
        default:
            p.error = Http1Reply::Error::Network;
        }
        p.errorText =
            p.error == Http1Reply::Error::RemoteClosed
                ? QStringLiteral("%1 closed the connection before the response was complete").arg(where())
                : m_socket->errorString();
    }
    deliver(reply, p);
}

void Http1Connection::deliver(Http1Reply *reply, Progress &p)
{
    if (p.complete || p.error != Http1Reply::Error::None) {
        // Free the connection before anyone hears of the end: a receiver may send the next request at once.
        reply->m_connection = nullptr;
        m_reply = nullptr;
        if (p.complete && !m_redirect.isEmpty() && m_client) {
            const QUrl to = m_redirect;
            const QPointer<Http1Client> client = m_client;
            finishExchange();
            const QPointer<Http1Reply> alive(reply);
            Q_EMIT reply->redirected(to);
            if (!alive || reply->isFinished() || !client)
                return;
            reply->m_status = 0;
            reply->m_reason.clear();
            reply->m_headers.clear();
            reply->m_url = to;
            ++reply->m_redirects;
            client->dispatch(reply, true);
            return;
        }
        if (p.complete)
            finishExchange();
        else
            discard();
    }
    const QPointer<Http1Reply> alive(reply);
    if (p.headers)
        Q_EMIT reply->headersReceived();
    if (!alive || reply->isFinished())
        return;
    if (!p.body.isEmpty())
        Q_EMIT reply->bodyData(p.body);
    if (!alive || reply->isFinished())
        return;
    if (p.complete)
        reply->finish(Http1Reply::Error::None, {});
    else if (p.error != Http1Reply::Error::None)
        reply->finish(p.error, p.errorText);
}

void Http1Connection::finishExchange()
{
    if (m_parser.keepAlive() && !m_parser.hasUnreadBytes() && m_client &&
        m_socket->state() == QAbstractSocket::ConnectedState) {
        m_idleSince.start();
        m_client->release(this);
    } else {
        discard();
    }
}

void Http1Connection::discard()
{
    if (m_reply)
        m_reply->m_connection = nullptr;
    m_reply = nullptr;
    if (m_client)
        m_client->drop(this);
    m_client = nullptr;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    deleteLater();
}

void Http1Connection::ignoreSslErrors()
{
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        ssl->ignoreSslErrors();
}

void Http1Connection::malformed(Progress &p, const QString &what)
{
    p.error = Http1Reply::Error::Malformed;
    p.errorText = QStringLiteral("%1 sent a malformed HTTP response: %2").arg(where(), what);
}

void Http1Connection::onHead(Progress &p)
{
    Http1Reply *r = m_reply;
    r->m_status = m_parser.status();
    r->m_reason = m_parser.reason();
    r->m_headers = m_parser.headers();
    const QByteArray location = r->header("Location");
    const int status = r->m_status;
    if ((status == 307 || status == 308) && !location.isEmpty() && r->m_redirects < MaxRedirects) {
        const QUrl to = r->m_url.resolved(QUrl::fromEncoded(location));
        if (to.isValid() && sameOrigin(r->m_url, to)) // so never from https to http either
            m_redirect = to;
    }
    p.headers = m_redirect.isEmpty();
}

} // namespace mcp
