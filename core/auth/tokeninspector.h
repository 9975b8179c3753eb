#pragma once

#include "jwt.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;

namespace mcp::auth {

struct TokenCheck
{
    enum class Result { Pass, Fail, Warn, Info };
    QString name; // "signature", "exp", "nbf", "iat", "aud", "iss", "scope", "format"
    Result result = Result::Info;
    QString detail;
    static QString resultName(Result r);
};

struct TokenReport
{
    bool isJwt = false;
    QJsonObject header;
    QJsonObject claims;
    QList<TokenCheck> checks;
    bool ok() const;              // no Fail
    QString firstFailure() const; // "<check>: <detail>"
};

struct InspectOptions
{
    QString resource;           // the token's audience should name it
    QString issuer;             // expected iss
    QStringList requiredScopes; // each must be granted
    QUrl jwksUrl;               // verify the signature with this key set
    QJsonObject jwks;           // ... or with this one (tests, a cached set)
    QDateTime now;              // invalid: the current time
    int leewaySeconds = 60;
};

// Decodes a token and checks what can be checked: JWT header and claims with readable times, the signature
// against the issuer's JWKS (RS256, PS256, ES256, EdDSA), exp/nbf/iat, aud against the resource, iss,
// scopes. An opaque token is reported as such.
class TokenInspector : public QObject
{
    Q_OBJECT
public:
    explicit TokenInspector(QObject *parent = nullptr);

    // Without a JWKS to fetch, runs the checks at once and reports synchronously.
    void inspect(const QByteArray &token, const InspectOptions &options);
    static TokenReport inspectWith(const QByteArray &token, const InspectOptions &options,
                                   const QString &jwksProblem = {});
    static QString readableTime(const QJsonValue &epochSeconds);

Q_SIGNALS:
    void finished(const mcp::auth::TokenReport &report);

private:
    QNetworkAccessManager *m_nam;
};

} // namespace mcp::auth
