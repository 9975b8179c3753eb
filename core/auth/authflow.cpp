#include "authflow.h"

#include "clientauth.h"
#include "discovery.h"
#include "jwt.h"
#include "loopbackredirectlistener.h"
#include "pkce.h"
#include "recordedhttp.h"
#include "transport/urlpolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTimer>

namespace mcp::auth {

namespace {

QJsonObject jsonObjectOf(const HttpExchange &ex)
{
    return QJsonDocument::fromJson(ex.responseBody).object();
}

bool isJsonObject(const HttpExchange &ex)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(ex.responseBody, &err);
    return err.error == QJsonParseError::NoError && doc.isObject();
}

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &e : v.toArray())
        out << e.toString();
    return out;
}

QString describeFailure(const HttpExchange &ex)
{
    if (ex.status == 0)
        return ex.error.isEmpty() ? QStringLiteral("no response") : ex.error;
    const QJsonObject o = jsonObjectOf(ex);
    QString s = QStringLiteral("HTTP %1").arg(ex.status);
    if (o.contains(QLatin1String("error")))
        s += QStringLiteral(" %1").arg(o.value(QLatin1String("error")).toString());
    if (o.contains(QLatin1String("error_description")))
        s += QStringLiteral(" (%1)").arg(o.value(QLatin1String("error_description")).toString());
    return s;
}

} // namespace

AuthFlow::AuthFlow(AuthSettings settings, QUrl endpoint, TokenStore *store, QString connection,
                   QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_endpoint(std::move(endpoint)), m_store(store),
      m_connection(std::move(connection)), m_http(new RecordedHttp(this))
{}

AuthFlow::~AuthFlow() = default;

void AuthFlow::setTlsPolicy(const TlsPolicy &policy)
{
    m_http->setTlsPolicy(policy);
}

QString AuthFlow::stageName(Stage stage)
{
    switch (stage) {
    case Stage::Refusal:
        return QStringLiteral("server refusal");
    case Stage::ResourceMetadata:
        return QStringLiteral("protected resource metadata");
    case Stage::ServerMetadata:
        return QStringLiteral("authorization server metadata");
    case Stage::Refresh:
        return QStringLiteral("refresh");
    case Stage::ClientIdentity:
        return QStringLiteral("client identity");
    case Stage::AuthorizationRequest:
        return QStringLiteral("authorization request");
    case Stage::AuthorizationResponse:
        return QStringLiteral("authorization response");
    case Stage::TokenRequest:
        return QStringLiteral("token request");
    case Stage::ClientCredentials:
        return QStringLiteral("client credentials token request");
    case Stage::TokenExchange:
        return QStringLiteral("token exchange");
    case Stage::JwtBearer:
        return QStringLiteral("JWT bearer grant");
    case Stage::Dpop:
        return QStringLiteral("DPoP key");
    }
    return {};
}

void AuthFlow::start(const HttpExchange &refusal)
{
    m_refusal = refusal;
    m_running = true;
    m_pending = {Stage::Refusal, Stage::ResourceMetadata, Stage::ServerMetadata};
    advance();
}

void AuthFlow::startRefresh()
{
    m_refreshOnly = true;
    m_running = true;
    m_pending = {Stage::ResourceMetadata, Stage::ServerMetadata};
    advance();
}

InspectOptions AuthFlow::inspectOptions() const
{
    InspectOptions o;
    o.resource = m_params.value(QStringLiteral("resource"));
    o.issuer = m_issuer;
    o.jwksUrl = endpointOf("jwks_uri");
    o.introspectionEndpoint = endpointOf("introspection_endpoint");
    o.introspectionClient = m_client;
    o.tls = m_http->tlsPolicy();
    return o;
}

CredentialScope AuthFlow::scope() const
{
    return {m_connection, canonicalResource(m_endpoint), m_issuer};
}

QString AuthFlow::nextStepName() const
{
    return m_pending.isEmpty() ? QString() : stageName(m_pending.first());
}

void AuthFlow::continueFlow()
{
    if (!m_paused)
        return;
    m_paused = false;
    runStage(m_pending.takeFirst());
}

void AuthFlow::runToEnd()
{
    m_pauseEach = false;
    continueFlow();
}

void AuthFlow::cancel()
{
    if (!m_running)
        return;
    ++m_generation;
    m_paused = false;
    m_running = false;
    if (m_listener)
        m_listener->close();
    Q_EMIT failed(makeError(Error::Category::Cancelled, QStringLiteral("authorization"),
                            QStringLiteral("cancelled by the user")));
}

void AuthFlow::setParameter(const QString &name, const QString &value)
{
    m_params.insert(name, value);
    m_tampered.insert(name);
}

void AuthFlow::markTampered(const QStringList &parameters)
{
    for (const QString &p : parameters)
        if (m_tampered.contains(p))
            m_steps.last().tampered = true;
}

void AuthFlow::advance()
{
    if (!m_running)
        return;
    if (m_pending.isEmpty()) {
        m_running = false;
        if (m_listener)
            m_listener->close();
        Q_EMIT finished(m_tokens);
        return;
    }
    if (m_pauseEach && !m_steps.isEmpty()) {
        m_paused = true;
        Q_EMIT paused(nextStepName());
        return;
    }
    runStage(m_pending.takeFirst());
}

void AuthFlow::runStage(Stage stage)
{
    m_steps.append(AuthStep{stageName(stage), {}, {}, {}, false, false});
    Q_EMIT stepStarted(int(m_steps.size()) - 1, m_steps.last().name);
    switch (stage) {
    case Stage::Refusal:
        readRefusal();
        break;
    case Stage::ResourceMetadata:
        fetchResourceMetadata(0);
        break;
    case Stage::ServerMetadata:
        fetchServerMetadata(0);
        break;
    case Stage::Refresh:
        refreshToken();
        break;
    case Stage::ClientIdentity:
        identifyClient();
        break;
    case Stage::AuthorizationRequest:
        requestAuthorization();
        break;
    case Stage::AuthorizationResponse:
        checkAuthorizationResponse();
        break;
    case Stage::TokenRequest:
        requestToken();
        break;
    case Stage::ClientCredentials:
        requestClientCredentials();
        break;
    case Stage::TokenExchange:
        exchangeIdToken();
        break;
    case Stage::JwtBearer:
        requestJwtBearer();
        break;
    case Stage::Dpop:
        chooseDpop();
        break;
    }
}

void AuthFlow::finishStep(const QString &decision, const QString &reason)
{
    AuthStep &step = m_steps.last();
    step.decision = decision;
    QStringList parts = std::exchange(m_stepNotes, {});
    if (!reason.isEmpty())
        parts.prepend(reason);
    step.reason = parts.join(QStringLiteral("; "));
    Q_EMIT stepFinished(int(m_steps.size()) - 1, step);
    advance();
}

void AuthFlow::failStep(const QString &reason)
{
    AuthStep &step = m_steps.last();
    step.failed = true;
    step.decision = QStringLiteral("stop");
    step.reason = (QStringList(std::exchange(m_stepNotes, {})) << reason).join(QStringLiteral("; "));
    m_running = false;
    m_pending.clear();
    if (m_listener)
        m_listener->close();
    Q_EMIT stepFinished(int(m_steps.size()) - 1, step);
    Q_EMIT failed(makeError(Error::Category::Auth, QStringLiteral("authorization: ") + step.name, reason));
}

void AuthFlow::http(const QByteArray &verb, const QUrl &url,
                    const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body, Then then)
{
    // Every address here came from a server (metadata, endpoints, redirects): checked before it is contacted.
    if (const QString refusal = refusalToContact(url, m_endpoint); !refusal.isEmpty()) {
        failStep(QStringLiteral("%1 is not contacted: %2")
                     .arg(url.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo), refusal));
        return;
    }
    const quint64 generation = m_generation;
    const auto record = [this, generation](const HttpExchange &ex) {
        if (generation != m_generation)
            return false;
        m_steps.last().exchanges.append(ex);
        if (ex.status != 0 && !ex.error.isEmpty()) // certificate errors ignored on the user's word
            m_stepNotes << ex.error;
        return true;
    };
    m_http->send(
        verb, url, headers, body,
        [record, then](const HttpExchange &ex) {
            if (record(ex))
                then(ex);
        },
        record);
}

void AuthFlow::postForm(const QUrl &url, Form form, const ClientRegistration &client, Then then,
                        bool nonceRetried)
{
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/x-www-form-urlencoded"},
                                                 {"Accept", "application/json"}};
    QString error;
    if (m_useDpop && url == endpointOf("token_endpoint")) {
        const QByteArray proof = m_dpop->proof("POST", url, {}, &error);
        if (proof.isEmpty()) {
            failStep(QStringLiteral("cannot sign the DPoP proof: %1").arg(error));
            return;
        }
        headers.append({"DPoP", proof});
        then = [this, url, form, client, then, nonceRetried](const HttpExchange &ex) {
            const QByteArray nonce = demandedDpopNonce(ex);
            if (!nonce.isEmpty() && !nonceRetried) {
                m_dpop->setNonce(url, nonce);
                m_stepNotes << QStringLiteral(
                    "the authorization server demanded a DPoP nonce (use_dpop_nonce), "
                    "so the request was sent once more with it");
                postForm(url, form, client, then, true);
                return;
            }
            if (!headerValue(ex.responseHeaders, "DPoP-Nonce").isEmpty()) // RFC 9449 §8.2: the next one
                m_dpop->setNonce(url, headerValue(ex.responseHeaders, "DPoP-Nonce").trimmed());
            noteDpopTokenResponse(ex);
            then(ex);
        };
    }
    if (!authenticateClient(client, m_settings.privateKeyPem, m_settings.signingAlgorithm, m_issuer, &headers,
                            &form, &error)) {
        failStep(error);
        return;
    }
    http("POST", url, headers, formEncode(form), std::move(then));
}

bool AuthFlow::readTokens(const HttpExchange &ex, TokenSet *tokens, QString *why) const
{
    if (ex.status != 200 || !isJsonObject(ex)) {
        *why = QStringLiteral("the token endpoint answered %1").arg(describeFailure(ex));
        return false;
    }
    const QJsonObject o = jsonObjectOf(ex);
    const QString token = o.value(QLatin1String("access_token")).toString();
    if (token.isEmpty()) {
        *why = QStringLiteral("the token response has no access_token");
        return false;
    }
    tokens->issuer = m_issuer;
    tokens->accessToken = token.toUtf8();
    tokens->refreshToken = o.value(QLatin1String("refresh_token")).toString().toUtf8();
    tokens->tokenType = o.value(QLatin1String("token_type")).toString(QStringLiteral("Bearer"));
    tokens->scopes =
        o.contains(QLatin1String("scope"))
            ? o.value(QLatin1String("scope")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts)
            : m_params.value(QStringLiteral("scope")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (o.contains(QLatin1String("expires_in")))
        tokens->expiresAt =
            QDateTime::currentDateTimeUtc().addSecs(o.value(QLatin1String("expires_in")).toInteger());
    const bool proofSent = !headerValue(ex.requestHeaders, "DPoP").isEmpty();
    if (tokens->tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0 && !proofSent) {
        *why = QStringLiteral("token_type is DPoP, but the request carried no DPoP proof to bind it to");
        return false;
    }
    if (tokens->tokenType.compare(QLatin1String("Bearer"), Qt::CaseInsensitive) != 0 &&
        tokens->tokenType.compare(QLatin1String("N_A"), Qt::CaseInsensitive) != 0 &&
        tokens->tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) != 0) {
        *why = QStringLiteral("token_type is \"%1\"; only Bearer and DPoP tokens are supported")
                   .arg(tokens->tokenType);
        return false;
    }
    return true;
}

QUrl AuthFlow::endpointOf(const char *field) const
{
    return QUrl(m_asMetadata.value(QLatin1String(field)).toString());
}

// ---------------------------------------------------------------------------------------------------------------
// Discovery

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
        chooseGrantStages();
        if (!m_refreshOnly && m_pending.contains(Stage::Refresh))
            m_stepNotes << QStringLiteral("a refresh token for %1 is kept in %2, so it is refreshed")
                               .arg(m_issuer, m_store->storeName());
        finishStep(decision, reason);
    });
}

void AuthFlow::chooseGrantStages()
{
    // Queues the stages after discovery, before the step finishes (the flow may pause then).
    const TokenSet stored = m_store->tokens(scope());
    if (m_refreshOnly) {
        m_pending = {Stage::Refresh};
    } else if (m_settings.grant == AuthSettings::Grant::ClientCredentials) {
        m_pending = {Stage::ClientCredentials};
    } else if (m_settings.grant == AuthSettings::Grant::EnterpriseManaged) {
        m_pending = {Stage::TokenExchange, Stage::JwtBearer};
    } else if (m_settings.grant == AuthSettings::Grant::WorkloadIdentity) {
        m_idJag = m_settings.workloadAssertion;
        m_pending = {Stage::JwtBearer};
    } else if (!m_stepUp && !stored.refreshToken.isEmpty()) {
        m_pending = {Stage::Refresh};
    } else {
        m_pending = {Stage::ClientIdentity, Stage::AuthorizationRequest, Stage::AuthorizationResponse,
                     Stage::TokenRequest};
    }
    if (!m_pending.contains(Stage::Refresh))
        m_params.insert(QStringLiteral("scope"), selectScope());
    if (m_asMetadata.contains(QLatin1String("dpop_signing_alg_values_supported")))
        m_pending.prepend(Stage::Dpop);
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

// ---------------------------------------------------------------------------------------------------------------
// Authorization code grant

void AuthFlow::identifyClient()
{
    // A client registered earlier with this issuer keeps its redirect URI: listen on the same port.
    ClientRegistration known = m_store->registration(scope());
    if (!m_listener) {
        m_listener = new LoopbackRedirectListener(this);
        QString error;
        const quint16 port = quint16(QUrl(known.redirectUri).port(0));
        if (port != 0 && !m_listener->listen(&error, port))
            known = {}; // the port is taken: register anew
        if (!m_listener->listen(&error)) {
            failStep(error);
            return;
        }
    }
    const QString redirectUri = m_listener->redirectUri().toString();
    const QStringList authMethods =
        m_asMetadata.contains(QLatin1String("token_endpoint_auth_methods_supported"))
            ? stringList(m_asMetadata.value(QLatin1String("token_endpoint_auth_methods_supported")))
            : QStringList{QStringLiteral("client_secret_basic")};
    const auto secretMethod = [authMethods] { // by value: it runs after this function returns
        return authMethods.contains(QLatin1String("client_secret_basic")) ||
                       !authMethods.contains(QLatin1String("client_secret_post"))
                   ? QStringLiteral("client_secret_basic")
                   : QStringLiteral("client_secret_post");
    };
    const auto done = [this, redirectUri](const QString &decision, const QString &reason) {
        m_client.issuer = m_issuer;
        m_client.redirectUri = redirectUri;
        m_store->setRegistration(scope(), m_client);
        prepareAuthorization();
        if (!m_tampered.contains(QStringLiteral("redirect_uri")))
            m_params.insert(QStringLiteral("redirect_uri"), redirectUri);
        finishStep(decision, reason);
    };
    if (!m_settings.clientId.isEmpty()) {
        m_client = {m_issuer,
                    m_settings.clientId,
                    m_settings.clientSecret,
                    m_settings.clientSecret.isEmpty() ? QStringLiteral("none") : secretMethod(),
                    QStringLiteral("pre-registered"),
                    {}};
        done(QStringLiteral("pre-registered client %1, token endpoint authentication %2")
                 .arg(m_client.clientId, m_client.authMethod),
             QStringLiteral("a client ID was given"));
        return;
    }
    if (!known.clientId.isEmpty()) {
        m_client = known;
        done(QStringLiteral("client %1 (%2 earlier with this authorization server)")
                 .arg(known.clientId, known.how),
             QStringLiteral("registrations are kept per issuer"));
        return;
    }
    if (m_asMetadata.value(QLatin1String("client_id_metadata_document_supported")).toBool() &&
        !m_settings.clientMetadataUrl.isEmpty()) {
        m_client = {m_issuer,
                    m_settings.clientMetadataUrl,
                    {},
                    QStringLiteral("none"),
                    QStringLiteral("client ID metadata document"),
                    {}};
        done(QStringLiteral("client ID metadata document %1 as client_id").arg(m_settings.clientMetadataUrl),
             QStringLiteral("the authorization server supports client ID metadata documents"));
        return;
    }
    const QUrl registration = endpointOf("registration_endpoint");
    if (registration.isEmpty()) {
        failStep(
            QStringLiteral("the authorization server offers no dynamic client registration and no client ID "
                           "was given (pre-register a client and pass its ID)"));
        return;
    }
    const QString method =
        authMethods.contains(QLatin1String("none")) ? QStringLiteral("none") : secretMethod();
    QJsonObject request{{QStringLiteral("client_name"), m_settings.clientName},
                        {QStringLiteral("redirect_uris"), QJsonArray{redirectUri}},
                        {QStringLiteral("grant_types"),
                         QJsonArray{QStringLiteral("authorization_code"), QStringLiteral("refresh_token")}},
                        {QStringLiteral("response_types"), QJsonArray{QStringLiteral("code")}},
                        {QStringLiteral("token_endpoint_auth_method"), method},
                        {QStringLiteral("application_type"), QStringLiteral("native")}};
    http("POST", registration, {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
         QJsonDocument(request).toJson(QJsonDocument::Compact),
         [this, done, method, secretMethod](const HttpExchange &ex) {
             const QJsonObject o = jsonObjectOf(ex);
             if ((ex.status != 200 && ex.status != 201) ||
                 o.value(QLatin1String("client_id")).toString().isEmpty()) {
                 failStep(QStringLiteral("dynamic client registration failed: %1").arg(describeFailure(ex)));
                 return;
             }
             const QByteArray secret = o.value(QLatin1String("client_secret")).toString().toUtf8();
             QString authMethod = o.value(QLatin1String("token_endpoint_auth_method")).toString();
             if (authMethod.isEmpty())
                 authMethod = secret.isEmpty() ? QStringLiteral("none")
                                               : (method == QLatin1String("none") ? secretMethod() : method);
             m_client = {m_issuer,   o.value(QLatin1String("client_id")).toString(), secret,
                         authMethod, QStringLiteral("dynamic registration"),         {}};
             done(QStringLiteral("registered as client %1, token endpoint authentication %2")
                      .arg(m_client.clientId, authMethod),
                  QStringLiteral("no client ID was given and the server supports dynamic registration"));
         });
}

void AuthFlow::prepareAuthorization()
{
    const Pkce pkce = Pkce::generate();
    m_expectedState = QString::fromLatin1(randomUrlSafe(16));
    const QMap<QString, QString> planned{
        {QStringLiteral("client_id"), m_client.clientId},
        {QStringLiteral("state"), m_expectedState},
        {QStringLiteral("code_verifier"), QString::fromLatin1(pkce.verifier)},
        {QStringLiteral("code_challenge"), QString::fromLatin1(pkce.challenge)},
        {QStringLiteral("code_challenge_method"), QStringLiteral("S256")}};
    for (auto it = planned.begin(); it != planned.end(); ++it)
        if (!m_tampered.contains(it.key()))
            m_params.insert(it.key(), it.value());
}

void AuthFlow::requestAuthorization()
{
    markTampered({QStringLiteral("client_id"), QStringLiteral("redirect_uri"), QStringLiteral("state"),
                  QStringLiteral("code_challenge"), QStringLiteral("code_challenge_method"),
                  QStringLiteral("resource"), QStringLiteral("scope")});
    const QStringList methods =
        stringList(m_asMetadata.value(QLatin1String("code_challenge_methods_supported")));
    if (!m_defaultEndpoints && !methods.contains(QLatin1String("S256"))) {
        failStep(methods.isEmpty()
                     ? QStringLiteral(
                           "the authorization server does not advertise PKCE (no "
                           "code_challenge_methods_supported in its metadata); MCP requires S256, so the "
                           "authorization code could be intercepted. Refusing to continue")
                     : QStringLiteral(
                           "the authorization server does not support PKCE S256 (it lists %1); refusing to "
                           "continue")
                           .arg(methods.join(QStringLiteral(", "))));
        return;
    }
    QUrl url = endpointOf("authorization_endpoint");
    QUrlQuery query(url);
    const auto add = [&query, this](const QString &name) {
        const QString v = m_params.value(name);
        if (!v.isEmpty())
            query.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    };
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    for (const char *name : {"client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method",
                             "resource", "scope"})
        add(QLatin1String(name));
    url.setQuery(query);
    // The server chose this address, and a browser opens whatever it is given (file:, custom schemes).
    if (const QString refusal = refusalToOpen(url); !refusal.isEmpty()) {
        failStep(QStringLiteral("the authorization endpoint %1 is not opened: %2")
                     .arg(url.toDisplayString(QUrl::RemoveQuery), refusal));
        return;
    }
    Q_EMIT authorizationUrlReady(url);

    const quint64 generation = m_generation;
    connect(
        m_listener, &LoopbackRedirectListener::callbackReceived, this,
        [this, generation](const QUrlQuery &q) {
            if (generation != m_generation || m_callback.hasQueryItem(QStringLiteral("state")) || !m_running)
                return;
            m_callback = q;
            HttpExchange cb;
            cb.started = QDateTime::currentDateTimeUtc();
            cb.method = "GET";
            cb.url = m_listener->redirectUri();
            cb.url.setQuery(q);
            cb.status = 200;
            m_steps.last().exchanges.append(cb);
            finishStep(QStringLiteral("redirect received on %1").arg(m_listener->redirectUri().toString()));
        },
        Qt::SingleShotConnection);
    QTimer::singleShot(m_settings.redirectTimeoutMs, this, [this, generation] {
        if (generation == m_generation && m_running && m_callback.isEmpty() &&
            m_steps.last().name == stageName(Stage::AuthorizationRequest))
            failStep(
                QStringLiteral("no redirect arrived within %1 s").arg(m_settings.redirectTimeoutMs / 1000));
    });
    switch (m_settings.userAgent) {
    case AuthSettings::UserAgent::SystemBrowser:
#ifdef Q_OS_MACOS
        QProcess::startDetached(QStringLiteral("open"), {url.toString(QUrl::FullyEncoded)});
#else
        QProcess::startDetached(QStringLiteral("xdg-open"), {url.toString(QUrl::FullyEncoded)});
#endif
        m_steps.last().decision = QStringLiteral("opened the system browser; waiting for the redirect");
        break;
    case AuthSettings::UserAgent::FollowRedirect:
        followRedirect(url, 0);
        break;
    case AuthSettings::UserAgent::External:
        break;
    }
}

void AuthFlow::followRedirect(const QUrl &url, int hops)
{
    http("GET", url, {}, {}, [this, url, hops](const HttpExchange &ex) {
        if (!m_callback.isEmpty())
            return;
        QByteArray location;
        for (const auto &[name, value] : ex.responseHeaders)
            if (name.compare("Location", Qt::CaseInsensitive) == 0)
                location = value;
        if (ex.status < 300 || ex.status >= 400 || location.isEmpty()) {
            if (ex.method == "GET" && url.port() == m_listener->redirectUri().port() &&
                url.host() == QLatin1String("127.0.0.1"))
                return; // our own listener answered; its signal finishes the step
            failStep(
                QStringLiteral("following the authorization request directly: %1 did not redirect (%2); it "
                               "probably wants a person, so use the browser")
                    .arg(url.toString(QUrl::RemoveQuery), describeFailure(ex)));
            return;
        }
        if (hops >= 8) {
            failStep(QStringLiteral("more than 8 redirects while following the authorization request"));
            return;
        }
        followRedirect(url.resolved(QUrl::fromEncoded(location)), hops + 1);
    });
}

void AuthFlow::checkAuthorizationResponse()
{
    // State first: anything on this machine can reach the loopback listener, so an error= without our state
    // is no word of the authorization server's.
    const QString state = m_callback.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
    if (state != m_expectedState) {
        failStep(
            QStringLiteral(
                "state mismatch: expected \"%1\", the redirect carried \"%2\"; the response may be forged "
                "(CSRF), so its code is not used")
                .arg(m_expectedState, state));
        return;
    }
    const QString error = m_callback.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded);
    if (!error.isEmpty()) {
        failStep(QStringLiteral("the authorization server refused: %1 %2")
                     .arg(error, m_callback.queryItemValue(QStringLiteral("error_description"),
                                                           QUrl::FullyDecoded)));
        return;
    }
    // RFC 9207: compare iss whenever it is present; require it when the server says it sends it.
    const bool issAdvertised =
        m_asMetadata.value(QLatin1String("authorization_response_iss_parameter_supported")).toBool();
    const bool hasIss = m_callback.hasQueryItem(QStringLiteral("iss"));
    const QString iss = m_callback.queryItemValue(QStringLiteral("iss"), QUrl::FullyDecoded);
    if (issAdvertised && !hasIss) {
        failStep(QStringLiteral(
            "iss missing: the authorization server advertises "
            "authorization_response_iss_parameter_supported but the redirect has no iss (RFC 9207); "
            "the response may come from a mix-up attack"));
        return;
    }
    if (hasIss && iss != m_issuer) {
        failStep(
            QStringLiteral(
                "iss mismatch: the redirect says iss \"%1\", the authorization server is \"%2\" (RFC 9207, "
                "compared exactly); the code is not used")
                .arg(iss, m_issuer));
        return;
    }
    m_code = m_callback.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded).toUtf8();
    if (m_code.isEmpty()) {
        failStep(QStringLiteral("the redirect carries no code"));
        return;
    }
    finishStep(
        QStringLiteral("accept the authorization code"),
        QStringLiteral("state matches%1")
            .arg(hasIss ? QStringLiteral(", iss matches") : QStringLiteral(", no iss (not advertised)")));
}

void AuthFlow::requestToken()
{
    markTampered(
        {QStringLiteral("code_verifier"), QStringLiteral("redirect_uri"), QStringLiteral("resource")});
    Form form{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
              {QStringLiteral("code"), QString::fromUtf8(m_code)},
              {QStringLiteral("redirect_uri"), m_params.value(QStringLiteral("redirect_uri"))}};
    for (const char *name : {"code_verifier", "resource"})
        if (!m_params.value(QLatin1String(name)).isEmpty())
            form.append({QLatin1String(name), m_params.value(QLatin1String(name))});
    postForm(endpointOf("token_endpoint"), form, m_client, [this](const HttpExchange &ex) {
        QString why;
        if (!readTokens(ex, &m_tokens, &why)) {
            failStep(why);
            return;
        }
        m_store->setTokens(scope(), m_tokens);
        finishStep(
            QStringLiteral("use the access token for %1").arg(m_params.value(QStringLiteral("resource"))),
            QStringLiteral("scopes: %1; %2")
                .arg(m_tokens.scopes.isEmpty() ? QStringLiteral("(none named)")
                                               : m_tokens.scopes.join(QLatin1Char(' ')),
                     m_tokens.refreshToken.isEmpty() ? QStringLiteral("no refresh token")
                                                     : QStringLiteral("a refresh token was issued")));
    });
}

void AuthFlow::refreshToken()
{
    const TokenSet stored = m_store->tokens(scope());
    m_client = m_store->registration(scope());
    if (stored.refreshToken.isEmpty()) {
        failStep(QStringLiteral("there is no refresh token for %1").arg(m_issuer));
        return;
    }
    const Form form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                    {QStringLiteral("refresh_token"), QString::fromUtf8(stored.refreshToken)},
                    {QStringLiteral("resource"), m_params.value(QStringLiteral("resource"))}};
    postForm(endpointOf("token_endpoint"), form, m_client, [this, stored](const HttpExchange &ex) {
        QString why;
        if (!readTokens(ex, &m_tokens, &why)) {
            m_store->removeTokens(scope());
            if (m_refreshOnly) {
                failStep(QStringLiteral("refresh refused: %1").arg(why));
                return;
            }
            m_pending = {Stage::ClientIdentity, Stage::AuthorizationRequest, Stage::AuthorizationResponse,
                         Stage::TokenRequest};
            m_params.insert(QStringLiteral("scope"), selectScope());
            finishStep(QStringLiteral("authorize again"), QStringLiteral("refresh refused: %1").arg(why));
            return;
        }
        if (m_tokens.refreshToken.isEmpty())
            m_tokens.refreshToken = stored.refreshToken; // the old one stays valid unless rotated
        if (!ex.responseBody.contains("\"scope\""))
            m_tokens.scopes = stored.scopes;
        m_store->setTokens(scope(), m_tokens);
        finishStep(
            QStringLiteral("use the refreshed access token"),
            QStringLiteral("the authorization server issued a new access token from the refresh token"));
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Client credentials and enterprise-managed authorization

void AuthFlow::requestClientCredentials()
{
    if (m_settings.clientId.isEmpty()) {
        failStep(QStringLiteral("the client credentials grant needs a pre-registered client ID"));
        return;
    }
    QString method;
    if (!m_settings.privateKeyPem.isEmpty())
        method = QStringLiteral("private_key_jwt");
    else if (stringList(m_asMetadata.value(QLatin1String("token_endpoint_auth_methods_supported")))
                 .contains(QLatin1String("client_secret_post")) &&
             !stringList(m_asMetadata.value(QLatin1String("token_endpoint_auth_methods_supported")))
                  .contains(QLatin1String("client_secret_basic")))
        method = QStringLiteral("client_secret_post");
    else
        method = QStringLiteral("client_secret_basic");
    m_client = {
        m_issuer, m_settings.clientId, m_settings.clientSecret, method, QStringLiteral("pre-registered"), {}};
    Form form{{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
              {QStringLiteral("resource"), m_params.value(QStringLiteral("resource"))}};
    if (!m_params.value(QStringLiteral("scope")).isEmpty())
        form.append({QStringLiteral("scope"), m_params.value(QStringLiteral("scope"))});
    postForm(endpointOf("token_endpoint"), form, m_client, [this, method](const HttpExchange &ex) {
        QString why;
        if (!readTokens(ex, &m_tokens, &why)) {
            failStep(why);
            return;
        }
        m_store->setTokens(scope(), m_tokens);
        finishStep(QStringLiteral("use the access token"),
                   QStringLiteral("client %1 authenticated with %2").arg(m_client.clientId, method));
    });
}

void AuthFlow::exchangeIdToken()
{
    if (m_settings.idpTokenEndpoint.isEmpty() || m_settings.idpIdToken.isEmpty()) {
        failStep(QStringLiteral(
            "enterprise-managed authorization needs the IdP's token endpoint and an ID token"));
        return;
    }
    Form form{
        {QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:token-exchange")},
        {QStringLiteral("requested_token_type"), QStringLiteral("urn:ietf:params:oauth:token-type:id-jag")},
        {QStringLiteral("subject_token"), QString::fromUtf8(m_settings.idpIdToken)},
        {QStringLiteral("subject_token_type"), QStringLiteral("urn:ietf:params:oauth:token-type:id_token")},
        {QStringLiteral("audience"), m_issuer},
        {QStringLiteral("resource"), m_params.value(QStringLiteral("resource"))}};
    if (!m_params.value(QStringLiteral("scope")).isEmpty())
        form.append({QStringLiteral("scope"), m_params.value(QStringLiteral("scope"))});
    const ClientRegistration idpClient{
        {},
        m_settings.idpClientId,
        m_settings.idpClientSecret,
        m_settings.idpClientSecret.isEmpty() ? QStringLiteral("none") : QStringLiteral("client_secret_post"),
        QStringLiteral("pre-registered"),
        {}};
    postForm(m_settings.idpTokenEndpoint, form, idpClient, [this](const HttpExchange &ex) {
        const QJsonObject o = jsonObjectOf(ex);
        m_idJag = o.value(QLatin1String("access_token")).toString().toUtf8();
        if (ex.status != 200 || m_idJag.isEmpty()) {
            failStep(QStringLiteral("the IdP refused the token exchange: %1").arg(describeFailure(ex)));
            return;
        }
        finishStep(QStringLiteral("present the identity assertion grant (ID-JAG) to %1").arg(m_issuer),
                   QStringLiteral("issued_token_type %1")
                       .arg(o.value(QLatin1String("issued_token_type")).toString()));
    });
}

void AuthFlow::requestJwtBearer()
{
    m_client = {m_issuer,
                m_settings.clientId,
                m_settings.clientSecret,
                m_settings.clientSecret.isEmpty() ? QStringLiteral("none")
                                                  : QStringLiteral("client_secret_basic"),
                QStringLiteral("pre-registered"),
                {}};
    Form form{{QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer")},
              {QStringLiteral("assertion"), QString::fromUtf8(m_idJag)}};
    if (!m_params.value(QStringLiteral("scope")).isEmpty())
        form.append({QStringLiteral("scope"), m_params.value(QStringLiteral("scope"))});
    postForm(endpointOf("token_endpoint"), form, m_client, [this](const HttpExchange &ex) {
        QString why;
        if (!readTokens(ex, &m_tokens, &why)) {
            failStep(why);
            return;
        }
        m_store->setTokens(scope(), m_tokens);
        finishStep(QStringLiteral("use the access token"),
                   QStringLiteral("the authorization server accepted the assertion"));
    });
}

// ---------------------------------------------------------------------------------------------------------------
// DPoP (RFC 9449)

void AuthFlow::chooseDpop()
{
    const QStringList offered =
        stringList(m_asMetadata.value(QLatin1String("dpop_signing_alg_values_supported")));
    const QString why =
        QStringLiteral("the authorization server offers DPoP (dpop_signing_alg_values_supported: %1)")
            .arg(offered.isEmpty() ? QStringLiteral("empty") : offered.join(QStringLiteral(", ")));
    m_useDpop = false;
    if (!m_settings.dpop) {
        finishStep(QStringLiteral("use Bearer tokens: DPoP is turned off in the settings"), why);
        return;
    }
    const QString alg = m_dpop->hasKey() && offered.contains(m_dpop->algorithm())
                            ? m_dpop->algorithm()
                            : DpopKey::chooseAlgorithm(offered, m_settings.dpopAlgorithm);
    if (alg.isEmpty()) {
        finishStep(QStringLiteral("use Bearer tokens"),
                   why + QStringLiteral(", but with none this client signs (%1)")
                             .arg(DpopKey::supportedAlgorithms().join(QStringLiteral(", "))));
        return;
    }
    const bool existing = m_dpop->hasKey();
    QString error;
    if (!m_dpop->ensureKey(alg, &error)) {
        failStep(QStringLiteral("cannot make the DPoP key: %1").arg(error));
        return;
    }
    m_useDpop = true;
    finishStep(QStringLiteral(
                   "%1 the %2 DPoP key %3 and send a proof with every token request and every MCP request")
                   .arg(existing ? QStringLiteral("keep") : QStringLiteral("make"), alg,
                        QString::fromLatin1(m_dpop->thumbprint())),
               why + QStringLiteral("; tokens bound to the key are useless to anyone who copies them"));
}

void AuthFlow::noteDpopTokenResponse(const HttpExchange &ex)
{
    const QJsonObject o = jsonObjectOf(ex);
    if (ex.status != 200 || !o.contains(QLatin1String("access_token")))
        return;
    if (o.value(QLatin1String("token_type")).toString().compare(QLatin1String("DPoP"), Qt::CaseInsensitive) !=
        0) {
        m_stepNotes << QStringLiteral(
                           "the authorization server answered the DPoP proof with a %1 token: it is "
                           "not bound to the key")
                           .arg(o.value(QLatin1String("token_type")).toString(QStringLiteral("Bearer")));
        return;
    }
    Jwt jwt;
    QString error;
    if (!Jwt::parse(o.value(QLatin1String("access_token")).toString().toUtf8(), &jwt, &error)) {
        m_stepNotes << QStringLiteral("a DPoP-bound token (opaque, so its binding cannot be seen here)");
        return;
    }
    const QString jkt =
        jwt.claims.value(QLatin1String("cnf")).toObject().value(QLatin1String("jkt")).toString();
    m_stepNotes << (jkt == QString::fromLatin1(m_dpop->thumbprint())
                        ? QStringLiteral("a DPoP-bound token: its cnf.jkt is this key's thumbprint")
                        : QStringLiteral(
                              "token_type DPoP, but its cnf.jkt \"%1\" is not this key's thumbprint %2")
                              .arg(jkt, QString::fromLatin1(m_dpop->thumbprint())));
}

void AuthFlow::appendStep(const AuthStep &step)
{
    m_steps.append(step);
    const int index = int(m_steps.size()) - 1;
    Q_EMIT stepStarted(index, step.name);
    Q_EMIT stepFinished(index, step);
}

} // namespace mcp::auth
