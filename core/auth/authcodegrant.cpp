// The authorization code grant of AuthFlow (client identity, authorization request and response, token
// request, with PKCE and RFC 9207), and the refresh that reuses what it stored.
#include "authanswers.h"
#include "authflow.h"
#include "loopbackredirectlistener.h"
#include "pkce.h"
#include "transport/urlpolicy.h"

#include <QProcess>
#include <QTimer>

namespace mcp::auth {

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
        if (!keepTokens(ex))
            return;
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

} // namespace mcp::auth
