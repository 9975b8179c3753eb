#pragma once

#include "hostconfigs.h"

namespace mcp::config {

// Codex's config.toml: every [mcp_servers.NAME] table. bytes are at most kMaxConfigBytes.
ConfigFileResult parseCodexToml(const HostConfigFile &file, const QByteArray &bytes);

} // namespace mcp::config
