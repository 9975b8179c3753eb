#pragma once

#include "../error.h"
#include "httpheaders.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

class QSslError;

namespace mcp {

// What a transport needs to know about an outgoing frame besides its bytes.
// HTTP transports turn method and name into headers; none of them interprets the payload.
struct OutgoingFrame
{
    QByteArray bytes;
    QString method;                                    // empty for responses
    QString name;                                      // tool name, prompt name or resource URI, for Mcp-Name
    bool expectsReply = false;                         // a request (as opposed to a notification or response)
    QList<QPair<QByteArray, QByteArray>> extraHeaders; // e.g. x-mcp-header values from tool arguments
};

struct Diagnostic
{
    enum class Kind { Stderr, Info, Warning, Http, Tls };
    Kind kind = Kind::Info;
    QString text;
};

// One raw HTTP request/response pair, recorded beside the frames it carried.
struct HttpExchange
{
    QDateTime started;
    QByteArray method;
    QUrl url;
    HeaderList requestHeaders;
    QByteArray requestBody;
    int status = 0; // 0 when no response arrived
    QByteArray reason;
    HeaderList responseHeaders;
    QByteArray responseBody; // for SSE streams: the raw event text seen so far
    QString error;
};

// Appended to HttpExchange::responseBody where the recording kept only the start of the body: says so, and
// how much arrived in all.
QByteArray recordedBodyCut(qint64 arrivedBytes);

// Moves JSON-RPC frames between the client and one server. Knows nothing of MCP methods.
class Transport : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Open, Closing, Closed, Failed };
    Q_ENUM(State)

    using QObject::QObject;
    ~Transport() override;

    virtual QString kind() const = 0; // "stdio", "http", "sse", "ws", "stateless-http"
    virtual void open() = 0;
    virtual void send(const OutgoingFrame &frame) = 0;
    virtual void close() = 0;

    // HTTP transports send the negotiated version as MCP-Protocol-Version.
    virtual void setProtocolVersion(const QString &version) { m_protocolVersion = version; }
    QString protocolVersion() const { return m_protocolVersion; }

    State state() const { return m_state; }
    static QString stateName(State s);

Q_SIGNALS:
    void stateChanged(mcp::Transport::State state);
    void frameReceived(const QByteArray &frame); // one JSON text: an object or a batch
    void diagnostic(const mcp::Diagnostic &diagnostic);
    void httpExchange(const mcp::HttpExchange &exchange);
    // Fatal: the connection is gone. State is Failed when this is emitted.
    void failed(const mcp::Error &error);
    // A frame that could not be delivered (e.g. HTTP POST rejected); the session fails the request.
    void sendFailed(const QByteArray &frame, const mcp::Error &error);
    // The server forgot our session (HTTP 404 with a session id): the session must initialize again.
    void sessionExpired();

protected:
    void setState(State s);
    void fail(const Error &error);
    // Certificate errors, as the TLS options say: ignored with a loud warning when insecure is on (true),
    // else reported as a TLS diagnostic, their text in *rejected (false).
    bool acceptTlsErrors(const QString &host, const QList<QSslError> &errors, bool insecure,
                         QString *rejected);

private:
    State m_state = State::Idle;
    QString m_protocolVersion;
};

} // namespace mcp
