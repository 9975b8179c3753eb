#pragma once

#include "definitions.h"
#include "findings.h"

namespace mcp::review {

// The roles a tool can play in a toxic flow (Invariant Labs): it brings untrusted content into the context,
// it reads private data, it can send data out.
struct ToolRoles
{
    QString untrusted; // why it brings in untrusted content, empty when it does not
    QString privateData;
    QString sendsOut;
};
ToolRoles classifyTool(const Json &tool);

// Across all servers: every path from an untrusted-content tool through a private-data tool to a tool that
// sends data out, the three tools named (MCP06). A tool may play two roles. At most maxFlows findings, then
// one finding that says how many more there are.
void checkToxicFlows(const QList<ServerSnapshot> &servers, QList<Finding> *findings, int maxFlows = 20);

} // namespace mcp::review
