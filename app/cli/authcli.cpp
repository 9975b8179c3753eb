#include "authcli.h"

#include "auth/oauthprovider.h"
#include "auth/secrets.h"
#include "auth/tokeninspector.h"
#include "traffic/redaction.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

using mcp::auth::AuthFlow;
using mcp::auth::AuthStep;

namespace {

QString bodyLine(const QByteArray &body)
{
    QString s = QString::fromUtf8(body.left(2000)).simplified();
    return s.size() > 400 ? s.left(400) + QStringLiteral("…") : s;
}

void printExchange(Printer *printer, const mcp::HttpExchange &raw, bool showSecrets)
{
    const mcp::HttpExchange ex = showSecrets ? raw : mcp::redaction::redactExchange(raw);
    printer->diagnostic(QStringLiteral("    > %1 %2")
                            .arg(QString::fromLatin1(ex.method), ex.url.toString(QUrl::FullyEncoded)));
    for (const auto &[name, value] : ex.requestHeaders)
        printer->diagnostic(
            QStringLiteral("    > %1: %2").arg(QString::fromLatin1(name), QString::fromLatin1(value)));
    if (!ex.requestBody.isEmpty())
        printer->diagnostic(QStringLiteral("    > ") + bodyLine(ex.requestBody));
    printer->diagnostic(
        ex.status == 0 ? QStringLiteral("    < no response: %1").arg(ex.error)
                       : QStringLiteral("    < %1 %2").arg(ex.status).arg(QString::fromLatin1(ex.reason)));
    for (const auto &[name, value] : ex.responseHeaders)
        if (name.compare("Location", Qt::CaseInsensitive) == 0 ||
            name.compare("WWW-Authenticate", Qt::CaseInsensitive) == 0 ||
            name.compare("Content-Type", Qt::CaseInsensitive) == 0)
            printer->diagnostic(
                QStringLiteral("    < %1: %2").arg(QString::fromLatin1(name), QString::fromLatin1(value)));
    if (!ex.responseBody.isEmpty())
        printer->diagnostic(QStringLiteral("    < ") + bodyLine(ex.responseBody));
}

} // namespace

std::shared_ptr<mcp::auth::OAuthProvider> attachAuth(CliArgs *args, Printer *printer)
{
    auto provider = std::make_shared<mcp::auth::OAuthProvider>(args->auth, args->transport.http.url,
                                                               args->transport.http.url.toString());
    args->transport.http.auth = provider;
    const bool steps = args->authSteps;
    const bool showSecrets = args->showSecrets;
    const mcp::auth::TokenStore *store = &provider->store();
    QObject::connect(
        provider.get(), &mcp::auth::OAuthProvider::flowStarted, provider.get(),
        [printer, steps, showSecrets, store](AuthFlow *flow) {
            printer->diagnostic(
                QStringLiteral("auth: authorizing (tokens kept in %1)").arg(store->storeName()));
            QObject::connect(
                flow, &AuthFlow::stepFinished, flow,
                [printer, steps, showSecrets](int index, const AuthStep &step) {
                    printer->diagnostic(
                        QStringLiteral("auth [%1] %2%3: %4%5")
                            .arg(index + 1)
                            .arg(step.name, step.tampered ? QStringLiteral(" (TAMPERED)") : QString(),
                                 step.failed ? QStringLiteral("FAILED") : step.decision,
                                 step.reason.isEmpty() ? QString() : QStringLiteral(" — ") + step.reason));
                    if (steps)
                        for (const mcp::HttpExchange &ex : step.exchanges)
                            printExchange(printer, ex, showSecrets);
                });
            QObject::connect(flow, &AuthFlow::authorizationUrlReady, flow, [printer](const QUrl &url) {
                printer->diagnostic(
                    QStringLiteral("auth: authorization URL %1").arg(url.toString(QUrl::FullyEncoded)));
            });
        });
    return provider;
}

int runTokenInspect(const CliArgs &args)
{
    QTextStream out(stdout);
    const QByteArray token = args.verb.value(2).toUtf8();
    if (args.verb.value(1) != QStringLiteral("inspect") || token.isEmpty()) {
        QTextStream(stderr) << "usage: mcpwb token inspect TOKEN [--jwks URL] [--resource R] [--issuer I] "
                               "[--scope S] [--introspect URL [--client-id ID [--client-secret S]]]\n";
        return 1;
    }
    mcp::auth::InspectOptions options;
    options.jwksUrl = QUrl(args.jwksUrl);
    options.resource = args.inspectResource;
    options.issuer = args.auth.expectedIssuer;
    options.requiredScopes = args.auth.scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    options.introspectionEndpoint = QUrl(args.introspectUrl);
    options.introspectionClient.clientId = args.auth.clientId;
    options.introspectionClient.clientSecret = args.auth.clientSecret;
    options.introspectionClient.authMethod =
        args.auth.clientSecret.isEmpty() ? QStringLiteral("none") : QStringLiteral("client_secret_basic");
    mcp::auth::TokenInspector inspector;
    mcp::auth::TokenReport report;
    QEventLoop loop;
    bool done = false;
    QObject::connect(&inspector, &mcp::auth::TokenInspector::finished, &loop,
                     [&](const mcp::auth::TokenReport &r) {
                         report = r;
                         done = true;
                         loop.quit();
                     });
    inspector.inspect(token, options);
    if (!done)
        loop.exec();
    out << "token: " << (args.showSecrets ? QString::fromUtf8(token) : mcp::auth::maskSecret(token)) << "\n";
    if (report.isJwt)
        out << "header: " << QJsonDocument(report.header).toJson(QJsonDocument::Compact) << "\n";
    if (!report.jwksUrl.isEmpty() && report.jwksUrl != options.jwksUrl)
        out << "jwks: " << report.jwksUrl.toString() << " (discovered from iss)\n";
    if (!report.claims.isEmpty()) {
        out << (report.isJwt ? "claims:\n" : "claims (from introspection):\n");
        for (auto it = report.claims.begin(); it != report.claims.end(); ++it) {
            const bool isTime = it.key() == QLatin1String("exp") || it.key() == QLatin1String("nbf") ||
                                it.key() == QLatin1String("iat");
            out << "  " << it.key() << ": "
                << (isTime ? mcp::auth::TokenInspector::readableTime(it.value())
                           : QString::fromUtf8(QJsonDocument(QJsonArray{it.value()})
                                                   .toJson(QJsonDocument::Compact)
                                                   .mid(1)
                                                   .chopped(1)))
                << "\n";
        }
    }
    for (const mcp::auth::TokenCheck &c : report.checks)
        out << "[" << mcp::auth::TokenCheck::resultName(c.result) << "] " << c.name << ": " << c.detail
            << "\n";
    out.flush();
    return report.ok() ? 0 : 2;
}
