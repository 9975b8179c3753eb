#include "transportcheck.h"

#include "../auth/jwt.h"
#include "../traffic/redaction.h"
#include "../transport/urlpolicy.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

namespace mcp::review {

namespace {

constexpr qint64 kLongLivedSeconds = 24 * 3600;
constexpr int kBroadScopeCount = 10;

Finding connectionFinding(const ServerSnapshot &server, const char *rule, Category category,
                          Severity severity, const QString &title, const QString &evidence,
                          const QString &advice, const QString &field)
{
    return {QLatin1String(rule),
            category,
            severity,
            title,
            evidence,
            advice,
            {server.name, QStringLiteral("connection"), QString(), field, QString()}};
}

// Values that are credentials whatever option carries them: well-known token prefixes, JWTs.
bool looksLikeSecretValue(const QString &value)
{
    static const QRegularExpression known(QStringLiteral(
        R"(^(ghp_|gho_|ghs_|github_pat_|glpat-|xox[abprs]-|sk-|sk_live_|rk_live_|AKIA|ASIA|AIza|eyJ[\w-]+\.[\w-]+\.))"));
    return known.match(value).hasMatch();
}

void checkRemote(const ServerSnapshot &server, const HttpOptions &http, QList<Finding> *findings)
{
    const QUrl &url = http.url;
    const bool loopback = isLoopbackHost(url.host());
    const QString shown = redaction::redactUrl(url).toString();
    if (!loopback && (url.scheme() == QStringLiteral("http") || url.scheme() == QStringLiteral("ws")))
        findings->append(connectionFinding(
            server, "transport.plain-http", Category::InsufficientAuth, Severity::High,
            QStringLiteral("Plain %1 to %2, a host that is not this machine").arg(url.scheme(), url.host()),
            shown,
            QStringLiteral("Anyone on the path can read and change the traffic, tokens included. Use https."),
            QStringLiteral("url")));
    if (http.insecure)
        findings->append(connectionFinding(
            server, "transport.tls-unchecked", Category::InsufficientAuth, Severity::High,
            QStringLiteral("TLS certificate checks are switched off for %1").arg(url.host()),
            QStringLiteral("%1 with --insecure").arg(shown),
            QStringLiteral("Trust the server's CA with --ca instead of turning the checks off."),
            QStringLiteral("insecure")));
    if (!loopback && !server.authenticated)
        findings->append(connectionFinding(
            server, "transport.no-auth", Category::InsufficientAuth, Severity::High,
            QStringLiteral("Remote server %1 answered without any authentication").arg(url.host()), shown,
            QStringLiteral(
                "A server reachable over the network lets anyone use its tools. Require OAuth (the MCP "
                "authorization spec) or at least a credential."),
            QStringLiteral("url")));
}

// "--token" or "--api-key" (without "=value"): the next argument is its secret.
bool optionTakingSecret(const QString &arg)
{
    return arg.startsWith(QLatin1Char('-')) && !arg.contains(QLatin1Char('=')) &&
           redaction::isSecretName(arg.toUtf8(), redaction::Place::Header);
}

void checkStdioSecrets(const ServerSnapshot &server, const StdioOptions &stdio, QList<Finding> *findings)
{
    bool secret = false;
    const QStringList shown = maskSecretArguments(stdio.arguments, &secret);
    if (secret)
        findings->append(connectionFinding(
            server, "stdio.secret-in-arguments", Category::TokenMismanagement, Severity::High,
            QStringLiteral("A secret is passed on the command line of %1")
                .arg(QFileInfo(stdio.program).fileName()),
            visibleText(stdio.program + QLatin1Char(' ') + shown.join(QLatin1Char(' '))),
            QStringLiteral(
                "Every user of the machine can read a process's arguments. Pass it in the environment "
                "from the keychain, or let the server read it from a file only you can read."),
            QStringLiteral("arguments")));
    const QProcessEnvironment minimal = StdioOptions::minimalEnvironment();
    QStringList names;
    for (const QString &name : stdio.environment.keys())
        if (!minimal.contains(name) && redaction::isSecretName(name.toUtf8(), redaction::Place::Header) &&
            !stdio.environment.value(name).isEmpty())
            names << name;
    if (!names.isEmpty())
        findings->append(connectionFinding(
            server, "stdio.secret-in-environment", Category::TokenMismanagement, Severity::Low,
            QStringLiteral("Secrets are handed to %1 in its environment")
                .arg(QFileInfo(stdio.program).fileName()),
            QStringLiteral("%1 (values %2)")
                .arg(names.join(QStringLiteral(", ")), QLatin1String(redaction::kMask)),
            QStringLiteral(
                "Usual for stdio servers, but the server and everything it starts can read them. Give "
                "it a token scoped to its job, and keep the value in the keychain, not a config file."),
            QStringLiteral("environment")));
}

// The first word after the options (and their values) of a package runner.
QString firstOperand(const QStringList &args, qsizetype from, const QSet<QString> &optionsWithValue)
{
    for (qsizetype i = from; i < args.size(); ++i) {
        if (optionsWithValue.contains(args[i])) {
            ++i;
            continue;
        }
        if (!args[i].startsWith(QLatin1Char('-')))
            return args[i];
    }
    return {};
}

void floating(const ServerSnapshot &server, const QString &command, const QString &package,
              const QString &why, QList<Finding> *findings)
{
    findings->append(connectionFinding(
        server, "supply-chain.floating-version", Category::SupplyChain, Severity::Medium,
        QStringLiteral("%1 runs %2 %3").arg(command, visibleText(package, 120), why),
        visibleText(command + QLatin1Char(' ') + package, 200),
        QStringLiteral(
            "Each start may run code published since the review, by whoever controls the package. Pin "
            "an exact version (or image digest), and review again when you change it."),
        QStringLiteral("arguments")));
}

void checkFloatingVersions(const ServerSnapshot &server, const StdioOptions &stdio, QList<Finding> *findings)
{
    const QString program = QFileInfo(stdio.program).fileName();
    const QStringList &args = stdio.arguments;
    static const QRegularExpression npmVersion(QStringLiteral(R"(^(@[^/@]+/)?[^@]+@(.+)$)"));
    static const QRegularExpression rangeOrTag(QStringLiteral(R"(^(latest|next|\*|x|[\^~><].*|.*\.x.*)$)"));
    QString npmPackage;
    if (program == QStringLiteral("npx") || program == QStringLiteral("bunx") ||
        program == QStringLiteral("pnpx"))
        npmPackage = firstOperand(args, 0, {QStringLiteral("-p"), QStringLiteral("--package")});
    else if ((program == QStringLiteral("npm") || program == QStringLiteral("pnpm") ||
              program == QStringLiteral("yarn")) &&
             (args.value(0) == QStringLiteral("exec") || args.value(0) == QStringLiteral("dlx")))
        npmPackage = firstOperand(args, 1, {QStringLiteral("-p"), QStringLiteral("--package")});
    if (!npmPackage.isEmpty()) {
        const QRegularExpressionMatch m = npmVersion.match(npmPackage);
        if (!m.hasMatch())
            floating(server, program, npmPackage, QStringLiteral("without a version"), findings);
        else if (rangeOrTag.match(m.captured(2)).hasMatch())
            floating(server, program, npmPackage, QStringLiteral("on a moving version"), findings);
    }
    if (program == QStringLiteral("uvx") ||
        (program == QStringLiteral("uv") && args.value(0) == QStringLiteral("tool"))) {
        const QString package = firstOperand(args, program == QStringLiteral("uv") ? 2 : 0,
                                             {QStringLiteral("--from"), QStringLiteral("--with"),
                                              QStringLiteral("--python"), QStringLiteral("-p")});
        const qsizetype from = args.indexOf(QStringLiteral("--from"));
        const QString pinnedBy = from >= 0 ? args.value(from + 1) : package;
        if (!package.isEmpty() && !pinnedBy.contains(QStringLiteral("==")) &&
            !pinnedBy.contains(QLatin1Char('@')))
            floating(server, program, pinnedBy, QStringLiteral("without a version"), findings);
    }
    if ((program == QStringLiteral("docker") || program == QStringLiteral("podman")) &&
        args.value(0) == QStringLiteral("run")) {
        const QString image = firstOperand(
            args, 1,
            {QStringLiteral("-e"), QStringLiteral("--env"), QStringLiteral("-v"), QStringLiteral("--volume"),
             QStringLiteral("--name"), QStringLiteral("-p"), QStringLiteral("--publish"),
             QStringLiteral("--network"), QStringLiteral("--env-file"), QStringLiteral("-w"),
             QStringLiteral("--workdir"), QStringLiteral("-u"), QStringLiteral("--user"),
             QStringLiteral("--mount"), QStringLiteral("--entrypoint"), QStringLiteral("--platform"),
             QStringLiteral("-l"), QStringLiteral("--label")});
        const QString lastPart = image.section(QLatin1Char('/'), -1);
        if (!image.isEmpty() && !image.contains(QStringLiteral("@sha256:")) &&
            (!lastPart.contains(QLatin1Char(':')) || lastPart.endsWith(QStringLiteral(":latest"))))
            floating(server, program + QStringLiteral(" run"), image, QStringLiteral("on the latest tag"),
                     findings);
    }
}

QByteArray bearerToken(const ServerSnapshot &server)
{
    if (!server.accessToken.isEmpty())
        return server.accessToken;
    if (server.transport)
        for (const auto &[name, value] : server.transport->http.headers)
            if (name.compare("authorization", Qt::CaseInsensitive) == 0 && value.startsWith("Bearer "))
                return value.mid(7).trimmed();
    return {};
}

void checkToken(const ServerSnapshot &server, QList<Finding> *findings)
{
    const QByteArray token = bearerToken(server);
    auth::Jwt jwt;
    QString error;
    if (token.isEmpty() || !auth::Jwt::parse(token, &jwt, &error))
        return; // an opaque token says nothing about itself
    const QJsonObject &c = jwt.claims;
    const QString claims =
        QStringLiteral("aud %1, iat %2, exp %3, scope %4")
            .arg(c.contains(QStringLiteral("aud")) ? QStringLiteral("present") : QStringLiteral("absent"))
            .arg(c.value(QStringLiteral("iat")).toInteger())
            .arg(c.value(QStringLiteral("exp")).toInteger())
            .arg(visibleText(c.value(QStringLiteral("scope")).toString(), 200));
    if (!c.contains(QStringLiteral("aud")))
        findings->append(connectionFinding(
            server, "token.no-audience", Category::InsufficientAuth, Severity::Medium,
            QStringLiteral("The access token names no audience"), claims,
            QStringLiteral(
                "A token without aud is accepted by any server that trusts the issuer, so this server "
                "could replay it elsewhere. Ask the authorization server for a resource-bound token (RFC "
                "8707)."),
            QStringLiteral("token")));
    const qint64 exp = c.value(QStringLiteral("exp")).toInteger();
    const qint64 iat = c.value(QStringLiteral("iat")).toInteger();
    if (exp == 0 || (iat > 0 && exp - iat > kLongLivedSeconds))
        findings->append(connectionFinding(
            server, "token.long-lived", Category::TokenMismanagement, Severity::Medium,
            exp == 0 ? QStringLiteral("The access token never expires")
                     : QStringLiteral("The access token lives %1 hours").arg((exp - iat) / 3600),
            claims,
            QStringLiteral("A leaked long-lived token stays useful. Use short-lived tokens with refresh."),
            QStringLiteral("token")));
    QStringList scopes =
        c.value(QStringLiteral("scope")).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QJsonValue &s : c.value(QStringLiteral("scp")).toArray())
        scopes << s.toString();
    static const QRegularExpression broad(
        QStringLiteral(R"(\*|^(admin|all|root|full[_-]?access)$|[:.](admin|all|\*)$|^repo$)"));
    QStringList broadOnes;
    for (const QString &s : scopes)
        if (broad.match(s).hasMatch())
            broadOnes << s;
    if (!broadOnes.isEmpty() || scopes.size() > kBroadScopeCount)
        findings->append(connectionFinding(
            server, "token.broad-scope", Category::ScopeCreep, Severity::Medium,
            QStringLiteral("The access token carries broad scopes"),
            QStringLiteral("%1 scopes; broad: %2")
                .arg(scopes.size())
                .arg(visibleText(broadOnes.join(QLatin1Char(' ')), 200)),
            QStringLiteral("Ask only for the scopes this server's tools need."), QStringLiteral("token")));
}

} // namespace

QStringList maskSecretArguments(const QStringList &args, bool *masked)
{
    QStringList shown;
    bool secret = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        const QString option = arg.section(QLatin1Char('='), 0, 0);
        const bool optionNamesSecret = option.startsWith(QLatin1Char('-')) &&
                                       redaction::isSecretName(option.toUtf8(), redaction::Place::Header);
        if (optionNamesSecret && arg.contains(QLatin1Char('='))) {
            shown << option + QLatin1Char('=') + QLatin1String(redaction::kMask);
            secret = true;
        } else if (looksLikeSecretValue(arg) ||
                   (!arg.startsWith(QLatin1Char('-')) && i > 0 && optionTakingSecret(args[i - 1]))) {
            shown << QLatin1String(redaction::kMask);
            secret = true;
        } else {
            shown << arg;
        }
    }
    if (masked)
        *masked = secret;
    return shown;
}

void checkTransport(const ServerSnapshot &server, QList<Finding> *findings)
{
    if (server.transport) {
        const TransportConfig &t = *server.transport;
        if (t.kind == TransportConfig::Kind::Stdio ||
            (t.kind == TransportConfig::Kind::Auto && t.http.url.isEmpty())) {
            checkStdioSecrets(server, server.transport->stdio, findings);
            checkFloatingVersions(server, server.transport->stdio, findings);
        } else {
            checkRemote(server, server.transport->http, findings);
        }
    }
    checkToken(server, findings);
}

} // namespace mcp::review
