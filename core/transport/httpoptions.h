#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>
#include <functional>
#include <memory>

class QHostAddress;

namespace mcp {

class AuthProvider;

// Settings shared by the HTTP-based transports (streamable HTTP, legacy HTTP+SSE, WebSocket).
struct HttpOptions
{
    QUrl url; // the MCP endpoint; for legacy HTTP+SSE the SSE URL; for WebSocket a ws:// or wss:// URL
    // Sent on every request (POST, GET, DELETE, WebSocket handshake); they override the transport's own
    // headers of the same name, so a user can deliberately send something else.
    QList<QPair<QByteArray, QByteArray>> headers;
    QString caFile;        // PEM (or DER) file whose certificates are trusted in addition to the system's
    bool insecure = false; // ignore TLS certificate errors; every ignored error is reported as a Warning
    int connectTimeoutMs =
        15000; // until the request is sent (TCP + TLS); for legacy SSE until `endpoint` arrives

    // Streamable HTTP (2025-03-26..2025-11-25) only.
    bool openGetStream = true;    // open the optional GET stream once the session is initialized
    int maxReconnectAttempts = 5; // per dropped SSE stream, reset by every event that arrives
    int defaultRetryMs = 1000;    // reconnect delay until the server sends `retry:`
    int closeTimeoutMs = 3000;    // how long close() waits for the DELETE
    qsizetype maxRecordedBodyBytes = 8 * 1024 * 1024; // per HttpExchange; longer bodies are cut in the record
    // One answer body (JSON), one SSE event or one WebSocket message, as the stdio transport's line limit:
    // past it the request fails with the limit named, instead of the server filling our memory.
    qsizetype maxFrameBytes = 64 * 1024 * 1024;
    // Streamable HTTP: OAuth for this connection (see core/auth/oauthprovider.h); none when null.
    std::shared_ptr<AuthProvider> auth;
    // Streamable HTTP and legacy SSE: why nothing may be written to the address the URL's host led to, or
    // empty (Http1Client::setPeerCheck). None: every address.
    std::function<QString(const QHostAddress &peer, const QString &host)> peerCheck;
};

} // namespace mcp
