#include "inventory.h"

#include "../review/transportcheck.h"
#include "../traffic/redaction.h"
#include "../transport/urlpolicy.h"
#include "secretreference.h"

#include <QFileInfo>
#include <QHostAddress>
#include <QRegularExpression>

namespace mcp::config {

QStringList InventoryEntry::names() const
{
    QStringList out;
    for (const ConfiguredServer &c : configs)
        if (!out.contains(c.name))
            out << c.name;
    return out;
}

QStringList InventoryEntry::hosts() const
{
    QStringList out;
    for (const ConfiguredServer &c : configs)
        if (!out.contains(hostName(c.host)))
            out << hostName(c.host);
    return out;
}

QString sameServerKey(const ConfiguredServer &server)
{
    if (server.isRemote()) {
        const QUrl url(server.url);
        return QStringLiteral("url\n") + url.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments)
                                             .toString(QUrl::FullyEncoded);
    }
    return QStringLiteral("stdio\n") + (QStringList{server.command} + server.args).join(QChar(0));
}

Inventory groupServers(const QList<ConfigFileResult> &results)
{
    Inventory inventory;
    QHash<QString, qsizetype> byKey;
    for (const ConfigFileResult &r : results) {
        inventory.problems += r.problems;
        for (const ConfiguredServer &s : r.servers) {
            const QString key = sameServerKey(s);
            const auto it = byKey.constFind(key);
            if (it != byKey.cend()) {
                inventory.entries[*it].configs.append(s);
            } else {
                byKey.insert(key, inventory.entries.size());
                inventory.entries.append({{s}});
            }
        }
    }
    return inventory;
}

Inventory readInventory(const QString &home, const QStringList &projects)
{
    QList<ConfigFileResult> results;
    QStringList files;
    for (const HostConfigFile &file : hostConfigFiles(home, projects)) {
        if (!QFileInfo::exists(file.path) || files.contains(file.path))
            continue;
        files << file.path;
        results << readHostConfig(file);
    }
    Inventory inventory = groupServers(results);
    inventory.files = files;
    return inventory;
}

QString workbenchReferences(const QString &value, Host host)
{
    if (host != Host::ClaudeCode && host != Host::GeminiCli)
        return value;
    // ${VAR}, and for Gemini CLI also $VAR; not ${env:…} or ${file:…}, which are ours already.
    static const QRegularExpression braces(QStringLiteral(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)\})"));
    static const QRegularExpression bare(QStringLiteral(R"(\$([A-Za-z_][A-Za-z0-9_]*))"));
    QString out = value;
    out.replace(braces, QStringLiteral("${env:\\1}"));
    if (host == Host::GeminiCli)
        out.replace(bare, QStringLiteral("${env:\\1}"));
    return out;
}

TransportConfig transportConfig(const ConfiguredServer &server)
{
    auto ref = [&](const QString &v) { return workbenchReferences(v, server.host); };
    TransportConfig config;
    config.kind = server.transport;
    if (!server.isRemote()) {
        config.kind = TransportConfig::Kind::Stdio;
        config.stdio.program = ref(server.command);
        for (const QString &a : server.args)
            config.stdio.arguments << ref(a);
        config.stdio.workingDirectory = ref(server.cwd);
        for (const auto &[name, value] : server.env)
            config.stdio.environment.insert(name, ref(value));
        return config;
    }
    config.http.url = QUrl(ref(server.url));
    for (const auto &[name, value] : server.headers)
        config.http.headers.append({name.toUtf8(), ref(value).toUtf8()});
    const QString bearerVariable = toQString(valueOr(server.unknown, "bearer_token_env_var", ""));
    if (server.host == Host::Codex && !bearerVariable.isEmpty())
        config.http.headers.append(
            {"Authorization", QStringLiteral("Bearer ${env:%1}").arg(bearerVariable).toUtf8()});
    const Json envHeaders = valueOr(server.unknown, "env_http_headers", Json::object());
    if (server.host == Host::Codex)
        for (auto it = envHeaders.begin(); it != envHeaders.end(); ++it)
            if (it->is_string())
                config.http.headers.append(
                    {QByteArray::fromStdString(it.key()),
                     QStringLiteral("${env:%1}").arg(toQString(it->get<std::string>())).toUtf8()});
    return config;
}

QList<review::ServerSnapshot> configuredSnapshots(const Inventory &inventory)
{
    QList<review::ServerSnapshot> snapshots;
    QStringList taken;
    for (const InventoryEntry &e : inventory.entries) {
        const QString plain = review::visibleText(e.name(), 80);
        QString name = plain;
        if (taken.contains(name))
            name += QStringLiteral(" (%1)").arg(hostName(e.first().host));
        for (int n = 2; taken.contains(name); ++n)
            name = plain + QStringLiteral(" #%1").arg(n);
        taken << name;
        review::ServerSnapshot s;
        s.name = name;
        s.transport = transportConfig(e.first());
        for (const auto &header : s.transport->http.headers)
            s.authenticated |= redaction::isSecretName(header.first, redaction::Place::Header);
        snapshots << s;
    }
    return snapshots;
}

bool expandReferences(TransportConfig *config, QString *error)
{
    QString first;
    auto expand = [&](const QString &value) {
        QString failure;
        const QString expanded = expandSecretReferences(value, &failure);
        if (first.isEmpty())
            first = failure;
        return expanded;
    };
    const QProcessEnvironment env = config->stdio.environment;
    for (const QString &name : env.keys())
        config->stdio.environment.insert(name, expand(env.value(name)));
    for (auto &[name, value] : config->http.headers)
        value = expand(QString::fromUtf8(value)).toUtf8();
    if (error)
        *error = first;
    return first.isEmpty();
}

QString withoutAgreement(TransportConfig *config)
{
    config->http.headers.removeIf([](const QPair<QByteArray, QByteArray> &header) {
        return secretReference().match(QString::fromUtf8(header.second)).hasMatch();
    });
    const QString host = config->http.url.host();
    if (const QString refusal = refusalWithoutAgreement(host, host); !refusal.isEmpty())
        return refusal;
    config->http.peerCheck = [](const QHostAddress &peer, const QString &name) {
        return refusalWithoutAgreement(peer.toString(), name);
    };
    return {};
}

QString shownSetting(const QString &name, const QString &value, Host host)
{
    QString literal = workbenchReferences(value, host);
    literal.remove(secretReference());
    static const QRegularExpression vsCodeInput(QStringLiteral(R"(\$\{input:[^}]*\})"));
    if (host == Host::VsCode)
        literal.remove(vsCodeInput); // asked of the user when VS Code starts the server
    literal.remove(QRegularExpression(QStringLiteral(R"(^\s*(Bearer|Basic|Token)\s*)"),
                                      QRegularExpression::CaseInsensitiveOption));
    const bool onlyReferences = literal.trimmed().isEmpty() && value.contains(QLatin1Char('$'));
    if (!onlyReferences && redaction::isSecretSetting(name.toUtf8(), value.toUtf8()))
        return QLatin1String(redaction::kMask);
    return review::visibleText(value, 400);
}

QStringList shownArguments(const QStringList &args)
{
    QStringList out;
    for (const QString &a : review::maskSecretArguments(args))
        out << review::visibleText(a, 400);
    return out;
}

QString shownTarget(const ConfiguredServer &server)
{
    if (server.isRemote())
        return review::visibleText(redaction::redactUrl(QUrl(server.url)).toString(), 400);
    return (QStringList{review::visibleText(server.command, 400)} + shownArguments(server.args))
        .join(QLatin1Char(' '));
}

} // namespace mcp::config
