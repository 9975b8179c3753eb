// The authorization code grant (client identity, authorization request and response, token request, with
// PKCE and RFC 9207), and the refresh that reuses what it stored.
#include "authanswers.h"
#include "authflow.h"
#include "grants.h"
#include "loopbackredirectlistener.h"
#include "pkce.h"
#include "transport/urlpolicy.h"

#include <QProcess>

namespace mcp::auth {

namespace {

const QString kClientIdentity = QStringLiteral("client identity");
const QString kAuthorizationRequest = QStringLiteral("authorization request");
const QString kAuthorizationResponse = QStringLiteral("authorization response");
const QString kTokenRequest = QStringLiteral("token request");

} // namespace

AuthorizationCodeGrant::~AuthorizationCodeGrant()
{
    stop();
}

QStringList AuthorizationCodeGrant::stepNames() const
{
    return {kClientIdentity, kAuthorizationRequest, kAuthorizationResponse, kTokenRequest};
}

void AuthorizationCodeGrant::runStep(int index, GrantSteps &flow)
{
    switch (index) {
    case 0:
        return identifyClient(flow);
    case 1:
        return requestAuthorization(flow);
    case 2:
        return checkAuthorizationResponse(flow);
    default:
        return requestToken(flow);
    }
}

void AuthorizationCodeGrant::stop()
{
    m_redirectTimeout.stop();
    if (m_listener) {
        // Possibly inside the listener's own signal: closed now, deleted once control is back in the loop.
        m_listener->disconnect();
        m_listener->close();
        m_listener->deleteLater();
    }
}

void AuthorizationCodeGrant::identifyClient(GrantSteps &flow)
{
    const AuthSettings &settings = flow.settings();
    const QJsonObject metadata = flow.serverMetadata();
    // A client registered earlier with this issuer keeps its redirect URI: listen on the same port.
    ClientRegistration known = flow.store().registration(flow.scope());
    if (!m_listener) {
        m_listener = new LoopbackRedirectListener;
        QString error;
        const quint16 port = quint16(QUrl(known.redirectUri).port(0));
        if (port != 0 && !m_listener->listen(&error, port))
            known = {}; // the port is taken: register anew
        if (!m_listener->listen(&error))
            return flow.failStep(error);
    }
    const QString redirectUri = m_listener->redirectUri().toString();
    const QStringList authMethods =
        metadata.contains(QLatin1String("token_endpoint_auth_methods_supported"))
            ? stringList(metadata.value(QLatin1String("token_endpoint_auth_methods_supported")))
            : QStringList{QStringLiteral("client_secret_basic")};
    const auto secretMethod = [authMethods] { // by value: it runs after this function returns
        return authMethods.contains(QLatin1String("client_secret_basic")) ||
                       !authMethods.contains(QLatin1String("client_secret_post"))
                   ? QStringLiteral("client_secret_basic")
                   : QStringLiteral("client_secret_post");
    };
    const auto done = [this, &flow, redirectUri](ClientRegistration client, const QString &decision,
                                                 const QString &reason) {
        client.issuer = flow.issuer();
        client.redirectUri = redirectUri;
        flow.setClient(client);
        flow.store().setRegistration(flow.scope(), client);
        planAuthorization(flow);
        flow.propose(QStringLiteral("redirect_uri"), redirectUri);
        flow.finishStep(decision, reason);
    };
    if (!settings.clientId.isEmpty()) {
        const QString method = settings.clientSecret.isEmpty() ? QStringLiteral("none") : secretMethod();
        return done({flow.issuer(),
                     settings.clientId,
                     settings.clientSecret,
                     method,
                     QStringLiteral("pre-registered"),
                     {}},
                    QStringLiteral("pre-registered client %1, token endpoint authentication %2")
                        .arg(settings.clientId, method),
                    QStringLiteral("a client ID was given"));
    }
    if (!known.clientId.isEmpty())
        return done(known,
                    QStringLiteral("client %1 (%2 earlier with this authorization server)")
                        .arg(known.clientId, known.how),
                    QStringLiteral("registrations are kept per issuer"));
    if (metadata.value(QLatin1String("client_id_metadata_document_supported")).toBool() &&
        !settings.clientMetadataUrl.isEmpty())
        return done(
            {flow.issuer(),
             settings.clientMetadataUrl,
             {},
             QStringLiteral("none"),
             QStringLiteral("client ID metadata document"),
             {}},
            QStringLiteral("client ID metadata document %1 as client_id").arg(settings.clientMetadataUrl),
            QStringLiteral("the authorization server supports client ID metadata documents"));
    const QUrl registration = endpointOf(flow, "registration_endpoint");
    if (registration.isEmpty())
        return flow.failStep(
            QStringLiteral("the authorization server offers no dynamic client registration and no client ID "
                           "was given (pre-register a client and pass its ID)"));
    const QString method =
        authMethods.contains(QLatin1String("none")) ? QStringLiteral("none") : secretMethod();
    QJsonObject request{{QStringLiteral("client_name"), settings.clientName},
                        {QStringLiteral("redirect_uris"), QJsonArray{redirectUri}},
                        {QStringLiteral("grant_types"),
                         QJsonArray{QStringLiteral("authorization_code"), QStringLiteral("refresh_token")}},
                        {QStringLiteral("response_types"), QJsonArray{QStringLiteral("code")}},
                        {QStringLiteral("token_endpoint_auth_method"), method},
                        {QStringLiteral("application_type"), QStringLiteral("native")}};
    flow.http("POST", registration, {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
              QJsonDocument(request).toJson(QJsonDocument::Compact),
              [&flow, done, method, secretMethod](const HttpExchange &ex) {
                  const QJsonObject o = jsonObjectOf(ex);
                  if ((ex.status != 200 && ex.status != 201) ||
                      o.value(QLatin1String("client_id")).toString().isEmpty())
                      return flow.failStep(
                          QStringLiteral("dynamic client registration failed: %1").arg(describeFailure(ex)));
                  const QByteArray secret = o.value(QLatin1String("client_secret")).toString().toUtf8();
                  QString authMethod = o.value(QLatin1String("token_endpoint_auth_method")).toString();
                  if (authMethod.isEmpty())
                      authMethod = secret.isEmpty()
                                       ? QStringLiteral("none")
                                       : (method == QLatin1String("none") ? secretMethod() : method);
                  const QString clientId = o.value(QLatin1String("client_id")).toString();
                  done({{}, clientId, secret, authMethod, QStringLiteral("dynamic registration"), {}},
                       QStringLiteral("registered as client %1, token endpoint authentication %2")
                           .arg(clientId, authMethod),
                       QStringLiteral("no client ID was given and the server supports dynamic registration"));
              });
}

void AuthorizationCodeGrant::planAuthorization(GrantSteps &flow)
{
    const Pkce pkce = Pkce::generate();
    m_expectedState = QString::fromLatin1(randomUrlSafe(16));
    flow.propose(QStringLiteral("client_id"), flow.client().clientId);
    flow.propose(QStringLiteral("state"), m_expectedState);
    flow.propose(QStringLiteral("code_verifier"), QString::fromLatin1(pkce.verifier));
    flow.propose(QStringLiteral("code_challenge"), QString::fromLatin1(pkce.challenge));
    flow.propose(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
}

void AuthorizationCodeGrant::requestAuthorization(GrantSteps &flow)
{
    flow.markTampered({QStringLiteral("client_id"), QStringLiteral("redirect_uri"), QStringLiteral("state"),
                       QStringLiteral("code_challenge"), QStringLiteral("code_challenge_method"),
                       QStringLiteral("resource"), QStringLiteral("scope")});
    const QStringList methods =
        stringList(flow.serverMetadata().value(QLatin1String("code_challenge_methods_supported")));
    if (!flow.usesDefaultEndpoints() && !methods.contains(QLatin1String("S256")))
        return flow.failStep(
            methods.isEmpty()
                ? QStringLiteral(
                      "the authorization server does not advertise PKCE (no "
                      "code_challenge_methods_supported in its metadata); MCP requires S256, so the "
                      "authorization code could be intercepted. Refusing to continue")
                : QStringLiteral(
                      "the authorization server does not support PKCE S256 (it lists %1); refusing "
                      "to continue")
                      .arg(methods.join(QStringLiteral(", "))));
    QUrl url = endpointOf(flow, "authorization_endpoint");
    QUrlQuery query(url);
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    for (const char *name : {"client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method",
                             "resource", "scope"})
        if (const QString v = flow.parameter(QLatin1String(name)); !v.isEmpty())
            query.addQueryItem(QLatin1String(name), QString::fromLatin1(QUrl::toPercentEncoding(v)));
    url.setQuery(query);
    // The server chose this address, and a browser opens whatever it is given (file:, custom schemes).
    if (const QString refusal = refusalToOpen(url); !refusal.isEmpty())
        return flow.failStep(QStringLiteral("the authorization endpoint %1 is not opened: %2")
                                 .arg(url.toDisplayString(QUrl::RemoveQuery), refusal));
    flow.showAuthorizationUrl(url);

    QObject::connect(
        m_listener, &LoopbackRedirectListener::callbackReceived, m_listener,
        [this, &flow](const QUrlQuery &q) {
            m_redirectTimeout.stop();
            m_callback = q;
            HttpExchange cb;
            cb.started = QDateTime::currentDateTimeUtc();
            cb.method = "GET";
            cb.url = m_listener->redirectUri();
            cb.url.setQuery(q);
            cb.status = 200;
            flow.recordExchange(cb);
            flow.finishStep(
                QStringLiteral("redirect received on %1").arg(m_listener->redirectUri().toString()));
        },
        Qt::SingleShotConnection);
    const int timeoutMs = flow.settings().redirectTimeoutMs;
    m_redirectTimeout.setSingleShot(true);
    m_redirectTimeout.callOnTimeout([&flow, timeoutMs] {
        flow.failStep(QStringLiteral("no redirect arrived within %1 s").arg(timeoutMs / 1000));
    });
    m_redirectTimeout.start(timeoutMs);
    switch (flow.settings().userAgent) {
    case AuthSettings::UserAgent::SystemBrowser:
#ifdef Q_OS_MACOS
        QProcess::startDetached(QStringLiteral("open"), {url.toString(QUrl::FullyEncoded)});
#else
        QProcess::startDetached(QStringLiteral("xdg-open"), {url.toString(QUrl::FullyEncoded)});
#endif
        flow.noteDecision(QStringLiteral("opened the system browser; waiting for the redirect"));
        break;
    case AuthSettings::UserAgent::FollowRedirect:
        followRedirect(flow, url, 0);
        break;
    case AuthSettings::UserAgent::External:
        break;
    }
}

void AuthorizationCodeGrant::followRedirect(GrantSteps &flow, const QUrl &url, int hops)
{
    flow.http("GET", url, {}, {}, [this, &flow, url, hops](const HttpExchange &ex) {
        if (!m_callback.isEmpty())
            return;
        const QByteArray location = headerValue(ex.responseHeaders, "Location");
        if (ex.status < 300 || ex.status >= 400 || location.isEmpty()) {
            if (m_listener && url.port() == m_listener->redirectUri().port() &&
                url.host() == QLatin1String("127.0.0.1"))
                return; // our own listener answered; its signal finishes the step
            return flow.failStep(
                QStringLiteral("following the authorization request directly: %1 did not redirect (%2); it "
                               "probably wants a person, so use the browser")
                    .arg(url.toString(QUrl::RemoveQuery), describeFailure(ex)));
        }
        if (hops >= 8)
            return flow.failStep(
                QStringLiteral("more than 8 redirects while following the authorization request"));
        followRedirect(flow, url.resolved(QUrl::fromEncoded(location)), hops + 1);
    });
}

void AuthorizationCodeGrant::checkAuthorizationResponse(GrantSteps &flow)
{
    // State first: anything on this machine can reach the loopback listener, so an error= without our state
    // is no word of the authorization server's.
    const QString state = m_callback.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
    if (state != m_expectedState)
        return flow.failStep(
            QStringLiteral(
                "state mismatch: expected \"%1\", the redirect carried \"%2\"; the response may be forged "
                "(CSRF), so its code is not used")
                .arg(m_expectedState, state));
    const QString error = m_callback.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded);
    if (!error.isEmpty())
        return flow.failStep(QStringLiteral("the authorization server refused: %1 %2")
                                 .arg(error, m_callback.queryItemValue(QStringLiteral("error_description"),
                                                                       QUrl::FullyDecoded)));
    // RFC 9207: compare iss whenever it is present; require it when the server says it sends it.
    const bool issAdvertised =
        flow.serverMetadata().value(QLatin1String("authorization_response_iss_parameter_supported")).toBool();
    const bool hasIss = m_callback.hasQueryItem(QStringLiteral("iss"));
    const QString iss = m_callback.queryItemValue(QStringLiteral("iss"), QUrl::FullyDecoded);
    if (issAdvertised && !hasIss)
        return flow.failStep(
            QStringLiteral("iss missing: the authorization server advertises "
                           "authorization_response_iss_parameter_supported but the redirect has no iss (RFC "
                           "9207); the response may come from a mix-up attack"));
    if (hasIss && iss != flow.issuer())
        return flow.failStep(
            QStringLiteral(
                "iss mismatch: the redirect says iss \"%1\", the authorization server is \"%2\" (RFC 9207, "
                "compared exactly); the code is not used")
                .arg(iss, flow.issuer()));
    m_code = m_callback.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded).toUtf8();
    if (m_code.isEmpty())
        return flow.failStep(QStringLiteral("the redirect carries no code"));
    flow.finishStep(
        QStringLiteral("accept the authorization code"),
        QStringLiteral("state matches%1")
            .arg(hasIss ? QStringLiteral(", iss matches") : QStringLiteral(", no iss (not advertised)")));
}

void AuthorizationCodeGrant::requestToken(GrantSteps &flow)
{
    flow.markTampered(
        {QStringLiteral("code_verifier"), QStringLiteral("redirect_uri"), QStringLiteral("resource")});
    GrantSteps::Form form{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                          {QStringLiteral("code"), QString::fromUtf8(m_code)},
                          {QStringLiteral("redirect_uri"), flow.parameter(QStringLiteral("redirect_uri"))}};
    for (const char *name : {"code_verifier", "resource"})
        if (const QString v = flow.parameter(QLatin1String(name)); !v.isEmpty())
            form.append({QLatin1String(name), v});
    flow.postForm(endpointOf(flow, "token_endpoint"), form, flow.client(), [&flow](const HttpExchange &ex) {
        TokenSet tokens;
        QString why;
        if (!flow.readTokens(ex, &tokens, &why))
            return flow.failStep(why);
        flow.keepTokens(tokens);
        flow.finishStep(
            QStringLiteral("use the access token for %1").arg(flow.parameter(QStringLiteral("resource"))),
            QStringLiteral("scopes: %1; %2")
                .arg(tokens.scopes.isEmpty() ? QStringLiteral("(none named)")
                                             : tokens.scopes.join(QLatin1Char(' ')),
                     tokens.refreshToken.isEmpty() ? QStringLiteral("no refresh token")
                                                   : QStringLiteral("a refresh token was issued")));
    });
}

QStringList RefreshGrant::stepNames() const
{
    return {QStringLiteral("refresh")};
}

void RefreshGrant::runStep(int, GrantSteps &flow)
{
    const TokenSet stored = flow.store().tokens(flow.scope());
    flow.setClient(flow.store().registration(flow.scope()));
    if (stored.refreshToken.isEmpty())
        return flow.failStep(QStringLiteral("there is no refresh token for %1").arg(flow.issuer()));
    const GrantSteps::Form form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                {QStringLiteral("refresh_token"), QString::fromUtf8(stored.refreshToken)},
                                {QStringLiteral("resource"), flow.parameter(QStringLiteral("resource"))}};
    flow.postForm(
        endpointOf(flow, "token_endpoint"), form, flow.client(), [&flow, stored](const HttpExchange &ex) {
            TokenSet tokens;
            QString why;
            if (!flow.readTokens(ex, &tokens, &why)) {
                flow.store().removeTokens(flow.scope());
                return flow.refreshRefused(why);
            }
            if (tokens.refreshToken.isEmpty())
                tokens.refreshToken = stored.refreshToken; // the old one stays valid unless rotated
            if (!ex.responseBody.contains("\"scope\""))
                tokens.scopes = stored.scopes;
            flow.keepTokens(tokens);
            flow.finishStep(
                QStringLiteral("use the refreshed access token"),
                QStringLiteral("the authorization server issued a new access token from the refresh token"));
        });
}

} // namespace mcp::auth
