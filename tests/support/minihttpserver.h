#pragma once

// A tiny HTTP/1.1 (or HTTPS) server for unit tests: QTcpServer/QSslServer on 127.0.0.1, requests parsed by
// Content-Length, answers written by hand from a handler (so a test can also write malformed or split
// responses).
#include "server/httprequesthead.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <functional>
#include <memory>

struct MiniRequest : mcp::HttpRequestHead
{
    QByteArray body;
    QPointer<QTcpSocket> socket;
};

class MiniHttpServer
{
public:
    using Handler = std::function<void(const MiniRequest &, QTcpSocket *)>;

    // HTTPS when tls has a local certificate (and key), else plain HTTP.
    explicit MiniHttpServer(const QSslConfiguration &tls = QSslConfiguration())
    {
        if (tls.localCertificate().isNull()) {
            m_server = std::make_unique<QTcpServer>();
        } else {
            auto server = std::make_unique<QSslServer>();
            server->setSslConfiguration(tls);
            m_server = std::move(server);
            m_scheme = QStringLiteral("https");
        }
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, m_server.get(), [this] {
            while (QTcpSocket *s = m_server->nextPendingConnection()) {
                ++connections;
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] { onData(s); });
                if (s->bytesAvailable() > 0) // arrived with the TLS handshake
                    onData(s);
            }
        });
    }
    bool listen() { return m_server->listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &path = QStringLiteral("/mcp")) const
    {
        return QUrl(
            QStringLiteral("%1://127.0.0.1:%2%3").arg(m_scheme).arg(m_server->serverPort()).arg(path));
    }
    void setHandler(Handler h) { m_handler = std::move(h); }
    QList<MiniRequest> requests;
    int connections = 0; // accepted so far

    static void respond(QTcpSocket *s, int status, const QByteArray &reason, const QByteArray &body = {},
                        const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + " " + reason + "\r\n";
        for (const auto &[n, v] : headers)
            out += n + ": " + v + "\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        s->write(out);
        s->flush();
        s->disconnectFromHost();
    }
    static void json(QTcpSocket *s, const QByteArray &body,
                     const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        auto h = headers;
        h.append({QByteArray("Content-Type"), QByteArray("application/json")});
        respond(s, 200, "OK", body, h);
    }
    // Starts an event stream; the body ends when the socket is closed.
    static void startSse(QTcpSocket *s, const QByteArray &events = {},
                         const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QByteArray out = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                         "Connection: close\r\n";
        for (const auto &[n, v] : headers)
            out += n + ": " + v + "\r\n";
        out += "\r\n" + events;
        s->write(out);
        s->flush();
    }

private:
    void onData(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        for (;;) {
            const std::optional<mcp::HttpRequestHead> head = mcp::parseRequestHead(buf);
            const qsizetype length = head ? qMax<qsizetype>(0, head->contentLength()) : 0;
            if (!head || buf.size() < head->size + length)
                return;
            MiniRequest r{*head, buf.mid(head->size, length), s};
            buf.remove(0, head->size + length);
            requests.append(r);
            if (m_handler)
                m_handler(r, s);
            else
                respond(s, 500, "No Handler");
        }
    }

    std::unique_ptr<QTcpServer> m_server;
    QString m_scheme = QStringLiteral("http");
    Handler m_handler;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};
