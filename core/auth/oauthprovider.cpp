#include "oauthprovider.h"

#include "discovery.h"

#include <QTimer>

namespace mcp::auth {

OAuthProvider::OAuthProvider(AuthSettings settings, QUrl endpoint, QString connection, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_endpoint(std::move(endpoint)),
      m_connection(std::move(connection))
{}

TokenSet OAuthProvider::currentTokens() const
{
    return m_store.tokens(m_connection, m_issuer);
}

QByteArray OAuthProvider::authorization() const
{
    const TokenSet t = currentTokens();
    return t.isValid() ? QByteArrayLiteral("Bearer ") + t.accessToken : QByteArray();
}

void OAuthProvider::accepted()
{
    m_unsuccessful = 0;
}

bool OAuthProvider::handleRefusal(const HttpExchange &refused, std::function<void(const Error &)> done)
{
    QByteArray header;
    for (const auto &[name, value] : refused.responseHeaders)
        if (name.compare("WWW-Authenticate", Qt::CaseInsensitive) == 0)
            header = value;
    if (refused.status == 403 &&
        bearerChallenge(header).param(QStringLiteral("error")) != QLatin1String("insufficient_scope"))
        return false;
    // A refusal of a request sent with an older token than the current one: just re-send it.
    QByteArray sent;
    for (const auto &[name, value] : refused.requestHeaders)
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
            sent = value;
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
    m_flow = new AuthFlow(m_settings, m_endpoint, &m_store, m_connection, this);
    m_flow->setPauseAtEachStep(m_pauseEach);
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
