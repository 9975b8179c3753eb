#include "clientauth.h"

#include "jwt.h"
#include "pkce.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

namespace mcp::auth {

bool authenticateClient(const ClientRegistration &client, const QByteArray &privateKeyPem, const QString &alg,
                        const QString &audience, HttpHeaders *headers, FormFields *form, QString *error)
{
    if (client.authMethod == QLatin1String("client_secret_basic")) {
        const QByteArray pair = QUrl::toPercentEncoding(client.clientId) + ':' +
                                QUrl::toPercentEncoding(QString::fromUtf8(client.clientSecret));
        headers->append({"Authorization", "Basic " + pair.toBase64()});
    } else if (client.authMethod == QLatin1String("client_secret_post")) {
        form->append({QStringLiteral("client_id"), client.clientId});
        form->append({QStringLiteral("client_secret"), QString::fromUtf8(client.clientSecret)});
    } else if (client.authMethod == QLatin1String("private_key_jwt")) {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QJsonObject claims{{QStringLiteral("iss"), client.clientId},
                                 {QStringLiteral("sub"), client.clientId},
                                 {QStringLiteral("aud"), audience},
                                 {QStringLiteral("iat"), now},
                                 {QStringLiteral("exp"), now + 300},
                                 {QStringLiteral("jti"), QString::fromLatin1(randomUrlSafe(16))}};
        QString why;
        const QByteArray assertion =
            signJwt(QJsonObject{{QStringLiteral("alg"), alg}, {QStringLiteral("typ"), QStringLiteral("JWT")}},
                    claims, privateKeyPem, &why);
        if (assertion.isEmpty()) {
            *error = QStringLiteral("cannot sign the client assertion: %1").arg(why);
            return false;
        }
        form->append({QStringLiteral("client_id"), client.clientId});
        form->append({QStringLiteral("client_assertion_type"),
                      QStringLiteral("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")});
        form->append({QStringLiteral("client_assertion"), QString::fromLatin1(assertion)});
    } else if (!client.clientId.isEmpty()) {
        form->append({QStringLiteral("client_id"), client.clientId});
    }
    return true;
}

QByteArray formEncode(const FormFields &form)
{
    QByteArray out;
    for (const auto &[name, value] : form) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

} // namespace mcp::auth
