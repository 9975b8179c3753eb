#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace mcp::auth {

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

} // namespace mcp::auth
