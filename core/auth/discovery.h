#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace mcp::auth {

// One challenge of a WWW-Authenticate header (RFC 9110 §11.6.1), e.g.
// Bearer error="insufficient_scope", scope="a b", resource_metadata="https://…".
struct Challenge
{
    QString scheme;                // "Bearer"
    QMap<QString, QString> params; // names lower-cased
    QString param(const QString &name) const { return params.value(name); }
};

// Every challenge in the header value; quoted strings may hold commas and escaped quotes.
QList<Challenge> parseWwwAuthenticate(const QByteArray &header);
// The Bearer challenge, or an empty one.
Challenge bearerChallenge(const QByteArray &header);
// The challenge of the first scheme in `schemes` that the header has (e.g. {"Bearer", "DPoP"}), or an empty
// one.
Challenge challengeOf(const QByteArray &header, const QStringList &schemes);

// RFC 9728 §3.1 and the MCP spec: the URL from WWW-Authenticate first, then the path-based well-known URL
// (/.well-known/oauth-protected-resource/<path>), then the root one. Duplicates are dropped.
QList<QUrl> protectedResourceMetadataUrls(const QUrl &resource, const QUrl &fromHeader);

// RFC 8414 §3.1 and OpenID Connect Discovery, in the order the MCP spec (2025-11-25) lists them. For an
// issuer with a path: oauth-authorization-server and openid-configuration with the path appended after the
// well-known part, then openid-configuration with the path in front. Without a path: the two at the root.
QList<QUrl> authorizationServerMetadataUrls(const QUrl &issuer);

// The MCP server's origin, used as the authorization server of a 2025-03-26 server without PRM.
QUrl originOf(const QUrl &url);

// Whether the PRM "resource" names this MCP endpoint: same scheme, host and port, and the endpoint's path
// is the resource's path or lies below it. *why says what differs.
bool resourceCovers(const QString &resource, const QUrl &endpoint, QString *why);

// The canonical resource identifier of an MCP endpoint (RFC 8707): no fragment, no query.
QString canonicalResource(const QUrl &endpoint);

} // namespace mcp::auth
