// The grants without a person: client credentials, and the JWT bearer grant with an enterprise IdP's
// identity assertion (token exchange first) or a workload's own JWT.
#include "authanswers.h"
#include "authflow.h"
#include "grants.h"

namespace mcp::auth {

namespace {

void addScope(GrantSteps &flow, GrantSteps::Form *form)
{
    if (const QString scope = flow.parameter(QStringLiteral("scope")); !scope.isEmpty())
        form->append({QStringLiteral("scope"), scope});
}

// The token endpoint's answer kept as the flow's result, or the step failed with the reason.
void finishWithTokens(GrantSteps &flow, const HttpExchange &ex, const QString &reason)
{
    TokenSet tokens;
    QString why;
    if (!flow.readTokens(ex, &tokens, &why))
        return flow.failStep(why);
    flow.keepTokens(tokens);
    flow.finishStep(QStringLiteral("use the access token"), reason);
}

} // namespace

QStringList ClientCredentialsGrant::stepNames() const
{
    return {QStringLiteral("client credentials token request")};
}

void ClientCredentialsGrant::runStep(int, GrantSteps &flow)
{
    const AuthSettings &settings = flow.settings();
    if (settings.clientId.isEmpty())
        return flow.failStep(QStringLiteral("the client credentials grant needs a pre-registered client ID"));
    const QStringList methods =
        stringList(flow.serverMetadata().value(QLatin1String("token_endpoint_auth_methods_supported")));
    QString method = QStringLiteral("client_secret_basic");
    if (!settings.privateKeyPem.isEmpty())
        method = QStringLiteral("private_key_jwt");
    else if (methods.contains(QLatin1String("client_secret_post")) &&
             !methods.contains(QLatin1String("client_secret_basic")))
        method = QStringLiteral("client_secret_post");
    const ClientRegistration client{flow.issuer(),
                                    settings.clientId,
                                    settings.clientSecret,
                                    method,
                                    QStringLiteral("pre-registered"),
                                    {}};
    flow.setClient(client);
    GrantSteps::Form form{{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
                          {QStringLiteral("resource"), flow.parameter(QStringLiteral("resource"))}};
    addScope(flow, &form);
    flow.postForm(endpointOf(flow, "token_endpoint"), form, client, [&flow, client](const HttpExchange &ex) {
        finishWithTokens(
            flow, ex,
            QStringLiteral("client %1 authenticated with %2").arg(client.clientId, client.authMethod));
    });
}

QStringList JwtBearerGrant::stepNames() const
{
    if (m_assertion == Assertion::Workload)
        return {QStringLiteral("JWT bearer grant")};
    return {QStringLiteral("token exchange"), QStringLiteral("JWT bearer grant")};
}

void JwtBearerGrant::runStep(int index, GrantSteps &flow)
{
    if (m_assertion == Assertion::Workload) {
        m_jwt = flow.settings().workloadAssertion;
        return requestToken(flow);
    }
    if (index == 0)
        return exchangeIdToken(flow);
    requestToken(flow);
}

void JwtBearerGrant::exchangeIdToken(GrantSteps &flow)
{
    const AuthSettings &settings = flow.settings();
    if (settings.idpTokenEndpoint.isEmpty() || settings.idpIdToken.isEmpty())
        return flow.failStep(QStringLiteral(
            "enterprise-managed authorization needs the IdP's token endpoint and an ID token"));
    GrantSteps::Form form{
        {QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:token-exchange")},
        {QStringLiteral("requested_token_type"), QStringLiteral("urn:ietf:params:oauth:token-type:id-jag")},
        {QStringLiteral("subject_token"), QString::fromUtf8(settings.idpIdToken)},
        {QStringLiteral("subject_token_type"), QStringLiteral("urn:ietf:params:oauth:token-type:id_token")},
        {QStringLiteral("audience"), flow.issuer()},
        {QStringLiteral("resource"), flow.parameter(QStringLiteral("resource"))}};
    addScope(flow, &form);
    const ClientRegistration idpClient{
        {},
        settings.idpClientId,
        settings.idpClientSecret,
        settings.idpClientSecret.isEmpty() ? QStringLiteral("none") : QStringLiteral("client_secret_post"),
        QStringLiteral("pre-registered"),
        {}};
    flow.postForm(settings.idpTokenEndpoint, form, idpClient, [this, &flow](const HttpExchange &ex) {
        const QJsonObject o = jsonObjectOf(ex);
        m_jwt = o.value(QLatin1String("access_token")).toString().toUtf8();
        if (ex.status != 200 || m_jwt.isEmpty())
            return flow.failStep(
                QStringLiteral("the IdP refused the token exchange: %1").arg(describeFailure(ex)));
        flow.finishStep(
            QStringLiteral("present the identity assertion grant (ID-JAG) to %1").arg(flow.issuer()),
            QStringLiteral("issued_token_type %1")
                .arg(o.value(QLatin1String("issued_token_type")).toString()));
    });
}

void JwtBearerGrant::requestToken(GrantSteps &flow)
{
    const AuthSettings &settings = flow.settings();
    const ClientRegistration client{flow.issuer(),
                                    settings.clientId,
                                    settings.clientSecret,
                                    settings.clientSecret.isEmpty() ? QStringLiteral("none")
                                                                    : QStringLiteral("client_secret_basic"),
                                    QStringLiteral("pre-registered"),
                                    {}};
    flow.setClient(client);
    GrantSteps::Form form{
        {QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer")},
        {QStringLiteral("assertion"), QString::fromUtf8(m_jwt)}};
    addScope(flow, &form);
    flow.postForm(endpointOf(flow, "token_endpoint"), form, client, [&flow](const HttpExchange &ex) {
        finishWithTokens(flow, ex, QStringLiteral("the authorization server accepted the assertion"));
    });
}

} // namespace mcp::auth
