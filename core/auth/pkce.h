#pragma once

#include <QByteArray>

namespace mcp::auth {

// RFC 7636 with S256: a 43-character verifier from 32 random bytes, the challenge is
// BASE64URL(SHA256(verifier)) without padding.
struct Pkce
{
    QByteArray verifier;
    QByteArray challenge;
    static Pkce generate();
    static QByteArray challengeFor(const QByteArray &verifier);
};

QByteArray randomUrlSafe(int bytes); // for state and jti
QByteArray base64Url(const QByteArray &data);
QByteArray fromBase64Url(const QByteArray &text);
QByteArray sha256Base64Url(const QByteArray &data); // S256 challenges, DPoP ath, JWK thumbprints

} // namespace mcp::auth
