#pragma once

#include "cliargs.h"
#include "error.h"

// `mcpwb conformance URL`: the client side of the official MCP conformance harness. The harness names the
// scenario in MCP_CONFORMANCE_SCENARIO (and MCP_CONFORMANCE_CONTEXT, MCP_CONFORMANCE_PROTOCOL_VERSION);
// this turns it into ordinary mcpwb verbs run on one connection.
mcp::Error applyConformanceScenario(CliArgs *args, QList<QStringList> *steps);
