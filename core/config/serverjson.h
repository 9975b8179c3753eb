#pragma once

#include "hostconfigs.h"

namespace mcp::config {

// An MCP registry server.json (schema 2025-09-29 and later): one server, each of its packages (npm, pypi,
// oci, as `npx`/`uvx`/`docker run` or its runtimeHint, with runtime and package arguments and environment
// variables) and each of its remotes (streamable-http, sse, with headers) read as one ConfiguredServer.
// {NAME} template variables and values the client must ask for (a secret or required one without a value)
// become ${input:NAME}, asked when connecting. What the entry holds is also kept whole in `unknown` (under
// "server.json", "package" or "remote"), so that writing it back loses nothing.
ConfigFileResult parseServerJson(const HostConfigFile &file, const QByteArray &bytes);

// A server.json describing these servers (each a registry package or a remote), or empty with *error when
// one cannot be described so (a local command is no registry package). *notes says what the user must
// complete (the server's namespaced name, version).
Json serverJson(const QList<ConfiguredServer> &servers, QStringList *notes, QString *error);

} // namespace mcp::config
