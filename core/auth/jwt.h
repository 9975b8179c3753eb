#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace mcp::auth {

// A compact JWS split into its parts. Nothing is verified by parsing.
struct Jwt
{
    QJsonObject header;
    QJsonObject claims;
    QByteArray signingInput; // "<header>.<payload>" as sent
    QByteArray signature;    // raw bytes (ECDSA as r||s)

    // false (with *error) when the text is not three Base64url parts with JSON objects in the first two.
    static bool parse(const QByteArray &token, Jwt *out, QString *error);
};

// Signs with a PEM private key. alg: RS256, PS256, ES256 or EdDSA (Ed25519). Empty on error.
QByteArray signJwt(const QJsonObject &header, const QJsonObject &claims, const QByteArray &privateKeyPem,
                   QString *error);

// Verifies the signature with a public JWK (kty RSA, EC P-256 or OKP Ed25519) for the header's alg.
bool verifyJwtSignature(const Jwt &jwt, const QJsonObject &jwk, QString *error);

// The public JWK of a PEM key (private or public), with the given kid and alg.
QJsonObject publicJwkFromPem(const QByteArray &pem, const QString &kid, const QString &alg, QString *error);

// A new private key as PEM for alg: ES256 (P-256), EdDSA (Ed25519), RS256/PS256 (RSA 2048). Empty on error.
QByteArray generatePrivateKeyPem(const QString &alg, QString *error);

// The JWK with only the members RFC 7638 hashes (kty RSA: e, n; EC: crv, x, y; OKP: crv, x), e.g. for a
// DPoP proof's jwk header, which must not carry more than the public key.
QJsonObject requiredJwkMembers(const QJsonObject &jwk);

// RFC 7638 thumbprint: Base64url(SHA-256(the required members, sorted, no whitespace)). Empty (with *error)
// for a key type it does not know.
QByteArray jwkThumbprint(const QJsonObject &jwk, QString *error);

} // namespace mcp::auth
