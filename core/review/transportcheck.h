#pragma once

#include "definitions.h"
#include "findings.h"

namespace mcp::review {

// How a server is reached and who it is: plain HTTP to a host that is not loopback, TLS checks off and no
// authentication on a remote server (MCP07); secrets in a stdio server's arguments or environment (MCP01);
// package commands that float on the latest version: npx without a version, uvx, docker :latest (MCP04);
// and, where a token is at hand, broad scopes (MCP02), long lifetimes (MCP01) or no audience (MCP07).
void checkTransport(const ServerSnapshot &server, QList<Finding> *findings);

// A command's arguments with every secret masked: "--token=[redacted]", the value after "--api-key", and
// values that are credentials by their form (ghp_…, sk-…, JWTs). *masked tells whether any was.
QStringList maskSecretArguments(const QStringList &args, bool *masked = nullptr);

} // namespace mcp::review
