#include "tokeninspector.h"

#include "clientauth.h"
#include "discovery.h"
#include "recordedhttp.h"
#include "transport/urlpolicy.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace mcp::auth {

namespace {

using R = TokenCheck::Result;

QJsonObject jsonObjectOf(const QByteArray &body, bool *ok)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    *ok = err.error == QJsonParseError::NoError && doc.isObject();
    return doc.object();
}

QString outcomeOf(const HttpExchange &ex)
{
    return ex.status == 0 ? ex.error : QStringLiteral("HTTP %1").arg(ex.status);
}

// The claim checks a JWT's payload and an introspection answer share (RFC 7662 §2.2 uses the JWT names).
void checkClaims(const QJsonObject &c, const InspectOptions &options, QList<TokenCheck> *checks)
{
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    const qint64 nowS = now.toSecsSinceEpoch();
    if (c.contains(QLatin1String("exp"))) {
        const bool expired = c.value(QLatin1String("exp")).toInteger() + options.leewaySeconds < nowS;
        checks->append({QStringLiteral("exp"), expired ? R::Fail : R::Pass,
                        (expired ? QStringLiteral("expired ") : QStringLiteral("expires ")) +
                            TokenInspector::readableTime(c.value(QLatin1String("exp")))});
    } else {
        checks->append({QStringLiteral("exp"), R::Warn, QStringLiteral("no exp: the token never expires")});
    }
    if (c.contains(QLatin1String("nbf"))) {
        const bool early = c.value(QLatin1String("nbf")).toInteger() - options.leewaySeconds > nowS;
        checks->append({QStringLiteral("nbf"), early ? R::Fail : R::Pass,
                        (early ? QStringLiteral("not valid before ") : QStringLiteral("valid since ")) +
                            TokenInspector::readableTime(c.value(QLatin1String("nbf")))});
    }
    if (c.contains(QLatin1String("iat"))) {
        const bool future = c.value(QLatin1String("iat")).toInteger() - options.leewaySeconds > nowS;
        checks->append(
            {QStringLiteral("iat"), future ? R::Warn : R::Pass,
             QStringLiteral("issued ") + TokenInspector::readableTime(c.value(QLatin1String("iat")))});
    }
    QStringList aud;
    if (c.value(QLatin1String("aud")).isArray())
        for (const QJsonValue &a : c.value(QLatin1String("aud")).toArray())
            aud << a.toString();
    else if (c.contains(QLatin1String("aud")))
        aud << c.value(QLatin1String("aud")).toString();
    if (!options.resource.isEmpty()) {
        const bool match = aud.contains(options.resource);
        checks->append(
            {QStringLiteral("aud"), match ? R::Pass : R::Fail,
             match ? QStringLiteral("names the resource %1").arg(options.resource)
                   : QStringLiteral(
                         "resource mismatch: aud is [%1], not %2; the token is meant for another server")
                         .arg(aud.join(QStringLiteral(", ")), options.resource)});
    } else if (!aud.isEmpty()) {
        checks->append({QStringLiteral("aud"), R::Info, aud.join(QStringLiteral(", "))});
    }
    const QString iss = c.value(QLatin1String("iss")).toString();
    if (!options.issuer.isEmpty())
        checks->append(
            {QStringLiteral("iss"), iss == options.issuer ? R::Pass : R::Fail,
             iss == options.issuer
                 ? iss
                 : QStringLiteral("iss mismatch: \"%1\", expected \"%2\"").arg(iss, options.issuer)});
    else if (!iss.isEmpty())
        checks->append({QStringLiteral("iss"), R::Info, iss});
    const QStringList granted =
        c.value(QLatin1String("scope")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList missing;
    for (const QString &s : options.requiredScopes)
        if (!granted.contains(s))
            missing << s;
    if (!options.requiredScopes.isEmpty())
        checks->append({QStringLiteral("scope"), missing.isEmpty() ? R::Pass : R::Fail,
                        missing.isEmpty()
                            ? granted.join(QLatin1Char(' '))
                            : QStringLiteral("missing scopes: %1").arg(missing.join(QLatin1Char(' ')))});
    else if (!granted.isEmpty())
        checks->append({QStringLiteral("scope"), R::Info, granted.join(QLatin1Char(' '))});
}

} // namespace

struct TokenInspector::Run
{
    QByteArray token;
    InspectOptions options;
    QString jwksProblem;
    QString jwksSource; // " (discovered through …)" for messages
    HttpExchange introspection;
};

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

TokenInspector::TokenInspector(QObject *parent)
    : QObject(parent), m_http(new RecordedHttp(this)), m_serverChosenHttp(new RecordedHttp(this))
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
    m_http->setTlsPolicy(options.tls);
    m_serverChosenHttp->setTlsPolicy(options.tls);
    m_serverChosenHttp->holdPeersTo(QUrl(options.resource));
    resolveJwks(std::make_shared<Run>(Run{token, options, {}, {}, {}}));
}

QString TokenInspector::refusalFor(const QUrl &url, const InspectOptions &options)
{
    const QString refusal =
        options.addressesFromServer ? refusalToContact(url, QUrl(options.resource)) : QString();
    return refusal.isEmpty() ? refusal
                             : QStringLiteral("%1 is not contacted: %2").arg(url.toString(), refusal);
}

void TokenInspector::http(bool serverChosen, const QByteArray &verb, const QUrl &url,
                          const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                          Then then)
{
    QList<QPair<QByteArray, QByteArray>> h = headers;
    h.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});
    (serverChosen ? m_serverChosenHttp : m_http)->send(verb, url, h, body, std::move(then));
}

void TokenInspector::resolveJwks(const std::shared_ptr<Run> &run)
{
    const InspectOptions &o = run->options;
    if (!o.jwks.isEmpty()) {
        introspect(run);
        return;
    }
    if (!o.jwksUrl.isEmpty()) {
        run->jwksProblem = refusalFor(o.jwksUrl, o);
        if (run->jwksProblem.isEmpty())
            fetchJwks(run);
        else
            introspect(run);
        return;
    }
    Jwt jwt;
    QString error;
    const QUrl iss(Jwt::parse(run->token, &jwt, &error) ? jwt.claims.value(QLatin1String("iss")).toString()
                                                        : QString());
    if (!o.discoverJwks || iss.isEmpty() || !iss.isValid() ||
        (iss.scheme() != QLatin1String("https") && iss.scheme() != QLatin1String("http"))) {
        introspect(run);
        return;
    }
    discoverJwks(run, authorizationServerMetadataUrls(iss), 0);
}

void TokenInspector::discoverJwks(const std::shared_ptr<Run> &run, const QList<QUrl> &candidates, int index)
{
    Jwt jwt;
    QString error;
    Jwt::parse(run->token, &jwt, &error);
    const QString iss = jwt.claims.value(QLatin1String("iss")).toString();
    if (index >= candidates.size()) {
        run->jwksProblem =
            QStringLiteral("JWKS discovery, issuer metadata: nothing usable for iss \"%1\" (%2)")
                .arg(iss, run->jwksProblem);
        introspect(run);
        return;
    }
    // The token's iss chose these addresses, and the metadata found there chooses jwks_uri.
    const QUrl server(run->options.resource);
    if (const QString refusal = refusalToContact(candidates[index], server); !refusal.isEmpty()) {
        run->jwksProblem = QStringLiteral("JWKS discovery: %1 is not contacted: %2")
                               .arg(candidates[index].toString(), refusal);
        introspect(run);
        return;
    }
    http(
        true, "GET", candidates[index], {}, {},
        [this, run, candidates, index, iss, server](const HttpExchange &ex) {
            bool json = false;
            const QJsonObject metadata = jsonObjectOf(ex.responseBody, &json);
            if (ex.status != 200 || !json) {
                run->jwksProblem += QStringLiteral("%1%2 %3").arg(
                    index == 0 ? QString() : QStringLiteral("; "), ex.url.toString(),
                    ex.status == 200 ? QStringLiteral("is not JSON") : outcomeOf(ex));
                discoverJwks(run, candidates, index + 1);
                return;
            }
            const QString jwksUri = metadata.value(QLatin1String("jwks_uri")).toString();
            if (metadata.value(QLatin1String("issuer")).toString() != iss) // RFC 8414 §3.3
                run->jwksProblem =
                    QStringLiteral(
                        "JWKS discovery, issuer metadata: %1 names issuer \"%2\", not the token's iss \"%3\"")
                        .arg(ex.url.toString(), metadata.value(QLatin1String("issuer")).toString(), iss);
            else if (jwksUri.isEmpty())
                run->jwksProblem = QStringLiteral("JWKS discovery: the issuer metadata at %1 has no jwks_uri")
                                       .arg(ex.url.toString());
            else if (const QString refusal = refusalToContact(QUrl(jwksUri), server); !refusal.isEmpty())
                run->jwksProblem =
                    QStringLiteral("JWKS discovery: jwks_uri %1 is not contacted: %2").arg(jwksUri, refusal);
            if (run->jwksProblem.startsWith(QLatin1String("JWKS discovery"))) {
                introspect(run);
                return;
            }
            run->jwksProblem.clear();
            run->options.jwksUrl = QUrl(jwksUri);
            run->jwksSource = QStringLiteral(" (jwks_uri of %1)").arg(ex.url.toString());
            fetchJwks(run);
        });
}

void TokenInspector::fetchJwks(const std::shared_ptr<Run> &run)
{
    const QUrl url = run->options.jwksUrl;
    const bool serverChosen = run->options.addressesFromServer || !run->jwksSource.isEmpty();
    http(serverChosen, "GET", url, {}, {}, [this, run, url](const HttpExchange &ex) {
        bool json = false;
        const QJsonObject jwks = jsonObjectOf(ex.responseBody, &json);
        if (ex.status == 0)
            run->jwksProblem =
                QStringLiteral("JWKS unreachable at %1%2: %3").arg(url.toString(), run->jwksSource, ex.error);
        else if (ex.status != 200 || !json || !jwks.value(QLatin1String("keys")).isArray())
            run->jwksProblem = QStringLiteral("JWKS at %1%2 answered HTTP %3 without a \"keys\" array")
                                   .arg(url.toString(), run->jwksSource)
                                   .arg(ex.status);
        else
            run->options.jwks = jwks;
        introspect(run);
    });
}

void TokenInspector::introspect(const std::shared_ptr<Run> &run)
{
    const InspectOptions &o = run->options;
    if (o.introspectionEndpoint.isEmpty()) {
        finish(run);
        return;
    }
    if (const QString refusal = refusalFor(o.introspectionEndpoint, o); !refusal.isEmpty()) {
        run->introspection.url = o.introspectionEndpoint;
        run->introspection.error = refusal;
        finish(run);
        return;
    }
    HttpHeaders headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    FormFields form{{QStringLiteral("token"), QString::fromUtf8(run->token)},
                    {QStringLiteral("token_type_hint"), QStringLiteral("access_token")}};
    QString error;
    if (!authenticateClient(o.introspectionClient, {}, {}, o.introspectionEndpoint.toString(), &headers,
                            &form, &error)) {
        run->introspection.url = o.introspectionEndpoint;
        run->introspection.error = error;
        finish(run);
        return;
    }
    http(o.addressesFromServer, "POST", o.introspectionEndpoint, headers, formEncode(form),
         [this, run](const HttpExchange &ex) {
             run->introspection = ex;
             finish(run);
         });
}

void TokenInspector::finish(const std::shared_ptr<Run> &run)
{
    TokenReport report = inspectWith(run->token, run->options, run->jwksProblem);
    if (!run->introspection.url.isEmpty())
        addIntrospection(&report, run->introspection, run->options);
    Q_EMIT finished(report);
}

TokenReport TokenInspector::inspectWith(const QByteArray &token, const InspectOptions &options,
                                        const QString &jwksProblem)
{
    TokenReport report;
    report.jwksUrl = options.jwksUrl;
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

    // Signature
    const QString where =
        options.jwksUrl.isEmpty() ? QString() : QStringLiteral(" at %1").arg(options.jwksUrl.toString());
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
                                  QStringLiteral("the JWKS%1 has no key with kid \"%2\"").arg(where, kid)});
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
                                      QStringLiteral("%1, key \"%2\"%3")
                                          .arg(jwt.header.value(QLatin1String("alg")).toString(), kid, where)}
                         : TokenCheck{QStringLiteral("signature"), R::Fail,
                                      QStringLiteral("bad signature: ") + why});
        }
    }
    checkClaims(jwt.claims, options, &report.checks);
    return report;
}

void TokenInspector::addIntrospection(TokenReport *report, const HttpExchange &answer,
                                      const InspectOptions &options)
{
    const QString endpoint = answer.url.toString();
    bool json = false;
    const QJsonObject o = jsonObjectOf(answer.responseBody, &json);
    // RFC 7662 §2.2 answers 200 with "active"; some servers (the SDK example) answer an unknown token with a
    // 401 that still says active: false, which is as clear.
    if (!json || !o.value(QLatin1String("active")).isBool()) {
        report->checks.append(
            {QStringLiteral("introspection"), R::Fail,
             answer.status == 0
                 ? QStringLiteral("introspection endpoint unreachable at %1: %2").arg(endpoint, answer.error)
                 : QStringLiteral(
                       "the introspection endpoint at %1 answered %2 without an \"active\" member%3")
                       .arg(endpoint, outcomeOf(answer),
                            o.contains(QLatin1String("error"))
                                ? QStringLiteral(" (%1)").arg(o.value(QLatin1String("error")).toString())
                                : QString())});
        return;
    }
    report->introspection = o;
    const bool active = o.value(QLatin1String("active")).toBool();
    report->checks.append(
        {QStringLiteral("active"), active ? R::Pass : R::Fail,
         active ? QStringLiteral("the authorization server says the token is active (introspection at %1)")
                      .arg(endpoint)
                : QStringLiteral("the authorization server says the token is not active: expired, revoked or "
                                 "never issued (introspection at %1%2)")
                      .arg(endpoint,
                           o.contains(QLatin1String("error_description"))
                               ? QStringLiteral(": ") + o.value(QLatin1String("error_description")).toString()
                               : QString())});
    if (!active)
        return;
    for (const char *name : {"client_id", "username", "sub", "token_type"})
        if (o.contains(QLatin1String(name)))
            report->checks.append({QLatin1String(name), R::Info, o.value(QLatin1String(name)).toString()});
    if (report->isJwt)
        return;
    // An opaque token: the answer is all there is to know about it.
    report->claims = o;
    TokenCheck &format = report->checks.first(); // "opaque token (N characters): only the AS …"
    format.detail = format.detail.section(QLatin1Char(':'), 0, 0) +
                    QStringLiteral("; its claims come from introspection at %1").arg(endpoint);
    checkClaims(o, options, &report->checks);
}

} // namespace mcp::auth
