#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

namespace mcp::auth {

// What a token endpoint gave us.
struct TokenSet
{
    QString issuer;
    QByteArray accessToken;
    QByteArray refreshToken;
    QString tokenType = QStringLiteral("Bearer");
    QStringList scopes;
    QDateTime expiresAt; // invalid: unknown
    bool isValid() const { return !accessToken.isEmpty(); }
};

// A client registration at one authorization server (pre-registered, CIMD or dynamic).
struct ClientRegistration
{
    QString issuer;
    QString clientId;
    QByteArray clientSecret;
    QString authMethod;  // none, client_secret_basic, client_secret_post, private_key_jwt
    QString how;         // "pre-registered", "client ID metadata document", "dynamic registration"
    QString redirectUri; // registered with it; a later flow listens on the same loopback port
};

// Tokens and client registrations, kept per connection and per issuer, in memory only: nothing is ever
// written to disk. (A keychain-backed store may replace it later; storeName() says which one is in use.)
class TokenStore
{
public:
    static QString storeName() { return QStringLiteral("memory (this process only)"); }

    void setTokens(const QString &connection, const TokenSet &tokens);
    TokenSet tokens(const QString &connection, const QString &issuer) const;
    void removeTokens(const QString &connection, const QString &issuer);

    void setRegistration(const QString &connection, const ClientRegistration &registration);
    ClientRegistration registration(const QString &connection, const QString &issuer) const;

    void clear(const QString &connection);

private:
    static QString key(const QString &connection, const QString &issuer)
    {
        return connection + QChar(0) + issuer;
    }
    QHash<QString, TokenSet> m_tokens;
    QHash<QString, ClientRegistration> m_registrations;
};

} // namespace mcp::auth
