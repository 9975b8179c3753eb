#pragma once

#include "httpoptions.h"
#include "stdiotransport.h"
#include "transport.h"

#include <QPointer>
#include <memory>
#include <optional>

namespace mcp {

class HttpTransport;

// How to reach one server.
struct TransportConfig
{
    enum class Kind {
        Auto,      // stdio when a command is given, ws for ws:// URLs, else streamable HTTP with legacy SSE
                   // fallback
        Http,      // streamable HTTP (also 2026-07-28 stateless, chosen by the negotiated version)
        Sse,       // legacy HTTP+SSE (2024-11-05)
        WebSocket, // ws:// or wss://, subprotocol mcp
        Stdio,
    };
    Kind kind = Kind::Auto;
    HttpOptions http;   // for Http, Sse, WebSocket and Auto with a URL
    StdioOptions stdio; // for Stdio and Auto with a command

    // "auto", "http" (also "streamable-http", "stateless-http"), "sse", "ws" ("websocket"), "stdio".
    static std::optional<Kind> kindFromString(const QString &name);
    static QString kindName(Kind kind);
};

class TransportFactory
{
public:
    // Builds an unopened transport. On a config that cannot work returns nullptr and fills *error.
    static std::unique_ptr<Transport> create(const TransportConfig &config, Error *error = nullptr);
};

// `auto` for an http(s) URL: streamable HTTP first; if the first POST is answered 400/404/405 with a body
// that is not a JSON-RPC message, falls back to legacy HTTP+SSE (GET the same URL, wait for `endpoint`) and
// re-sends the frame there, as the 2025-03-26 spec's backwards-compatibility section describes. kind() names
// the inner transport in use ("http", "stateless-http" or "sse").
class AutoHttpTransport : public Transport
{
    Q_OBJECT
public:
    explicit AutoHttpTransport(HttpOptions options, QObject *parent = nullptr);
    ~AutoHttpTransport() override;

    QString kind() const override;
    void open() override;
    void send(const OutgoingFrame &frame) override;
    void close() override;
    void setProtocolVersion(const QString &version) override;

    Transport *inner() const { return m_inner; }
    bool fellBack() const { return m_fellBack; }

private:
    void adopt(Transport *inner);
    void fallBack(const OutgoingFrame &frame, int status);

    HttpOptions m_options;
    QPointer<Transport> m_inner;
    QList<OutgoingFrame> m_queue; // frames sent while switching to legacy SSE
    bool m_switching = false;
    bool m_fellBack = false;
    int m_fallbackStatus = 0;
};

} // namespace mcp
