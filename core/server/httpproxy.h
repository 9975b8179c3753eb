#pragma once

#include "../traffic/recorder.h"
#include "../transport/sseparser.h"
#include "httprequesthead.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QTcpServer;
class QTcpSocket;

namespace mcp {

// A recording reverse proxy for streamable HTTP (and legacy SSE) servers: listens on 127.0.0.1, forwards
// POST/GET/DELETE with their headers to the upstream URL's origin, and streams the answer back as it
// arrives (SSE included). JSON-RPC frames in request bodies are recorded as Sent, those in JSON and SSE
// answers as Received, and each exchange is recorded raw beside them.
class HttpProxy : public QObject
{
    Q_OBJECT
public:
    HttpProxy(QUrl upstream, Recorder *recorder, QObject *parent = nullptr);
    ~HttpProxy() override;

    static constexpr qsizetype maxBodyBytes = 16 * 1024 * 1024; // as the HTTP server transport's
    // Of each answer, what the recording keeps: it streams through whole, but an SSE stream can run for days.
    qsizetype maxRecordedBodyBytes = 64 * 1024 * 1024;

    bool listen(quint16 port, Error *error);
    quint16 port() const;

private:
    struct Exchange
    {
        QPointer<QTcpSocket> client;
        HttpExchange record;
        SseParser sse;
        bool eventStream = false;
        bool json = false;
        bool headersSent = false;
        bool recordCut = false;
        qint64 arrived = 0; // answer body bytes, kept or not
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, int status, const QByteArray &text);
    void forward(QTcpSocket *socket, const HttpRequestHead &head, const QByteArray &body);
    void onMetaData(QNetworkReply *reply);
    void onReplyData(QNetworkReply *reply);
    void onReplyFinished(QNetworkReply *reply);
    void recordFrame(Direction direction, const QByteArray &bytes);
    void keepForTheRecord(Exchange *e, const QByteArray &chunk);

    QUrl m_upstream;
    Recorder *m_recorder;
    int m_connection;
    QTcpServer *m_listener;
    QNetworkAccessManager *m_network;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QNetworkReply *, Exchange *> m_exchanges;
};

} // namespace mcp
