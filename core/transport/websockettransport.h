#pragma once

#include "httpoptions.h"
#include "transport.h"

#include <QTimer>
#include <QWebSocket>

namespace mcp {

// JSON-RPC over a WebSocket: subprotocol `mcp`, one text message per frame. Uses HttpOptions for the URL
// (ws:// or wss://), handshake headers, CA file, insecure switch and connect timeout.
class WebSocketTransport : public Transport
{
    Q_OBJECT
public:
    explicit WebSocketTransport(HttpOptions options, QObject *parent = nullptr);
    ~WebSocketTransport() override;

    QString kind() const override { return QStringLiteral("ws"); }
    void open() override;
    void send(const OutgoingFrame &frame) override;
    void close() override;

    const HttpOptions &options() const { return m_options; }
    static QString subprotocol() { return QStringLiteral("mcp"); }

private:
    void onConnected();
    void onDisconnected();
    void onError(QAbstractSocket::SocketError error);

    HttpOptions m_options;
    QWebSocket m_socket;
    QTimer m_connectTimer;
    HttpExchange m_handshake;
    QString m_tlsErrors;
    bool m_timedOut = false;
};

} // namespace mcp
