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

} // namespace mcp::auth
