#include "serverjson.h"

#include "../jsonrpc/message.h"
#include "../traffic/redaction.h"
#include "jsonconfigreader.h"
#include "secretreference.h"

#include <QRegularExpression>

namespace mcp::config {

namespace {

constexpr char kSchema[] = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";

// What a registry type runs with when the package gives no runtimeHint.
QString defaultRuntime(const QString &registryType)
{
    if (registryType == QLatin1String("npm"))
        return QStringLiteral("npx");
    if (registryType == QLatin1String("pypi"))
        return QStringLiteral("uvx");
    if (registryType == QLatin1String("oci"))
        return QStringLiteral("docker");
    return {};
}

class EntryReader
{
public:
    explicit EntryReader(ConfiguredServer *server) : m_server(server) {}

    // {NAME} (not ${…}, ours) as ${input:NAME}, each variable an input.
    QString templated(const QString &value, const Json &variables)
    {
        static const QRegularExpression variable(QStringLiteral(R"((?<!\$)\{([A-Za-z_][A-Za-z0-9_.-]*)\})"));
        QString out = value;
        for (const QRegularExpressionMatch &m : variable.globalMatch(value))
            addInput(m.captured(1), valueOr(variables, m.captured(1).toUtf8().constData(), Json::object()));
        return out.replace(variable, QStringLiteral("${input:\\1}"));
    }

    // An Input's value: its value, else its default unless secret, else asked as ${input:id}.
    QString inputValue(const Json &input, const QString &id)
    {
        if (input.contains("value") && input["value"].is_string())
            return templated(toQString(input["value"].get<std::string>()),
                             valueOr(input, "variables", Json::object()));
        if (!valueOr(input, "isSecret", false) && input.contains("default") && input["default"].is_string())
            return toQString(input["default"].get<std::string>());
        addInput(id, input);
        return QStringLiteral("${input:%1}").arg(id);
    }

    bool arguments(const Json &list, QString *error)
    {
        if (list.is_null())
            return true;
        if (!list.is_array())
            return (*error = QStringLiteral("arguments must be an array"), false);
        for (const Json &a : list) {
            const QString type = toQString(valueOr(a, "type", ""));
            const QString name = toQString(valueOr(a, "name", ""));
            if (type == QLatin1String("named") && !name.isEmpty()) {
                m_server->args << name;
                if (a.contains("value") || a.contains("default") || valueOr(a, "isRequired", false))
                    m_server->args << inputValue(a, name.mid(name.lastIndexOf(QLatin1Char('-')) + 1));
            } else if (type == QLatin1String("positional")) {
                const QString hint = toQString(valueOr(a, "valueHint", "argument"));
                m_server->args << inputValue(a, hint);
            } else {
                return (*error = QStringLiteral("an argument is neither positional nor named (with a name)"),
                        false);
            }
        }
        return true;
    }

    bool namedValues(const Json &list, NamedValues *into, QString *error)
    {
        if (list.is_null())
            return true;
        if (!list.is_array())
            return (*error = QStringLiteral("environmentVariables and headers must be arrays"), false);
        for (const Json &v : list) {
            const QString name = toQString(valueOr(v, "name", ""));
            if (name.isEmpty())
                return (*error = QStringLiteral("a variable or header has no name"), false);
            into->append({name, inputValue(v, name)});
        }
        return true;
    }

private:
    void addInput(const QString &id, const Json &declared)
    {
        for (const ConfigInput &i : m_server->inputs)
            if (i.id == id)
                return;
        ConfigInput input{id, toQString(valueOr(declared, "description", "")),
                          valueOr(declared, "isSecret", false), Json::object()};
        m_server->inputs << input;
    }

    ConfiguredServer *m_server;
};

bool readPackage(const Json &package, ConfiguredServer *s, QString *error)
{
    const QString type = toQString(valueOr(package, "registryType", ""));
    const QString identifier = toQString(valueOr(package, "identifier", ""));
    const QString version = toQString(valueOr(package, "version", ""));
    s->type = type;
    s->command = toQString(valueOr(package, "runtimeHint", mcp::toStd(defaultRuntime(type))));
    if (identifier.isEmpty())
        return (*error = QStringLiteral("a package has no \"identifier\""), false);
    if (s->command.isEmpty())
        return (*error = QStringLiteral("package %1: registryType \"%2\" is not npm, pypi or oci, and no "
                                        "runtimeHint says what runs it")
                             .arg(identifier, type),
                false);
    const QString transport =
        toQString(valueOr(valueOr(package, "transport", Json::object()), "type", "stdio"));
    if (transport != QLatin1String("stdio"))
        return (*error = QStringLiteral("package %1: only stdio packages are run (this one is %2)")
                             .arg(identifier, transport),
                false);
    s->transport = TransportConfig::Kind::Stdio;
    EntryReader reader(s);
    if (!reader.namedValues(package.value("environmentVariables", Json()), &s->env, error))
        return false;
    const bool npx = s->command == QLatin1String("npx");
    const bool docker = s->command == QLatin1String("docker");
    if (docker)
        s->args << QStringLiteral("run") << QStringLiteral("-i") << QStringLiteral("--rm");
    if (!reader.arguments(package.value("runtimeArguments", Json()), error))
        return false;
    if (npx && !s->args.contains(QLatin1String("-y")) && !s->args.contains(QLatin1String("--yes")))
        s->args << QStringLiteral("-y"); // npx would ask on a terminal the server does not have
    if (docker)                          // a container sees only the variables passed to it
        for (const auto &[name, value] : s->env)
            s->args << QStringLiteral("-e") << name;
    if (version.isEmpty())
        s->args << identifier;
    else if (type == QLatin1String("pypi"))
        s->args << identifier + QStringLiteral("==") + version;
    else if (type == QLatin1String("oci"))
        s->args << (identifier.section(QLatin1Char('/'), -1).contains(QLatin1Char(':'))
                        ? identifier
                        : identifier + QLatin1Char(':') + version);
    else
        s->args << identifier + QLatin1Char('@') + version;
    return reader.arguments(package.value("packageArguments", Json()), error);
}

bool readRemote(const Json &remote, ConfiguredServer *s, QString *error)
{
    s->type = toQString(valueOr(remote, "type", ""));
    if (s->type == QLatin1String("streamable-http"))
        s->transport = TransportConfig::Kind::Http;
    else if (s->type == QLatin1String("sse"))
        s->transport = TransportConfig::Kind::Sse;
    else
        return (*error = QStringLiteral("a remote's type is not streamable-http or sse"), false);
    EntryReader reader(s);
    s->url =
        reader.templated(toQString(valueOr(remote, "url", "")), valueOr(remote, "variables", Json::object()));
    if (s->url.isEmpty())
        return (*error = QStringLiteral("a remote has no \"url\""), false);
    return reader.namedValues(remote.value("headers", Json()), &s->headers, error);
}

} // namespace

ConfigFileResult parseServerJson(const HostConfigFile &file, const QByteArray &bytes)
{
    ConfigFileResult result;
    jsonrpc::ParseError parseError;
    jsonrpc::Limits limits;
    limits.maxFrameBytes = kMaxConfigBytes;
    limits.maxDepth = kMaxConfigDepth;
    const Json root = jsonrpc::parseJson(bytes, &parseError, limits);
    auto problemAt = [&](const char *key, const QString &reason) {
        const qsizetype at = bytes.indexOf(QByteArray("\"") + key + '"');
        result.problems.append({file.path, at < 0 ? 0 : lineAt(bytes, at), reason});
    };
    if (root.is_discarded()) {
        result.problems.append({file.path, lineAt(bytes, parseError.offset), parseError.message});
        return result;
    }
    if (!root.is_object() || (!root.contains("packages") && !root.contains("remotes"))) {
        result.problems.append(
            {file.path, 0, QStringLiteral("not a server.json: no \"packages\" or \"remotes\"")});
        return result;
    }
    const QString fullName = toQString(valueOr(root, "name", ""));
    if (fullName.isEmpty())
        problemAt("name", QStringLiteral("the server has no \"name\""));
    const QString shortName = fullName.section(QLatin1Char('/'), -1);
    Json server = root;
    server.erase("packages");
    server.erase("remotes");
    struct Entry
    {
        const char *kind;
        Json json;
    };
    QList<Entry> entries;
    for (const char *kind : {"packages", "remotes"}) {
        const Json list = root.value(kind, Json::array());
        if (!list.is_array()) {
            problemAt(kind, QStringLiteral("\"%1\" is not an array").arg(QLatin1String(kind)));
            continue;
        }
        for (const Json &e : list)
            entries.append({kind, e});
    }
    for (const Entry &e : entries) {
        ConfiguredServer s;
        s.host = file.host;
        s.scope = file.scope;
        s.file = file.path;
        s.line = lineAt(bytes, qMax<qsizetype>(0, bytes.indexOf(QByteArray("\"") + e.kind + '"')));
        const bool package = qstrcmp(e.kind, "packages") == 0;
        QString error = QStringLiteral("is not an object");
        if (!e.json.is_object() ||
            !(package ? readPackage(e.json, &s, &error) : readRemote(e.json, &s, &error))) {
            problemAt(e.kind, QStringLiteral("%1: %2").arg(fullName, error));
            continue;
        }
        s.name = entries.size() == 1
                     ? shortName
                     : QStringLiteral("%1 (%2)").arg(
                           shortName, package ? toQString(valueOr(e.json, "registryType", "")) : s.type);
        s.unknown["server.json"] = server;
        s.unknown[package ? "package" : "remote"] = e.json;
        result.servers.append(s);
    }
    return result;
}

namespace {

// A value as server.json writes it: ${env:X} and ${input:X} as {X}, each a variable the client asks for.
Json templateValue(const QString &value, const QString &name, bool secret, QStringList *notes)
{
    Json out = Json::object();
    out["name"] = toStd(name);
    static const QRegularExpression reference(QStringLiteral(R"(\$\{(?:env|input):([^}]+)\})"));
    const bool literalSecret = isLiteralSecret(name, value);
    if (literalSecret)
        *notes << QStringLiteral("%1: its value is a secret and is not written; the client asks for it")
                      .arg(name);
    const QRegularExpressionMatch whole = reference.match(value);
    if (literalSecret || (whole.hasMatch() && whole.capturedLength() == value.size())) {
        out["isRequired"] = true;
        out["isSecret"] = secret || literalSecret;
        return out;
    }
    QString templated = value;
    templated.replace(reference, QStringLiteral("{\\1}"));
    out["value"] = toStd(templated);
    Json variables = Json::object();
    for (const QRegularExpressionMatch &m : reference.globalMatch(value))
        variables[toStd(m.captured(1))] = {{"isRequired", true}, {"isSecret", secret}};
    if (!variables.empty())
        out["variables"] = variables;
    return out;
}

Json namedList(const NamedValues &values, redaction::Place place, QStringList *notes)
{
    Json out = Json::array();
    for (const auto &[name, value] : values)
        out.push_back(templateValue(value, name, redaction::isSecretName(name.toUtf8(), place), notes));
    return out;
}

bool optionTakesValue(const QString &option)
{
    static const QStringList flags{"-i",    "-t", "-it",   "-d", "--rm",   "--init", "--interactive",
                                   "--tty", "-y", "--yes", "-q", "--quiet"};
    return !flags.contains(option) && !option.contains(QLatin1Char('='));
}

Json packageFor(const ConfiguredServer &s, QStringList *notes, QString *error)
{
    const QString registryType = s.command == QLatin1String("npx")      ? QStringLiteral("npm")
                                 : s.command == QLatin1String("uvx")    ? QStringLiteral("pypi")
                                 : s.command == QLatin1String("docker") ? QStringLiteral("oci")
                                                                        : QString();
    if (registryType.isEmpty()) {
        *error = QStringLiteral("%1: \"%2\" is a local command, not a registry package (npx, uvx or docker)")
                     .arg(s.name, s.command);
        return {};
    }
    QStringList args = s.args;
    QStringList envNames;
    for (const auto &[name, value] : s.env)
        envNames << name;
    if (registryType == QLatin1String("oci")) {
        if (args.value(0) != QLatin1String("run")) {
            *error = QStringLiteral("%1: docker without \"run\" is not a registry package").arg(s.name);
            return {};
        }
        args.removeFirst();
    }
    Json runtime = Json::array();
    qsizetype i = 0;
    for (; i < args.size() && args[i].startsWith(QLatin1Char('-')); ++i) {
        const QString option = args[i];
        const bool hasValue =
            registryType == QLatin1String("oci") && optionTakesValue(option) && i + 1 < args.size();
        const bool implied = option == QLatin1String("-i") || option == QLatin1String("--rm") ||
                             (option == QLatin1String("-y") && registryType == QLatin1String("npm")) ||
                             (option == QLatin1String("-e") && hasValue && envNames.contains(args[i + 1]));
        if (!implied) {
            runtime.push_back({{"type", "positional"}, {"value", toStd(option)}});
            if (hasValue)
                runtime.push_back({{"type", "positional"}, {"value", toStd(args[i + 1])}});
        }
        i += hasValue;
    }
    if (i >= args.size()) {
        *error = QStringLiteral("%1: no package named in its arguments").arg(s.name);
        return {};
    }
    QString identifier = args[i];
    QString version;
    const QString separator =
        registryType == QLatin1String("pypi") ? QStringLiteral("==") : QStringLiteral("@");
    const qsizetype at = identifier.lastIndexOf(separator);
    if (registryType != QLatin1String("oci") && at > 0) {
        version = identifier.mid(at + separator.size());
        identifier.truncate(at);
    }
    Json package{{"registryType", toStd(registryType)},
                 {"identifier", toStd(identifier)},
                 {"runtimeHint", toStd(s.command)},
                 {"transport", {{"type", "stdio"}}}};
    if (!version.isEmpty())
        package["version"] = toStd(version);
    else if (registryType != QLatin1String("oci"))
        *notes << QStringLiteral("%1: no version pinned; add the package's \"version\"").arg(s.name);
    if (!runtime.empty())
        package["runtimeArguments"] = runtime;
    Json packageArguments = Json::array();
    for (const QString &a : args.mid(i + 1))
        packageArguments.push_back(templateValue(a, QString(), false, notes).value("value", Json(toStd(a))));
    for (Json &a : packageArguments)
        a = {{"type", "positional"}, {"value", a}};
    if (!packageArguments.empty())
        package["packageArguments"] = packageArguments;
    if (!s.env.isEmpty())
        package["environmentVariables"] = namedList(s.env, redaction::Place::Header, notes);
    return package;
}

Json remoteFor(const ConfiguredServer &s, QStringList *notes)
{
    Json remote{{"type", s.transport == TransportConfig::Kind::Sse ? "sse" : "streamable-http"}};
    remote["url"] = templateValue(s.url, QStringLiteral("url"), false, notes).value("value", toStd(s.url));
    if (!s.headers.isEmpty())
        remote["headers"] = namedList(s.headers, redaction::Place::Header, notes);
    return remote;
}

// The entry read from a server.json, when it still says what the server says now.
bool unchanged(const ConfiguredServer &s, const Json &entry, bool package)
{
    ConfiguredServer again;
    QString error;
    if (!(package ? readPackage(entry, &again, &error) : readRemote(entry, &again, &error)))
        return false;
    return again.command == s.command && again.args == s.args && again.env == s.env && again.url == s.url &&
           again.headers == s.headers;
}

} // namespace

Json serverJson(const QList<ConfiguredServer> &servers, QStringList *notes, QString *error)
{
    Json root = servers.isEmpty() ? Json() : valueOr(servers.first().unknown, "server.json", Json::object());
    if (!root.contains("name")) {
        const QString name = servers.isEmpty() ? QStringLiteral("server") : servers.first().name;
        root["$schema"] = kSchema;
        root["name"] = toStd(QStringLiteral("io.example/") + name);
        root["description"] = toStd(name);
        root["version"] = "0.0.0";
        *notes << QStringLiteral("name \"io.example/%1\" and version 0.0.0: set your namespace and version")
                      .arg(name);
    }
    Json packages = Json::array();
    Json remotes = Json::array();
    for (const ConfiguredServer &s : servers) {
        const bool package = !s.isRemote();
        const Json original = valueOr(s.unknown, package ? "package" : "remote", Json::object());
        if (!original.empty() && unchanged(s, original, package)) {
            (package ? packages : remotes).push_back(original);
            continue;
        }
        if (!package) {
            remotes.push_back(remoteFor(s, notes));
            continue;
        }
        const Json p = packageFor(s, notes, error);
        if (p.is_null())
            return {};
        packages.push_back(p);
    }
    if (!packages.empty())
        root["packages"] = packages;
    if (!remotes.empty())
        root["remotes"] = remotes;
    return root;
}

} // namespace mcp::config
