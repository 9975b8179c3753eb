#pragma once

#include "../transport/authprovider.h"
#include "authflow.h"

#include <QPointer>

namespace mcp::auth {

// OAuth for one connection, as the HTTP transport's AuthProvider: it answers a 401 (or a 403 with
// insufficient_scope) by running an AuthFlow and lets the transport re-send the refused request with the new
// token. Refusals that arrive while a flow runs wait for it. After three authorizations in a row that the
// server still refuses it gives up (no endless loops). Tokens live in a TokenStore, keyed by connection,
// resource and issuer (CredentialScope): a shared one (the workbench's, backed by the keychain) or, without
// one, its own in memory.
class OAuthProvider : public QObject, public AuthProvider
{
    Q_OBJECT
public:
    OAuthProvider(AuthSettings settings, QUrl endpoint, QString connection,
                  std::shared_ptr<TokenStore> store = {}, QObject *parent = nullptr);

    QByteArray authorization() const override;
    // With a DPoP-bound token also a fresh DPoP proof for this request.
    QList<QPair<QByteArray, QByteArray>> requestHeaders(const QByteArray &method,
                                                        const QUrl &url) const override;
    bool handleRefusal(const HttpExchange &refused, std::function<void(const Error &)> done) override;
    // Also takes a new DPoP nonce from the response (RFC 9449 §8.2, §9: a server may send one on any
    // response).
    void accepted(const QList<QPair<QByteArray, QByteArray>> &responseHeaders) override;
    void useTls(const TlsPolicy &policy) override { m_tls = policy; }

    // Runs a refresh flow for the current issuer (the stored refresh token); reports like any flow.
    void refresh();

    // Flows started from now on pause after each step (the owner continues them through flowStarted).
    void setPauseAtEachStep(bool on) { m_pauseEach = on; }

    const AuthSettings &settings() const { return m_settings; }
    TokenStore &store() { return *m_store; }
    TokenSet currentTokens() const;
    QString issuer() const { return m_issuer; }
    const DpopKey &dpopKey() const { return m_dpop; } // shared by every flow of this connection
    AuthFlow *currentFlow() const { return m_flow; }  // the running or the last flow
    bool flowRunning() const { return m_flow && m_flow->isRunning(); }

    static constexpr int maxAuthorizationsWithoutSuccess = 3;
    static constexpr int maxNonceRetries = 2; // DPoP nonces demanded in a row without an accepted request

Q_SIGNALS:
    // A new flow starts: connect to its signals before returning (it has not run a step yet). It stays
    // alive until the next flow starts.
    void flowStarted(mcp::auth::AuthFlow *flow);
    void flowFinished(const mcp::auth::TokenSet &tokens);
    void flowFailed(const mcp::Error &error);

private:
    void startFlow(const HttpExchange &refused, bool refreshOnly);
    bool retryWithDpopNonce(const HttpExchange &refused, const std::function<void(const Error &)> &done);

    AuthSettings m_settings;
    QUrl m_endpoint;
    QString m_connection;
    std::shared_ptr<TokenStore> m_store;
    DpopKey m_dpop;
    TlsPolicy m_tls;
    QString m_issuer;
    QPointer<AuthFlow> m_flow;
    QList<std::function<void(const Error &)>> m_waiting;
    int m_unsuccessful = 0; // authorizations since the server last accepted a token
    int m_nonceRetries = 0; // requests re-sent with a new DPoP nonce since the server last accepted one
    bool m_pauseEach = false;
};

} // namespace mcp::auth
