#include "tokenstore.h"

#include "tokenvault.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace mcp::auth {

namespace {

bool isDpopBound(const TokenSet &tokens)
{
    return tokens.tokenType.compare(QLatin1String("DPoP"), Qt::CaseInsensitive) == 0;
}

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

// The vault's secret: the tokens with their expiry, and the client registration a refresh needs.
QByteArray encodeSecret(const TokenSet &tokens, const ClientRegistration &client)
{
    QJsonObject o{{QStringLiteral("version"), 1}};
    if (tokens.isValid() && !isDpopBound(tokens))
        o.insert(QStringLiteral("tokens"),
                 QJsonObject{{QStringLiteral("access_token"), text(tokens.accessToken)},
                             {QStringLiteral("refresh_token"), text(tokens.refreshToken)},
                             {QStringLiteral("token_type"), tokens.tokenType},
                             {QStringLiteral("scope"), tokens.scopes.join(QLatin1Char(' '))},
                             {QStringLiteral("expires_at"), tokens.expiresAt.toString(Qt::ISODate)}});
    if (!client.clientId.isEmpty())
        o.insert(QStringLiteral("client"),
                 QJsonObject{{QStringLiteral("client_id"), client.clientId},
                             {QStringLiteral("client_secret"), text(client.clientSecret)},
                             {QStringLiteral("auth_method"), client.authMethod},
                             {QStringLiteral("how"), client.how},
                             {QStringLiteral("redirect_uri"), client.redirectUri}});
    return o.size() > 1 ? QJsonDocument(o).toJson(QJsonDocument::Compact) : QByteArray();
}

void decodeSecret(const QByteArray &secret, const QString &issuer, TokenSet *tokens,
                  ClientRegistration *client)
{
    const QJsonObject o = QJsonDocument::fromJson(secret).object();
    const QJsonObject t = o.value(QLatin1String("tokens")).toObject();
    if (!t.isEmpty()) {
        tokens->issuer = issuer;
        tokens->accessToken = t.value(QLatin1String("access_token")).toString().toUtf8();
        tokens->refreshToken = t.value(QLatin1String("refresh_token")).toString().toUtf8();
        tokens->tokenType = t.value(QLatin1String("token_type")).toString();
        tokens->scopes =
            t.value(QLatin1String("scope")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        tokens->expiresAt =
            QDateTime::fromString(t.value(QLatin1String("expires_at")).toString(), Qt::ISODate);
    }
    const QJsonObject c = o.value(QLatin1String("client")).toObject();
    if (!c.isEmpty())
        *client = {issuer,
                   c.value(QLatin1String("client_id")).toString(),
                   c.value(QLatin1String("client_secret")).toString().toUtf8(),
                   c.value(QLatin1String("auth_method")).toString(),
                   c.value(QLatin1String("how")).toString(),
                   c.value(QLatin1String("redirect_uri")).toString()};
}

} // namespace

TokenStore::TokenStore(std::shared_ptr<TokenVault> vault) : m_vault(std::move(vault))
{}

TokenStore::~TokenStore() = default;

QString TokenStore::storeName() const
{
    return m_vault ? m_vault->name() : QStringLiteral("memory only (this process)");
}

void TokenStore::setTokens(const CredentialScope &scope, const TokenSet &tokens)
{
    m_tokens.insert(scope.key(), tokens);
    persist(scope);
}

TokenSet TokenStore::tokens(const CredentialScope &scope) const
{
    return m_tokens.value(scope.key());
}

void TokenStore::removeTokens(const CredentialScope &scope)
{
    m_tokens.remove(scope.key());
    persist(scope);
}

void TokenStore::setRegistration(const CredentialScope &scope, const ClientRegistration &registration)
{
    m_registrations.insert(scope.key(), registration);
    persist(scope);
}

ClientRegistration TokenStore::registration(const CredentialScope &scope) const
{
    return m_registrations.value(scope.key());
}

void TokenStore::persist(const CredentialScope &scope)
{
    if (!m_vault)
        return;
    const QString k = scope.key();
    m_loaded.insert(k); // what the vault has is older now
    const QByteArray secret = encodeSecret(m_tokens.value(k), m_registrations.value(k));
    if (secret.isEmpty())
        m_vault->remove(k);
    else
        m_vault->write(k, secret);
}

void TokenStore::load(const CredentialScope &scope, QObject *context, std::function<void()> done)
{
    const QString k = scope.key();
    if (!m_vault || m_loaded.contains(k)) {
        done();
        return;
    }
    m_loaded.insert(k);
    if (m_cleared.contains(scope.connection)) {
        m_vault->remove(k);
        done();
        return;
    }
    m_vault->read(k, context, [this, k, issuer = scope.issuer, done](const QByteArray &secret) {
        TokenSet tokens;
        ClientRegistration client;
        decodeSecret(secret, issuer, &tokens, &client);
        if (tokens.isValid() && !m_tokens.contains(k))
            m_tokens.insert(k, tokens);
        if (!client.clientId.isEmpty() && !m_registrations.contains(k))
            m_registrations.insert(k, client);
        done();
    });
}

void TokenStore::clear(const QString &connection)
{
    const QString prefix = connection + QLatin1Char('|');
    QSet<QString> keys = m_loaded;
    for (const QString &k : m_tokens.keys() + m_registrations.keys())
        keys.insert(k);
    for (const QString &k : std::as_const(keys)) {
        if (!k.startsWith(prefix))
            continue;
        m_tokens.remove(k);
        m_registrations.remove(k);
        if (m_vault)
            m_vault->remove(k);
    }
    m_cleared.insert(connection);
}

} // namespace mcp::auth
