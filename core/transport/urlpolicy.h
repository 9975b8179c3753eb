#pragma once

#include <QList>
#include <QString>
#include <QUrl>

class QHostAddress;

namespace mcp {

// Whether two URLs have the same origin: scheme, host and port (the scheme's default port when none).
bool sameOrigin(const QUrl &a, const QUrl &b);

// 127.0.0.0/8, ::1 or "localhost": an address that never leaves this machine.
bool isLoopbackHost(const QString &host);

// Why a URL that a server chose (an authorization endpoint, an elicitation link) must not be handed to the
// browser, or an empty string when it may: only https, or http to loopback. Everything else (file:,
// javascript:, data:, custom schemes that start programs, plain http across the network) is refused.
QString refusalToOpen(const QUrl &url);

// Why an endpoint that a server named for authorization (protected-resource and authorization-server
// metadata, token, registration, JWKS) must not be contacted, or an empty string when it may: https, or http
// to this machine; and never nearer than the MCP server itself: no private or link-local address unless the
// server is on one, no loopback address unless it is on this machine, so that a remote server cannot point
// us into the user's network. Host names are not resolved here: see refusalToReach.
QString refusalToContact(const QUrl &url, const QUrl &mcpServer);

// The same rule for the address a host name led to, once connected, measured against where the MCP server's
// name resolved to: a name that resolves (or rebinds) to 169.254.169.254 or 10.0.0.1 is caught, while an
// internal server may still use an internal authorization server.
QString refusalToReach(const QHostAddress &peer, const QString &hostName, const QUrl &mcpServer,
                       const QList<QHostAddress> &serverAddresses);

// Why a server the user has not agreed to (one a config file names) may not be reached at this address (a
// host's literal address, or the one its name led to), or empty: only the internet; this machine and the
// local network wait for the user's agreement, so that a project's config cannot aim us at them.
QString refusalWithoutAgreement(const QString &address, const QString &hostName);

} // namespace mcp
