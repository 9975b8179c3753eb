#pragma once

// A tiny HTTP/1.1 (or HTTPS) server for unit tests: QTcpServer/QSslServer on 127.0.0.1, requests parsed by
// Content-Length, answers written by hand from a handler (so a test can also write malformed or split
// responses).
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

struct MiniRequest
{
    QByteArray method;
    QByteArray target;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QPointer<QTcpSocket> socket;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[n, v] : headers)
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        for (const auto &[n, v] : headers)
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        return false;
    }
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
            const qsizetype end = buf.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            MiniRequest r;
            const QList<QByteArray> lines = buf.left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            r.method = first.value(0);
            r.target = first.value(1);
            qsizetype length = 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0)
                    continue;
                r.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
                if (line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0)
                    length = line.mid(colon + 1).trimmed().toLongLong();
            }
            if (buf.size() < end + 4 + length)
                return;
            r.body = buf.mid(end + 4, length);
            buf.remove(0, end + 4 + length);
            r.socket = s;
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
