#pragma once

#include "../error.h"
#include "../jsonrpc/message.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace mcp {

class McpServer;
class ServerSession;

namespace ServerErrorCode {
constexpr int ResourceNotFound = -32002;
constexpr int HeaderMismatch = -32020;
} // namespace ServerErrorCode

// One client request being served. Handlers keep the pointer while they work and end it with finish() or
// fail(); everything after the first of those (or after the client cancelled) is ignored.
class RequestContext
{
public:
    using Ptr = std::shared_ptr<RequestContext>;
    using AnswerHandler = std::function<void(const Json &result, const Error &error)>;

    QString method() const { return m_method; }
    Json id() const { return m_id; }
    const Json &params() const { return m_params; }
    QString protocolVersion() const { return m_version; }
    bool isModern() const { return m_modern; }
    Json clientCapabilities() const { return m_clientCapabilities; }
    bool isCancelled() const { return m_cancelled; }
    bool isDone() const { return m_done || m_cancelled; }

    // Runs when the client cancels (notifications/cancelled, or closing its HTTP stream).
    void onCancelled(std::function<void()> callback) { m_onCancelled.push_back(std::move(callback)); }
    // Sends notifications/progress when the request carried a progressToken; total < 0 means unknown.
    void progress(double progress, double total = -1, const QString &message = {});
    // Sends notifications/message if the client's log level lets it through.
    void log(const QString &level, const QString &logger, const Json &data);
    // Asks the client (elicitation/create, sampling/createMessage, roots/list). Before 2026-07-28 this is a
    // server-to-client request; from 2026-07-28 on (MRTR) the request ends with input_required unless the
    // retry already carries the answer under key, so handlers must be safe to run again from the start.
    void ask(const QString &key, const QString &method, Json params, AnswerHandler handler);

    void finish(Json result);
    void fail(int code, const QString &message, Json data = nullptr);

private:
    friend class ServerSession;

    QPointer<ServerSession> m_session;
    QString m_key; // idText(id): relates frames to this request
    QString m_method;
    Json m_id;
    Json m_params;
    QString m_version;
    bool m_modern = false;
    Json m_clientCapabilities = Json::object();
    Json m_progressToken;
    QString m_logLevel;    // empty: no log messages (2026-07-28 without logLevel)
    Json m_inputResponses; // MRTR: answers so far (from requestState and the retry)
    Json m_inputRequests;  // MRTR: questions this run could not answer
    bool m_cancelled = false;
    bool m_done = false;
    std::vector<std::function<void()>> m_onCancelled;
};

using ToolHandler = std::function<void(const Json &arguments, RequestContext::Ptr context)>;
// Returns the contents array of a ReadResourceResult, or nothing when the URI is unknown.
using ResourceReader = std::function<std::optional<Json>(const QString &uri)>;
using TemplateReader =
    std::function<std::optional<Json>(const QString &uri, const QHash<QString, QString> &vars)>;
// Returns a GetPromptResult ({description?, messages}) or sets error to a message for the client.
using PromptHandler = std::function<Json(const Json &arguments, QString *error)>;
// Candidate values for one argument; the server filters them by the typed prefix.
using Completer = std::function<QStringList(const QString &value, const Json &contextArguments)>;

struct ServerOptions
{
    QString name = QStringLiteral("mcp-workbench-server");
    QString title;
    QString version = QStringLiteral(MCPWB_VERSION);
    QString instructions;
    int pageSize = 50;
    int clientRequestTimeoutMs = 60000; // server-to-client requests (elicitation, sampling, roots)
    int listTtlMs = 10000;              // 2026-07-28 cache hints
    int readTtlMs = 0;
    int requestStateTtlMs = 10 * 60 * 1000; // MRTR requestState expiry
};

// What a session sends. related is the idText of the client request a frame belongs to (progress, logs,
// server requests and the response itself), empty for frames that belong to no request.
struct ServerFrame
{
    QByteArray bytes;
    QString related;
    bool finalResponse = false;
};

// The feature registry of a server (tools, resources, templates, prompts, completions) and its broadcasts.
// Transports create one ServerSession per connection (or per stateless request).
class McpServer : public QObject
{
    Q_OBJECT
public:
    explicit McpServer(ServerOptions options = {}, QObject *parent = nullptr);
    ~McpServer() override;

    const ServerOptions &options() const { return m_options; }
    void setPageSize(int size) { m_options.pageSize = qMax(1, size); }

    // definition is the Tool object of tools/list (name, description, inputSchema, annotations, ...).
    void addTool(Json definition, ToolHandler handler);
    // Serves a new definition for the tool named so (its handler stays); false when there is none. Sessions
    // learn of it through notifyListChanged("tools").
    bool replaceToolDefinition(const QString &name, Json definition);
    void addResource(Json definition, ResourceReader reader);
    void removeResource(const QString &uri);
    void addResourceTemplate(Json definition, TemplateReader reader);
    void addPrompt(Json definition, PromptHandler handler);
    // refType "ref/prompt" (refName: prompt name) or "ref/resource" (refName: URI template).
    void addCompletion(const QString &refType, const QString &refName, const QString &argument,
                       Completer completer);

    Json capabilities() const;
    static QStringList supportedVersions();

    // Broadcasts to every session that asked for them.
    void notifyResourceUpdated(const QString &uri);
    void notifyListChanged(const QString &kind); // "tools", "resources" or "prompts"
    int subscriberCount(const QString &uri) const { return m_subscribers.value(uri); }

Q_SIGNALS:
    void subscribersChanged(const QString &uri, int count);
    void resourceUpdated(const QString &uri);
    void listChanged(const QString &kind);

private:
    friend class ServerSession;
    struct Tool
    {
        Json definition;
        ToolHandler handler;
    };
    struct Resource
    {
        Json definition;
        ResourceReader reader;
    };
    struct Template
    {
        Json definition;
        TemplateReader reader;
    };
    struct Prompt
    {
        Json definition;
        PromptHandler handler;
    };

    void addSubscriber(const QString &uri, int delta);
    QByteArray signState(const QByteArray &payload) const;

    ServerOptions m_options;
    QByteArray m_stateKey; // HMAC key that protects MRTR requestState
    QList<Tool> m_tools;
    QList<Resource> m_resources;
    QList<Template> m_templates;
    QList<Prompt> m_prompts;
    QHash<QString, Completer> m_completers; // "refType\nrefName\nargument"
    QHash<QString, int> m_subscribers;
};

// The MCP server side of one connection: version negotiation, request dispatch, progress, cancellation,
// logging, subscriptions and server-to-client requests with their own ids and timeouts.
class ServerSession : public QObject
{
    Q_OBJECT
public:
    explicit ServerSession(McpServer *server, QObject *parent = nullptr);
    ~ServerSession() override;

    void handleFrame(const QByteArray &frame);
    // Ends open subscriptions gracefully and fails what is pending; the session stays usable.
    void shutdown();
    // The transport lost the stream of one request (HTTP client closed it): that cancels it.
    void cancelRequest(const QString &key);

    QString protocolVersion() const { return m_version; }
    bool isInitialized() const { return m_initialized; }
    Json clientInfo() const { return m_clientInfo; }

Q_SIGNALS:
    void frameOut(const mcp::ServerFrame &frame);
    // A request was cancelled and will get no response: a transport may close its stream.
    void requestAbandoned(const QString &key);

private:
    friend class RequestContext;
    struct OutgoingRequest
    {
        RequestContext::AnswerHandler handler;
        QTimer *timer = nullptr;
        QString related;
    };
    struct Listener // a 2026-07-28 subscriptions/listen stream
    {
        Json id;
        Json filter;
    };

    void handleMessage(const jsonrpc::Message &m);
    void handleReply(const jsonrpc::Message &m);
    void handleNotification(const jsonrpc::Message &m);
    void dispatch(const RequestContext::Ptr &ctx);
    void send(const jsonrpc::Message &m, const QString &related, bool finalResponse = false);
    void respond(RequestContext &ctx, Json result);
    void respondError(RequestContext &ctx, int code, const QString &message, Json data = nullptr);
    void finishInputRequired(const QString &requestKey);
    void dropListener(const QString &requestKey);
    void sendRequestToClient(RequestContext &ctx, const QString &method, Json params,
                             RequestContext::AnswerHandler handler);
    void sendLog(const QString &level, const QString &logger, const Json &data, const QString &threshold,
                 const QString &related);
    Json decorate(const QString &method, Json result, const QString &version) const;

    void onInitialize(const RequestContext::Ptr &ctx);
    void onDiscover(const RequestContext::Ptr &ctx);
    void onList(const RequestContext::Ptr &ctx, const QString &key);
    void onCallTool(const RequestContext::Ptr &ctx);
    void onReadResource(const RequestContext::Ptr &ctx);
    void onSubscribe(const RequestContext::Ptr &ctx, bool subscribe);
    void onListen(const RequestContext::Ptr &ctx);
    void onGetPrompt(const RequestContext::Ptr &ctx);
    void onComplete(const RequestContext::Ptr &ctx);
    void onSetLevel(const RequestContext::Ptr &ctx);
    void onResourceUpdated(const QString &uri);
    void onListChanged(const QString &kind);
    bool restoreRequestState(const RequestContext::Ptr &ctx);

    QPointer<McpServer> m_server;
    QString m_version; // negotiated by initialize; 2026-07-28 requests carry their own
    bool m_initialized = false;
    Json m_clientInfo;
    Json m_clientCapabilities = Json::object();
    QString m_logLevel = QStringLiteral("info");
    QHash<QString, RequestContext::Ptr> m_active; // by idText
    QMap<qint64, OutgoingRequest> m_outgoing;
    qint64 m_nextOutgoingId = 1;
    QStringList m_subscriptions;
    QHash<QString, Listener> m_listeners; // by idText of the listen request
};

// Fills in the version-specific parts of results: drops what older schemas do not know (titles, icons,
// output schemas, audio, resource links) so that every version gets frames its schema accepts.
Json adaptForVersion(const QString &method, Json result, const QString &version);

} // namespace mcp
