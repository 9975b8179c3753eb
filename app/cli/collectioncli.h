#pragma once

#include "cliargs.h"
#include "error.h"

#include <functional>

namespace mcp {
class ClientSession;
}

// Exit code of `run` when a request's answer did not meet an expectation, or a request could not be sent.
inline constexpr int kExitCollectionFailed = 14;

// `mcpwb ... run COLLECTION [--junit FILE]`: runs the collection's requests on the connected server, prints
// each one's verdict (the diff where an answer differs) and writes the JUnit XML CI reads. done gets the
// exit code, or an error.
bool isCollectionVerb(const QStringList &verb);
void runCollectionVerb(mcp::ClientSession *session, const CliArgs &args, QObject *context,
                       std::function<void(int exitCode, const mcp::Error &error)> done);
// The collection file read before anything is started: empty, or the problem (file, line or pointer, why).
QString checkCollectionFile(const CliArgs &args);
