#pragma once

#include "../error.h"
#include "../jsonrpc/message.h"
#include "../transport/transport.h"
#include "serverrequesthandler.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <functional>
#include <memory>
#include <unordered_map>

class QTimer;

namespace mcp {

class Recorder;

struct SessionOptions
{
    QString connectionName = QStringLiteral("server");
    QString clientName = QStringLiteral("mcp-workbench");
    QString clientVersion = QStringLiteral(MCPWB_VERSION);
    QString protocolVersion; // pin one version; empty: negotiate
    bool probeModern = true; // when negotiating, try server/discover (2026-07-28) before initialize
    int requestTimeoutMs = 60000;
    int maxRequestTimeoutMs = 600000; // progress resets the timeout, but never past this
    int probeTimeoutMs = 5000;
    int maxInputRounds = 8; // 2026-07-28 input_required retries of one request
    QString logLevel;       // empty: the server's default
    // 2026-07-28: open a subscriptions/listen stream for the list changes the server announces, so that a
    // changed tool list (a rug pull) is heard while the session lasts. Older versions send them unasked.
    bool listenForChanges = false;
};

struct Reply
{
    Json result;
    Error error;
    bool ok() const { return !error.isError(); }
};

struct RequestOptions
{
    int timeoutMs = 0;           // 0: the session default
    bool reportProgress = false; // adds a progressToken; progress() is emitted and resets the timeout
    bool asTask = false;    // 2025-11-25 task-augmented request; the handler gets the task's final result
    bool longLived = false; // a subscription: no timeout; it ends with the server's answer or the session
    QList<QPair<QByteArray, QByteArray>> extraHeaders;
};

// The MCP client side of one connection: version negotiation, ids, timeouts, progress, cancellation,
// pagination and the server's own requests. One session per transport.
class ClientSession : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Initializing, Ready, Closing, Closed, Failed };
    Q_ENUM(State)

    using ReplyHandler = std::function<void(const Reply &)>;

    // Takes ownership of the transport. The recorder (optional) receives every frame.
    ClientSession(Transport *transport, Recorder *recorder, SessionOptions options = {},
                  QObject *parent = nullptr);
    ~ClientSession() override;

    void start();
    void close();

    State state() const { return m_state; }
    static QString stateName(State s);
    QString protocolVersion() const { return m_version; }
    bool isModern() const;
    Json serverInfo() const { return m_serverInfo; }
    Json serverCapabilities() const { return m_serverCapabilities; }
    QString instructions() const { return m_instructions; }
    Error lastError() const { return m_lastError; }
    Transport *transport() const { return m_transport; }
    Recorder *recorder() const { return m_recorder; }
    int connectionId() const { return m_connectionId; }
    const SessionOptions &options() const { return m_options; }
    Json clientCapabilities() const;

    void setServerRequestHandler(ServerRequestHandler *handler) { m_handler = handler; }
    // 2026-07-28 over HTTP: tools/call mirrors x-mcp-header arguments as Mcp-Param-* headers, which needs
    // the tool's schema from an earlier tools/list.
    bool mirrorsToolHeaders() const;
    bool knowsTool(const QString &name) const
    {
        return m_tools.contains(name) || m_rejectedTools.contains(name);
    }
    void setLogLevel(const QString &level);

    // Sends a request; handler runs exactly once (unless context is destroyed first). Returns the request id.
    qint64 request(const QString &method, Json params, ReplyHandler handler, RequestOptions options = {},
                   QObject *context = nullptr);
    void notify(const QString &method, Json params = nullptr);
    void cancel(qint64 requestId, const QString &reason = QString());
    // Fetches every page of a list method and answers with {key: [all items]}. onPage, if given, sees each
    // page's items as they arrive, so a view can fill without waiting for (or stalling on) the last page.
    using PageHandler = std::function<void(const Json &items)>;
    void listAll(const QString &method, const QString &key, ReplyHandler handler, QObject *context = nullptr,
                 int maxPages = 1000, PageHandler onPage = nullptr);
    // Updates to one resource: resources/subscribe (or unsubscribe) before 2026-07-28; from it, a
    // subscriptions/listen stream of its own. done runs once, when the server agreed or refused.
    void subscribeToResource(const QString &uri, bool subscribe, ReplyHandler done,
                             QObject *context = nullptr);

Q_SIGNALS:
    void stateChanged(mcp::ClientSession::State state);
    void ready();
    void failed(const mcp::Error &error);
    void notificationReceived(const QString &method, const mcp::Json &params);
    void progress(qint64 requestId, double progress, double total, const QString &message);
    void taskCreated(qint64 requestId, const mcp::Json &task);
    void logMessage(const QString &level, const QString &logger, const mcp::Json &data);
    void diagnostic(const mcp::Diagnostic &diagnostic);
    // A frame that broke the rules and belongs to no request (garbage, unknown id, ...).
    void protocolError(const mcp::Error &error);

private:
    struct Pending;

    void setState(State s);
    void failSession(const Error &error);
    void beginHandshake();
    void sendDiscover(const QString &version);
    void onDiscoverReply(const Reply &reply);
    QString chooseModernVersion(const QStringList &theirs) const;
    void sendInitialize();
    void onInitializeReply(const Reply &reply);
    void becomeReady();
    struct Listen;
    void openListenStream();
    qint64 openListen(const Json &filter, const QString &resource, ReplyHandler acknowledged,
                      QObject *context);
    void onListenAcknowledged(const Json &params);
    void onListenEnded(qint64 id, const Reply &reply);
    void cancelListen(std::unordered_map<qint64, Listen>::iterator it, const QString &why);
    void endListens(bool tellServer);
    bool isFromCancelledSubscription(const Json &params) const;

    qint64 sendRequest(const QString &method, Json params, ReplyHandler handler, RequestOptions options,
                       QObject *context, bool handshake);
    qint64 resend(const Pending &original, const Json &wireAdditions, int inputRounds, int versionRetries);
    qint64 dispatch(std::unique_ptr<Pending> p, const Json &wireAdditions = Json::object());
    bool retryWithSupportedVersion(qint64 id, const Json &errorData);
    void transmit(const jsonrpc::Message &message, const QString &method, const QString &name,
                  bool expectsReply, const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
    Json withModernMeta(Json params) const;
    void abandon(qint64 id); // timed out or cancelled: its late response is no violation
    std::unique_ptr<Pending> take(qint64 id);
    void deliver(const Pending &p, const Reply &reply);
    void finish(qint64 id, const Reply &reply);
    void armTimeout(Pending &p);
    void scheduleTimeouts(qint64 dueMs);
    void onTimeouts();
    void onTimeout(qint64 id);
    void onFrame(const QByteArray &bytes);
    void onMessage(jsonrpc::Message &message);
    void onReply(jsonrpc::Message &message);
    void onServerRequest(const jsonrpc::Message &message);
    void onNotification(const jsonrpc::Message &message);
    void answerInputRequired(qint64 id, const Json &result);
    void failAll(const Error &error);
    void screenTools(Json &result);
    void awaitTaskResult(qint64 id, const Json &task);

    Transport *m_transport;
    Recorder *m_recorder;
    SessionOptions m_options;
    ServerRequestHandler *m_handler = nullptr;
    int m_connectionId = -1;
    State m_state = State::Idle;
    QString m_version;
    Json m_serverInfo;
    Json m_serverCapabilities;
    QString m_instructions;
    Error m_lastError;
    qint64 m_nextId = 1;
    std::unordered_map<qint64, std::unique_ptr<Pending>> m_pending;
    static constexpr qsizetype maxAbandoned = 4096;
    QSet<qint64> m_abandoned; // requests given up on, whose late response the server may still send
    // One timer for every request's timeout, due at the earliest deadline (ms on m_clock): a QTimer per
    // request cost an object, a registration and a removal on every call.
    QElapsedTimer m_clock;
    QTimer *m_timeoutTimer;
    qint64 m_timeoutDue = 0;
    QHash<QString, Json> m_tools;            // the latest tools/list definitions by name
    QHash<qint64, qint64> m_progressAlias;   // progress token of a task-creating request -> its tasks/result
    QHash<QString, QString> m_rejectedTools; // name -> why its x-mcp-header annotations are invalid
    std::unordered_map<qint64, Listen> m_listens; // open subscriptions/listen streams by request id
    QSet<qint64> m_cancelledListens;              // streams we ended, which over HTTP may run on for a while
};

} // namespace mcp

Q_DECLARE_METATYPE(mcp::Json)
