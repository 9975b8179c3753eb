#pragma once

#include <QStringList>

namespace mcp {
class McpServer;
}

namespace demo {

struct DemoOptions
{
    int pageSize = 10;         // small, so that pagination shows
    int liveIntervalMs = 3000; // weather://current updates while someone is subscribed
    int reportStepMs = 400;    // generate_report progress steps
};

// Registers the "Acme Weather & Notes" tools, resources, templates, prompts and completions.
void installDemoContent(mcp::McpServer &server, const DemoOptions &options = {});

// Runs the demo server until stdin closes (stdio) or SIGTERM/SIGINT. args: {} for stdio, or
// {"--http", PORT}; also --vulnerable (installVulnerableContent instead), --page-size N, --live-interval MS,
// --report-step MS. Returns the exit code.
int runDemoServer(const QStringList &args);

} // namespace demo
