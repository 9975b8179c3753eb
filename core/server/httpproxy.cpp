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
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    const QByteArray head = buffer.left(headEnd);
    qsizetype length = 0;
    bool chunked = false;
    bool expectsContinue = false;
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed().toLower();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "transfer-encoding")
            chunked = value != "identity";
        else if (name == "expect")
            expectsContinue = value == "100-continue";
    }
    if (chunked) { // every MCP SDK sends Content-Length; refuse clearly rather than forward half a body
        m_buffers.remove(socket);
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        const QByteArray text = "mcpwb proxy: send the request body with Content-Length; chunked request "
                                "bodies are not supported";
        socket->write("HTTP/1.1 411 Length Required\r\nContent-Type: text/plain\r\nContent-Length: " +
                      QByteArray::number(text.size()) + "\r\nConnection: close\r\n\r\n" + text);
        socket->disconnectFromHost();
        return;
    }
    if (buffer.size() < headEnd + 4 + length) {
        if (expectsContinue && buffer.size() == headEnd + 4)
            socket->write("HTTP/1.1 100 Continue\r\n\r\n"); // curl waits for it before large bodies
        return;
    }
    const QByteArray body = buffer.mid(headEnd + 4, length);
    m_buffers.remove(socket);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr); // one request per connection
    forward(socket, head, body);
}

void HttpProxy::forward(QTcpSocket *socket, const QByteArray &head, const QByteArray &body)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    auto *exchange = new Exchange;
    exchange->client = socket;
    HttpExchange &x = exchange->record;
    x.started = QDateTime::currentDateTimeUtc();
    x.method = requestLine.value(0);
    x.url = m_upstream.resolved(QUrl(QString::fromUtf8(requestLine.value(1))));
    x.requestBody = body;
    QNetworkRequest request(x.url);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        x.requestHeaders.append({name, value});
        if (!isHopHeader(name))
            request.setRawHeader(name, value);
    }
    if (!body.isEmpty())
        recordFrame(Direction::Sent, body);
    QNetworkReply *reply = m_network->sendCustomRequest(request, x.method, body);
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
    e->record.responseBody += chunk;
    if (e->client)
        e->client->write(chunk);
    if (e->eventStream) {
        for (const SseEvent &event : e->sse.feed(chunk)) {
            if (!event.data.trimmed().isEmpty() && event.event == "message")
                recordFrame(Direction::Received, event.data);
        }
    }
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
    e->record.responseBody += rest;
    if (!e->headersSent) { // no HTTP answer at all: connection refused, TLS failure, ...
        e->record.error = reply->errorString();
        if (e->client) {
            const QByteArray text = "upstream: " + reply->errorString().toUtf8();
            e->client->write("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: " +
                             QByteArray::number(text.size()) + "\r\nConnection: close\r\n\r\n" + text);
        }
    } else if (e->client) {
        e->client->write(rest);
    }
    if (e->json && !e->record.responseBody.trimmed().isEmpty())
        recordFrame(Direction::Received, e->record.responseBody);
    m_recorder->recordHttp(m_connection, e->record);
    if (e->client)
        e->client->disconnectFromHost();
}

void HttpProxy::recordFrame(Direction direction, const QByteArray &bytes)
{
    m_recorder->record(m_connection, direction, bytes);
}

} // namespace mcp
