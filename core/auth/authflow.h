#pragma once

#include "../error.h"
#include "../transport/transport.h"
#include "dpop.h"
#include "grant.h"
#include "tokeninspector.h"
#include "tokenstore.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QUrlQuery>
#include <memory>
#include <vector>

namespace mcp::auth {

class RecordedHttp;

// One step of a flow: what was sent, what came back, what was decided and why.
struct AuthStep
{
    QString name;
    QList<HttpExchange> exchanges; // raw HTTP, secrets included: mask with redaction::redactExchange()
    QString decision;
    QString reason;
    bool tampered = false; // a reviewer changed a parameter this step used
    bool failed = false;
};

// The authorization of one connection as explicit steps:
//   refusal → protected resource metadata → authorization server metadata → then the steps of one grant
//   (grants.h): [refresh] | [client identity → authorization request → authorization response → token
//   request] | [client credentials token] | [token exchange → JWT bearer grant],
// with a "DPoP key" step before those when the authorization server offers DPoP-bound tokens.
// Every step can be paused after; at a pause parameters() may be edited (the change is marked tampered).
// The flow sequences the steps, checks every address before it is contacted and keeps the credentials;
// each grant's own rules live in its class.
class AuthFlow : public QObject, private GrantSteps
{
    Q_OBJECT
public:
    AuthFlow(AuthSettings settings, QUrl endpoint, TokenStore *store, QString connection,
             QObject *parent = nullptr);
    ~AuthFlow() override;

    // refusal: the 401/403 exchange that started it (status 0: authorize before any request).
    void start(const HttpExchange &refusal);
    // Use the stored refresh token of the issuer the server names; fails when there is none.
    void startRefresh();

    void setPauseAtEachStep(bool on) { m_pauseEach = on; }
    // The MCP connection's TLS policy, for every request of the flow.
    void setTlsPolicy(const TlsPolicy &policy);
    bool isPaused() const { return m_paused; }
    bool isRunning() const { return m_running; }
    void continueFlow();
    void runToEnd();
    void cancel();

    QString nextStepName() const;
    // Editable at a pause: resource, scope, client_id, redirect_uri, state, code_challenge,
    // code_challenge_method, code_verifier (an empty value leaves the parameter out).
    QMap<QString, QString> parameters() const { return m_params; }
    void setParameter(const QString &name, const QString &value);
    QSet<QString> tamperedParameters() const { return m_tampered; }

    const QList<AuthStep> &steps() const { return m_steps; }
    QString issuer() const override { return m_issuer; }
    // Where this flow's tokens and client registration are kept: the connection, the canonical resource of
    // the endpoint the user gave (not the one a server claims), the issuer found.
    CredentialScope scope() const override;
    QJsonObject protectedResourceMetadata() const { return m_prm; }
    QJsonObject authorizationServerMetadata() const { return m_asMetadata; }
    TokenSet tokens() const { return m_tokens; }
    // What the token inspector should check this flow's access token against: the resource, the issuer, its
    // jwks_uri and introspection_endpoint, and this flow's client for introspection.
    InspectOptions inspectOptions() const;

    // DPoP: the key this flow binds tokens to. By default the flow has its own; a provider shares the one of
    // its connection so that later flows and requests prove possession of the same key.
    void setDpopKey(DpopKey *key) { m_dpop = key ? key : &m_ownDpop; }
    const DpopKey &dpopKey() const { return *m_dpop; }
    bool usesDpop() const { return m_useDpop; } // decided in the "DPoP key" step

    // Appends a finished step for a decision taken after the flow, about its tokens (a resource server's
    // DPoP nonce), so that it shows with the others.
    void appendStep(const AuthStep &step);

Q_SIGNALS:
    void stepStarted(int index, const QString &name);
    void stepFinished(int index, const mcp::auth::AuthStep &step);
    void paused(const QString &nextStep);
    void authorizationUrlReady(const QUrl &url);
    void finished(const mcp::auth::TokenSet &tokens);
    void failed(const mcp::Error &error);

private:
    enum class Stage {
        Refusal,
        ResourceMetadata,
        ServerMetadata,
        Dpop,
        Grant, // a step of the current grant
    };
    struct Step
    {
        Stage stage;
        int grantStep = 0;
    };

    QString stepName(const Step &step) const;
    void advance();
    void runStep(const Step &step);
    void stopGrants();

    void readRefusal();
    void fetchResourceMetadata(int candidate);
    void fetchServerMetadata(int candidate);
    void finishDiscovery(const QString &decision, const QString &reason);
    // Queues the steps after discovery; true when they refresh a stored token.
    bool chooseGrant();
    void useGrant(std::unique_ptr<Grant> grant);
    void chooseDpop();
    void noteDpopTokenResponse(const HttpExchange &ex);
    void postFormOnce(const QUrl &url, const Form &form, const ClientRegistration &client, Then then,
                      bool nonceRetried);
    QString selectScope() const;

    // GrantSteps
    const AuthSettings &settings() const override { return m_settings; }
    QJsonObject serverMetadata() const override { return m_asMetadata; }
    bool usesDefaultEndpoints() const override { return m_defaultEndpoints; }
    QString parameter(const QString &name) const override { return m_params.value(name); }
    void propose(const QString &name, const QString &value) override;
    void markTampered(const QStringList &parameters) override;
    TokenStore &store() override { return *m_store; }
    void setClient(const ClientRegistration &client) override { m_client = client; }
    ClientRegistration client() const override { return m_client; }
    void http(const QByteArray &verb, const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
              const QByteArray &body, Then then) override;
    // To the token endpoint with a DPoP proof when the flow uses DPoP, retried once on use_dpop_nonce.
    void postForm(const QUrl &url, const Form &form, const ClientRegistration &client, Then then) override;
    bool readTokens(const HttpExchange &ex, TokenSet *tokens, QString *why) const override;
    void keepTokens(const TokenSet &tokens) override;
    void recordExchange(const HttpExchange &ex) override;
    void noteDecision(const QString &decision) override;
    void showAuthorizationUrl(const QUrl &url) override;
    void finishStep(const QString &decision, const QString &reason = {}) override;
    void failStep(const QString &reason) override;
    void refreshRefused(const QString &why) override;

    AuthSettings m_settings;
    QUrl m_endpoint;
    TokenStore *m_store;
    QString m_connection;
    RecordedHttp *m_http;

    QList<AuthStep> m_steps;
    QList<Step> m_pending;
    std::vector<std::unique_ptr<Grant>> m_grants; // the last one runs; an earlier one may still be unwinding
    bool m_pauseEach = false;
    bool m_paused = false;
    bool m_running = false;
    bool m_refreshOnly = false;
    quint64 m_generation = 0;

    HttpExchange m_refusal;
    QString m_challengeScope;
    bool m_stepUp = false;
    QUrl m_prmFromHeader;
    QJsonObject m_prm;
    QJsonObject m_asMetadata;
    bool m_legacy = false;           // a 2025-03-26 server without protected resource metadata
    bool m_defaultEndpoints = false; // ... and without authorization server metadata
    QString m_issuer;
    ClientRegistration m_client;
    QMap<QString, QString> m_params;
    QSet<QString> m_tampered;
    TokenSet m_tokens;
    DpopKey m_ownDpop;
    DpopKey *m_dpop = &m_ownDpop;
    bool m_useDpop = false;
    QStringList m_stepNotes; // said in the current step's reason when it finishes (nonce retries, binding)
};

} // namespace mcp::auth
