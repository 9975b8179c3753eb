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

// Whose credentials: one connection's, for one protected resource (the canonical URI of its MCP endpoint)
// at one authorization server. A token or a client secret is only ever looked up for the same three, so an
// edited server URL or a server that names another authorization server finds nothing to send.
struct CredentialScope
{
    QString connection;
    QString resource;
    QString issuer;
    QString key() const { return connection + QLatin1Char('|') + resource + QLatin1Char('|') + issuer; }
};

class TokenVault;

// Tokens and client registrations, kept per credential scope (connection, resource, issuer). Memory always
// holds them (reads are immediate, and a token stays usable for the session whatever happens to the vault);
// with a usable vault (the system keychain) they are also written there, as one JSON secret per scope under
// the key
// "<connection>|<resource>|<issuer>", so a later process can load() them. DPoP-bound tokens stay in memory:
// the DPoP key they are bound to never leaves the process. Nothing is ever written to a plain file.
class TokenStore
{
public:
    explicit TokenStore(std::shared_ptr<TokenVault> vault = {});
    ~TokenStore();

    // For the user: "memory only (this process)", or the vault's name.
    QString storeName() const;
    TokenVault *vault() const { return m_vault.get(); }

    void setTokens(const CredentialScope &scope, const TokenSet &tokens);
    TokenSet tokens(const CredentialScope &scope) const;
    void removeTokens(const CredentialScope &scope);

    void setRegistration(const CredentialScope &scope, const ClientRegistration &registration);
    ClientRegistration registration(const CredentialScope &scope) const;

    // Fetches what the vault kept for this scope into memory (once per process; what memory has already
    // wins), then calls done unless context is gone. Without a vault done runs at once.
    void load(const CredentialScope &scope, QObject *context, std::function<void()> done);

    // Forgets the connection's tokens and registrations, in the vault too; also those of scopes not loaded
    // yet (they are deleted when a flow asks for them).
    void clear(const QString &connection);

private:
    void persist(const CredentialScope &scope);

    std::shared_ptr<TokenVault> m_vault;
    QHash<QString, TokenSet> m_tokens;
    QHash<QString, ClientRegistration> m_registrations;
    QSet<QString> m_loaded;  // keys read from (or written to) the vault in this process
    QSet<QString> m_cleared; // connections whose vault entries are to be deleted, not loaded
};

} // namespace mcp::auth
