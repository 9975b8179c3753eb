#pragma once

#include "definitions.h"
#include "findings.h"

namespace mcp::review {

// What a tool's schema and annotations admit: parameters that invite secrets (MCP01), shell commands or code
// (MCP05), arbitrary paths (MCP02) or URLs (MCP10); and destructive tools whose annotations claim
// readOnlyHint or destructiveHint false (MCP03), or leave destructiveHint out (MCP02).
void checkTools(const ServerSnapshot &server, QList<Finding> *findings);

// Whether a tool's name or description says it deletes, overwrites or otherwise destroys.
bool looksDestructive(const Json &tool);

} // namespace mcp::review
