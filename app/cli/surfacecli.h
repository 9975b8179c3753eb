#pragma once

#include "cliargs.h"
#include "error.h"

#include <functional>

namespace mcp {
class ClientSession;
}

// Exit code of `diff` when a breaking change is found (0: none, compatible changes are printed).
inline constexpr int kExitBreakingChange = 13;

// `mcpwb ... snapshot save FILE`: writes the connected server's surface (surface/surfacesnapshot.h).
// `mcpwb ... diff SNAPSHOT`: compares the snapshot (before) with the connected server (after).
// done gets the exit code, or an error.
void runSurfaceVerb(mcp::ClientSession *session, const CliArgs &args, QObject *context,
                    std::function<void(int exitCode, const mcp::Error &error)> done);
bool isSurfaceVerb(const QStringList &verb);

// `mcpwb diff BEFORE AFTER` (no --stdio or --url): two saved snapshots. Returns the exit code.
bool isOfflineDiff(const CliArgs &args);
int runOfflineDiff(const CliArgs &args);
