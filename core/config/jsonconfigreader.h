#pragma once

#include "hostconfigs.h"

namespace mcp::config {

// The JSON layouts of hostconfigs.h. bytes are at most kMaxConfigBytes (the caller checked).
ConfigFileResult parseJsonConfig(const HostConfigFile &file, QByteArray bytes);

// The 1-based line of a byte offset.
int lineAt(const QByteArray &text, qsizetype offset);

} // namespace mcp::config
