#include "tokenstore.h"

namespace mcp::auth {

void TokenStore::setTokens(const QString &connection, const TokenSet &tokens)
{
    m_tokens.insert(key(connection, tokens.issuer), tokens);
}

TokenSet TokenStore::tokens(const QString &connection, const QString &issuer) const
{
    return m_tokens.value(key(connection, issuer));
}

void TokenStore::removeTokens(const QString &connection, const QString &issuer)
{
    m_tokens.remove(key(connection, issuer));
}

void TokenStore::setRegistration(const QString &connection, const ClientRegistration &registration)
{
    m_registrations.insert(key(connection, registration.issuer), registration);
}

ClientRegistration TokenStore::registration(const QString &connection, const QString &issuer) const
{
    return m_registrations.value(key(connection, issuer));
}

void TokenStore::clear(const QString &connection)
{
    const QString prefix = connection + QChar(0);
    for (auto it = m_tokens.begin(); it != m_tokens.end();)
        it = it.key().startsWith(prefix) ? m_tokens.erase(it) : std::next(it);
    for (auto it = m_registrations.begin(); it != m_registrations.end();)
        it = it.key().startsWith(prefix) ? m_registrations.erase(it) : std::next(it);
}

} // namespace mcp::auth
