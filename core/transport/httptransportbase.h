#pragma once

#include "http1connection.h"
#include "httpoptions.h"
#include "sseparser.h"
#include "transport.h"

#include <QJsonValue>
#include <QSslConfiguration>
#include <QTimer>
#include <map>
#include <memory>

namespace mcp {

// Plumbing shared by the HTTP transports: requests with the user's headers and TLS settings, a connect
// timeout, TLS error handling, and one HttpExchange record per request. Not meant to be used on its own.
class HttpTransportBase : public Transport
{
    Q_OBJECT
public:
    ~HttpTransportBase() override;
    const HttpOptions &options() const { return m_options; }

    // A header value as the 2026-07-28 transport wants it: as is when it is plain visible ASCII without
    // leading/trailing whitespace, else "=?base64?<UTF-8 as Base64>?=" (also when it looks like that
    // sentinel).
    static QByteArray encodeHeaderValue(const QString &value);

protected:
    struct Call
    {
        int role = 0;
        Http1Reply *reply = nullptr;
        HttpExchange exchange;
        OutgoingFrame frame;
        QByteArray sessionIdSent;
        SseParser parser;
        QByteArray body; // non-SSE response body
        QString failure; // set when we abort a call ourselves because of a problem
        QString tlsErrors;
        bool headersChecked = false;
        bool isSse = false;
        bool aborted = false; // aborted by us without a problem (close): nothing to report
        bool timedOut = false;
        bool done = false;
        bool recordCut = false;
        qint64 arrived = 0; // response body bytes, kept or not
        // Streamable HTTP: waiting for the response to a request, across resumed streams.
        bool awaiting = false;
        bool answered = false;
        QJsonValue awaitedId;
        int attempt = 0;
        QByteArray resumeFromId;
        int retryMs = -1;
    };
    enum { RoleNone = 0 };

    HttpTransportBase(HttpOptions options, QObject *parent);

    bool checkUrl(const QStringList &schemes); // fails the transport when the URL is unusable
    bool prepareTls();                         // loads the CA file; fails the transport when it cannot
    Call *startCall(const QByteArray &verb, const QUrl &url, const HeaderList &headers,
                    const QByteArray &body, int role);
    void abortCall(Call *call); // quietly: no error is reported for it
    void abortAllCalls();
    void abortCallsWithRole(int role);
    Call *findCall(Http1Reply *reply) const;

    virtual void onData(Call *call, const QByteArray &chunk) = 0;
    virtual void onFinished(Call *call) = 0; // the HttpExchange has been emitted; the call is freed later

    static int statusOf(const Call *call);
    // Keeps a chunk of a plain (not SSE) answer; past maxFrameBytes the call is aborted with the limit named.
    void appendBody(Call *call, const QByteArray &chunk);
    static QByteArray contentTypeOf(const Call *call);
    static bool isSuccess(int status) { return status >= 200 && status < 300; }
    static bool isConnectionLevel(const Call *call);
    Error networkError(const Call *call, const QString &step) const;
    Error httpStatusError(const Call *call, const QString &step, const QByteArray &body) const;
    static QString snippet(const QByteArray &body, int max = 300);
    static HeaderList sanitizedExtraHeaders(const HeaderList &headers, QStringList *dropped);

    // JSON-RPC shape checks (no MCP knowledge): an object or batch element with "result" or "error".
    static QJsonValue requestId(const QByteArray &frame);
    static bool isResponseTo(const QByteArray &frame, const QJsonValue &id);
    static bool isJsonRpcResponse(const QByteArray &body, bool requireId);
    static bool isJson(const QByteArray &body);

    HttpOptions m_options;
    quint64 m_generation = 0; // bumped by open/close; delayed work from an older generation is dropped

private:
    void handleData(Call *call, const QByteArray &chunk);
    void handleFinished(Call *call);
    void handleSslErrors(Call *call, const QList<QSslError> &errors);

    Http1Client *m_http;
    bool m_sslReady = false;
    std::map<Http1Reply *, std::unique_ptr<Call>> m_calls;
};

} // namespace mcp
