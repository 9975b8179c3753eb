#pragma once

#include "cliargs.h"
#include "printer.h"

#include <memory>

namespace mcp::auth {
class OAuthProvider;
}

// OAuth for an HTTP connection: an OAuthProvider on the transport, with every step of every flow printed
// (one line each; with --auth-steps also the raw HTTP, secrets masked unless --show-secrets).
std::shared_ptr<mcp::auth::OAuthProvider> attachAuth(CliArgs *args, Printer *printer);

// `mcpwb token inspect TOKEN [--jwks URL] [--resource R] [--issuer I] [--scope S]`: prints the report and
// returns the exit code (0 when no check failed).
int runTokenInspect(const CliArgs &args);
