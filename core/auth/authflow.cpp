#include "authflow.h"

#include "authanswers.h"
#include "clientauth.h"
#include "discovery.h"
#include "grants.h"
#include "recordedhttp.h"
#include "transport/urlpolicy.h"

namespace mcp::auth {

AuthFlow::AuthFlow(AuthSettings settings, QUrl endpoint, TokenStore *store, QString connection,
                   QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_endpoint(std::move(endpoint)), m_store(store),
      m_connection(std::move(connection)), m_http(new RecordedHttp(this))
{
    m_http->holdPeersTo(m_endpoint); // every address here comes from the server or its metadata
}

AuthFlow::~AuthFlow() = default;

void AuthFlow::setTlsPolicy(const TlsPolicy &policy)
{
    m_http->setTlsPolicy(policy);
}

QString AuthFlow::stepName(const Step &step) const
{
    switch (step.stage) {
    case Stage::Refusal:
        return QStringLiteral("server refusal");
    case Stage::ResourceMetadata:
        return QStringLiteral("protected resource metadata");
    case Stage::ServerMetadata:
        return QStringLiteral("authorization server metadata");
    case Stage::Dpop:
        return QStringLiteral("DPoP key");
    case Stage::Grant:
        return m_grants.back()->stepNames().value(step.grantStep);
    }
    return {};
}

void AuthFlow::start(const HttpExchange &refusal)
{
    m_refusal = refusal;
    m_running = true;
    m_pending = {{Stage::Refusal}, {Stage::ResourceMetadata}, {Stage::ServerMetadata}};
    advance();
}

void AuthFlow::startRefresh()
{
    m_refreshOnly = true;
    m_running = true;
    m_pending = {{Stage::ResourceMetadata}, {Stage::ServerMetadata}};
    advance();
}

InspectOptions AuthFlow::inspectOptions() const
{
    InspectOptions o;
    o.resource = m_params.value(QStringLiteral("resource"));
    o.issuer = m_issuer;
    o.jwksUrl = endpointOf(*this, "jwks_uri");
    o.introspectionEndpoint = endpointOf(*this, "introspection_endpoint");
    o.introspectionClient = m_client;
    o.tls = m_http->tlsPolicy();
    o.addressesFromServer = true;
    return o;
}

CredentialScope AuthFlow::scope() const
{
    return {m_connection, canonicalResource(m_endpoint), m_issuer};
}

QString AuthFlow::nextStepName() const
{
    return m_pending.isEmpty() ? QString() : stepName(m_pending.first());
}

void AuthFlow::continueFlow()
{
    if (!m_paused)
        return;
    m_paused = false;
    runStep(m_pending.takeFirst());
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
    stopGrants();
    Q_EMIT failed(makeError(Error::Category::Cancelled, QStringLiteral("authorization"),
                            QStringLiteral("cancelled by the user")));
}

void AuthFlow::setParameter(const QString &name, const QString &value)
{
    m_params.insert(name, value);
    m_tampered.insert(name);
}

void AuthFlow::propose(const QString &name, const QString &value)
{
    if (!m_tampered.contains(name))
        m_params.insert(name, value);
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
        stopGrants();
        Q_EMIT finished(m_tokens);
        return;
    }
    if (m_pauseEach && !m_steps.isEmpty()) {
        m_paused = true;
        Q_EMIT paused(nextStepName());
        return;
    }
    runStep(m_pending.takeFirst());
}

void AuthFlow::runStep(const Step &step)
{
    m_steps.append(AuthStep{stepName(step), {}, {}, {}, false, false});
    Q_EMIT stepStarted(int(m_steps.size()) - 1, m_steps.last().name);
    switch (step.stage) {
    case Stage::Refusal:
        readRefusal();
        break;
    case Stage::ResourceMetadata:
        fetchResourceMetadata(0);
        break;
    case Stage::ServerMetadata:
        fetchServerMetadata(0);
        break;
    case Stage::Dpop:
        chooseDpop();
        break;
    case Stage::Grant:
        m_grants.back()->runStep(step.grantStep, *this);
        break;
    }
}

void AuthFlow::stopGrants()
{
    for (const auto &grant : m_grants)
        grant->stop();
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
    stopGrants();
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

void AuthFlow::postForm(const QUrl &url, const Form &form, const ClientRegistration &client, Then then)
{
    postFormOnce(url, form, client, std::move(then), false);
}

void AuthFlow::postFormOnce(const QUrl &url, const Form &fields, const ClientRegistration &client, Then then,
                            bool nonceRetried)
{
    Form form = fields;
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/x-www-form-urlencoded"},
                                                 {"Accept", "application/json"}};
    QString error;
    if (m_useDpop && url == endpointOf(*this, "token_endpoint")) {
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
                postFormOnce(url, form, client, then, true);
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

void AuthFlow::keepTokens(const TokenSet &tokens)
{
    m_tokens = tokens;
    m_store->setTokens(scope(), m_tokens);
}

void AuthFlow::recordExchange(const HttpExchange &ex)
{
    m_steps.last().exchanges.append(ex);
}

void AuthFlow::noteDecision(const QString &decision)
{
    m_steps.last().decision = decision;
}

void AuthFlow::showAuthorizationUrl(const QUrl &url)
{
    Q_EMIT authorizationUrlReady(url);
}

void AuthFlow::appendStep(const AuthStep &step)
{
    m_steps.append(step);
    const int index = int(m_steps.size()) - 1;
    Q_EMIT stepStarted(index, step.name);
    Q_EMIT stepFinished(index, step);
}

} // namespace mcp::auth
