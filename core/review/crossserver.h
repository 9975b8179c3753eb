#pragma once

#include "definitions.h"
#include "findings.h"

namespace mcp::review {

// Across connections: tool names that collide with another server's (equal, or equal once look-alike
// letters, case and separators are set aside: MCP06, the model may call the wrong one), and descriptions that
// mention another server's tools (shadowing, as Invariant Labs published it: MCP03).
void checkAcrossServers(const QList<ServerSnapshot> &servers, QList<Finding> *findings);

} // namespace mcp::review
