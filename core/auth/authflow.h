#pragma once

#include "../error.h"
#include "../transport/transport.h"
#include "dpop.h"
#include "tokeninspector.h"
#include "tokenstore.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QUrlQuery>
#include <functional>

namespace mcp::auth {

class LoopbackRedirectListener;
class RecordedHttp;

struct AuthSettings
{
    enum class Grant {
        AuthorizationCode, // a user approves in a browser (the default)
        ClientCredentials, // machine to machine: pre-registered client with a secret or a private key
        EnterpriseManaged, // token exchange at the enterprise IdP, then the JWT bearer grant (ID-JAG)
        WorkloadIdentity,  // the JWT bearer grant with a workload's own JWT (RFC 7523, SEP-1933)
    };
    enum class UserAgent {
        SystemBrowser,  // open the authorization URL with xdg-open / open
        FollowRedirect, // GET it and follow the redirect ourselves (automation, conformance tests)
        External,       // the owner shows authorizationUrlReady() somewhere and the redirect comes back
    };
    Grant grant = Grant::AuthorizationCode;
    UserAgent userAgent = UserAgent::SystemBrowser;
    QString clientId;          // pre-registered client; empty: CIMD or dynamic registration
    QByteArray clientSecret;   // for a pre-registered confidential client
    QString clientMetadataUrl; // our Client ID Metadata Document, used as client_id where the AS supports it
    QString scope;             // overrides the scope selection strategy when set
    QByteArray privateKeyPem;  // private_key_jwt for the client credentials grant
    QString signingAlgorithm = QStringLiteral("ES256");
    QUrl idpTokenEndpoint; // enterprise-managed: the IdP's token endpoint,
    QByteArray idpIdToken; // the user's ID token from that IdP,
    QString idpClientId;   // and our client there
    QByteArray idpClientSecret;
    QByteArray workloadAssertion; // workload identity: the JWT the platform issued to this workload
    // The only authorization server this flow may use: the client secret, private key and assertions above
    // go to no other. Empty: whichever the server names.
    QString expectedIssuer;
    QString clientName = QStringLiteral("MCP Workbench");
    bool requestOfflineAccess = true; // ask for offline_access (refresh tokens) where the AS lists it
    bool dpop = true;                 // bind tokens to a key with DPoP (RFC 9449) where the AS offers it
    QString dpopAlgorithm = QStringLiteral("ES256"); // preferred; another the AS lists is used otherwise
    int redirectTimeoutMs = 300000;
};

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
//   refusal → protected resource metadata → authorization server metadata → then one of
//   [refresh] | [client identity → authorization request → authorization response → token request]
//   | [client credentials token] | [token exchange → JWT bearer grant],
// with a "DPoP key" step before those when the authorization server offers DPoP-bound tokens.
// Every step can be paused after; at a pause parameters() may be edited (the change is marked tampered).
class AuthFlow : public QObject
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
    QString issuer() const { return m_issuer; }
    // Where this flow's tokens and client registration are kept: the connection, the canonical resource of
    // the endpoint the user gave (not the one a server claims), the issuer found.
    CredentialScope scope() const;
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
        Refresh,
        ClientIdentity,
        AuthorizationRequest,
        AuthorizationResponse,
        TokenRequest,
        ClientCredentials,
        TokenExchange,
        JwtBearer,
        Dpop,
    };
    using Form = QList<QPair<QString, QString>>;
    using Then = std::function<void(const HttpExchange &)>;

    static QString stageName(Stage stage);
    void advance();
    void runStage(Stage stage);
    void finishStep(const QString &decision, const QString &reason = {});
    void failStep(const QString &reason);
    void markTampered(const QStringList &parameters);

    void readRefusal();
    void fetchResourceMetadata(int candidate);
    void fetchServerMetadata(int candidate);
    void finishDiscovery(const QString &decision, const QString &reason);
    void chooseGrantStages();
    void identifyClient();
    void prepareAuthorization();
    void requestAuthorization();
    void followRedirect(const QUrl &url, int hops);
    void checkAuthorizationResponse();
    void requestToken();
    void refreshToken();
    void requestClientCredentials();
    void exchangeIdToken();
    void requestJwtBearer();
    void chooseDpop();
    void noteDpopTokenResponse(const HttpExchange &ex);

    void http(const QByteArray &verb, const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers,
              const QByteArray &body, Then then);
    // To the token endpoint with a DPoP proof when the flow uses DPoP, retried once on use_dpop_nonce.
    void postForm(const QUrl &url, Form form, const ClientRegistration &client, Then then,
                  bool nonceRetried = false);
    bool readTokens(const HttpExchange &ex, TokenSet *tokens, QString *why) const;
    // A grant's token answer: read into m_tokens and kept in the store, or the step failed with the reason.
    bool keepTokens(const HttpExchange &ex);
    QString selectScope() const;
    QUrl endpointOf(const char *field) const;

    AuthSettings m_settings;
    QUrl m_endpoint;
    TokenStore *m_store;
    QString m_connection;
    RecordedHttp *m_http;
    LoopbackRedirectListener *m_listener = nullptr;

    QList<AuthStep> m_steps;
    QList<Stage> m_pending;
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
    QString m_expectedState;
    QUrlQuery m_callback;
    QByteArray m_code;
    QByteArray m_idJag;
    TokenSet m_tokens;
    DpopKey m_ownDpop;
    DpopKey *m_dpop = &m_ownDpop;
    bool m_useDpop = false;
    QStringList m_stepNotes; // said in the current step's reason when it finishes (nonce retries, binding)
};

} // namespace mcp::auth
