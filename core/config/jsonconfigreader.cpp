#include "jsonconfigreader.h"

#include "../jsonrpc/message.h"

#include <QHash>

namespace mcp::config {

void blankJsonc(QByteArray &text)
{
    const qsizetype n = text.size();
    qsizetype lastComma = -1; // a comma whose next meaningful byte is not yet seen
    for (qsizetype i = 0; i < n; ++i) {
        const char c = text[i];
        if (c == '"') {
            lastComma = -1;
            for (++i; i < n && text[i] != '"' && text[i] != '\n'; ++i)
                if (text[i] == '\\')
                    ++i;
        } else if (c == '/' && i + 1 < n && text[i + 1] == '/') {
            for (; i < n && text[i] != '\n'; ++i)
                text[i] = ' ';
        } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
            text[i] = text[i + 1] = ' ';
            for (i += 2; i < n && !(text[i] == '*' && i + 1 < n && text[i + 1] == '/'); ++i)
                if (text[i] != '\n')
                    text[i] = ' ';
            if (i < n) {
                text[i] = text[i + 1] = ' ';
                ++i;
            }
        } else if (c == ',') {
            lastComma = i;
        } else if ((c == '}' || c == ']') && lastComma >= 0) {
            text[lastComma] = ' ';
            lastComma = -1;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            lastComma = -1;
        }
    }
}

namespace {

using KeyLines = QHash<QString, int>; // "mcpServers\x1fNAME" -> line

QString pathKey(const QStringList &path)
{
    return path.join(QChar(0x1f));
}

// The line of every object key up to maxDepth levels deep (through objects only): nlohmann's DOM keeps no
// positions, and a problem in a server's entry is reported at the line of its name.
KeyLines keyLines(const QByteArray &text, int maxDepth)
{
    struct Frame
    {
        bool object;
        QString key; // under which it sits in its parent object
    };
    KeyLines lines;
    QList<Frame> frames;
    int arrays = 0; // open arrays: keys below one have no path
    int line = 1;
    bool expectKey = false;
    QString lastKey;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
        } else if (c == '"') {
            const qsizetype start = i;
            for (++i; i < n && text[i] != '"' && text[i] != '\n'; ++i)
                if (text[i] == '\\' && i + 1 < n && text[i + 1] != '\n')
                    ++i;
            if (i < n && text[i] == '\n')
                ++line;
            if (!expectKey || frames.isEmpty() || !frames.last().object)
                continue;
            expectKey = false;
            lastKey.clear();
            if (arrays == 0 && frames.size() <= maxDepth) { // deeper keys have no line to keep
                const Json key = jsonrpc::parseJson(text.mid(start, i - start + 1));
                lastKey = key.is_string() ? toQString(key.get<std::string>()) : QString();
                QStringList path;
                for (qsizetype f = 1; f < frames.size(); ++f)
                    path << frames[f].key;
                lines.insert(pathKey(path << lastKey), line);
            }
        } else if (c == '{' || c == '[') {
            const bool parentIsObject = !frames.isEmpty() && frames.last().object;
            frames.append({c == '{', parentIsObject ? lastKey : QString()});
            arrays += c == '[';
            expectKey = c == '{';
        } else if (c == '}' || c == ']') {
            if (!frames.isEmpty())
                arrays -= !frames.takeLast().object;
        } else if (c == ',') {
            expectKey = !frames.isEmpty() && frames.last().object;
        }
    }
    return lines;
}

class Reader
{
public:
    Reader(const HostConfigFile &file, const QByteArray &text, ConfigFileResult *out)
        : m_file(file), m_lines(keyLines(text, 4)), m_out(out)
    {}

    void readServers(const Json &root, const QStringList &path, const QString &scope)
    {
        const Json *servers = &root;
        for (const QString &key : path) {
            if (!servers->is_object() || !servers->contains(toStd(key)))
                return; // a file without servers is fine (settings.json mostly holds other things)
            servers = &(*servers)[toStd(key)];
        }
        if (!servers->is_object())
            return problem(path, QStringLiteral("\"%1\" is not an object").arg(path.join(QLatin1Char('.'))));
        for (auto it = servers->begin(); it != servers->end(); ++it)
            readServer(toQString(it.key()), it.value(), path, scope);
    }

    // VS Code's "inputs" at path, each given to the servers that refer to it.
    void readInputs(const Json &root, const QStringList &path)
    {
        const Json *inputs = &root;
        for (const QString &key : path) {
            if (!inputs->is_object() || !inputs->contains(toStd(key)))
                return;
            inputs = &(*inputs)[toStd(key)];
        }
        if (!inputs->is_array())
            return problem(path, QStringLiteral("\"inputs\" is not an array"));
        QList<ConfigInput> declared;
        for (const Json &entry : *inputs) {
            const QString id = toQString(valueOr(entry, "id", ""));
            if (id.isEmpty()) {
                problem(path, QStringLiteral("an input has no \"id\" string"));
                continue;
            }
            ConfigInput input{id, toQString(valueOr(entry, "description", "")),
                              valueOr(entry, "password", false), Json::object()};
            for (auto it = entry.begin(); it != entry.end(); ++it)
                if (it.key() != "id" && it.key() != "description" && it.key() != "password")
                    input.unknown[it.key()] = it.value();
            declared << input;
        }
        for (ConfiguredServer &s : m_out->servers)
            for (const QString &id : s.inputIds())
                for (const ConfigInput &input : declared)
                    if (input.id == id)
                        s.inputs << input;
    }

    void problem(const QStringList &path, const QString &reason)
    {
        m_out->problems.append({m_file.path, m_lines.value(pathKey(path)), reason});
    }

private:
    void readServer(const QString &name, const Json &entry, const QStringList &path, const QString &scope)
    {
        const QStringList at = path + QStringList{name};
        auto fail = [&](const QString &reason) {
            problem(at, QStringLiteral("server \"%1\": %2").arg(name, reason));
        };
        if (!entry.is_object())
            return fail(QStringLiteral("is not an object"));
        ConfiguredServer s;
        s.name = name;
        s.host = m_file.host;
        s.scope = scope;
        s.file = m_file.path;
        s.line = m_lines.value(pathKey(at));
        QString error;
        for (auto it = entry.begin(); it != entry.end(); ++it) {
            const QString key = toQString(it.key());
            const Json &v = it.value();
            if (!readField(key, v, &s, &error)) {
                if (!error.isEmpty())
                    return fail(error);
                s.unknown[it.key()] = v;
            }
        }
        if (s.command.isEmpty() && s.url.isEmpty())
            return fail(QStringLiteral("has neither \"command\" nor a URL"));
        if (!s.command.isEmpty())
            s.transport = TransportConfig::Kind::Stdio;
        else if (s.transport == TransportConfig::Kind::Stdio)
            return fail(QStringLiteral("is of type stdio but has no \"command\""));
        m_out->servers.append(s);
    }

    // Takes a known field into s; false with an empty *error for a field left to `unknown`.
    bool readField(const QString &key, const Json &v, ConfiguredServer *s, QString *error)
    {
        const Host host = m_file.host;
        auto wrongType = [&](const char *what) {
            *error = QStringLiteral("\"%1\" must be %2").arg(key, QLatin1String(what));
            return false;
        };
        auto text = [&](QString *into) {
            if (!v.is_string())
                return wrongType("a string");
            *into = toQString(v.get<std::string>());
            return true;
        };
        auto named = [&](NamedValues *into) {
            if (!v.is_object())
                return wrongType("an object of strings");
            for (auto it = v.begin(); it != v.end(); ++it) {
                if (!it->is_string())
                    return wrongType("an object of strings");
                into->append({toQString(it.key()), toQString(it->get<std::string>())});
            }
            return true;
        };
        if (key == QStringLiteral("command"))
            return text(&s->command);
        if (key == QStringLiteral("args")) {
            if (!v.is_array())
                return wrongType("an array of strings");
            for (const Json &a : v) {
                if (!a.is_string())
                    return wrongType("an array of strings");
                s->args << toQString(a.get<std::string>());
            }
            return true;
        }
        if (key == QStringLiteral("env"))
            return named(&s->env);
        if (key == QStringLiteral("headers"))
            return named(&s->headers);
        if (key == QStringLiteral("cwd"))
            return text(&s->cwd);
        if (key == QStringLiteral("envFile"))
            return text(&s->envFile);
        const bool isType =
            key == QStringLiteral("type") || (host == Host::Cline && key == QStringLiteral("transportType"));
        if (isType) {
            if (!text(&s->type))
                return false;
            const QString t = s->type.toLower().remove(QLatin1Char('-')).remove(QLatin1Char('_'));
            if (t == QStringLiteral("stdio"))
                s->transport = TransportConfig::Kind::Stdio;
            else if (t == QStringLiteral("http") || t == QStringLiteral("streamablehttp"))
                s->transport = TransportConfig::Kind::Http;
            else if (t == QStringLiteral("sse"))
                s->transport = TransportConfig::Kind::Sse;
            else if (t == QStringLiteral("ws") || t == QStringLiteral("websocket"))
                s->transport = TransportConfig::Kind::WebSocket;
            else
                return wrongType("stdio, http or sse");
            return true;
        }
        // Gemini CLI: httpUrl is streamable HTTP and url legacy SSE; Windsurf: serverUrl (or url).
        if (host == Host::GeminiCli && key == QStringLiteral("httpUrl")) {
            s->transport = TransportConfig::Kind::Http;
            return text(&s->url);
        }
        if (key == QStringLiteral("url") || (host == Host::Windsurf && key == QStringLiteral("serverUrl"))) {
            if (host == Host::GeminiCli && s->transport == TransportConfig::Kind::Auto)
                s->transport = TransportConfig::Kind::Sse;
            return text(&s->url);
        }
        return false;
    }

    const HostConfigFile &m_file;
    KeyLines m_lines;
    ConfigFileResult *m_out;
};

} // namespace

int lineAt(const QByteArray &text, qsizetype offset)
{
    return 1 + int(text.left(qBound<qsizetype>(0, offset, text.size())).count('\n'));
}

ConfigFileResult parseJsonConfig(const HostConfigFile &file, QByteArray bytes)
{
    ConfigFileResult result;
    if (file.jsonc)
        blankJsonc(bytes);
    if (bytes.trimmed().isEmpty())
        return result; // VS Code and Gemini CLI create empty settings files
    jsonrpc::ParseError error;
    jsonrpc::Limits limits;
    limits.maxFrameBytes = kMaxConfigBytes;
    limits.maxDepth = kMaxConfigDepth;
    const Json root = jsonrpc::parseJson(bytes, &error, limits);
    if (root.is_discarded()) {
        result.problems.append({file.path, lineAt(bytes, error.offset), error.message});
        return result;
    }
    Reader reader(file, bytes, &result);
    if (!root.is_object()) {
        reader.problem({}, QStringLiteral("the file holds no JSON object"));
        return result;
    }
    switch (file.layout) {
    case Layout::McpServers:
        reader.readServers(root, {QStringLiteral("mcpServers")}, file.scope);
        break;
    case Layout::VsCodeMcp:
        reader.readServers(root, {QStringLiteral("servers")}, file.scope);
        reader.readInputs(root, {QStringLiteral("inputs")});
        break;
    case Layout::VsCodeSettings:
        reader.readServers(root, {QStringLiteral("mcp"), QStringLiteral("servers")}, file.scope);
        reader.readInputs(root, {QStringLiteral("mcp"), QStringLiteral("inputs")});
        break;
    case Layout::ClaudeCodeUser: {
        reader.readServers(root, {QStringLiteral("mcpServers")}, file.scope);
        const Json projects = valueOr(root, "projects", Json::object());
        for (auto it = projects.begin(); it != projects.end(); ++it)
            reader.readServers(
                root, {QStringLiteral("projects"), toQString(it.key()), QStringLiteral("mcpServers")},
                QStringLiteral("local: ") + toQString(it.key()));
        break;
    }
    case Layout::CodexToml:
    case Layout::ServerJson:
        break; // read elsewhere
    }
    return result;
}

} // namespace mcp::config
