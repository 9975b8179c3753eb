#include "loopbackredirectlistener.h"

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace mcp::auth {

LoopbackRedirectListener::LoopbackRedirectListener(QObject *parent)
    : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &LoopbackRedirectListener::handleConnection);
}

bool LoopbackRedirectListener::listen(QString *error, quint16 port)
{
    if (m_server->isListening())
        return true;
    if (m_server->listen(QHostAddress::LocalHost, port))
        return true;
    *error = QStringLiteral("cannot listen on 127.0.0.1 for the redirect: %1").arg(m_server->errorString());
    return false;
}

QUrl LoopbackRedirectListener::redirectUri() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/callback").arg(m_server->serverPort()));
}

void LoopbackRedirectListener::close()
{
    m_server->close();
}

void LoopbackRedirectListener::handleConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > maxRequestLineBytes) { // a line that never ends
                    socket->write(
                        "HTTP/1.1 414 URI Too Long\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
                    socket->disconnectFromHost();
                }
                return;
            }
            // "GET /callback?code=…&state=… HTTP/1.1"
            const QList<QByteArray> parts = socket->readLine().trimmed().split(' ');
            const QUrl target(QString::fromLatin1(parts.value(1)));
            const bool isCallback = parts.value(0) == "GET" && target.path() == QLatin1String("/callback");
            const QByteArray page = isCallback
                                        ? QByteArrayLiteral("<!doctype html><title>MCP Workbench</title>"
                                                            "<p>Authorization received. You can close this "
                                                            "window and return to MCP Workbench.</p>")
                                        : QByteArrayLiteral("not found");
            socket->write((isCallback ? QByteArrayLiteral("HTTP/1.1 200 OK\r\n")
                                      : QByteArrayLiteral("HTTP/1.1 404 Not Found\r\n")) +
                          "Content-Type: text/html; charset=utf-8\r\nConnection: close\r\nContent-Length: " +
                          QByteArray::number(page.size()) + "\r\n\r\n" + page);
            socket->disconnectFromHost();
            if (isCallback)
                Q_EMIT callbackReceived(QUrlQuery(target.query()));
        });
    }
}

} // namespace mcp::auth
