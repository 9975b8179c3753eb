#pragma once

#include "../transport/transport.h"
#include "authsettings.h"
#include "tokenstore.h"

#include <QJsonObject>
#include <QPair>
#include <QStringList>
#include <functional>

namespace mcp::auth {

// The flow as a grant sees it: the authorization server it found, the parameters a reviewer may edit, the
// credential store, the one HTTP client (every address checked, every exchange recorded in the step), and
// how a step ends. AuthFlow implements it; a test can give its own.
class GrantSteps
{
public:
    using Form = QList<QPair<QString, QString>>;
    using Then = std::function<void(const HttpExchange &)>;

    virtual const AuthSettings &settings() const = 0;
    virtual QString issuer() const = 0;
    virtual QJsonObject serverMetadata() const = 0;
    // 2025-03-26 defaults stood in for metadata the server does not have (so it advertised nothing).
    virtual bool usesDefaultEndpoints() const = 0;

    virtual QString parameter(const QString &name) const = 0;
    // Sets a parameter unless a reviewer has edited it.
    virtual void propose(const QString &name, const QString &value) = 0;
    // Marks the current step as tampered when a reviewer edited one of these parameters.
    virtual void markTampered(const QStringList &parameters) = 0;

    virtual TokenStore &store() = 0;
    virtual CredentialScope scope() const = 0;
    virtual void setClient(const ClientRegistration &client) = 0;
    virtual ClientRegistration client() const = 0;

    virtual void http(const QByteArray &verb, const QUrl &url,
                      const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                      Then then) = 0;
    // A form to a token endpoint with the client's authentication (and a DPoP proof where the flow uses it).
    virtual void postForm(const QUrl &url, const Form &form, const ClientRegistration &client, Then then) = 0;
    // A token endpoint's answer read into *tokens, or false with *why.
    virtual bool readTokens(const HttpExchange &ex, TokenSet *tokens, QString *why) const = 0;
    // The flow's result, kept in the store.
    virtual void keepTokens(const TokenSet &tokens) = 0;

    // The current step: an exchange that did not go through http() (the redirect to our listener), the
    // decision so far while it waits, the authorization URL for the user, and how it ends.
    virtual void recordExchange(const HttpExchange &ex) = 0;
    virtual void noteDecision(const QString &decision) = 0;
    virtual void showAuthorizationUrl(const QUrl &url) = 0;
    virtual void finishStep(const QString &decision, const QString &reason = {}) = 0;
    virtual void failStep(const QString &reason) = 0;
    // The stored refresh token was refused: authorize anew where the flow may, else fail.
    virtual void refreshRefused(const QString &why) = 0;

protected:
    ~GrantSteps() = default;
};

// One way to obtain tokens once the authorization server is known: a few named steps that the flow runs in
// order, pausing between them when a reviewer asks. Each grant keeps its own rules and state.
class Grant
{
public:
    virtual ~Grant() = default;
    virtual QStringList stepNames() const = 0;
    virtual void runStep(int index, GrantSteps &flow) = 0;
    // The flow ended (finished, failed or cancelled): nothing the grant started may act any more.
    virtual void stop() {}
};

inline QUrl endpointOf(const GrantSteps &flow, const char *field)
{
    return QUrl(flow.serverMetadata().value(QLatin1String(field)).toString());
}

} // namespace mcp::auth
