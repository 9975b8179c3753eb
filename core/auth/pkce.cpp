#include "pkce.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace mcp::auth {

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray fromBase64Url(const QByteArray &text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding);
}

QByteArray randomUrlSafe(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(raw.begin(), raw.end());
    return base64Url(raw);
}

QByteArray sha256Base64Url(const QByteArray &data)
{
    return base64Url(QCryptographicHash::hash(data, QCryptographicHash::Sha256));
}

QByteArray Pkce::challengeFor(const QByteArray &verifier)
{
    return sha256Base64Url(verifier);
}

Pkce Pkce::generate()
{
    Pkce p;
    p.verifier = randomUrlSafe(32);
    p.challenge = challengeFor(p.verifier);
    return p;
}

} // namespace mcp::auth
