#pragma once

#include "hostconfigs.h"

#include <optional>

namespace mcp::config {

// Any one config file the user names (`mcpwb config import FILE`, the GUI's Import File…): read with the
// limits of readHostConfig, in the layout of host where given, else the layout its content and name show
// (a server.json's "packages"/"remotes", VS Code's "servers", "mcpServers", Codex's .toml).
ConfigFileResult importConfigFile(const QString &path, std::optional<Host> host = std::nullopt);
// The layout bytes are read in (importConfigFile's choice, on bytes already read).
HostConfigFile importedLayout(const QString &path, const QByteArray &bytes, std::optional<Host> host);

// A JSON snippet pasted into the new-connection dialog: an "mcpServers" (or VS Code "servers") object, a
// bare `"name": {...}` member or several, a single server entry ({"command": ...} or {"url": ...}), or a
// server.json. Problems name the "pasted snippet" and its line; a single entry's name is empty.
ConfigFileResult parseSnippet(const QByteArray &text);

} // namespace mcp::config
