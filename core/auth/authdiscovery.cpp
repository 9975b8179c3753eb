// The discovery steps of AuthFlow: the refusal, protected resource metadata, authorization server
// metadata; then which grant follows and with which scope.
#include "authanswers.h"
#include "authflow.h"
#include "discovery.h"
#include "grants.h"
#include "transport/urlpolicy.h"

namespace mcp::auth {

void AuthFlow::readRefusal()
{
    if (m_refusal.status == 0) {
        finishStep(QStringLiteral("authorize before the first request"));
        return;
    }
    m_steps.last().exchanges.append(m_refusal);
    const QByteArray header = headerValue(m_refusal.responseHeaders, "WWW-Authenticate");
    const Challenge challenge = challengeOf(header, {QStringLiteral("Bearer"), QStringLiteral("DPoP")});
    m_challengeScope = challenge.param(QStringLiteral("scope"));
    m_prmFromHeader = QUrl(challenge.param(QStringLiteral("resource_metadata")));
    m_stepUp = m_refusal.status == 403;
    QStringList found;
    if (!m_prmFromHeader.isEmpty())
        found << QStringLiteral("resource_metadata %1").arg(m_prmFromHeader.toString());
    if (!m_challengeScope.isEmpty())
        found << QStringLiteral("scope \"%1\"").arg(m_challengeScope);
    const QString why = header.isEmpty() ? QStringLiteral("no WWW-Authenticate header")
                        : found.isEmpty()
                            ? QStringLiteral("WWW-Authenticate names no resource metadata or scope")
                            : QStringLiteral("WWW-Authenticate gives ") + found.join(QStringLiteral(", "));
    finishStep(m_stepUp
                   ? QStringLiteral("step up: HTTP 403 insufficient_scope, authorize again with more scope")
                   : QStringLiteral("HTTP %1: authorize").arg(m_refusal.status),
               why);
}

void AuthFlow::fetchResourceMetadata(int candidate)
{
    const QList<QUrl> urls = protectedResourceMetadataUrls(m_endpoint, m_prmFromHeader);
    if (candidate >= urls.size()) {
        // 2025-03-26: no PRM; the MCP server's origin is the authorization server.
        m_legacy = true;
        m_issuer = originOf(m_endpoint).toString();
        m_params.insert(QStringLiteral("resource"), canonicalResource(m_endpoint));
        finishStep(
            QStringLiteral("no protected resource metadata: treat as a 2025-03-26 server whose origin %1 is "
                           "the authorization server")
                .arg(m_issuer),
            QStringLiteral("none of the %1 well-known locations answered with metadata").arg(urls.size()));
        return;
    }
    http("GET", urls[candidate], {{"Accept", "application/json"}}, {},
         [this, candidate](const HttpExchange &ex) {
             if (ex.status != 200 || !isJsonObject(ex)) {
                 fetchResourceMetadata(candidate + 1);
                 return;
             }
             m_prm = jsonObjectOf(ex);
             const QStringList servers = stringList(m_prm.value(QLatin1String("authorization_servers")));
             const QString resource = m_prm.value(QLatin1String("resource")).toString();
             QString why;
             if (!resource.isEmpty() && !resourceCovers(resource, m_endpoint, &why)) {
                 failStep(
                     QStringLiteral(
                         "resource mismatch: the metadata at %1 is for another resource: %2. Refusing to "
                         "authorize, a token for it could be replayed elsewhere")
                         .arg(ex.url.toString(), why));
                 return;
             }
             if (servers.isEmpty()) {
                 failStep(
                     QStringLiteral("the protected resource metadata at %1 lists no authorization_servers")
                         .arg(ex.url.toString()));
                 return;
             }
             const QString previousIssuer = m_issuer;
             m_issuer = servers.first();
             if (!m_tampered.contains(QStringLiteral("resource")))
                 m_params.insert(QStringLiteral("resource"),
                                 resource.isEmpty() ? canonicalResource(m_endpoint) : resource);
             finishStep(QStringLiteral("authorization server %1, resource %2")
                            .arg(m_issuer, m_params.value(QStringLiteral("resource"))),
                        QStringLiteral("found at %1 (candidate %2 of %3)%4")
                            .arg(ex.url.toString())
                            .arg(candidate + 1)
                            .arg(protectedResourceMetadataUrls(m_endpoint, m_prmFromHeader).size())
                            .arg(resource.isEmpty()
                                     ? QStringLiteral("; it names no resource, so the server URL is used")
                                     : QString()));
         });
}

void AuthFlow::fetchServerMetadata(int candidate)
{
    const QList<QUrl> urls =
        m_legacy ? QList<QUrl>{QUrl(m_issuer + QStringLiteral("/.well-known/oauth-authorization-server"))}
                 : authorizationServerMetadataUrls(QUrl(m_issuer));
    if (candidate >= urls.size()) {
        if (!m_legacy) {
            QStringList tried;
            for (const QUrl &u : urls)
                tried << u.toString();
            failStep(QStringLiteral("no authorization server metadata for %1; tried %2")
                         .arg(m_issuer, tried.join(QStringLiteral(", "))));
            return;
        }
        m_defaultEndpoints = true;
        m_asMetadata =
            QJsonObject{{QStringLiteral("issuer"), m_issuer},
                        {QStringLiteral("authorization_endpoint"), m_issuer + QStringLiteral("/authorize")},
                        {QStringLiteral("token_endpoint"), m_issuer + QStringLiteral("/token")},
                        {QStringLiteral("registration_endpoint"), m_issuer + QStringLiteral("/register")}};
        finishDiscovery(
            QStringLiteral("use the 2025-03-26 default endpoints /authorize, /token and /register at %1")
                .arg(m_issuer),
            QStringLiteral("the server has no authorization server metadata"));
        return;
    }
    http(
        "GET", urls[candidate], {{"Accept", "application/json"}}, {},
        [this, urls, candidate](const HttpExchange &ex) {
            if (ex.status != 200 || !isJsonObject(ex)) {
                fetchServerMetadata(candidate + 1);
                return;
            }
            const QJsonObject metadata = jsonObjectOf(ex);
            const QString issuer = metadata.value(QLatin1String("issuer")).toString();
            if (m_legacy) {
                // 2025-03-26: the server's own origin is the authorization server. An issuer elsewhere would
                // let the server send the user's refresh token and client secret wherever it names.
                if (!issuer.isEmpty() && !sameOrigin(QUrl(issuer), m_endpoint)) {
                    failStep(QStringLiteral("issuer mismatch: a 2025-03-26 server without protected resource "
                                            "metadata is its own authorization server (%1), but the metadata "
                                            "at %2 says issuer \"%3\", another origin; refusing to use it")
                                 .arg(m_issuer, ex.url.toString(), issuer));
                    return;
                }
                m_issuer = issuer.isEmpty() ? m_issuer : issuer;
            } else if (issuer != m_issuer) {
                // RFC 8414 §3.3: the issuer must be identical to the one the URL was built from.
                failStep(QStringLiteral(
                             "issuer mismatch: the metadata at %1 says issuer \"%2\", but it was fetched for "
                             "\"%3\" (RFC 8414 §3.3); refusing to use it")
                             .arg(ex.url.toString(), issuer, m_issuer));
                return;
            }
            m_asMetadata = metadata;
            finishDiscovery(QStringLiteral("use the endpoints of %1").arg(m_issuer),
                            QStringLiteral("found at %1 (candidate %2 of %3)")
                                .arg(ex.url.toString())
                                .arg(candidate + 1)
                                .arg(urls.size()));
        });
}

void AuthFlow::finishDiscovery(const QString &decision, const QString &reason)
{
    if (!m_settings.expectedIssuer.isEmpty() && m_issuer != m_settings.expectedIssuer) {
        failStep(
            QStringLiteral("the server's authorization server is %1, but this connection's credentials are "
                           "bound to %2: nothing is sent to it")
                .arg(m_issuer, m_settings.expectedIssuer));
        return;
    }
    // What an earlier process kept for this issuer (a refresh token in the keychain) decides the grant.
    const quint64 generation = m_generation;
    m_store->load(scope(), this, [this, generation, decision, reason] {
        if (generation != m_generation)
            return;
        if (chooseGrant() && !m_refreshOnly)
            m_stepNotes << QStringLiteral("a refresh token for %1 is kept in %2, so it is refreshed")
                               .arg(m_issuer, m_store->storeName());
        finishStep(decision, reason);
    });
}

bool AuthFlow::chooseGrant()
{
    // Queues the steps after discovery, before the step finishes (the flow may pause then).
    const bool refresh = m_refreshOnly || (m_settings.grant == AuthSettings::Grant::AuthorizationCode &&
                                           !m_stepUp && !m_store->tokens(scope()).refreshToken.isEmpty());
    if (refresh)
        useGrant(std::make_unique<RefreshGrant>());
    else if (m_settings.grant == AuthSettings::Grant::ClientCredentials)
        useGrant(std::make_unique<ClientCredentialsGrant>());
    else if (m_settings.grant == AuthSettings::Grant::EnterpriseManaged)
        useGrant(std::make_unique<JwtBearerGrant>(JwtBearerGrant::Assertion::EnterpriseExchange));
    else if (m_settings.grant == AuthSettings::Grant::WorkloadIdentity)
        useGrant(std::make_unique<JwtBearerGrant>(JwtBearerGrant::Assertion::Workload));
    else
        useGrant(std::make_unique<AuthorizationCodeGrant>());
    if (!refresh)
        m_params.insert(QStringLiteral("scope"), selectScope());
    if (m_asMetadata.contains(QLatin1String("dpop_signing_alg_values_supported")))
        m_pending.prepend({Stage::Dpop});
    return refresh;
}

void AuthFlow::useGrant(std::unique_ptr<Grant> grant)
{
    m_pending.clear();
    for (int i = 0; i < grant->stepNames().size(); ++i)
        m_pending.append({Stage::Grant, i});
    m_grants.push_back(std::move(grant));
}

void AuthFlow::refreshRefused(const QString &why)
{
    if (m_refreshOnly)
        return failStep(QStringLiteral("refresh refused: %1").arg(why));
    useGrant(std::make_unique<AuthorizationCodeGrant>());
    m_params.insert(QStringLiteral("scope"), selectScope());
    finishStep(QStringLiteral("authorize again"), QStringLiteral("refresh refused: %1").arg(why));
}

QString AuthFlow::selectScope() const
{
    if (!m_settings.scope.isEmpty())
        return m_settings.scope;
    // MCP scope selection: the challenge's scope, else everything the resource lists, else none. A step-up
    // keeps what the current token already has.
    QStringList scopes;
    if (m_stepUp)
        scopes = m_store->tokens(scope()).scopes;
    const QStringList wanted = !m_challengeScope.isEmpty()
                                   ? m_challengeScope.split(QLatin1Char(' '), Qt::SkipEmptyParts)
                                   : stringList(m_prm.value(QLatin1String("scopes_supported")));
    for (const QString &s : wanted)
        if (!scopes.contains(s))
            scopes << s;
    const QStringList asScopes = stringList(m_asMetadata.value(QLatin1String("scopes_supported")));
    if (m_settings.requestOfflineAccess && m_settings.grant == AuthSettings::Grant::AuthorizationCode &&
        !scopes.isEmpty() && asScopes.contains(QLatin1String("offline_access")) &&
        !scopes.contains(QLatin1String("offline_access")))
        scopes << QStringLiteral("offline_access");
    return scopes.join(QLatin1Char(' '));
}

} // namespace mcp::auth
