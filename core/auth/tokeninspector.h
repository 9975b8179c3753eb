#pragma once

#include "../transport/tlspolicy.h"
#include "../transport/transport.h"
#include "jwt.h"
#include "tokenstore.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <functional>
#include <memory>

namespace mcp::auth {

class RecordedHttp;

struct TokenCheck
{
    enum class Result { Pass, Fail, Warn, Info };
    QString name; // "signature", "exp", "nbf", "iat", "aud", "iss", "scope", "format"
    Result result = Result::Info;
    QString detail;
    static QString resultName(Result r);
};

struct TokenReport
{
    bool isJwt = false;
    QJsonObject header;
    QJsonObject claims;
    QList<TokenCheck> checks;
    QUrl jwksUrl;              // where the key set came from (given or discovered from iss), empty for none
    QJsonObject introspection; // what the introspection endpoint answered (RFC 7662), empty when not asked
    bool ok() const;           // no Fail
    QString firstFailure() const; // "<check>: <detail>"
};

struct InspectOptions
{
    QString resource;           // the token's audience should name it
    QString issuer;             // expected iss
    QStringList requiredScopes; // each must be granted
    QUrl jwksUrl;               // verify the signature with this key set
    QJsonObject jwks;           // ... or with this one (tests, a cached set)
    QDateTime now;              // invalid: the current time
    int leewaySeconds = 60;
    // A JWT without jwksUrl or jwks: find the key set from its iss (RFC 8414 and OpenID Connect discovery,
    // then jwks_uri).
    bool discoverJwks = true;
    QUrl introspectionEndpoint;             // RFC 7662: also ask the authorization server about the token,
    ClientRegistration introspectionClient; // authenticating as this client registered (none: client_id only)
    TlsPolicy tls;                          // for the key set, discovery and introspection requests
    // jwksUrl and introspectionEndpoint came from server metadata, not from the user: held, like addresses
    // discovered from the token's iss, to refusalToContact and refusalToReach against resource.
    bool addressesFromServer = false;
};

// Decodes a token and checks what can be checked: JWT header and claims with readable times, the signature
// against the issuer's JWKS (RS256, PS256, ES256, EdDSA; given, or discovered from iss), exp/nbf/iat, aud
// against the resource, iss, scopes. An opaque token is reported as such; where an introspection endpoint is
// given, the authorization server's answer (active, and the claims of an opaque token) joins the checks.
class TokenInspector : public QObject
{
    Q_OBJECT
public:
    explicit TokenInspector(QObject *parent = nullptr);

    // Without anything to fetch (JWKS, issuer metadata, introspection), runs the checks at once and reports
    // synchronously.
    void inspect(const QByteArray &token, const InspectOptions &options);
    static TokenReport inspectWith(const QByteArray &token, const InspectOptions &options,
                                   const QString &jwksProblem = {});
    // Adds an introspection endpoint's answer to a report: an "active" check, and for an opaque token the
    // answer's claims (exp, aud, scope, client_id …) checked like a JWT's.
    static void addIntrospection(TokenReport *report, const HttpExchange &answer,
                                 const InspectOptions &options);
    static QString readableTime(const QJsonValue &epochSeconds);

Q_SIGNALS:
    void finished(const mcp::auth::TokenReport &report);

private:
    struct Run;
    using Then = std::function<void(const HttpExchange &)>;
    void resolveJwks(const std::shared_ptr<Run> &run);
    void discoverJwks(const std::shared_ptr<Run> &run, const QList<QUrl> &candidates, int index);
    void fetchJwks(const std::shared_ptr<Run> &run);
    void introspect(const std::shared_ptr<Run> &run);
    void finish(const std::shared_ptr<Run> &run);
    // Why a server-chosen address in the options is not contacted, or empty.
    static QString refusalFor(const QUrl &url, const InspectOptions &options);
    // serverChosen: the address came from a server (metadata, the token's iss), not from the user, and is
    // held to refusalToReach against the resource.
    void http(bool serverChosen, const QByteArray &verb, const QUrl &url,
              const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body, Then then);

    RecordedHttp *m_http;
    RecordedHttp *m_serverChosenHttp;
};

} // namespace mcp::auth
