#pragma once

#include "cliargs.h"
#include "error.h"
#include "review/findings.h"
#include "review/pinning.h"
#include "review/report.h"

#include <functional>
#include <memory>

namespace mcp {
class ClientSession;
}
namespace mcp::auth {
class OAuthProvider;
}

// `mcpwb ... review`: lists what the connected server defines, reviews it with how it was reached and what
// the session's traffic showed, and writes the report (--format, --output). done gets the exit code by the
// highest open severity, or an error.
void runReview(mcp::ClientSession *session, const CliArgs &args,
               const std::shared_ptr<mcp::auth::OAuthProvider> &auth, QObject *context,
               std::function<void(int exitCode, const mcp::Error &error)> done);

// `mcpwb review --trace FILE` (no --stdio or --url): the same review of a session file, offline: each
// server's definitions from its recorded listings, and what its traffic shows (review/trafficcheck.h).
// Returns the exit code; errors go to stderr.
bool isTraceReview(const CliArgs &args);
int runTraceReview(const CliArgs &args);

// `mcpwb --pins FILE ... tools call NAME`: whether the call must wait because the tool's definition changed
// or appeared since approval. done gets the change described (empty: the call may go), or an error.
void guardToolCall(mcp::ClientSession *session, const CliArgs &args, const QString &tool, QObject *context,
                   std::function<void(const QString &heldBecause, const mcp::Error &error)> done);

// --accepted and --pins, read; an error names the option.
mcp::Error loadReviewFiles(const CliArgs &args, mcp::review::Acceptances *accepted,
                           mcp::review::PinStore *pins);
// Writes the report as --format says, to --output or standard output; *exitCode by the highest open severity.
mcp::Error writeReview(const CliArgs &args, const mcp::review::Report &report, int *exitCode);

// 0 for none or info, 7 low, 8 medium, 9 high, 10 critical.
int reviewExitCode(std::optional<mcp::review::Severity> highestOpen);
