#include "httpproxy.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>

namespace mcp {

namespace {

// Hop-by-hop headers and the ones the proxy sets itself.
bool isHopHeader(QByteArrayView name)
{
    for (const char *hop : {"connection", "keep-alive", "transfer-encoding", "content-length", "host",
                            "upgrade", "accept-encoding", "proxy-connection", "te", "trailer", "expect"}) {
        if (name.compare(QByteArrayView(hop), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// A complete answer of the proxy's own, closing the connection.
QByteArray plainTextResponse(int status, const QByteArray &text)
{
    return "HTTP/1.1 " + statusLine(status) +
           "\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(text.size()) +
           "\r\nConnection: close\r\n\r\n" + text;
}

} // namespace

HttpProxy::HttpProxy(QUrl upstream, Recorder *recorder, QObject *parent)
    : QObject(parent), m_upstream(std::move(upstream)), m_recorder(recorder),
      m_connection(recorder->addConnection(m_upstream.toString())), m_listener(new QTcpServer(this)),
      m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); // redirects belong to the host
    connect(m_listener, &QTcpServer::newConnection, this, &HttpProxy::onNewConnection);
}

HttpProxy::~HttpProxy()
{
    qDeleteAll(m_exchanges);
}

bool HttpProxy::listen(quint16 port, Error *error)
{
    if (m_listener->listen(QHostAddress::LocalHost, port))
        return true;
    *error = makeError(
        Error::Category::Usage, QStringLiteral("proxy: listen"),
        QStringLiteral("cannot listen on 127.0.0.1:%1: %2").arg(port).arg(m_listener->errorString()));
    return false;
}

quint16 HttpProxy::port() const
{
    return m_listener->serverPort();
}

void HttpProxy::onNewConnection()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void HttpProxy::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    // Every MCP SDK sends Content-Length; anything else, or a request that would reach past the upstream's
    // origin, is refused with a reason rather than forwarded.
    const LocalRequest local = readLocalRequest(buffer, maxBodyBytes);
    switch (local.state) {
    case LocalRequest::State::Incomplete:
        if (local.continueExpected)
            socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        return;
    case LocalRequest::State::Refused:
        refuse(socket, local.status, "mcpwb proxy: " + local.reason);
        return;
    case LocalRequest::State::Complete:
        break;
    }
    m_buffers.remove(socket);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr); // one request per connection
    forward(socket, *local.head, local.body);
}

void HttpProxy::refuse(QTcpSocket *socket, int status, const QByteArray &text)
{
    m_buffers.remove(socket);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    socket->write(plainTextResponse(status, text));
    socket->disconnectFromHost();
}

void HttpProxy::forward(QTcpSocket *socket, const HttpRequestHead &head, const QByteArray &body)
{
    auto *exchange = new Exchange;
    exchange->client = socket;
    HttpExchange &x = exchange->record;
    x.started = QDateTime::currentDateTimeUtc();
    x.method = head.method;
    // The target's path and query on the upstream's origin, which no request can change.
    const QUrl target = QUrl::fromEncoded("http://target" + head.target);
    x.url = m_upstream;
    x.url.setPath(target.path(QUrl::FullyEncoded), QUrl::TolerantMode);
    x.url.setQuery(target.query(QUrl::FullyEncoded), QUrl::TolerantMode);
    x.requestBody = body;
    x.requestHeaders = head.headers;
    QNetworkRequest request(x.url);
    for (const auto &[name, value] : head.headers)
        if (!isHopHeader(name))
            request.setRawHeader(name, value);
    if (!body.isEmpty())
        recordFrame(Direction::Sent, body);
    // Qt opens at most six connections to a host per manager and queues the rest: GET streams stay open
    // for the session, so each gets a manager of its own, or a client's seventh session would stall.
    QNetworkAccessManager *network = m_network;
    if (x.method == "GET") {
        network = new QNetworkAccessManager(this);
        network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }
    QNetworkReply *reply = network->sendCustomRequest(request, x.method, body);
    if (network != m_network)
        connect(reply, &QNetworkReply::destroyed, network, &QObject::deleteLater);
    m_exchanges.insert(reply, exchange);
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] { onMetaData(reply); });
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] { onReplyData(reply); });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReplyFinished(reply); });
    connect(socket, &QTcpSocket::disconnected, reply, &QNetworkReply::abort); // the host gave up
}

void HttpProxy::onMetaData(QNetworkReply *reply)
{
    Exchange *e = m_exchanges.value(reply);
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!e || e->headersSent || !status.isValid())
        return;
    HttpExchange &x = e->record;
    x.status = status.toInt();
    x.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    QByteArray head = "HTTP/1.1 " + QByteArray::number(x.status) + ' ' + x.reason + "\r\n";
    for (const auto &[name, value] : reply->rawHeaderPairs()) {
        x.responseHeaders.append({name, value});
        if (name.compare("content-type", Qt::CaseInsensitive) == 0) {
            e->eventStream = value.startsWith("text/event-stream");
            e->json = value.contains("json");
        }
        if (!isHopHeader(name))
            head += name + ": " + value + "\r\n";
    }
    head += "Connection: close\r\n\r\n"; // the body runs until the connection closes
    e->headersSent = true;
    if (e->client)
        e->client->write(head);
}

void HttpProxy::onReplyData(QNetworkReply *reply)
{
    Exchange *e = m_exchanges.value(reply);
    if (!e)
        return;
    onMetaData(reply);
    const QByteArray chunk = reply->readAll();
    keepForTheRecord(e, chunk);
    if (e->client)
        e->client->write(chunk);
    if (e->eventStream) {
        for (const SseEvent &event : e->sse.feed(chunk)) {
            if (!event.data.trimmed().isEmpty() && event.event == "message")
                recordFrame(Direction::Received, event.data);
        }
    }
}

void HttpProxy::keepForTheRecord(Exchange *e, const QByteArray &chunk)
{
    const qsizetype room = qMax<qsizetype>(0, maxRecordedBodyBytes - e->record.responseBody.size());
    e->record.responseBody += chunk.left(room);
    e->arrived += chunk.size();
    e->recordCut = e->recordCut || chunk.size() > room;
}

void HttpProxy::onReplyFinished(QNetworkReply *reply)
{
    Exchange *e = m_exchanges.take(reply);
    reply->deleteLater();
    if (!e)
        return;
    std::unique_ptr<Exchange> owned(e);
    onMetaData(reply);
    const QByteArray rest = reply->readAll();
    keepForTheRecord(e, rest);
    if (!e->headersSent) { // no HTTP answer at all: connection refused, TLS failure, ...
        e->record.error = reply->errorString();
        if (e->client) {
            e->client->write(plainTextResponse(502, "upstream: " + reply->errorString().toUtf8()));
        }
    } else if (e->client) {
        e->client->write(rest);
    }
    if (e->json && !e->record.responseBody.trimmed().isEmpty())
        recordFrame(Direction::Received, e->record.responseBody); // cut: recorded as far as kept
    if (e->recordCut)
        e->record.responseBody += recordedBodyCut(e->arrived);
    m_recorder->recordHttp(m_connection, e->record);
    if (e->client)
        e->client->disconnectFromHost();
}

void HttpProxy::recordFrame(Direction direction, const QByteArray &bytes)
{
    m_recorder->record(m_connection, direction, bytes);
}

} // namespace mcp
