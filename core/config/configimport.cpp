#include "configimport.h"

#include "../jsonrpc/message.h"
#include "jsonconfigreader.h"

#include <QFile>
#include <QFileInfo>

namespace mcp::config {

namespace {

// The top-level object, comments and trailing commas allowed; null when the bytes hold none.
Json topLevel(const QByteArray &bytes)
{
    jsonrpc::Limits limits;
    limits.maxFrameBytes = kMaxConfigBytes;
    limits.maxDepth = kMaxConfigDepth;
    QByteArray text = bytes;
    blankJsonc(text);
    const Json root = jsonrpc::parseJson(text, nullptr, limits);
    return root.is_object() ? root : Json();
}

bool hasEntryKey(const Json &object)
{
    for (const char *key : {"command", "url", "serverUrl", "httpUrl"})
        if (object.contains(key))
            return true;
    return false;
}

} // namespace

HostConfigFile importedLayout(const QString &path, const QByteArray &bytes, std::optional<Host> host)
{
    const QString name = QFileInfo(path).fileName();
    const Json root = topLevel(bytes);
    auto jsonLayout = [&](Host h) {
        if (h == Host::Registry || (!host && (root.contains("packages") || root.contains("remotes"))))
            return HostConfigFile{Host::Registry, QStringLiteral("import"), path, Layout::ServerJson};
        if (h == Host::VsCode || (!host && (root.contains("servers") || root.contains("mcp"))))
            return HostConfigFile{Host::VsCode, QStringLiteral("import"), path,
                                  root.contains("servers") || !root.contains("mcp") ? Layout::VsCodeMcp
                                                                                    : Layout::VsCodeSettings,
                                  true};
        const bool claudeUser = h == Host::ClaudeCode && root.contains("projects");
        return HostConfigFile{h, QStringLiteral("import"), path,
                              claudeUser ? Layout::ClaudeCodeUser : Layout::McpServers, h == Host::GeminiCli};
    };
    if (host)
        return *host == Host::Codex
                   ? HostConfigFile{Host::Codex, QStringLiteral("import"), path, Layout::CodexToml}
                   : jsonLayout(*host);
    if (name.endsWith(QLatin1String(".toml")))
        return {Host::Codex, QStringLiteral("import"), path, Layout::CodexToml};
    Host guess = Host::ClaudeCode; // ${VAR} and ${env:NAME} both read as references
    if (name == QLatin1String("claude_desktop_config.json"))
        guess = Host::ClaudeDesktop;
    else if (name == QLatin1String("mcp_config.json"))
        guess = Host::Windsurf;
    else if (name == QLatin1String("cline_mcp_settings.json"))
        guess = Host::Cline;
    else if (path.contains(QLatin1String(".gemini/")) || bytes.contains("\"httpUrl\""))
        guess = Host::GeminiCli;
    else if (path.contains(QLatin1String(".cursor/")))
        guess = Host::Cursor;
    else if (bytes.contains("\"serverUrl\""))
        guess = Host::Windsurf;
    return jsonLayout(guess);
}

ConfigFileResult importConfigFile(const QString &path, std::optional<Host> host)
{
    const QFileInfo info(path);
    if (!info.exists())
        return {{}, {{path, 0, QStringLiteral("does not exist")}}};
    // The layout from a first read; readHostConfig reads again under its limits.
    QFile file(path);
    QByteArray head;
    if (info.isFile() && info.size() <= kMaxConfigBytes && file.open(QIODevice::ReadOnly))
        head = file.read(kMaxConfigBytes);
    ConfigFileResult result = readHostConfig(importedLayout(path, head, host));
    if (result.servers.isEmpty() && result.problems.isEmpty())
        result.problems.append({path, 0, QStringLiteral("configures no MCP server")});
    return result;
}

ConfigFileResult parseSnippet(const QByteArray &text)
{
    const QString where = QStringLiteral("pasted snippet");
    QByteArray bytes = text.trimmed();
    if (bytes.isEmpty())
        return {{}, {{where, 0, QStringLiteral("is empty")}}};
    if (!bytes.startsWith('{')) // "name": {...} as copied from a README; braces on the same line keep lines
        bytes = '{' + bytes + '}';
    const Json root = topLevel(bytes);
    if (root.is_null()) { // the reader reports where the JSON breaks
        ConfigFileResult result = parseHostConfig(
            {Host::ClaudeCode, QStringLiteral("pasted"), where, Layout::McpServers, true}, bytes);
        if (result.problems.isEmpty())
            result.problems.append({where, 0, QStringLiteral("holds no JSON object")});
        return result;
    }
    if (hasEntryKey(root))
        bytes = "{\"mcpServers\": {\"\": " + bytes + "}}";
    else if (!root.contains("mcpServers") && !root.contains("servers") && !root.contains("packages") &&
             !root.contains("remotes") && !root.contains("mcp"))
        bytes = "{\"mcpServers\": " + bytes + '}';
    ConfigFileResult result = parseHostConfig(importedLayout(where, bytes, std::nullopt), bytes);
    if (result.servers.isEmpty() && result.problems.isEmpty())
        result.problems.append({where, 0,
                                QStringLiteral("holds no MCP server: paste an \"mcpServers\" object, one "
                                               "server's entry or a server.json")});
    return result;
}

} // namespace mcp::config
