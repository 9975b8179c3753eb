// The host config readers (core/config): Claude Desktop, Claude Code, Cursor, VS Code (JSONC), Windsurf,
// Cline, Gemini CLI and Codex (TOML) files are written by other programs or by anyone who can write to a
// project folder. The first byte picks the layout (0-4, plus 5 for JSONC); any rest reads or is a problem.
#include "config/inventory.h"

#include <cstdint>
#include <cstdlib>

using namespace mcp::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int selector = data[0] % 10;
    const HostConfigFile file{selector % 5 == int(Layout::CodexToml) ? Host::Codex : Host::GeminiCli,
                              QStringLiteral("user"), QStringLiteral("fuzz"), Layout(selector % 5),
                              selector >= 5};
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const ConfigFileResult result = parseHostConfig(file, bytes);
    const int lines = int(bytes.count('\n')) + 1;
    for (const ConfigProblem &p : result.problems)
        if (p.reason.isEmpty() || p.line < 0 || p.line > lines)
            std::abort(); // a problem says why, and where within the file
    for (const ConfiguredServer &s : result.servers) {
        if (s.line < 0 || s.line > lines || (s.command.isEmpty() && s.url.isEmpty()))
            std::abort();
        mcp::TransportConfig config = transportConfig(s);
        for (const auto &[name, value] : s.env)
            (void)shownSetting(name, value, s.host);
        (void)shownArguments(s.args);
        (void)sameServerKey(s);
        (void)config;
    }
    return 0;
}
