#include "httpservertransport.h"

#include "../session/protocolversion.h"
#include "mcpserver.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QUuid>

namespace mcp {

HttpServerTransport::HttpServerTransport(McpServer *server, HttpServerOptions options, QObject *parent)
    : QObject(parent), m_server(server), m_options(std::move(options)), m_listener(new QTcpServer(this))
{
    connect(m_listener, &QTcpServer::newConnection, this, &HttpServerTransport::onNewConnection);
}

HttpServerTransport::~HttpServerTransport()
{
    // Sockets are children of the listener; sessions must not route into them while being torn down.
    for (const Session &s : std::as_const(m_sessions))
        s.session->disconnect(this);
}

bool HttpServerTransport::listen(QString *error)
{
    if (m_listener->listen(m_options.address, m_options.port))
        return true;
    if (error)
        *error = m_listener->errorString();
    return false;
}

quint16 HttpServerTransport::port() const
{
    return m_listener->serverPort();
}

QUrl HttpServerTransport::url() const
{
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    u.setHost(m_listener->serverAddress().toString());
    u.setPort(port());
    u.setPath(m_options.path);
    return u;
}

int HttpServerTransport::sessionCount() const
{
    int n = 0;
    for (const Session &s : m_sessions)
        n += s.stateless ? 0 : 1;
    return n;
}

void HttpServerTransport::shutdown()
{
    const QStringList sids = m_sessions.keys();
    for (const QString &sid : sids) {
        if (m_sessions.contains(sid))
            m_sessions[sid].session->shutdown();
        destroySession(sid);
    }
    m_listener->close();
}

// ---- connections and HTTP framing ------------------------------------------------------------------------

void HttpServerTransport::onNewConnection()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
    }
}

void HttpServerTransport::onReadyRead(QTcpSocket *socket)
{
    if (!m_buffers.contains(socket)) { // one request per connection; anything after it is ignored
        socket->readAll();
        return;
    }
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    LocalRequest local = readLocalRequest(buffer, m_options.maxBodyBytes);
    switch (local.state) {
    case LocalRequest::State::Incomplete:
        if (local.continueExpected)
            socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        return;
    case LocalRequest::State::Refused:
        m_buffers.remove(socket);
        reply(socket, local.status, "text/plain", local.reason + '\n');
        return;
    case LocalRequest::State::Complete:
        break;
    }
    m_buffers.remove(socket);
    handle(socket, Request{*std::move(local.head), std::move(local.body)});
}

void HttpServerTransport::onDisconnected(QTcpSocket *socket)
{
    m_buffers.remove(socket);
    socket->deleteLater();
    const QStringList sids = m_sessions.keys();
    for (const QString &sid : sids) {
        if (!m_sessions.contains(sid))
            continue;
        Session &s = m_sessions[sid];
        if (s.getStream == socket)
            s.getStream = nullptr;
        QStringList lost;
        for (auto it = s.exchanges.begin(); it != s.exchanges.end();) {
            if (it->socket && it->socket != socket) {
                ++it;
                continue;
            }
            lost << it.key();
            it = s.exchanges.erase(it);
        }
        if (!s.stateless)
            continue; // before 2026-07-28 a disconnect is not a cancellation
        // From 2026-07-28 on, closing the stream is how a client cancels (and ends subscriptions).
        ServerSession *session = s.session;
        for (const QString &requestKey : std::as_const(lost))
            session->cancelRequest(requestKey);
        if (m_sessions.contains(sid) && m_sessions[sid].exchanges.isEmpty())
            destroySession(sid);
    }
}

void HttpServerTransport::reply(QTcpSocket *socket, int status, const QByteArray &contentType,
                                const QByteArray &body, const QString &sid)
{
    QByteArray head = "HTTP/1.1 " + statusLine(status) + "\r\n";
    if (!contentType.isEmpty())
        head += "Content-Type: " + contentType + "\r\n";
    if (!sid.isEmpty() && m_sessions.contains(sid) && !m_sessions[sid].stateless)
        head += "Mcp-Session-Id: " + sid.toLatin1() + "\r\n";
    if (status == 405)
        head += "Allow: GET, POST, DELETE\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n";
    socket->write(head + body);
    socket->disconnectFromHost();
}

void HttpServerTransport::replyRpcError(QTcpSocket *socket, int status, int code, const QString &message)
{
    reply(socket, status, "application/json",
          jsonrpc::Message::errorResponse(nullptr, code, toStd(message)).serialize());
}

void HttpServerTransport::startStream(QTcpSocket *socket, const QString &sid)
{
    QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n";
    if (m_sessions.contains(sid) && !m_sessions[sid].stateless)
        head += "Mcp-Session-Id: " + sid.toLatin1() + "\r\n";
    socket->write(head + "Connection: close\r\n\r\n");
}

void HttpServerTransport::writeEvent(QTcpSocket *socket, const QByteArray &data)
{
    socket->write("event: message\ndata: " + data + "\n\n");
}

// ---- MCP over HTTP ----------------------------------------------------------------------------------------

void HttpServerTransport::handle(QTcpSocket *socket, const Request &request)
{
    if (QUrl(QString::fromLatin1(request.target)).path() != m_options.path) {
        reply(socket, 404, "text/plain", "the MCP endpoint is " + m_options.path.toUtf8() + "\n");
        return;
    }
    if (request.method == "POST")
        handlePost(socket, request);
    else if (request.method == "GET")
        handleGet(socket, request);
    else if (request.method == "DELETE")
        handleDelete(socket, request);
    else
        reply(socket, 405, "text/plain", "use POST, GET or DELETE\n");
}

void HttpServerTransport::handlePost(QTcpSocket *socket, const Request &request)
{
    const jsonrpc::ParseResult parsed = jsonrpc::parse(request.body);
    if (!parsed.ok()) {
        replyRpcError(socket, 400,
                      parsed.errorId.is_null() ? jsonrpc::ErrorCode::ParseError
                                               : jsonrpc::ErrorCode::InvalidRequest,
                      parsed.error->toString());
        return;
    }
    if (parsed.batch) {
        replyRpcError(socket, 400, jsonrpc::ErrorCode::InvalidRequest,
                      QStringLiteral("this server takes one JSON-RPC message per POST"));
        return;
    }
    const jsonrpc::Message &m = parsed.messages.front();
    const QString headerVersion = QString::fromLatin1(request.header("mcp-protocol-version"));
    const Json meta = m.params.is_object() ? valueOr(m.params, "_meta", Json::object()) : Json::object();
    const QString metaVersion = stringOr(meta, protocol::MetaProtocolVersion);
    QString sid = QString::fromLatin1(request.header("mcp-session-id"));
    if (!sid.isEmpty()) {
        if (!m_sessions.contains(sid) || m_sessions[sid].stateless) {
            reply(socket, 404, "text/plain", "unknown or ended session " + sid.toLatin1() + "\n");
            return;
        }
        if (!headerVersion.isEmpty() && !protocol::isSupported(headerVersion)) {
            replyRpcError(socket, 400, jsonrpc::ErrorCode::InvalidRequest,
                          QStringLiteral("unsupported MCP-Protocol-Version %1").arg(headerVersion));
            return;
        }
    } else if (m.isRequest() && m.method == "initialize") {
        sid = createSession(false);
    } else if (protocol::isModern(metaVersion) || protocol::isModern(headerVersion) ||
               m.method == "server/discover") {
        const QByteArray methodHeader = request.header("mcp-method");
        if ((!headerVersion.isEmpty() && !metaVersion.isEmpty() && headerVersion != metaVersion) ||
            (!methodHeader.isEmpty() && methodHeader != QByteArray::fromStdString(m.method))) {
            replyRpcError(
                socket, 400, ServerErrorCode::HeaderMismatch,
                QStringLiteral("the MCP-Protocol-Version / Mcp-Method headers do not match the body"));
            return;
        }
        sid = createSession(true);
    } else {
        replyRpcError(socket, 400, jsonrpc::ErrorCode::InvalidRequest,
                      QStringLiteral("missing Mcp-Session-Id: initialize first (or send a 2026-07-28 request "
                                     "with _meta)"));
        return;
    }
    Session &s = m_sessions[sid];
    if (!m.isRequest()) {
        s.session->handleFrame(request.body);
        if (m_sessions.value(sid).stateless)
            destroySession(sid);
        reply(socket, 202, {}, {});
        return;
    }
    s.exchanges.insert(jsonrpc::idText(m.id), {socket, false});
    s.session->handleFrame(request.body);
}

void HttpServerTransport::handleGet(QTcpSocket *socket, const Request &request)
{
    const QString sid = QString::fromLatin1(request.header("mcp-session-id"));
    if (sid.isEmpty()) {
        reply(socket, 405, "text/plain", "GET needs an Mcp-Session-Id (sessions start with initialize)\n");
        return;
    }
    if (!m_sessions.contains(sid) || m_sessions[sid].stateless) {
        reply(socket, 404, "text/plain", "unknown or ended session " + sid.toLatin1() + "\n");
        return;
    }
    if (!request.header("accept").contains("text/event-stream")) {
        reply(socket, 406, "text/plain", "the GET stream is text/event-stream\n");
        return;
    }
    Session &s = m_sessions[sid];
    if (s.getStream) // one GET stream per session: the newer one wins
        s.getStream->disconnectFromHost();
    s.getStream = socket;
    startStream(socket, sid);
    socket->flush();
}

void HttpServerTransport::handleDelete(QTcpSocket *socket, const Request &request)
{
    const QString sid = QString::fromLatin1(request.header("mcp-session-id"));
    if (!m_sessions.contains(sid) || m_sessions[sid].stateless) {
        reply(socket, 404, "text/plain", "unknown or ended session\n");
        return;
    }
    m_sessions[sid].session->shutdown();
    destroySession(sid);
    reply(socket, 200, {}, {});
}

QString HttpServerTransport::createSession(bool stateless)
{
    const QString sid = QUuid::createUuid().toString(QUuid::WithoutBraces);
    Session s;
    s.session = new ServerSession(m_server, this);
    s.stateless = stateless;
    connect(s.session, &ServerSession::frameOut, this, [this, sid](const ServerFrame &f) { route(sid, f); });
    connect(s.session, &ServerSession::requestAbandoned, this,
            [this, sid](const QString &requestKey) { abandon(sid, requestKey); });
    m_sessions.insert(sid, s);
    return sid;
}

void HttpServerTransport::destroySession(const QString &sid)
{
    const Session s = m_sessions.take(sid);
    if (!s.session)
        return;
    s.session->disconnect(this);
    s.session->deleteLater(); // it may be emitting the frame that ended it
    if (s.getStream)
        s.getStream->disconnectFromHost();
    for (const Exchange &x : s.exchanges)
        if (x.socket)
            x.socket->disconnectFromHost();
}

void HttpServerTransport::route(const QString &sid, const ServerFrame &frame)
{
    if (!m_sessions.contains(sid))
        return;
    Session &s = m_sessions[sid];
    const bool stateless = s.stateless;
    const auto x = s.exchanges.find(frame.related);
    if (!frame.related.isEmpty() && x != s.exchanges.end()) {
        QTcpSocket *socket = x->socket;
        if (!socket) {
            s.exchanges.erase(x);
        } else if (frame.finalResponse && !x->streaming) {
            s.exchanges.erase(x);
            reply(socket, 200, "application/json", frame.bytes, sid);
        } else {
            if (!x->streaming) {
                x->streaming = true;
                startStream(socket, sid);
            }
            writeEvent(socket, frame.bytes);
            if (frame.finalResponse) {
                s.exchanges.erase(x);
                socket->disconnectFromHost();
            }
        }
        if (stateless && m_sessions.contains(sid) && m_sessions[sid].exchanges.isEmpty())
            destroySession(sid);
        return;
    }
    // Frames of no open request go to the GET stream; without one the client has not asked for them.
    if (s.getStream)
        writeEvent(s.getStream, frame.bytes);
}

void HttpServerTransport::abandon(const QString &sid, const QString &requestKey)
{
    if (!m_sessions.contains(sid))
        return;
    const Exchange x = m_sessions[sid].exchanges.take(requestKey);
    if (m_sessions[sid].stateless && m_sessions[sid].exchanges.isEmpty())
        destroySession(sid);
    if (x.socket)
        x.socket->disconnectFromHost();
}

} // namespace mcp
