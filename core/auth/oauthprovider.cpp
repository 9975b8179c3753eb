#include "oauthprovider.h"

#include "discovery.h"

#include <QTimer>

namespace mcp::auth {

OAuthProvider::OAuthProvider(AuthSettings settings, QUrl endpoint, QString connection,
                             std::shared_ptr<TokenStore> store, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_endpoint(std::move(endpoint)),
      m_connection(std::move(connection)), m_store(store ? std::move(store) : std::make_shared<TokenStore>())
{}

TokenSet OAuthProvider::currentTokens() const
{
    return m_store->tokens({m_connection, canonicalResource(m_endpoint), m_issuer});
}

QByteArray OAuthProvider::authorization() const
{
    const TokenSet t = currentTokens();
    if (!t.isValid())
        return {};
    // RFC 9449 §7.1: a DPoP-bound token goes with the DPoP scheme.
    const bool dpop = t.tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0;
    return (dpop ? QByteArrayLiteral("DPoP ") : QByteArrayLiteral("Bearer ")) + t.accessToken;
}

QList<QPair<QByteArray, QByteArray>> OAuthProvider::requestHeaders(const QByteArray &method,
                                                                   const QUrl &url) const
{
    QList<QPair<QByteArray, QByteArray>> headers = AuthProvider::requestHeaders(method, url);
    const TokenSet t = currentTokens();
    if (t.isValid() && t.tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0) {
        QString error;
        const QByteArray proof = m_dpop.proof(method, url, t.accessToken, &error);
        if (!proof.isEmpty()) // without one the server refuses, and that refusal says why
            headers.append({"DPoP", proof});
    }
    return headers;
}

void OAuthProvider::accepted(const QList<QPair<QByteArray, QByteArray>> &responseHeaders)
{
    m_unsuccessful = 0;
    m_nonceRetries = 0;
    const QByteArray nonce = headerValue(responseHeaders, "DPoP-Nonce").trimmed();
    if (!nonce.isEmpty() && m_dpop.hasKey())
        m_dpop.setNonce(m_endpoint, nonce);
}

bool OAuthProvider::handleRefusal(const HttpExchange &refused, std::function<void(const Error &)> done)
{
    const QByteArray header = headerValue(refused.responseHeaders, "WWW-Authenticate");
    if (refused.status == 403 &&
        challengeOf(header, {QStringLiteral("Bearer"), QStringLiteral("DPoP")})
                .param(QStringLiteral("error")) != QLatin1String("insufficient_scope"))
        return false;
    if (retryWithDpopNonce(refused, done))
        return true;
    // A refusal of a request sent with an older token than the current one: just re-send it.
    const QByteArray sent = headerValue(refused.requestHeaders, "Authorization");
    if (!flowRunning() && !authorization().isEmpty() && sent != authorization()) {
        QTimer::singleShot(0, this, [done] { done({}); });
        return true;
    }
    m_waiting.append(std::move(done));
    if (flowRunning())
        return true;
    if (m_unsuccessful >= maxAuthorizationsWithoutSuccess) {
        const Error error = makeError(
            Error::Category::Auth, QStringLiteral("authorization"),
            QStringLiteral("the server still refuses (HTTP %1) after %2 authorizations in a row; giving up")
                .arg(refused.status)
                .arg(m_unsuccessful));
        QTimer::singleShot(0, this, [this, error] {
            for (const auto &d : std::exchange(m_waiting, {}))
                d(error);
        });
        return true;
    }
    startFlow(refused, false);
    return true;
}

bool OAuthProvider::retryWithDpopNonce(const HttpExchange &refused,
                                       const std::function<void(const Error &)> &done)
{
    const QByteArray nonce = demandedDpopNonce(refused);
    if (nonce.isEmpty() || !m_dpop.hasKey())
        return false;
    // RFC 9449 §9: send again once with the server's nonce. A server that refuses the nonce it gave, or keeps
    // handing out new ones without ever accepting, is not asked again.
    const bool again = sentDpopNonce(refused) == nonce || m_nonceRetries >= maxNonceRetries;
    AuthStep step{QStringLiteral("resource server DPoP nonce"), {refused}, {}, {}, false, again};
    step.decision = again ? QStringLiteral("stop") : QStringLiteral("send the request again with the nonce");
    step.reason =
        again ? QStringLiteral("the resource server still demands a DPoP nonce (now \"%1\") after %2 retries "
                               "with the nonces it gave; giving up")
                    .arg(QString::fromLatin1(nonce))
                    .arg(m_nonceRetries)
              : QStringLiteral("HTTP 401 use_dpop_nonce: the resource server wants its nonce in the proof");
    if (m_flow)
        m_flow->appendStep(step);
    const Error error =
        again ? makeError(Error::Category::Auth, QStringLiteral("authorization: ") + step.name, step.reason)
              : Error{};
    if (!again) {
        m_dpop.setNonce(refused.url, nonce);
        ++m_nonceRetries;
    }
    QTimer::singleShot(0, this, [done, error] { done(error); });
    return true;
}

void OAuthProvider::refresh()
{
    if (!flowRunning())
        startFlow({}, true);
}

void OAuthProvider::startFlow(const HttpExchange &refused, bool refreshOnly)
{
    if (m_flow)
        m_flow->deleteLater();
    ++m_unsuccessful;
    m_flow = new AuthFlow(m_settings, m_endpoint, m_store.get(), m_connection, this);
    m_flow->setPauseAtEachStep(m_pauseEach);
    m_flow->setDpopKey(&m_dpop);
    m_flow->setTlsPolicy(m_tls);
    connect(m_flow, &AuthFlow::finished, this, [this](const TokenSet &tokens) {
        m_issuer = tokens.issuer;
        for (const auto &d : std::exchange(m_waiting, {}))
            d({});
        Q_EMIT flowFinished(tokens);
    });
    connect(m_flow, &AuthFlow::failed, this, [this](const Error &error) {
        for (const auto &d : std::exchange(m_waiting, {}))
            d(error);
        Q_EMIT flowFailed(error);
    });
    Q_EMIT flowStarted(m_flow);
    if (refreshOnly)
        m_flow->startRefresh();
    else
        m_flow->start(refused);
}

} // namespace mcp::auth
