#pragma once

#include "http1response.h"
#include "httpheaders.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QNetworkProxy>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslError>
#include <QUrl>
#include <functional>

class QTcpSocket;

namespace mcp {

class Http1Client;
class Http1Connection;

// One HTTP/1.1 request and its response. The body arrives in pieces as it is read (chunked transfer coding
// already removed), so an event stream can be parsed while it is open. Owned by whoever sent it.
class Http1Reply : public QObject
{
    Q_OBJECT
public:
    // Signals come from the event loop, except requestSent(), which may come from inside send() on a reused
    // connection, and finished() from abort().
    enum class Error {
        None,
        ConnectionRefused,
        HostNotFound,
        Tls,
        Proxy,
        Network,
        RemoteClosed,
        Malformed,
        Aborted,
        Refused, // the address the name led to is not one we may talk to (Http1Client::setPeerCheck)
    };

    ~Http1Reply() override;

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    int status() const { return m_status; } // 0 until the (final) status line arrived
    QByteArray reason() const { return m_reason; }
    const HeaderList &headers() const { return m_headers; } // as received, in order, repeated ones kept
    QByteArray header(QByteArrayView name) const;           // repeated ones joined with ", "
    bool isFinished() const { return m_finished; }
    bool isRequestSent() const { return m_requestSent; } // requestSent() may come from inside send()
    // The request's header fields as last written (Host, Content-Length and User-Agent included; a proxy's
    // credentials left out: they are for the proxy, not the server). Empty until the request is written.
    const HeaderList &writtenHeaders() const { return m_writtenHeaders; }

    void abort();           // ends the exchange now: finished() with Error::Aborted unless already finished
    void ignoreSslErrors(); // from a slot connected to sslErrors(): go on despite them

Q_SIGNALS:
    void requestSent(); // every byte of the request is written
    // A 307/308 within the origin is about to be followed to `to`; status() and headers() are still the
    // redirect's, so the hop can be recorded. Redirects to another origin are not followed: they are the
    // reply.
    void redirected(const QUrl &to);
    void headersReceived();
    void bodyData(const QByteArray &chunk);
    void sslErrors(const QList<QSslError> &errors);
    void finished();

private:
    friend class Http1Client;
    friend class Http1Connection;
    Http1Reply(QByteArray verb, QUrl url, HeaderList headers, QByteArray body);
    void finish(Error error, const QString &text);

    QByteArray m_verb;
    QUrl m_url;
    HeaderList m_requestHeaders;
    HeaderList m_writtenHeaders;
    QByteArray m_requestBody;
    int m_redirects = 0;
    bool m_retried = false;

    QPointer<Http1Connection> m_connection;
    int m_status = 0;
    QByteArray m_reason;
    HeaderList m_headers;
    Error m_error = Error::None;
    QString m_errorString;
    bool m_finished = false;
    bool m_requestSent = false;
};

// A small asynchronous HTTP/1.1 client on QTcpSocket/QSslSocket, on the caller's thread: keep-alive
// connections reused per origin (one request at a time each), the request written at once with
// TCP_NODELAY, responses framed by Content-Length, chunked coding or the connection's end. It exists for
// latency: QNetworkAccessManager hands every request to a thread of its own and reads headers byte by byte.
// The application's proxy is honoured (HTTP proxies forward http:// requests and tunnel https://).
// 307/308 redirects are followed with method, headers and body only within the origin (scheme, host, port):
// the headers carry credentials (Authorization, DPoP, API keys, session ids) meant for that origin alone.
class Http1Client : public QObject
{
    Q_OBJECT
public:
    explicit Http1Client(QObject *parent = nullptr);
    ~Http1Client() override;

    void setSslConfiguration(const QSslConfiguration &config) { m_ssl = config; }

    // Why nothing may be written to this peer (the address host resolved to), or empty. Asked before every
    // request, on new and reused connections; not through a proxy, which resolves names itself.
    using PeerCheck = std::function<QString(const QHostAddress &peer, const QString &host)>;
    void setPeerCheck(PeerCheck check) { m_peerCheck = std::move(check); }

    // Starts the request; Host, Content-Length and User-Agent are added unless given. The reply belongs to
    // the caller.
    Http1Reply *send(const QByteArray &verb, const QUrl &url, const HeaderList &headers,
                     const QByteArray &body);

private:
    friend class Http1Connection;
    void dispatch(Http1Reply *reply, bool mayReuse);
    void release(Http1Connection *connection); // the connection finished a response and can be reused
    void drop(Http1Connection *connection);

    QSslConfiguration m_ssl;
    PeerCheck m_peerCheck;
    QList<Http1Connection *> m_idle;
};

// One TCP (or TLS) connection carrying one request after the other. Internal to Http1Client.
class Http1Connection : public QObject
{
    Q_OBJECT
public:
    Http1Connection(Http1Client *client, const QUrl &url, const QNetworkProxy &proxy,
                    const QSslConfiguration &ssl);
    ~Http1Connection() override;

    // Requests for the same key can share a connection.
    static QString keyOf(const QUrl &url, const QNetworkProxy &proxy);
    QString key() const { return m_key; }
    bool isUsable() const; // idle, still connected, within the server's keep-alive timeout
    void start(Http1Reply *reply);
    void discard(); // closes and frees the connection; a reply still on it is left unfinished
    void ignoreSslErrors();

private:
    // What one read brought for the reply; signalled after parsing, so the connection is already free for
    // the next request when the reply's receivers run.
    struct Progress
    {
        bool headers = false;
        QByteArray body;
        bool complete = false;
        Http1Reply::Error error = Http1Reply::Error::None;
        QString errorText;
    };

    void writeRequest();
    void onReadyRead();
    void onClosed();
    void onHead(Progress &p); // the final response's head: onto the reply, or a redirect to follow
    void deliver(Http1Reply *reply, Progress &p);
    void malformed(Progress &p, const QString &what);
    void finishExchange(); // the response is complete: keep the connection for the next one or close it
    QString where() const;

    QPointer<Http1Client> m_client;
    QTcpSocket *m_socket = nullptr;
    QSslConfiguration m_ssl;
    QString m_key;
    QString m_host;
    quint16 m_port = 0;
    bool m_forwardProxy = false; // an HTTP proxy gets http:// requests with the absolute URL
    QNetworkProxy m_proxy;
    QPointer<Http1Reply> m_reply;
    bool m_connected = false;
    bool m_reused = false;
    bool m_reportSent = false;
    bool m_anyResponseByte = false;
    QUrl m_redirect; // set while a 307/308 response is being skipped
    Http1ResponseParser m_parser;
    QElapsedTimer m_idleSince;
};

} // namespace mcp
