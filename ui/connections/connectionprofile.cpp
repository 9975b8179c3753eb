#include "connectionprofile.h"

#include "common/keyvalueeditor.h"
#include "config/envfile.h"
#include "config/inventory.h"
#include "config/secretreference.h"
#include "jsonrpc/message.h"
#include "traffic/redaction.h"

#include <QSettings>
#include <QUuid>

namespace mcpui {

using mcp::expandSecretReferences;
using mcp::secretReference;

namespace {

bool isLiteralSecret(const KeyValue &e)
{
    return mcp::isLiteralSecret(e.first, e.second);
}

QStringList literalSecrets(const QStringList &lines, QChar separator)
{
    QStringList result;
    for (const QString &line : lines)
        if (isLiteralSecret(splitKeyValue(line, separator)))
            result << line;
    return result;
}

// The lines as saved: literal secret values dropped, the names kept so the user sees what to re-enter.
QStringList withoutLiteralSecrets(const QStringList &lines, QChar separator)
{
    QStringList result;
    for (const QString &line : lines) {
        const KeyValue e = splitKeyValue(line, separator);
        result << (isLiteralSecret(e) ? e.first + separator : line);
    }
    return result;
}

} // namespace

QString ConnectionProfile::transportLabel() const
{
    if (kind == Kind::Stdio)
        return QStringLiteral("stdio");
    return transport.isEmpty() ? QStringLiteral("auto") : transport;
}

mcp::TransportConfig ConnectionProfile::transportConfig(QStringList *unreadable,
                                                        const QHash<QString, QString> &answers) const
{
    const auto expand = [&](const QString &what, const QString &name, const QString &value) {
        QString failure;
        QString missing;
        const QString expanded =
            mcp::expandInputs(expandSecretReferences(value, &failure), answers, &missing);
        if (failure.isEmpty() && !missing.isEmpty())
            failure = QStringLiteral("${input:%1} was not answered").arg(missing);
        if (!failure.isEmpty() && unreadable)
            *unreadable << QStringLiteral("%1 %2: %3").arg(what, name, failure);
        return expanded;
    };
    const auto answered = [&](const QString &value) { return mcp::expandInputs(value, answers); };
    mcp::TransportConfig config;
    if (kind == Kind::Stdio) {
        config.kind = mcp::TransportConfig::Kind::Stdio;
        config.stdio.program = answered(command);
        for (const QString &a : arguments)
            config.stdio.arguments << answered(a);
        config.stdio.workingDirectory = answered(workingDirectory);
        if (!envFile.isEmpty()) {
            const mcp::config::EnvFileResult file = mcp::config::readEnvFile(answered(envFile));
            for (const mcp::config::ConfigProblem &p : file.problems)
                if (unreadable)
                    *unreadable << QStringLiteral("envFile: %1").arg(p.toString());
            for (const auto &[name, value] : file.variables)
                config.stdio.environment.insert(name, value);
        }
        for (const QString &line : environment) {
            const auto [name, value] = splitKeyValue(line, QLatin1Char('='));
            const QString expanded = expand(QStringLiteral("variable"), name, value);
            if (!name.isEmpty() && !expanded.isEmpty()) // empty (an unsaved secret): not passed, re-entered
                config.stdio.environment.insert(name, expanded);
        }
        return config;
    }
    config.kind = mcp::TransportConfig::kindFromString(transport).value_or(mcp::TransportConfig::Kind::Auto);
    config.http.url = QUrl::fromUserInput(answered(url));
    for (const QString &line : headers) {
        const auto [name, value] = splitKeyValue(line, QLatin1Char(':'));
        const QString expanded = expand(QStringLiteral("header"), name, value);
        if (!name.isEmpty() && !expanded.isEmpty()) // an unsaved secret is left out rather than sent empty
            config.http.headers.append({name.toUtf8(), expanded.toUtf8()});
    }
    config.http.caFile = caFile;
    config.http.insecure = insecure;
    return config;
}

ConnectionProfile ConnectionProfile::fromConfigured(const mcp::config::ConfiguredServer &server)
{
    using namespace mcp::config;
    ConnectionProfile profile;
    profile.name = server.name;
    profile.inputs = server.inputs;
    auto ref = [&](const QString &v) { return workbenchReferences(v, server.host); };
    if (!server.isRemote()) {
        profile.kind = Kind::Stdio;
        profile.command = ref(server.command);
        for (const QString &a : server.args)
            profile.arguments << ref(a);
        profile.workingDirectory = ref(server.cwd);
        profile.envFile = ref(server.envFile);
        for (const auto &[name, value] : server.env)
            profile.environment << name + QLatin1Char('=') + ref(value);
        return profile;
    }
    const mcp::TransportConfig config =
        mcp::config::transportConfig(server); // Codex's variables become headers
    profile.kind = Kind::Url;
    profile.url = ref(server.url);
    profile.transport = mcp::TransportConfig::kindName(config.kind);
    for (const auto &[name, value] : config.http.headers)
        profile.headers << QString::fromUtf8(name) + QStringLiteral(": ") + QString::fromUtf8(value);
    return profile;
}

mcp::config::ConfiguredServer ConnectionProfile::toConfigured() const
{
    mcp::config::ConfiguredServer server;
    server.name = name;
    server.host = mcp::config::Host::VsCode; // its reference syntax is the workbench's
    server.scope = QStringLiteral("workbench");
    server.inputs = inputs;
    if (kind == Kind::Stdio) {
        server.command = command;
        server.args = arguments;
        server.cwd = workingDirectory;
        server.envFile = envFile;
        for (const QString &kv : environment)
            server.env.append({kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1)});
        return server;
    }
    server.url = url;
    server.transport =
        mcp::TransportConfig::kindFromString(transport).value_or(mcp::TransportConfig::Kind::Auto);
    for (const QString &h : headers)
        server.headers.append(
            {h.section(QLatin1Char(':'), 0, 0).trimmed(), h.section(QLatin1Char(':'), 1).trimmed()});
    return server;
}

QList<mcp::config::ConfigInput>
ConnectionProfile::unansweredInputs(const QHash<QString, QString> &answers) const
{
    QStringList ids;
    for (const QString &value :
         QStringList{command, workingDirectory, envFile, url} + arguments + environment + headers)
        for (const QString &id : mcp::inputReferences(value))
            if (!answers.contains(id) && !ids.contains(id))
                ids << id;
    QList<mcp::config::ConfigInput> out;
    for (const QString &id : ids) {
        auto declared =
            std::find_if(inputs.cbegin(), inputs.cend(), [&](const auto &i) { return i.id == id; });
        out << (declared != inputs.cend() ? *declared : mcp::config::ConfigInput{id, QString(), false, {}});
    }
    return out;
}

namespace {

mcp::Json maskedLines(const QStringList &lines, QChar separator)
{
    mcp::Json out = mcp::Json::array();
    for (const QString &line : lines) {
        const auto [name, value] = splitKeyValue(line, separator);
        const bool secret = mcp::redaction::isSecretSetting(name.toUtf8(), value.toUtf8());
        out.push_back(mcp::toStd(secret ? name + separator + QLatin1String(mcp::redaction::kMask) : line));
    }
    return out;
}

mcp::Json maskedArguments(const QStringList &arguments)
{
    using mcp::redaction::Place;
    mcp::Json out = mcp::Json::array();
    bool valueOfSecret = false;
    for (const QString &arg : arguments) {
        const QString option =
            arg.startsWith(QLatin1Char('-')) ? arg.section(QLatin1Char('='), 0, 0) : QString();
        const bool secretOption = mcp::redaction::isSecretName(option.toUtf8(), Place::Header);
        if (valueOfSecret || mcp::redaction::looksLikeJwt(arg.toUtf8()))
            out.push_back(mcp::redaction::kMask);
        else if (secretOption && arg.contains(QLatin1Char('=')))
            out.push_back(mcp::toStd(option + QLatin1Char('=') + QLatin1String(mcp::redaction::kMask)));
        else
            out.push_back(mcp::toStd(arg));
        valueOfSecret = secretOption && !arg.contains(QLatin1Char('='));
    }
    return out;
}

} // namespace

mcp::Json ConnectionProfile::auditSummary() const
{
    if (kind == Kind::Stdio)
        return {{"transport", "stdio"},
                {"command", mcp::toStd(command)},
                {"arguments", maskedArguments(arguments)},
                {"environment", maskedLines(environment, QLatin1Char('='))}};
    return {{"transport", mcp::toStd(transport)},
            {"url", mcp::toStd(mcp::redaction::redactUrl(QUrl::fromUserInput(url)).toString())},
            {"headers", maskedLines(headers, QLatin1Char(':'))}};
}

QStringList ConnectionProfile::unsavedSecrets() const
{
    return literalSecrets(headers, QLatin1Char(':')) + literalSecrets(environment, QLatin1Char('='));
}

QList<ConnectionProfile> ConnectionProfile::load(QSettings &settings)
{
    QList<ConnectionProfile> profiles;
    const int n = settings.beginReadArray(QStringLiteral("connections"));
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        ConnectionProfile p;
        p.id = settings.value(QStringLiteral("id")).toString();
        if (p.id.isEmpty())
            p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        p.name = settings.value(QStringLiteral("name")).toString();
        p.kind = settings.value(QStringLiteral("kind")).toString() == QLatin1String("url") ? Kind::Url
                                                                                           : Kind::Stdio;
        p.command = settings.value(QStringLiteral("command")).toString();
        p.arguments = settings.value(QStringLiteral("arguments")).toStringList();
        p.environment = settings.value(QStringLiteral("environment")).toStringList();
        p.workingDirectory = settings.value(QStringLiteral("workingDirectory")).toString();
        p.url = settings.value(QStringLiteral("url")).toString();
        p.headers = settings.value(QStringLiteral("headers")).toStringList();
        p.transport = settings.value(QStringLiteral("transport"), QStringLiteral("auto")).toString();
        p.caFile = settings.value(QStringLiteral("caFile")).toString();
        p.insecure = settings.value(QStringLiteral("insecure")).toBool();
        p.protocolVersion = settings.value(QStringLiteral("protocolVersion")).toString();
        p.roots = settings.value(QStringLiteral("roots")).toStringList();
        p.envFile = settings.value(QStringLiteral("envFile")).toString();
        const mcp::Json inputs =
            mcp::jsonrpc::parseJson(settings.value(QStringLiteral("inputs")).toByteArray());
        for (const mcp::Json &i : inputs.is_array() ? inputs : mcp::Json::array())
            p.inputs << mcp::config::ConfigInput{mcp::toQString(mcp::valueOr(i, "id", "")),
                                                 mcp::toQString(mcp::valueOr(i, "description", "")),
                                                 mcp::valueOr(i, "password", false), mcp::Json::object()};
        profiles.append(p);
    }
    settings.endArray();
    return profiles;
}

void ConnectionProfile::save(QSettings &settings, const QList<ConnectionProfile> &profiles)
{
    settings.remove(QStringLiteral("connections"));
    settings.beginWriteArray(QStringLiteral("connections"), int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ConnectionProfile &p = profiles[i];
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("id"), p.id);
        settings.setValue(QStringLiteral("name"), p.name);
        settings.setValue(QStringLiteral("kind"),
                          p.kind == Kind::Url ? QStringLiteral("url") : QStringLiteral("stdio"));
        settings.setValue(QStringLiteral("command"), p.command);
        settings.setValue(QStringLiteral("arguments"), p.arguments);
        settings.setValue(QStringLiteral("environment"),
                          withoutLiteralSecrets(p.environment, QLatin1Char('=')));
        settings.setValue(QStringLiteral("workingDirectory"), p.workingDirectory);
        settings.setValue(QStringLiteral("url"), p.url);
        settings.setValue(QStringLiteral("headers"), withoutLiteralSecrets(p.headers, QLatin1Char(':')));
        settings.setValue(QStringLiteral("transport"), p.transport);
        settings.setValue(QStringLiteral("caFile"), p.caFile);
        settings.setValue(QStringLiteral("insecure"), p.insecure);
        settings.setValue(QStringLiteral("protocolVersion"), p.protocolVersion);
        settings.setValue(QStringLiteral("roots"), p.roots);
        settings.setValue(QStringLiteral("envFile"), p.envFile);
        mcp::Json inputs = mcp::Json::array(); // what to ask, never the answers
        for (const mcp::config::ConfigInput &i : p.inputs)
            inputs.push_back({{"id", mcp::toStd(i.id)},
                              {"description", mcp::toStd(i.description)},
                              {"password", i.password}});
        settings.setValue(QStringLiteral("inputs"), QByteArray::fromStdString(inputs.dump()));
    }
    settings.endArray();
}

} // namespace mcpui
