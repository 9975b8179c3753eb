// The host config readers (core/config): Claude Desktop, Claude Code, Cursor, VS Code (JSONC), Windsurf,
// Cline, Gemini CLI and Codex (TOML) files are written by other programs or by anyone who can write to a
// project folder. The first byte picks the layout (0-4, plus 5 for JSONC), 10 a server.json, 11 an envFile,
// 12-15 a pasted snippet, and every server read is exported to every host's format; any rest reads or is a
// problem.
#include "config/configimport.h"
#include "config/envfile.h"
#include "config/hostexport.h"
#include "config/inventory.h"

#include <cstdint>
#include <cstdlib>

using namespace mcp::config;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int selector = data[0] % 16;
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const int lines = int(bytes.count('\n')) + 1;
    if (selector == 11) {
        const EnvFileResult env = parseEnvFile(QStringLiteral("fuzz"), bytes);
        for (const ConfigProblem &p : env.problems)
            if (p.reason.isEmpty() || p.line < 0 || p.line > lines)
                std::abort();
        if (env.variables.size() > kMaxEnvFileVariables)
            std::abort();
        return 0;
    }
    const HostConfigFile file{selector % 5 == int(Layout::CodexToml) ? Host::Codex
                              : selector == 10                       ? Host::Registry
                                                                     : Host::GeminiCli,
                              QStringLiteral("user"), QStringLiteral("fuzz"),
                              selector == 10 ? Layout::ServerJson : Layout(selector % 5), selector >= 5};
    const ConfigFileResult result = selector >= 12 ? parseSnippet(bytes) : parseHostConfig(file, bytes);
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
    for (const QString &key : hostKeys()) {
        const HostExport exported = exportServers(result.servers, *hostFromKey(key));
        if (exported.text.isEmpty() == exported.error.isEmpty() && !result.servers.isEmpty())
            std::abort(); // either a text or the reason why not
    }
    return 0;
}
