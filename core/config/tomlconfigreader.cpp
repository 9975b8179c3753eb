#include "tomlconfigreader.h"

#include <QHash>
#include <QRegularExpression>
#include <algorithm>
#include <cpptoml.h>
#include <sstream>

namespace mcp::config {

namespace {

// Where values nest deeper than maxDepth, or -1: brackets outside strings and comments, plus the dots of a
// dotted key or table name ([a.b.c]). cpptoml recurses once per level of an array or inline table, and
// tables free their members recursively, so a file of "[[[[…" or "[a.a.a.a…]" would overflow the stack.
qsizetype tooDeepAt(const QByteArray &text, int maxDepth)
{
    int depth = 0;
    int dots = 0; // since the last line break, brace, comma or equals sign
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char c = text[i];
        if (c == '#') {
            while (i < n && text[i] != '\n')
                ++i;
            dots = 0;
        } else if (c == '\n' || c == '{' || c == ',' || c == '=') {
            dots = 0;
        } else if (c == '.' && depth + ++dots > maxDepth) {
            return i;
        }
        if (c == '#' || c == '\n' || c == ',' || c == '=' || c == '.') {
            continue;
        } else if (c == '"' || c == '\'') {
            const bool triple = i + 2 < n && text[i + 1] == c && text[i + 2] == c;
            const QByteArray end = triple ? QByteArray(3, c) : QByteArray(1, c);
            for (i += end.size(); i < n; ++i) {
                if (c == '"' && text[i] == '\\') {
                    ++i;
                } else if (QByteArrayView(text).sliced(i).startsWith(end)) {
                    i += end.size() - 1;
                    break;
                } else if (!triple && text[i] == '\n') {
                    break;
                }
            }
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return -1;
}

Json toJson(const std::shared_ptr<cpptoml::base> &value)
{
    if (auto table = value->as_table()) {
        Json out = Json::object();
        for (const auto &[key, member] : *table)
            out[key] = toJson(member);
        return out;
    }
    if (auto array = value->as_array()) {
        Json out = Json::array();
        for (const auto &member : *array)
            out.push_back(toJson(member));
        return out;
    }
    if (auto tables = value->as_table_array()) {
        Json out = Json::array();
        for (const auto &member : *tables)
            out.push_back(toJson(member));
        return out;
    }
    if (auto s = value->as<std::string>())
        return s->get();
    if (auto i = value->as<int64_t>())
        return i->get();
    if (auto d = value->as<double>())
        return d->get();
    if (auto b = value->as<bool>())
        return b->get();
    std::ostringstream text; // dates and times, as TOML writes them
    text << *value;
    return text.str();
}

// The 1-based line of each [mcp_servers.NAME] header (bare, "quoted" or 'literal' name), first one kept:
// one pass, so that a file of many servers costs no more than its length.
QHash<QString, int> tableLines(const QByteArray &bytes)
{
    static const QRegularExpression header(
        QStringLiteral(R"re(^\s*\[\s*mcp_servers\s*\.\s*(?:([A-Za-z0-9_-]+)|"([^"\\]*)"|'([^']*)')\s*\])re"));
    QHash<QString, int> lines;
    int number = 0;
    for (const QString &line : QString::fromUtf8(bytes).split(QLatin1Char('\n'))) {
        ++number;
        const QRegularExpressionMatch m = header.match(line);
        if (!m.hasMatch())
            continue;
        const QString name = m.hasCaptured(1)   ? m.captured(1)
                             : m.hasCaptured(2) ? m.captured(2)
                                                : m.captured(3);
        if (!lines.contains(name))
            lines.insert(name, number);
    }
    return lines;
}

bool readServer(const QString &name, const cpptoml::table &t, ConfiguredServer *s, QString *error)
{
    auto wrongType = [&](const std::string &key, const char *what) {
        *error = QStringLiteral("\"%1\" must be %2").arg(QString::fromStdString(key), QLatin1String(what));
        return false;
    };
    s->name = name;
    s->transport = TransportConfig::Kind::Http; // Codex speaks streamable HTTP to a url
    for (const auto &member : t) {              // not a structured binding: lambdas capture these (clang 14)
        const std::string &key = member.first;
        const std::shared_ptr<cpptoml::base> &value = member.second;
        auto text = [&](QString *into) {
            const auto v = value->as<std::string>();
            if (!v)
                return wrongType(key, "a string");
            *into = QString::fromStdString(v->get());
            return true;
        };
        auto named = [&](NamedValues *into) {
            const auto table = value->as_table();
            if (!table)
                return wrongType(key, "a table of strings");
            for (const auto &[k, v] : *table) {
                const auto str = v->as<std::string>();
                if (!str)
                    return wrongType(key, "a table of strings");
                into->append({QString::fromStdString(k), QString::fromStdString(str->get())});
            }
            return true;
        };
        bool ok = true;
        if (key == "command") {
            ok = text(&s->command);
        } else if (key == "args") {
            const auto array = value->as_array();
            if (!array)
                return wrongType(key, "an array of strings");
            for (const auto &a : *array) {
                const auto str = a->as<std::string>();
                if (!str)
                    return wrongType(key, "an array of strings");
                s->args << QString::fromStdString(str->get());
            }
        } else if (key == "env") {
            ok = named(&s->env);
        } else if (key == "http_headers") {
            ok = named(&s->headers);
        } else if (key == "cwd") {
            ok = text(&s->cwd);
        } else if (key == "url") {
            ok = text(&s->url);
        } else { // bearer_token_env_var, env_http_headers, env_vars, timeouts, enabled, tool filters...
            s->unknown[key] = toJson(value);
        }
        if (!ok)
            return false;
    }
    if (!s->command.isEmpty())
        s->transport = TransportConfig::Kind::Stdio;
    else if (s->url.isEmpty())
        return (*error = QStringLiteral("has neither \"command\" nor \"url\""), false);
    return true;
}

} // namespace

ConfigFileResult parseCodexToml(const HostConfigFile &file, const QByteArray &bytes)
{
    ConfigFileResult result;
    if (const qsizetype at = tooDeepAt(bytes, kMaxConfigDepth); at >= 0) {
        result.problems.append({file.path, 1 + int(bytes.left(at).count('\n')),
                                QStringLiteral("nested deeper than %1 levels").arg(kMaxConfigDepth)});
        return result;
    }
    std::shared_ptr<cpptoml::table> root;
    try {
        std::istringstream in(bytes.toStdString());
        root = cpptoml::parser(in).parse();
    } catch (const cpptoml::parse_exception &e) { // "Unclosed array at line 4"; at the end of the
                                                  // file cpptoml may count one line too many
        static const QRegularExpression atLine(QStringLiteral(R"(^(.*) at line (\d+)$)"));
        const QString what = QString::fromUtf8(e.what());
        const QRegularExpressionMatch m = atLine.match(what);
        const int lineCount = 1 + int(bytes.count('\n'));
        result.problems.append({file.path, m.hasMatch() ? qMin(m.captured(2).toInt(), lineCount) : 0,
                                QStringLiteral("malformed TOML: ") + (m.hasMatch() ? m.captured(1) : what)});
        return result;
    } catch (const std::exception &e) { // numbers out of range and the like
        result.problems.append({file.path, 0, QStringLiteral("malformed TOML: %1").arg(e.what())});
        return result;
    }
    if (!root->contains("mcp_servers")) // get() throws for a missing key: found by fuzz_hostconfigs
        return result;
    const auto servers = root->get("mcp_servers");
    const QHash<QString, int> lines = tableLines(bytes);
    const auto table = servers->as_table();
    if (!table) {
        result.problems.append({file.path, 0, QStringLiteral("\"mcp_servers\" is not a table")});
        return result;
    }
    for (const auto &[key, value] : *table) {
        const QString name = QString::fromStdString(key);
        const int line = lines.value(name);
        const auto entry = value->as_table();
        QString error = QStringLiteral("is not a table");
        ConfiguredServer s;
        s.host = file.host;
        s.scope = file.scope;
        s.file = file.path;
        s.line = line;
        if (entry && readServer(name, *entry, &s, &error))
            result.servers.append(s);
        else
            result.problems.append({file.path, line, QStringLiteral("server \"%1\": %2").arg(name, error)});
    }
    // cpptoml's tables are unordered: list the servers as the file does.
    std::stable_sort(result.servers.begin(), result.servers.end(),
                     [](const ConfiguredServer &a, const ConfiguredServer &b) { return a.line < b.line; });
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const ConfigProblem &a, const ConfigProblem &b) { return a.line < b.line; });
    return result;
}

} // namespace mcp::config
