#pragma once

#include "configuredserver.h"

#include <QByteArray>

namespace mcp::config {

// Where a host keeps its servers within a file.
enum class Layout {
    McpServers,     // {"mcpServers": {NAME: {...}}}: Claude Desktop, Claude Code .mcp.json, Cursor, Windsurf,
                    // Cline, Gemini CLI
    ClaudeCodeUser, // ~/.claude.json: "mcpServers" and "projects": {PATH: {"mcpServers": {...}}}
    VsCodeMcp,      // mcp.json: {"servers": {NAME: {...}}, "inputs": [...]}
    VsCodeSettings, // settings.json: {"mcp": {"servers": {...}}}
    CodexToml,      // config.toml: [mcp_servers.NAME]
    ServerJson,     // an MCP registry server.json: one server's "packages" and "remotes"
};

// One config file a host reads, whether or not it exists.
struct HostConfigFile
{
    Host host;
    QString scope; // "user" or "project"
    QString path;
    Layout layout;
    bool jsonc = false; // comments and trailing commas allowed (VS Code, Gemini CLI)
};

// Config files larger than this are refused (~/.claude.json keeps history, so it may be megabytes).
inline constexpr qint64 kMaxConfigBytes = 16 * 1024 * 1024;
// Deeper nesting is refused before parsing: no host's settings come near it, and parsers recurse.
inline constexpr int kMaxConfigDepth = 64;

// Every file the hosts read on Linux, under home (~) and in each project folder the user chose, in a fixed
// order: user files first, host by host, then each project's.
QList<HostConfigFile> hostConfigFiles(const QString &home, const QStringList &projects);

// Reads one file: a missing file yields nothing; an unreadable, oversized or non-regular one (a FIFO would
// block) yields one problem. Never throws.
ConfigFileResult readHostConfig(const HostConfigFile &file);
// The same on bytes already read (tests and the fuzzer). Never throws, whatever the bytes.
ConfigFileResult parseHostConfig(const HostConfigFile &file, const QByteArray &bytes);

} // namespace mcp::config
