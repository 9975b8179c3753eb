// The grants of AuthFlow without a person: client credentials, and enterprise-managed authorization
// (token exchange at the IdP, then the JWT bearer grant, which workload identity uses alone).
#include "authanswers.h"
#include "authflow.h"

namespace mcp::auth {

void AuthFlow::requestClientCredentials()
{
    if (m_settings.clientId.isEmpty()) {
        failStep(QStringLiteral("the client credentials grant needs a pre-registered client ID"));
        return;
    }
    QString method;
    if (!m_settings.privateKeyPem.isEmpty())
        method = QStringLiteral("private_key_jwt");
    else if (stringList(m_asMetadata.value(QLatin1String("token_endpoint_auth_methods_supported")))
                 .contains(QLatin1String("client_secret_post")) &&
             !stringList(m_asMetadata.value(QLatin1String("token_endpoint_auth_methods_supported")))
                  .contains(QLatin1String("client_secret_basic")))
        method = QStringLiteral("client_secret_post");
    else
        method = QStringLiteral("client_secret_basic");
    m_client = {
        m_issuer, m_settings.clientId, m_settings.clientSecret, method, QStringLiteral("pre-registered"), {}};
    Form form{{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
              {QStringLiteral("resource"), m_params.value(QStringLiteral("resource"))}};
    if (!m_params.value(QStringLiteral("scope")).isEmpty())
        form.append({QStringLiteral("scope"), m_params.value(QStringLiteral("scope"))});
    postForm(endpointOf("token_endpoint"), form, m_client, [this, method](const HttpExchange &ex) {
        if (!keepTokens(ex))
            return;
        finishStep(QStringLiteral("use the access token"),
                   QStringLiteral("client %1 authenticated with %2").arg(m_client.clientId, method));
    });
}

void AuthFlow::exchangeIdToken()
{
    if (m_settings.idpTokenEndpoint.isEmpty() || m_settings.idpIdToken.isEmpty()) {
        failStep(QStringLiteral(
            "enterprise-managed authorization needs the IdP's token endpoint and an ID token"));
        return;
    }
    Form form{
        {QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:token-exchange")},
        {QStringLiteral("requested_token_type"), QStringLiteral("urn:ietf:params:oauth:token-type:id-jag")},
        {QStringLiteral("subject_token"), QString::fromUtf8(m_settings.idpIdToken)},
        {QStringLiteral("subject_token_type"), QStringLiteral("urn:ietf:params:oauth:token-type:id_token")},
        {QStringLiteral("audience"), m_issuer},
        {QStringLiteral("resource"), m_params.value(QStringLiteral("resource"))}};
    if (!m_params.value(QStringLiteral("scope")).isEmpty())
        form.append({QStringLiteral("scope"), m_params.value(QStringLiteral("scope"))});
    const ClientRegistration idpClient{
        {},
        m_settings.idpClientId,
        m_settings.idpClientSecret,
        m_settings.idpClientSecret.isEmpty() ? QStringLiteral("none") : QStringLiteral("client_secret_post"),
        QStringLiteral("pre-registered"),
        {}};
    postForm(m_settings.idpTokenEndpoint, form, idpClient, [this](const HttpExchange &ex) {
        const QJsonObject o = jsonObjectOf(ex);
        m_idJag = o.value(QLatin1String("access_token")).toString().toUtf8();
        if (ex.status != 200 || m_idJag.isEmpty()) {
            failStep(QStringLiteral("the IdP refused the token exchange: %1").arg(describeFailure(ex)));
            return;
        }
        finishStep(QStringLiteral("present the identity assertion grant (ID-JAG) to %1").arg(m_issuer),
                   QStringLiteral("issued_token_type %1")
                       .arg(o.value(QLatin1String("issued_token_type")).toString()));
    });
}

void AuthFlow::requestJwtBearer()
{
    m_client = {m_issuer,
                m_settings.clientId,
                m_settings.clientSecret,
                m_settings.clientSecret.isEmpty() ? QStringLiteral("none")
                                                  : QStringLiteral("client_secret_basic"),
                QStringLiteral("pre-registered"),
                {}};
    Form form{{QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer")},
              {QStringLiteral("assertion"), QString::fromUtf8(m_idJag)}};
    if (!m_params.value(QStringLiteral("scope")).isEmpty())
        form.append({QStringLiteral("scope"), m_params.value(QStringLiteral("scope"))});
    postForm(endpointOf("token_endpoint"), form, m_client, [this](const HttpExchange &ex) {
        if (!keepTokens(ex))
            return;
        finishStep(QStringLiteral("use the access token"),
                   QStringLiteral("the authorization server accepted the assertion"));
    });
}

} // namespace mcp::auth
