#pragma once

#include "../transport/transport.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace mcp::auth {

// DPoP (RFC 9449) for one connection: the key pair its tokens are bound to, the proofs signed with it, and
// the nonces the servers handed out (per origin: the authorization server and the resource server each
// keep their own). The key never leaves the process.
class DpopKey
{
public:
    // The algorithms this client can sign proofs with, in order of preference.
    static QStringList supportedAlgorithms();
    // The algorithm to use with a server that accepts `offered` (dpop_signing_alg_values_supported):
    // `preferred` when offered, else the first supported one offered; empty when none fits.
    static QString chooseAlgorithm(const QStringList &offered, const QString &preferred);

    // Makes the key pair on first use; later calls keep it (tokens stay bound to it). False with *error when
    // the algorithm differs from the existing key's or OpenSSL fails.
    bool ensureKey(const QString &alg, QString *error);
    bool hasKey() const { return !m_privateKeyPem.isEmpty(); }
    QString algorithm() const { return m_alg; }
    QJsonObject publicJwk() const { return m_jwk; }        // the RFC 7638 members only
    QByteArray thumbprint() const { return m_thumbprint; } // "jkt", what a bound token's cnf names

    // A fresh proof (new jti, current iat) for one request: htm, htu without query and fragment, ath when an
    // access token is presented, and the nonce the URL's origin asked for last. Empty (with *error) without
    // a key.
    QByteArray proof(const QByteArray &method, const QUrl &url, const QByteArray &accessToken,
                     QString *error) const;

    void setNonce(const QUrl &url, const QByteArray &nonce);
    QByteArray nonce(const QUrl &url) const;

private:
    QString m_alg;
    QByteArray m_privateKeyPem;
    QJsonObject m_jwk;
    QByteArray m_thumbprint;
    QHash<QString, QByteArray> m_nonces; // origin → last DPoP-Nonce
};

// The nonce a refusal demands (RFC 9449 §8, §9): the DPoP-Nonce header of a 400 {"error":"use_dpop_nonce"}
// from an authorization server or a 401 with WWW-Authenticate: DPoP error="use_dpop_nonce" from a resource
// server. Empty for any other response.
QByteArray demandedDpopNonce(const HttpExchange &response);

// The nonce claim of the DPoP proof a request carried, empty without one.
QByteArray sentDpopNonce(const HttpExchange &request);

} // namespace mcp::auth
