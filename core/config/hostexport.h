#pragma once

#include "configuredserver.h"

#include <optional>

namespace mcp::config {

// Servers written in one host's documented format, to paste or save into its config file: Claude Desktop,
// Claude Code (.mcp.json), Cursor, VS Code (mcp.json), Windsurf, Gemini CLI (settings.json), Codex
// (config.toml), or a registry server.json.
struct HostExport
{
    QByteArray text;   // empty on error
    QStringList notes; // what the user must know or do: secrets replaced by references to fill in, settings
                       // the host cannot express, fields of another host's format not carried
    QString error;
};

// References keep being references, in the host's own syntax: ${env:NAME} (VS Code, Cursor, Windsurf),
// ${NAME} (Claude Code, Gemini CLI), env_vars / env_http_headers / bearer_token_env_var (Codex). A secret
// header, variable or argument written literally is replaced by ${env:…} named after it, and a note says
// which variable to set. Fields read from this same host's format that the workbench does not use are
// written back as they were; those of another host's format are named in the notes, not written.
HostExport exportServers(const QList<ConfiguredServer> &servers, Host host);

// The short names of the command line: claude-desktop, claude-code, cursor, vscode, windsurf, cline,
// gemini, codex, server.json.
std::optional<Host> hostFromKey(const QString &key);
QString hostKey(Host host);
QStringList hostKeys();

} // namespace mcp::config
