#pragma once

#include "httprequesthead.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace mcp {

class McpServer;
class ServerSession;
struct ServerFrame;

struct HttpServerOptions
{
    QHostAddress address = QHostAddress::LocalHost; // servers bind to loopback
    quint16 port = 0;                               // 0: any free port
    QString path = QStringLiteral("/mcp");
    qsizetype maxBodyBytes = 16 * 1024 * 1024;
};

// Streamable HTTP for McpServer: POST answers with application/json, or with text/event-stream once a
// request streams progress, logs or questions to the client; Mcp-Session-Id sessions with a GET stream for
// list_changed and resource updates, DELETE to end them. 2026-07-28 requests without a session id are
// served statelessly, one short-lived session per POST. Every response closes its connection.
class HttpServerTransport : public QObject
{
    Q_OBJECT
public:
    explicit HttpServerTransport(McpServer *server, HttpServerOptions options = {},
                                 QObject *parent = nullptr);
    ~HttpServerTransport() override;

    bool listen(QString *error = nullptr);
    quint16 port() const;
    QUrl url() const;
    int sessionCount() const;
    // Ends open subscriptions gracefully, then closes every stream.
    void shutdown();

Q_SIGNALS:
    void diagnostic(const QString &text);

private:
    struct Request : HttpRequestHead
    {
        QByteArray body;
    };
    struct Exchange
    {
        QPointer<QTcpSocket> socket;
        bool streaming = false;
    };
    struct Session
    {
        ServerSession *session = nullptr;
        bool stateless = false;
        QPointer<QTcpSocket> getStream;
        QHash<QString, Exchange> exchanges; // by request idText
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onDisconnected(QTcpSocket *socket);
    void handle(QTcpSocket *socket, const Request &request);
    void handlePost(QTcpSocket *socket, const Request &request);
    void handleGet(QTcpSocket *socket, const Request &request);
    void handleDelete(QTcpSocket *socket, const Request &request);
    QString createSession(bool stateless);
    void destroySession(const QString &sid);
    void route(const QString &sid, const ServerFrame &frame);
    void abandon(const QString &sid, const QString &requestKey);
    void reply(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body,
               const QString &sid = {});
    void replyRpcError(QTcpSocket *socket, int status, int code, const QString &message);
    void startStream(QTcpSocket *socket, const QString &sid);
    static void writeEvent(QTcpSocket *socket, const QByteArray &data);

    McpServer *m_server;
    HttpServerOptions m_options;
    QTcpServer *m_listener;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QString, Session> m_sessions;
};

} // namespace mcp
