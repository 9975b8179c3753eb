#include "websockettransport.h"

#include "tlspolicy.h"

#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QWebSocketHandshakeOptions>

namespace mcp {

WebSocketTransport::WebSocketTransport(HttpOptions options, QObject *parent)
    : Transport(parent), m_options(std::move(options))
{
    m_connectTimer.setSingleShot(true);
    m_socket.setMaxAllowedIncomingMessageSize(quint64(m_options.maxFrameBytes)); // Qt's default is 2 GiB
    connect(&m_socket, &QWebSocket::connected, this, &WebSocketTransport::onConnected);
    connect(&m_socket, &QWebSocket::disconnected, this, &WebSocketTransport::onDisconnected);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &WebSocketTransport::onError);
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &message) { Q_EMIT frameReceived(message.toUtf8()); });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &message) {
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Warning,
             QStringLiteral("the server sent a binary WebSocket message (%1 bytes); MCP uses text "
                            "messages, delivered anyway")
                 .arg(message.size())});
        Q_EMIT frameReceived(message);
    });
#ifndef QT_NO_SSL
    connect(&m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        if (acceptTlsErrors(m_options.url.host(), errors, m_options.insecure, &m_tlsErrors))
            m_socket.ignoreSslErrors();
    });
#endif
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (state() != State::Connecting)
            return;
        m_timedOut = true;
        m_socket.abort();
    });
}

WebSocketTransport::~WebSocketTransport()
{
    m_socket.disconnect(this);
    m_socket.abort();
}

void WebSocketTransport::open()
{
    if (state() == State::Open || state() == State::Connecting)
        return;
    const QUrl &url = m_options.url;
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() ||
        (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))) {
        fail(makeError(Error::Category::Usage, QStringLiteral("ws: open"),
                       QStringLiteral("\"%1\" is not a ws:// or wss:// URL").arg(url.toString())));
        return;
    }
    QNetworkRequest req(url);
    if (!m_options.caFile.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        qsizetype added = 0;
        QString why;
        if (!trustCaFile(m_options.caFile, &ssl, &added, &why)) {
            fail(makeError(Error::Category::Usage, QStringLiteral("ws: TLS"), why));
            return;
        }
        m_socket.setSslConfiguration(ssl);
    }
    for (const auto &[name, value] : m_options.headers)
        req.setRawHeader(name, value);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({subprotocol()});

    m_tlsErrors.clear();
    m_timedOut = false;
    m_handshake = HttpExchange{};
    m_handshake.started = QDateTime::currentDateTimeUtc();
    m_handshake.method = "GET";
    m_handshake.url = url;
    for (const QByteArray &name : req.rawHeaderList())
        m_handshake.requestHeaders.append({name, req.rawHeader(name)});
    m_handshake.requestHeaders.append({QByteArray("Sec-WebSocket-Protocol"), subprotocol().toUtf8()});
    m_handshake.requestHeaders.append({QByteArray("Upgrade"), QByteArray("websocket")});

    setState(State::Connecting);
    m_connectTimer.start(qMax(1, m_options.connectTimeoutMs));
    m_socket.open(req, handshake);
}

void WebSocketTransport::onConnected()
{
    m_connectTimer.stop();
    m_handshake.status = 101;
    m_handshake.reason = "Switching Protocols";
    if (!m_socket.subprotocol().isEmpty())
        m_handshake.responseHeaders.append(
            {QByteArray("Sec-WebSocket-Protocol"), m_socket.subprotocol().toUtf8()});
    Q_EMIT httpExchange(m_handshake);
    if (m_socket.subprotocol() != subprotocol())
        Q_EMIT diagnostic({Diagnostic::Kind::Warning,
                           QStringLiteral("the server did not confirm the `mcp` WebSocket subprotocol%1")
                               .arg(m_socket.subprotocol().isEmpty()
                                        ? QString()
                                        : QStringLiteral(" (it chose \"%1\")").arg(m_socket.subprotocol()))});
    setState(State::Open);
}

void WebSocketTransport::onError(QAbstractSocket::SocketError error)
{
    if (state() != State::Connecting && state() != State::Open)
        return;
    const QString where =
        QStringLiteral("%1:%2")
            .arg(m_options.url.host())
            .arg(m_options.url.port(m_options.url.scheme() == QLatin1String("wss") ? 443 : 80));
    QString msg;
    if (m_timedOut)
        msg = QStringLiteral("could not complete the WebSocket handshake with %1 within %2 ms")
                  .arg(where)
                  .arg(m_options.connectTimeoutMs);
    else if (error == QAbstractSocket::ConnectionRefusedError)
        msg = QStringLiteral("connection refused by %1 (is the server running and listening there?)")
                  .arg(where);
    else if (error == QAbstractSocket::HostNotFoundError)
        msg = QStringLiteral("host \"%1\" not found").arg(m_options.url.host());
    else if (error == QAbstractSocket::SslHandshakeFailedError || !m_tlsErrors.isEmpty())
        msg = QStringLiteral(
                  "TLS handshake with %1 failed: %2. Trust the server's CA with the CA file option, or "
                  "(for testing only) use the insecure option")
                  .arg(where, m_tlsErrors.isEmpty() ? m_socket.errorString() : m_tlsErrors);
    else if (state() == State::Connecting)
        msg = QStringLiteral("could not open a WebSocket to %1: %2").arg(where, m_socket.errorString());
    else
        msg = m_socket.errorString();
    if (state() == State::Connecting) {
        m_connectTimer.stop();
        m_handshake.error = msg;
        Q_EMIT httpExchange(m_handshake);
    }
    fail(makeError(Error::Category::Connection, QStringLiteral("ws"), msg));
    m_socket.abort(); // its disconnected() finds us Failed and stays quiet
}

void WebSocketTransport::onDisconnected()
{
    m_connectTimer.stop();
    if (state() == State::Closing) {
        setState(State::Closed);
        return;
    }
    if (state() == State::Connecting) {
        // Qt may report the end of a failed connect before (or instead of) the error.
        onError(m_socket.error());
        return;
    }
    if (state() != State::Open)
        return;
    QString msg = QStringLiteral("the server closed the WebSocket");
    if (m_socket.closeCode() == QWebSocketProtocol::CloseCodeTooMuchData)
        msg = QStringLiteral("the server sent a message over the frame limit of %1 bytes; connection closed")
                  .arg(m_options.maxFrameBytes);
    else if (m_socket.closeCode() != QWebSocketProtocol::CloseCodeNormal || !m_socket.closeReason().isEmpty())
        msg += QStringLiteral(" (code %1%2)")
                   .arg(int(m_socket.closeCode()))
                   .arg(m_socket.closeReason().isEmpty() ? QString()
                                                         : QStringLiteral(": ") + m_socket.closeReason());
    fail(makeError(Error::Category::Connection, QStringLiteral("ws"), msg));
}

void WebSocketTransport::send(const OutgoingFrame &frame)
{
    if (state() != State::Open) {
        Q_EMIT sendFailed(frame.bytes,
                          makeError(Error::Category::Connection, QStringLiteral("ws: send"),
                                    QStringLiteral("the transport is %1, not open").arg(stateName(state()))));
        return;
    }
    if (!frame.extraHeaders.isEmpty())
        Q_EMIT diagnostic(
            {Diagnostic::Kind::Info,
             QStringLiteral("WebSocket frames carry no per-message headers; %1 header(s) not sent")
                 .arg(frame.extraHeaders.size())});
    m_socket.sendTextMessage(QString::fromUtf8(frame.bytes));
}

void WebSocketTransport::close()
{
    if (state() == State::Closed || state() == State::Idle || state() == State::Failed) {
        setState(State::Closed);
        return;
    }
    if (state() == State::Closing)
        return;
    setState(State::Closing);
    if (m_socket.state() == QAbstractSocket::UnconnectedState) {
        setState(State::Closed);
        return;
    }
    m_socket.close(QWebSocketProtocol::CloseCodeNormal);
    // A server that never answers the close frame must not keep us in Closing.
    QTimer::singleShot(qMax(1, m_options.closeTimeoutMs), this, [this] {
        if (state() == State::Closing) {
            m_socket.abort();
            setState(State::Closed);
        }
    });
}

} // namespace mcp
