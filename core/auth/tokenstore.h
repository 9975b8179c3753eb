#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

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

class TokenVault;

// Tokens and client registrations, kept per connection and per issuer. Memory always holds them (reads are
// immediate, and a token stays usable for the session whatever happens to the vault); with a usable vault
// (the system keychain) they are also written there, as one JSON secret per connection and issuer under the
// key "<connection>|<issuer>", so a later process can load() them. DPoP-bound tokens stay in memory: the
// DPoP key they are bound to never leaves the process. Nothing is ever written to a plain file.
class TokenStore
{
public:
    explicit TokenStore(std::shared_ptr<TokenVault> vault = {});
    ~TokenStore();

    // For the user: "memory only (this process)", or the vault's name.
    QString storeName() const;
    TokenVault *vault() const { return m_vault.get(); }

    void setTokens(const QString &connection, const TokenSet &tokens);
    TokenSet tokens(const QString &connection, const QString &issuer) const;
    void removeTokens(const QString &connection, const QString &issuer);

    void setRegistration(const QString &connection, const ClientRegistration &registration);
    ClientRegistration registration(const QString &connection, const QString &issuer) const;

    // Fetches what the vault kept for this connection and issuer into memory (once per process; what memory
    // has already wins), then calls done unless context is gone. Without a vault done runs at once.
    void load(const QString &connection, const QString &issuer, QObject *context, std::function<void()> done);

    // Forgets the connection's tokens and registrations, in the vault too; also those of issuers not
    // loaded yet (they are deleted when a flow asks for them).
    void clear(const QString &connection);

    static QString key(const QString &connection, const QString &issuer)
    {
        return connection + QLatin1Char('|') + issuer;
    }

private:
    void persist(const QString &connection, const QString &issuer);

    std::shared_ptr<TokenVault> m_vault;
    QHash<QString, TokenSet> m_tokens;
    QHash<QString, ClientRegistration> m_registrations;
    QSet<QString> m_loaded;  // keys read from (or written to) the vault in this process
    QSet<QString> m_cleared; // connections whose vault entries are to be deleted, not loaded
};

} // namespace mcp::auth
