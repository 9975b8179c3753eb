#pragma once

#include "../transport/tlspolicy.h"
#include "../transport/transport.h"

#include <QHostAddress>
#include <QObject>
#include <functional>

namespace mcp {
class Http1Client;
}

namespace mcp::auth {

// Requests to authorization servers (metadata, registration, tokens, JWKS, introspection), over the same
// HTTP client and TLS policy as the MCP connection they are made for. Each exchange is kept as it went over
// the wire for the reviewer: the request's header fields as written (Host, Content-Length, User-Agent
// included), a hop for every redirect followed within the origin, and the answer. Other redirects are not
// followed. Every answer is capped and every exchange bounded in time as a whole: a server that drips bytes
// cannot keep a flow waiting, and one that sends without end cannot fill memory.
class RecordedHttp : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const HttpExchange &)>;

    static constexpr qsizetype maxAnswerBytes = 1024 * 1024; // metadata, key sets and tokens are a few kB
    static constexpr int defaultTimeoutMs = 15000;

    explicit RecordedHttp(QObject *parent = nullptr);
    ~RecordedHttp() override;

    void setTlsPolicy(const TlsPolicy &policy);
    const TlsPolicy &tlsPolicy() const { return m_tls; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; } // for the whole exchange, from send() to the last byte
    // Every address reached is then held to refusalToReach against this MCP server, whose name is resolved
    // once, before the first request. An empty URL lifts the rule. Requests still waiting for the earlier
    // server's name to resolve are not sent: they were made for that server.
    void holdPeersTo(const QUrl &mcpServer);

    // done runs once, later: with status 0 and the error when no complete answer arrived, and with a
    // non-empty error beside the answer when certificate errors were ignored (the insecure option). hop,
    // where given, runs for each redirect followed before it.
    void send(const QByteArray &verb, const QUrl &url, const HeaderList &headers, const QByteArray &body,
              Done done, Done hop = {});

private:
    void sendNow(const QByteArray &verb, const QUrl &url, const HeaderList &headers, const QByteArray &body,
                 Done done, Done hop);

    Http1Client *m_client;
    QUrl m_server;
    enum class Lookup { NotNeeded, Pending, Done } m_lookup = Lookup::NotNeeded;
    quint64 m_serverGeneration = 0; // a lookup answering for an earlier server is ignored
    QList<QHostAddress> m_serverAddresses;
    struct Waiting
    {
        QByteArray verb;
        QUrl url;
        HeaderList headers;
        QByteArray body;
        Done done, hop;
    };
    QList<Waiting> m_waitingForLookup;
    TlsPolicy m_tls;
    int m_timeoutMs = defaultTimeoutMs;
};

} // namespace mcp::auth
