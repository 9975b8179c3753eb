#pragma once

#include "hostconfigs.h"

namespace mcp::config {

// The JSON layouts of hostconfigs.h. bytes are at most kMaxConfigBytes (the caller checked).
ConfigFileResult parseJsonConfig(const HostConfigFile &file, QByteArray bytes);

// JSONC as strict JSON in place: comments and trailing commas become spaces, every other byte kept where it
// was (so that offsets and lines still point into the file).
void blankJsonc(QByteArray &text);

// The 1-based line of a byte offset.
int lineAt(const QByteArray &text, qsizetype offset);

} // namespace mcp::config
