#include "hostexport.h"

#include "../review/transportcheck.h"
#include "../traffic/redaction.h"
#include "inventory.h"
#include "secretreference.h"
#include "serverjson.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace mcp::config {

namespace {

constexpr Host kHosts[] = {Host::ClaudeDesktop, Host::ClaudeCode, Host::Cursor, Host::VsCode,  Host::Windsurf,
                           Host::Cline,         Host::GeminiCli,  Host::Codex,  Host::Registry};

// NAME for ${env:NAME}: letters, digits and underscores, upper case.
QString variableName(const QString &text)
{
    QString out = text.toUpper();
    out.replace(QRegularExpression(QStringLiteral("[^A-Z0-9_]+")), QStringLiteral("_"));
    return out.isEmpty() || out[0].isDigit() ? QLatin1Char('_') + out : out;
}

// The server in the workbench's syntax, with every literal secret replaced by a reference and every field
// the target cannot take named in notes.
ConfiguredServer portable(ConfiguredServer s, Host target, QStringList *notes)
{
    const QString prefix = QStringLiteral("%1: ").arg(s.name);
    // Another host's spelling of references becomes ours (then the target's); its own stays as written.
    auto ref = [&](const QString &v) { return target == s.host ? v : workbenchReferences(v, s.host); };
    auto literalSecret = [&](const QString &name, const QString &v) {
        return isLiteralSecret(name, workbenchReferences(v, s.host));
    };
    s.command = ref(s.command);
    s.cwd = ref(s.cwd);
    s.url = ref(s.url);
    for (QString &a : s.args)
        a = ref(a);
    for (NamedValues *named : {&s.env, &s.headers})
        for (auto &[name, value] : *named)
            value = ref(value);
    if (s.host == Host::Codex && target != Host::Codex) { // Codex's own ways of naming a variable
        const QString bearer = toQString(valueOr(s.unknown, "bearer_token_env_var", ""));
        if (!bearer.isEmpty())
            s.headers.append(
                {QStringLiteral("Authorization"), QStringLiteral("Bearer ${env:%1}").arg(bearer)});
        const Json envHeaders = valueOr(s.unknown, "env_http_headers", Json::object());
        for (auto it = envHeaders.begin(); it != envHeaders.end(); ++it)
            if (it->is_string())
                s.headers.append({toQString(it.key()),
                                  QStringLiteral("${env:%1}").arg(toQString(it->get<std::string>()))});
        for (const Json &name : valueOr(s.unknown, "env_vars", Json::array()))
            if (name.is_string())
                s.env.append({toQString(name.get<std::string>()),
                              QStringLiteral("${env:%1}").arg(toQString(name.get<std::string>()))});
        for (const char *key : {"bearer_token_env_var", "env_http_headers", "env_vars"})
            s.unknown.erase(key);
    }
    const QString server = variableName(s.name);
    for (auto &[name, value] : s.env)
        if (literalSecret(name, value)) {
            value = QStringLiteral("${env:%1}").arg(variableName(name));
            *notes << prefix +
                          QStringLiteral("the secret value of %1 is not written: set %2 in the environment")
                              .arg(name, variableName(name));
        }
    for (auto &[name, value] : s.headers)
        if (literalSecret(name, value)) {
            static const QRegularExpression scheme(QStringLiteral(R"(^(Bearer|Basic|DPoP|Token)\s+)"),
                                                   QRegularExpression::CaseInsensitiveOption);
            const QRegularExpressionMatch m = scheme.match(value);
            const QString variable = server + QLatin1Char('_') + variableName(name);
            value = m.captured(0) + QStringLiteral("${env:%1}").arg(variable);
            *notes << prefix +
                          QStringLiteral("the secret in header %1 is not written: set %2 in the environment")
                              .arg(name, variable);
        }
    bool maskedAny = false;
    const QStringList masked = review::maskSecretArguments(s.args, &maskedAny);
    for (qsizetype i = 0; maskedAny && i < s.args.size(); ++i)
        if (masked[i] != s.args[i]) {
            const QString variable = QStringLiteral("%1_ARG%2").arg(server).arg(i + 1);
            const qsizetype equals = s.args[i].indexOf(QLatin1Char('='));
            s.args[i] = (s.args[i].startsWith(QLatin1Char('-')) && equals > 0 ? s.args[i].left(equals + 1)
                                                                              : QString()) +
                        QStringLiteral("${env:%1}").arg(variable);
            *notes << prefix + QStringLiteral(
                                   "argument %1 holds a secret and is not written: set %2 in the environment")
                                   .arg(i + 1)
                                   .arg(variable);
        }
    const QUrl url(s.url);
    const QUrlQuery query(url);
    const QUrlQuery redacted(redaction::redactUrl(url));
    for (const auto &[key, value] : redacted.queryItems())
        if (value == QLatin1String(redaction::kMask)) {
            const QString variable = server + QLatin1Char('_') + variableName(key);
            const QString written = key + QLatin1Char('=') + query.queryItemValue(key, QUrl::FullyEncoded);
            s.url.replace(written, key + QStringLiteral("=${env:%1}").arg(variable));
            *notes << prefix + QStringLiteral(
                                   "the secret in the URL's %1 is not written: set %2 in the environment")
                                   .arg(key, variable);
        }
    if (target != s.host && !s.unknown.empty()) {
        QStringList keys;
        for (auto it = s.unknown.begin(); it != s.unknown.end(); ++it)
            keys << toQString(it.key());
        *notes << prefix + QStringLiteral("%1 settings not carried over (%2's own): %3")
                               .arg(hostName(target), hostName(s.host), keys.join(QStringLiteral(", ")));
        s.unknown = Json::object();
    }
    if (target != Host::VsCode && target != Host::Registry)
        for (const ConfigInput &input : s.inputs) {
            const QString from = QStringLiteral("${input:%1}").arg(input.id);
            const QString to = QStringLiteral("${env:%1}").arg(variableName(input.id));
            for (QString *v : {&s.command, &s.cwd, &s.url})
                v->replace(from, to);
            for (QString &a : s.args)
                a.replace(from, to);
            for (NamedValues *named : {&s.env, &s.headers})
                for (auto &[name, value] : *named)
                    value.replace(from, to);
            *notes << prefix + QStringLiteral("%1 cannot ask for input \"%2\": it is read from %3 instead")
                                   .arg(hostName(target), input.id, variableName(input.id));
        }
    if (!s.envFile.isEmpty() && target != Host::VsCode && target != Host::Cursor)
        *notes << prefix + QStringLiteral("%1 reads no envFile: set the variables of %2 yourself")
                               .arg(hostName(target), s.envFile);
    return s;
}

// ${env:NAME} as the host spells it.
QString hostReferences(QString value, Host host, const QString &prefix, QStringList *notes)
{
    if (host == Host::ClaudeCode || host == Host::GeminiCli)
        value.replace(QRegularExpression(QStringLiteral(R"(\$\{env:([A-Za-z_][A-Za-z0-9_]*)\})")),
                      QStringLiteral("${\\1}"));
    if (value.contains(QLatin1String("${file:")))
        *notes << prefix + QStringLiteral("%1 cannot read ${file:…}: \"%2\" is written as it is")
                               .arg(hostName(host), value);
    else if (host == Host::ClaudeDesktop && value.contains(QLatin1String("${env:")))
        *notes << prefix + QStringLiteral("Claude Desktop does not expand ${env:…}: replace \"%1\" in its "
                                          "settings yourself")
                               .arg(value);
    return value;
}

Json jsonEntry(const ConfiguredServer &s, Host host, QStringList *notes)
{
    const QString prefix = QStringLiteral("%1: ").arg(s.name);
    auto out = [&](const QString &v) { return toStd(hostReferences(v, host, prefix, notes)); };
    auto named = [&](const NamedValues &values) {
        Json object = Json::object();
        for (const auto &[name, value] : values)
            object[toStd(name)] = out(value);
        return object;
    };
    Json entry = Json::object();
    const bool sameHost = host == s.host && !s.type.isEmpty();
    if (!s.isRemote()) {
        if (sameHost || host == Host::VsCode)
            entry["type"] = sameHost ? toStd(s.type) : "stdio";
        entry["command"] = out(s.command);
        Json args = Json::array();
        for (const QString &a : s.args)
            args.push_back(out(a));
        entry["args"] = args;
        if (!s.env.isEmpty())
            entry["env"] = named(s.env);
        if (!s.cwd.isEmpty())
            entry["cwd"] = out(s.cwd);
        if (!s.envFile.isEmpty() && (host == Host::VsCode || host == Host::Cursor))
            entry["envFile"] = out(s.envFile);
    } else {
        const bool sse = s.transport == TransportConfig::Kind::Sse;
        if (sameHost)
            entry["type"] = toStd(s.type);
        else if (host == Host::VsCode || host == Host::ClaudeCode)
            entry["type"] = sse ? "sse" : "http";
        const char *urlKey = host == Host::Windsurf                          ? "serverUrl"
                             : host == Host::GeminiCli && (!sse || sameHost) ? "httpUrl"
                                                                             : "url";
        if (host == Host::GeminiCli && sameHost)
            urlKey = s.transport == TransportConfig::Kind::Sse ? "url" : "httpUrl";
        entry[urlKey] = out(s.url);
        if (!s.headers.isEmpty())
            entry["headers"] = named(s.headers);
        if (host == Host::ClaudeDesktop)
            *notes << prefix + QStringLiteral("Claude Desktop reads only command servers from its file; add "
                                              "this one under Settings › Connectors");
    }
    for (auto it = s.unknown.begin(); it != s.unknown.end(); ++it)
        entry[it.key()] = it.value();
    return entry;
}

// A TOML basic string or bare key.
QString tomlString(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : s) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\') + c;
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

QString tomlKey(const QString &key)
{
    static const QRegularExpression bare(QStringLiteral("^[A-Za-z0-9_-]+$"));
    return bare.match(key).hasMatch() ? key : tomlString(key);
}

// A JSON value as a TOML inline value (TOML has no null: written as an empty string, and said).
QString tomlValue(const Json &v)
{
    if (v.is_string())
        return tomlString(toQString(v.get<std::string>()));
    if (v.is_boolean() || v.is_number())
        return QString::fromStdString(v.dump());
    QStringList parts;
    if (v.is_array()) {
        for (const Json &e : v)
            parts << tomlValue(e);
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it)
            parts << tomlKey(toQString(it.key())) + QStringLiteral(" = ") + tomlValue(it.value());
        return QLatin1Char('{') + parts.join(QStringLiteral(", ")) + QLatin1Char('}');
    }
    return QStringLiteral("\"\"");
}

QString codexTable(const ConfiguredServer &s, QStringList *notes)
{
    const QString prefix = QStringLiteral("%1: ").arg(s.name);
    static const QRegularExpression wholeReference(QStringLiteral(R"(^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$)"));
    static const QRegularExpression bearerReference(
        QStringLiteral(R"(^Bearer \$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$)"));
    Json table = Json::object();
    auto literal = [&](const QString &what, const QString &v) {
        if (v.contains(QLatin1String("${")))
            *notes << prefix +
                          QStringLiteral("Codex cannot build %1 from a reference: \"%2\" is written as it "
                                         "is")
                              .arg(what, v);
        return toStd(v);
    };
    if (!s.isRemote()) {
        table["command"] = literal(QStringLiteral("the command"), s.command);
        Json args = Json::array();
        for (const QString &a : s.args)
            args.push_back(literal(QStringLiteral("an argument"), a));
        table["args"] = args;
        Json env = Json::object();
        Json passed = valueOr(s.unknown, "env_vars", Json::array());
        for (const auto &[name, value] : s.env) {
            const QRegularExpressionMatch m = wholeReference.match(value);
            if (m.hasMatch() && m.captured(1) == name)
                passed.push_back(toStd(name)); // passed through from Codex's environment
            else
                env[toStd(name)] = literal(QStringLiteral("variable ") + name, value);
        }
        if (!env.empty())
            table["env"] = env;
        if (!passed.empty())
            table["env_vars"] = passed;
        if (!s.cwd.isEmpty())
            table["cwd"] = toStd(s.cwd);
    } else {
        table["url"] = literal(QStringLiteral("the URL"), s.url);
        Json literalHeaders = Json::object();
        Json envHeaders = valueOr(s.unknown, "env_http_headers", Json::object());
        for (const auto &[name, value] : s.headers) {
            const QRegularExpressionMatch bearer = bearerReference.match(value);
            const QRegularExpressionMatch whole = wholeReference.match(value);
            if (name.compare(QLatin1String("Authorization"), Qt::CaseInsensitive) == 0 && bearer.hasMatch())
                table["bearer_token_env_var"] = toStd(bearer.captured(1));
            else if (whole.hasMatch())
                envHeaders[toStd(name)] = toStd(whole.captured(1));
            else
                literalHeaders[toStd(name)] = literal(QStringLiteral("header ") + name, value);
        }
        if (!literalHeaders.empty())
            table["http_headers"] = literalHeaders;
        if (!envHeaders.empty())
            table["env_http_headers"] = envHeaders;
        if (s.transport == TransportConfig::Kind::Sse)
            *notes << prefix + QStringLiteral("Codex speaks streamable HTTP only, not legacy SSE");
    }
    for (auto it = s.unknown.begin(); it != s.unknown.end(); ++it)
        if (!table.contains(it.key()))
            table[it.key()] = it.value();
    QString out = QStringLiteral("[mcp_servers.%1]\n").arg(tomlKey(s.name));
    for (auto it = table.begin(); it != table.end(); ++it) {
        if (it->is_null())
            *notes << prefix + QStringLiteral("%1 is null, which TOML cannot say: written as \"\"")
                                   .arg(toQString(it.key()));
        out +=
            tomlKey(toQString(it.key())) + QStringLiteral(" = ") + tomlValue(it.value()) + QLatin1Char('\n');
    }
    return out;
}

} // namespace

HostExport exportServers(const QList<ConfiguredServer> &servers, Host host)
{
    HostExport result;
    QList<ConfiguredServer> ready;
    for (const ConfiguredServer &s : servers)
        ready << portable(s, host, &result.notes);
    if (host == Host::Registry) {
        const Json root = serverJson(ready, &result.notes, &result.error);
        if (result.error.isEmpty())
            result.text =
                QByteArray::fromStdString(root.dump(2, ' ', false, Json::error_handler_t::replace)) + '\n';
        return result;
    }
    if (host == Host::Codex) {
        QStringList tables;
        for (const ConfiguredServer &s : ready)
            tables << codexTable(s, &result.notes);
        result.text = tables.join(QLatin1Char('\n')).toUtf8();
        return result;
    }
    Json servers_ = Json::object();
    Json inputs = Json::array();
    for (const ConfiguredServer &s : ready) {
        servers_[toStd(s.name)] = jsonEntry(s, host, &result.notes);
        for (const ConfigInput &input : s.inputs) {
            Json i = input.unknown;
            if (!i.contains("type"))
                i["type"] = "promptString";
            i["id"] = toStd(input.id);
            i["description"] = toStd(input.description);
            i["password"] = input.password;
            if (std::find(inputs.begin(), inputs.end(), i) == inputs.end())
                inputs.push_back(i);
        }
    }
    Json root = Json::object();
    if (host == Host::VsCode && !inputs.empty())
        root["inputs"] = inputs;
    root[host == Host::VsCode ? "servers" : "mcpServers"] = servers_;
    result.text = QByteArray::fromStdString(root.dump(2, ' ', false, Json::error_handler_t::replace)) + '\n';
    return result;
}

QString hostKey(Host host)
{
    switch (host) {
    case Host::ClaudeDesktop:
        return QStringLiteral("claude-desktop");
    case Host::ClaudeCode:
        return QStringLiteral("claude-code");
    case Host::Cursor:
        return QStringLiteral("cursor");
    case Host::VsCode:
        return QStringLiteral("vscode");
    case Host::Windsurf:
        return QStringLiteral("windsurf");
    case Host::Cline:
        return QStringLiteral("cline");
    case Host::GeminiCli:
        return QStringLiteral("gemini");
    case Host::Codex:
        return QStringLiteral("codex");
    case Host::Registry:
        return QStringLiteral("server.json");
    }
    return {};
}

QStringList hostKeys()
{
    QStringList keys;
    for (Host h : kHosts)
        keys << hostKey(h);
    return keys;
}

std::optional<Host> hostFromKey(const QString &key)
{
    for (Host h : kHosts)
        if (hostKey(h) == key.toLower())
            return h;
    return std::nullopt;
}

} // namespace mcp::config
