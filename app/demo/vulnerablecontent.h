#pragma once

#include <QString>

namespace mcp {
class McpServer;
}

namespace demo {

// The names a reviewer sees on the vulnerable demo server (tests and the GUI's entry use them).
inline const QString kVulnerableServerName = QStringLiteral("vulnerable-demo");
inline constexpr int kRugPullAfterCalls = 3;

// Registers tools that are poisoned on purpose, so that each review finding can be shown live: a description
// with an <IMPORTANT> block asking for ~/.ssh/id_rsa, one smuggling an instruction in Unicode tag characters
// and zero-width characters, get_fact_of_the_day whose description turns malicious after kRugPullAfterCalls
// calls (then tools/list_changed), send_email and get_forecast shadowing common and the demo's names (and
// speaking of the demo's create_note), and fetch_url + read_file + send_email, a toxic flow.
// Every tool is harmless: nothing is read from disk, fetched or sent; answers are canned.
void installVulnerableContent(mcp::McpServer &server, int rugPullAfterCalls = kRugPullAfterCalls);

} // namespace demo
