#pragma once

#include "grant.h"

#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace mcp::auth {

class LoopbackRedirectListener;

// A person approves in a browser: client identity (pre-registered, kept, metadata document or dynamic
// registration), the authorization request with PKCE S256, the redirect checked for state and RFC 9207 iss,
// and the code exchanged for tokens.
class AuthorizationCodeGrant final : public Grant
{
public:
    ~AuthorizationCodeGrant() override;
    QStringList stepNames() const override;
    void runStep(int index, GrantSteps &flow) override;
    void stop() override;

private:
    void identifyClient(GrantSteps &flow);
    void planAuthorization(GrantSteps &flow);
    void requestAuthorization(GrantSteps &flow);
    void followRedirect(GrantSteps &flow, const QUrl &url, int hops);
    void checkAuthorizationResponse(GrantSteps &flow);
    void requestToken(GrantSteps &flow);

    QPointer<LoopbackRedirectListener> m_listener;
    QTimer m_redirectTimeout;
    QString m_expectedState;
    QUrlQuery m_callback;
    QByteArray m_code;
};

// The refresh token kept for this scope, exchanged for a new access token.
class RefreshGrant final : public Grant
{
public:
    QStringList stepNames() const override;
    void runStep(int index, GrantSteps &flow) override;
};

// Machine to machine: a pre-registered client authenticates with its secret or private key.
class ClientCredentialsGrant final : public Grant
{
public:
    QStringList stepNames() const override;
    void runStep(int index, GrantSteps &flow) override;
};

// The JWT bearer grant (RFC 7523): with the enterprise IdP's identity assertion (ID-JAG), obtained first by
// a token exchange, or with a workload's own JWT.
class JwtBearerGrant final : public Grant
{
public:
    enum class Assertion { EnterpriseExchange, Workload };
    explicit JwtBearerGrant(Assertion assertion) : m_assertion(assertion) {}
    QStringList stepNames() const override;
    void runStep(int index, GrantSteps &flow) override;

private:
    void exchangeIdToken(GrantSteps &flow);
    void requestToken(GrantSteps &flow);

    Assertion m_assertion;
    QByteArray m_jwt;
};

} // namespace mcp::auth
