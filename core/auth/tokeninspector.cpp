#include "tokeninspector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace mcp::auth {

QString TokenCheck::resultName(Result r)
{
    switch (r) {
    case Result::Pass:
        return QStringLiteral("ok");
    case Result::Fail:
        return QStringLiteral("FAIL");
    case Result::Warn:
        return QStringLiteral("warn");
    case Result::Info:
        return QStringLiteral("info");
    }
    return {};
}

bool TokenReport::ok() const
{
    return firstFailure().isEmpty();
}

QString TokenReport::firstFailure() const
{
    for (const TokenCheck &c : checks)
        if (c.result == TokenCheck::Result::Fail)
            return c.name + QStringLiteral(": ") + c.detail;
    return {};
}

TokenInspector::TokenInspector(QObject *parent) : QObject(parent), m_nam(new QNetworkAccessManager(this))
{}

QString TokenInspector::readableTime(const QJsonValue &epochSeconds)
{
    const QDateTime t = QDateTime::fromSecsSinceEpoch(epochSeconds.toInteger(), Qt::UTC);
    const qint64 delta = QDateTime::currentDateTimeUtc().secsTo(t);
    const qint64 a = qAbs(delta);
    const QString span = a < 120      ? QStringLiteral("%1 s").arg(a)
                         : a < 7200   ? QStringLiteral("%1 min").arg(a / 60)
                         : a < 172800 ? QStringLiteral("%1 h").arg(a / 3600)
                                      : QStringLiteral("%1 days").arg(a / 86400);
    return QStringLiteral("%1 (%2)").arg(t.toString(Qt::ISODate), delta >= 0 ? QStringLiteral("in ") + span
                                                                             : span + QStringLiteral(" ago"));
}

void TokenInspector::inspect(const QByteArray &token, const InspectOptions &options)
{
    if (options.jwksUrl.isEmpty() || !options.jwks.isEmpty()) {
        Q_EMIT finished(inspectWith(token, options));
        return;
    }
    QNetworkRequest req(options.jwksUrl);
    req.setTransferTimeout(10000);
    req.setRawHeader("Accept", "application/json");
    QNetworkReply *reply = m_nam->get(req);
    connect(reply, &QNetworkReply::finished, this, [this, reply, token, options] {
        reply->deleteLater();
        InspectOptions o = options;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll());
        QString problem;
        if (status == 0)
            problem = QStringLiteral("JWKS unreachable at %1: %2")
                          .arg(options.jwksUrl.toString(), reply->errorString());
        else if (status != 200 || !doc.object().value(QLatin1String("keys")).isArray())
            problem = QStringLiteral("JWKS at %1 answered HTTP %2 without a \"keys\" array")
                          .arg(options.jwksUrl.toString())
                          .arg(status);
        else
            o.jwks = doc.object();
        Q_EMIT finished(inspectWith(token, o, problem));
    });
}

TokenReport TokenInspector::inspectWith(const QByteArray &token, const InspectOptions &options,
                                        const QString &jwksProblem)
{
    using R = TokenCheck::Result;
    TokenReport report;
    Jwt jwt;
    QString error;
    if (!Jwt::parse(token, &jwt, &error)) {
        report.checks.append(
            {QStringLiteral("format"), R::Info,
             QStringLiteral("opaque token (%1 characters): only the authorization server can say what it "
                            "means (token introspection, RFC 7662, where it offers an endpoint)")
                 .arg(token.size())});
        return report;
    }
    report.isJwt = true;
    report.header = jwt.header;
    report.claims = jwt.claims;
    const QJsonObject &c = jwt.claims;
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    const qint64 nowS = now.toSecsSinceEpoch();

    // Signature
    if (!jwksProblem.isEmpty()) {
        report.checks.append(
            {QStringLiteral("signature"), R::Fail, QStringLiteral("not verified: ") + jwksProblem});
    } else if (options.jwks.isEmpty()) {
        report.checks.append(
            {QStringLiteral("signature"), R::Info, QStringLiteral("not verified (no JWKS given)")});
    } else {
        const QString kid = jwt.header.value(QLatin1String("kid")).toString();
        QList<QJsonObject> candidates;
        for (const QJsonValue &k : options.jwks.value(QLatin1String("keys")).toArray())
            if (kid.isEmpty() || k.toObject().value(QLatin1String("kid")).toString() == kid)
                candidates << k.toObject();
        if (candidates.isEmpty()) {
            report.checks.append({QStringLiteral("signature"), R::Fail,
                                  QStringLiteral("the JWKS has no key with kid \"%1\"").arg(kid)});
        } else {
            QString why;
            bool verified = false;
            for (const QJsonObject &k : candidates)
                if (verifyJwtSignature(jwt, k, &why)) {
                    verified = true;
                    break;
                }
            report.checks.append(
                verified ? TokenCheck{QStringLiteral("signature"), R::Pass,
                                      QStringLiteral("%1, key \"%2\"")
                                          .arg(jwt.header.value(QLatin1String("alg")).toString(), kid)}
                         : TokenCheck{QStringLiteral("signature"), R::Fail,
                                      QStringLiteral("bad signature: ") + why});
        }
    }
    // Times
    if (c.contains(QLatin1String("exp"))) {
        const bool expired = c.value(QLatin1String("exp")).toInteger() + options.leewaySeconds < nowS;
        report.checks.append({QStringLiteral("exp"), expired ? R::Fail : R::Pass,
                              (expired ? QStringLiteral("expired ") : QStringLiteral("expires ")) +
                                  readableTime(c.value(QLatin1String("exp")))});
    } else {
        report.checks.append(
            {QStringLiteral("exp"), R::Warn, QStringLiteral("no exp: the token never expires")});
    }
    if (c.contains(QLatin1String("nbf"))) {
        const bool early = c.value(QLatin1String("nbf")).toInteger() - options.leewaySeconds > nowS;
        report.checks.append({QStringLiteral("nbf"), early ? R::Fail : R::Pass,
                              (early ? QStringLiteral("not valid before ") : QStringLiteral("valid since ")) +
                                  readableTime(c.value(QLatin1String("nbf")))});
    }
    if (c.contains(QLatin1String("iat"))) {
        const bool future = c.value(QLatin1String("iat")).toInteger() - options.leewaySeconds > nowS;
        report.checks.append({QStringLiteral("iat"), future ? R::Warn : R::Pass,
                              QStringLiteral("issued ") + readableTime(c.value(QLatin1String("iat")))});
    }
    // Audience, issuer, scopes
    QStringList aud;
    if (c.value(QLatin1String("aud")).isArray())
        for (const QJsonValue &a : c.value(QLatin1String("aud")).toArray())
            aud << a.toString();
    else if (c.contains(QLatin1String("aud")))
        aud << c.value(QLatin1String("aud")).toString();
    if (!options.resource.isEmpty()) {
        const bool match = aud.contains(options.resource);
        report.checks.append(
            {QStringLiteral("aud"), match ? R::Pass : R::Fail,
             match ? QStringLiteral("names the resource %1").arg(options.resource)
                   : QStringLiteral(
                         "resource mismatch: aud is [%1], not %2; the token is meant for another server")
                         .arg(aud.join(QStringLiteral(", ")), options.resource)});
    } else if (!aud.isEmpty()) {
        report.checks.append({QStringLiteral("aud"), R::Info, aud.join(QStringLiteral(", "))});
    }
    const QString iss = c.value(QLatin1String("iss")).toString();
    if (!options.issuer.isEmpty())
        report.checks.append(
            {QStringLiteral("iss"), iss == options.issuer ? R::Pass : R::Fail,
             iss == options.issuer
                 ? iss
                 : QStringLiteral("iss mismatch: \"%1\", expected \"%2\"").arg(iss, options.issuer)});
    else if (!iss.isEmpty())
        report.checks.append({QStringLiteral("iss"), R::Info, iss});
    const QStringList granted =
        c.value(QLatin1String("scope")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList missing;
    for (const QString &s : options.requiredScopes)
        if (!granted.contains(s))
            missing << s;
    if (!options.requiredScopes.isEmpty())
        report.checks.append(
            {QStringLiteral("scope"), missing.isEmpty() ? R::Pass : R::Fail,
             missing.isEmpty() ? granted.join(QLatin1Char(' '))
                               : QStringLiteral("missing scopes: %1").arg(missing.join(QLatin1Char(' ')))});
    else if (!granted.isEmpty())
        report.checks.append({QStringLiteral("scope"), R::Info, granted.join(QLatin1Char(' '))});
    return report;
}

} // namespace mcp::auth
