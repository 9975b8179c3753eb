#include "hostconfigs.h"

#include "jsonconfigreader.h"
#include "secretreference.h"
#include "serverjson.h"
#include "tomlconfigreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace mcp::config {

QString hostName(Host host)
{
    switch (host) {
    case Host::ClaudeDesktop:
        return QStringLiteral("Claude Desktop");
    case Host::ClaudeCode:
        return QStringLiteral("Claude Code");
    case Host::Cursor:
        return QStringLiteral("Cursor");
    case Host::VsCode:
        return QStringLiteral("VS Code");
    case Host::Windsurf:
        return QStringLiteral("Windsurf");
    case Host::Cline:
        return QStringLiteral("Cline");
    case Host::GeminiCli:
        return QStringLiteral("Gemini CLI");
    case Host::Codex:
        return QStringLiteral("Codex");
    case Host::Registry:
        return QStringLiteral("server.json");
    }
    return {};
}

QStringList ConfiguredServer::inputIds() const
{
    QStringList values = QStringList{command, cwd, envFile, url} + args;
    for (const NamedValues *named : {&env, &headers})
        for (const auto &[name, value] : *named)
            values << value;
    QStringList ids;
    for (const QString &v : values)
        for (const QString &id : inputReferences(v))
            if (!ids.contains(id))
                ids << id;
    return ids;
}

QString ConfigProblem::toString() const
{
    return line > 0 ? QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(reason)
                    : QStringLiteral("%1: %2").arg(file, reason);
}

QList<HostConfigFile> hostConfigFiles(const QString &home, const QStringList &projects)
{
    const QString user = QStringLiteral("user");
    const QString codeUser = home + QStringLiteral("/.config/Code/User");
    QList<HostConfigFile> files{
        {Host::ClaudeDesktop, user, home + QStringLiteral("/.config/Claude/claude_desktop_config.json"),
         Layout::McpServers},
        {Host::ClaudeCode, user, home + QStringLiteral("/.claude.json"), Layout::ClaudeCodeUser},
        {Host::Cursor, user, home + QStringLiteral("/.cursor/mcp.json"), Layout::McpServers},
        {Host::VsCode, user, codeUser + QStringLiteral("/settings.json"), Layout::VsCodeSettings, true},
        {Host::VsCode, user, codeUser + QStringLiteral("/mcp.json"), Layout::VsCodeMcp, true},
        {Host::Windsurf, user, home + QStringLiteral("/.codeium/windsurf/mcp_config.json"),
         Layout::McpServers},
        {Host::Cline, user,
         codeUser + QStringLiteral("/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json"),
         Layout::McpServers},
        {Host::GeminiCli, user, home + QStringLiteral("/.gemini/settings.json"), Layout::McpServers, true},
        {Host::Codex, user, home + QStringLiteral("/.codex/config.toml"), Layout::CodexToml},
    };
    const QString project = QStringLiteral("project");
    for (const QString &dir : projects) {
        const QString p = QDir::cleanPath(dir);
        files += {
            {Host::ClaudeCode, project, p + QStringLiteral("/.mcp.json"), Layout::McpServers},
            {Host::Cursor, project, p + QStringLiteral("/.cursor/mcp.json"), Layout::McpServers},
            {Host::VsCode, project, p + QStringLiteral("/.vscode/mcp.json"), Layout::VsCodeMcp, true},
            {Host::GeminiCli, project, p + QStringLiteral("/.gemini/settings.json"), Layout::McpServers,
             true},
            {Host::Codex, project, p + QStringLiteral("/.codex/config.toml"), Layout::CodexToml},
        };
    }
    return files;
}

ConfigFileResult readHostConfig(const HostConfigFile &file)
{
    ConfigFileResult result;
    const QFileInfo info(file.path);
    auto fail = [&](const QString &reason) {
        result.problems.append({file.path, 0, reason});
        return result;
    };
    if (!info.exists())
        return result;
    if (!info.isFile())
        return fail(QStringLiteral("not a regular file"));
    if (info.size() > kMaxConfigBytes)
        return fail(QStringLiteral("larger than %1 MiB").arg(kMaxConfigBytes / (1024 * 1024)));
    QFile f(file.path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read: %1").arg(f.errorString()));
    const QByteArray bytes = f.read(kMaxConfigBytes + 1); // the file may grow after the size check
    if (bytes.size() > kMaxConfigBytes)
        return fail(QStringLiteral("larger than %1 MiB").arg(kMaxConfigBytes / (1024 * 1024)));
    return parseHostConfig(file, bytes);
}

ConfigFileResult parseHostConfig(const HostConfigFile &file, const QByteArray &bytes)
{
    if (bytes.size() > kMaxConfigBytes)
        return {{},
                {{file.path, 0, QStringLiteral("larger than %1 MiB").arg(kMaxConfigBytes / (1024 * 1024))}}};
    if (file.layout == Layout::ServerJson)
        return parseServerJson(file, bytes);
    return file.layout == Layout::CodexToml ? parseCodexToml(file, bytes) : parseJsonConfig(file, bytes);
}

} // namespace mcp::config
