#pragma once

#include "cliargs.h"

// `mcpwb config list [--project DIR]...`: every MCP server the host programs configure (OWASP MCP09), with
// the hosts and files that configure it, secrets masked, and the files that could not be read. Exit 0, or 1
// on a usage error.
int runConfigList(const CliArgs &args);

// `mcpwb review --all-configured [--project DIR]... [--start NAME]...`: the review of each of those servers
// as configured, remote ones connected and listed, stdio ones started only when named by --start; exit code
// by the highest severity found, as `mcpwb review`.
int runInventoryReview(const CliArgs &args);
