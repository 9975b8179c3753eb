#include "dpop.h"

#include "discovery.h"
#include "jwt.h"
#include "pkce.h"

#include <QDateTime>
#include <QJsonDocument>

namespace mcp::auth {

QStringList DpopKey::supportedAlgorithms()
{
    return {QStringLiteral("ES256"), QStringLiteral("EdDSA"), QStringLiteral("PS256"),
            QStringLiteral("RS256")};
}

QString DpopKey::chooseAlgorithm(const QStringList &offered, const QString &preferred)
{
    if (offered.contains(preferred) && supportedAlgorithms().contains(preferred))
        return preferred;
    for (const QString &alg : supportedAlgorithms())
        if (offered.contains(alg))
            return alg;
    return {};
}

bool DpopKey::ensureKey(const QString &alg, QString *error)
{
    if (hasKey()) {
        if (alg == m_alg)
            return true;
        *error = QStringLiteral("this connection's DPoP key is %1, not %2").arg(m_alg, alg);
        return false;
    }
    const QByteArray pem = generatePrivateKeyPem(alg, error);
    if (pem.isEmpty())
        return false;
    const QJsonObject jwk = requiredJwkMembers(publicJwkFromPem(pem, {}, alg, error));
    const QByteArray jkt = jwkThumbprint(jwk, error);
    if (jkt.isEmpty())
        return false;
    m_alg = alg;
    m_privateKeyPem = pem;
    m_jwk = jwk;
    m_thumbprint = jkt;
    return true;
}

QByteArray DpopKey::proof(const QByteArray &method, const QUrl &url, const QByteArray &accessToken,
                          QString *error) const
{
    if (!hasKey()) {
        *error = QStringLiteral("no DPoP key");
        return {};
    }
    QJsonObject claims{
        {QStringLiteral("htm"), QString::fromLatin1(method)},
        {QStringLiteral("htu"), url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment).toString()},
        {QStringLiteral("iat"), QDateTime::currentSecsSinceEpoch()},
        {QStringLiteral("jti"), QString::fromLatin1(randomUrlSafe(16))}};
    if (!accessToken.isEmpty())
        claims.insert(QStringLiteral("ath"), QString::fromLatin1(sha256Base64Url(accessToken)));
    const QByteArray n = nonce(url);
    if (!n.isEmpty())
        claims.insert(QStringLiteral("nonce"), QString::fromLatin1(n));
    const QJsonObject header{{QStringLiteral("typ"), QStringLiteral("dpop+jwt")},
                             {QStringLiteral("alg"), m_alg},
                             {QStringLiteral("jwk"), m_jwk}};
    return signJwt(header, claims, m_privateKeyPem, error);
}

void DpopKey::setNonce(const QUrl &url, const QByteArray &nonce)
{
    m_nonces.insert(originOf(url).toString(), nonce);
}

QByteArray DpopKey::nonce(const QUrl &url) const
{
    return m_nonces.value(originOf(url).toString());
}

QByteArray demandedDpopNonce(const HttpExchange &response)
{
    const QByteArray nonce = headerValue(response.responseHeaders, "DPoP-Nonce").trimmed();
    if (nonce.isEmpty())
        return {};
    const bool fromAs =
        response.status == 400 &&
        QJsonDocument::fromJson(response.responseBody).object().value(QLatin1String("error")).toString() ==
            QLatin1String("use_dpop_nonce");
    const bool fromRs =
        response.status == 401 &&
        challengeOf(headerValue(response.responseHeaders, "WWW-Authenticate"), {QStringLiteral("DPoP")})
                .param(QStringLiteral("error")) == QLatin1String("use_dpop_nonce");
    return fromAs || fromRs ? nonce : QByteArray();
}

QByteArray sentDpopNonce(const HttpExchange &request)
{
    Jwt proof;
    QString error;
    if (!Jwt::parse(headerValue(request.requestHeaders, "DPoP"), &proof, &error))
        return {};
    return proof.claims.value(QLatin1String("nonce")).toString().toLatin1();
}

} // namespace mcp::auth
