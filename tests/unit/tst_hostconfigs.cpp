// The inventory of MCP servers configured on the machine (core/config): every host's documented format read
// from a temporary HOME and project folder, the same server found under several hosts grouped, broken files
// reported with file, line and reason without hiding the others, and hostile files refused, never a crash.
#include "config/inventory.h"
#include "hostconfigsamples.h"
#include "review/review.h"

#include <QHostAddress>
#include <QTemporaryDir>
#include <QTest>

using namespace mcp::config;
using mcp::TransportConfig;

namespace {

const InventoryEntry *entryNamed(const Inventory &inventory, const QString &name, Host host)
{
    for (const InventoryEntry &e : inventory.entries)
        for (const ConfiguredServer &c : e.configs)
            if (c.name == name && c.host == host)
                return &e;
    return nullptr;
}

const ConfiguredServer *config(const Inventory &inventory, const QString &name, Host host)
{
    const InventoryEntry *e = entryNamed(inventory, name, host);
    if (!e)
        return nullptr;
    for (const ConfiguredServer &c : e->configs)
        if (c.name == name && c.host == host)
            return &c;
    return nullptr;
}

QString problemIn(const Inventory &inventory, const QString &fileEnd)
{
    for (const ConfigProblem &p : inventory.problems)
        if (p.file.endsWith(fileEnd))
            return QStringLiteral("%1|%2").arg(p.line).arg(p.reason);
    return {};
}

HostConfigFile file(Layout layout, Host host = Host::Codex, bool jsonc = false)
{
    return {host, QStringLiteral("user"), QStringLiteral("/x/config"), layout, jsonc};
}

} // namespace

class TstHostConfigs : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QTemporaryDir m_project;
    Inventory m_inventory;

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid() && m_project.isValid());
        testsupport::writeHostConfigSamples(m_home.path(), m_project.path());
        m_inventory = readInventory(m_home.path(), {m_project.path()});
    }

    void everyHostsServersAreListed()
    {
        QCOMPARE(m_inventory.files.size(), 14); // all sample files, the directory included
        QStringList names;
        for (const InventoryEntry &e : m_inventory.entries)
            names << QStringLiteral("%1 (%2)").arg(e.names().join(QLatin1Char('/')),
                                                   e.hosts().join(QLatin1Char('+')));
        QCOMPARE(names,
                 (QStringList{"filesystem/docs (Claude Desktop+Claude Code)", "slack (Claude Desktop)",
                              "github (Claude Code+Cursor)", "memory (Claude Code)", "postgres (Cursor)",
                              "time (VS Code)", "intranet (Windsurf)", "weather (Cline)", "context7 (Codex)",
                              "figma (Codex)", "local-tools (Cursor)", "perplexity (VS Code)",
                              "remote-sse (VS Code)", "context7 (Gemini CLI)"}));
    }

    void fieldsAreReadAsWritten()
    {
        const ConfiguredServer *slack = config(m_inventory, "slack", Host::ClaudeDesktop);
        QVERIFY(slack);
        QCOMPARE(slack->command, "npx");
        QCOMPARE(slack->args, (QStringList{"-y", "@modelcontextprotocol/server-slack"}));
        QCOMPARE(slack->env.value(0).first, "SLACK_BOT_TOKEN");
        QCOMPARE(slack->line, 7);
        QCOMPARE(slack->transport, TransportConfig::Kind::Stdio);

        const ConfiguredServer *memory = config(m_inventory, "memory", Host::ClaudeCode);
        QVERIFY(memory);
        QCOMPARE(memory->scope, "local: /home/user/app");
        QCOMPARE(memory->line, 14);
        QCOMPARE(memory->type, "stdio");

        const ConfiguredServer *github = config(m_inventory, "github", Host::ClaudeCode);
        QVERIFY(github);
        QCOMPARE(github->transport, TransportConfig::Kind::Http);
        QCOMPARE(github->headers.value(0).second, "Bearer ${GITHUB_PAT}"); // as written, never resolved

        const ConfiguredServer *postgres = config(m_inventory, "postgres", Host::Cursor);
        QVERIFY(postgres);
        QCOMPARE(postgres->envFile, "/home/user/.pg.env");
        QCOMPARE(postgres->line, 7);

        const ConfiguredServer *time = config(m_inventory, "time", Host::VsCode); // JSONC
        QVERIFY(time);
        QCOMPARE(time->args, QStringList{"mcp-server-time"});
        QCOMPARE(time->line, 8);

        const ConfiguredServer *perplexity = config(m_inventory, "perplexity", Host::VsCode);
        QVERIFY(perplexity);
        QCOMPARE(perplexity->scope, "project");
        QCOMPARE(perplexity->env.value(0).second, "${input:perplexity-key}");
        QCOMPARE(config(m_inventory, "remote-sse", Host::VsCode)->transport, TransportConfig::Kind::Sse);

        const ConfiguredServer *intranet = config(m_inventory, "intranet", Host::Windsurf);
        QVERIFY(intranet);
        QCOMPARE(intranet->url, "http://mcp.example.com/mcp");

        const ConfiguredServer *weather = config(m_inventory, "weather", Host::Cline);
        QVERIFY(weather);
        QCOMPARE(mcp::dumpCompact(weather->unknown), R"({"disabled":false,"autoApprove":["get_forecast"]})");

        const ConfiguredServer *gemini = config(m_inventory, "context7", Host::GeminiCli);
        QVERIFY(gemini);
        QCOMPARE(gemini->transport, TransportConfig::Kind::Http); // httpUrl
        QCOMPARE(mcp::dumpCompact(gemini->unknown), R"({"trust":false})");

        const ConfiguredServer *codex = config(m_inventory, "context7", Host::Codex);
        QVERIFY(codex);
        QCOMPARE(codex->line, 3);
        QCOMPARE(codex->env, (NamedValues{{"DEBUG", "mcp:*"}}));
        QCOMPARE(mcp::dumpCompact(codex->unknown), R"({"startup_timeout_sec":20})");
        const ConfiguredServer *figma = config(m_inventory, "figma", Host::Codex);
        QVERIFY(figma);
        QCOMPARE(figma->line, 11);
        QCOMPARE(figma->headers, (NamedValues{{"X-Figma-Region", "us-east-1"}}));
    }

    void brokenFilesAreReportedWithLineAndReason()
    {
        QCOMPARE(m_inventory.problems.size(), 4);
        QCOMPARE(problemIn(m_inventory, "/.config/Code/User/mcp.json"), "0|not a regular file");
        const QString gemini = problemIn(m_inventory, m_home.path() + "/.gemini/settings.json");
        QVERIFY2(gemini.startsWith("5|malformed JSON: syntax error while parsing object"),
                 qPrintable(gemini));
        QCOMPARE(problemIn(m_inventory, "/.cursor/mcp.json"),
                 R"(3|server "broken": "args" must be an array of strings)");
        QCOMPARE(problemIn(m_inventory, "/.codex/config.toml"), "4|malformed TOML: Unclosed array");
        // The good entry beside the broken one is still listed.
        QVERIFY(config(m_inventory, "local-tools", Host::Cursor));
    }

    void referencesBecomeTheWorkbenchsAndStayUnresolved()
    {
        const TransportConfig github = transportConfig(*config(m_inventory, "github", Host::ClaudeCode));
        QCOMPARE(github.kind, TransportConfig::Kind::Http);
        QCOMPARE(github.http.headers.value(0).second, "Bearer ${env:GITHUB_PAT}");
        const TransportConfig gemini = transportConfig(*config(m_inventory, "context7", Host::GeminiCli));
        QCOMPARE(gemini.http.headers.value(0).second, "${env:CONTEXT7_API_KEY}");
        const TransportConfig figma = transportConfig(*config(m_inventory, "figma", Host::Codex));
        QCOMPARE(figma.http.headers.size(), 2);
        QCOMPARE(figma.http.headers.value(1).second, "Bearer ${env:FIGMA_OAUTH_TOKEN}");
        const TransportConfig postgres = transportConfig(*config(m_inventory, "postgres", Host::Cursor));
        QCOMPARE(postgres.kind, TransportConfig::Kind::Stdio);
        QCOMPARE(postgres.stdio.environment.value("PGPASSWORD"), "hunter2");

        qputenv("MCPWB_TEST_PAT", "ghp_resolved");
        TransportConfig resolved = github;
        resolved.http.headers[0].second = "Bearer ${env:MCPWB_TEST_PAT}";
        QString error;
        QVERIFY(expandReferences(&resolved, &error));
        QCOMPARE(resolved.http.headers.value(0).second, "Bearer ghp_resolved");
        resolved = github; // GITHUB_PAT is not set here
        qunsetenv("GITHUB_PAT");
        QVERIFY(!expandReferences(&resolved, &error));
        QCOMPARE(error, "${env:GITHUB_PAT} is not set in this environment");
    }

    void secretsAreNeverShownInClear()
    {
        QCOMPARE(shownSetting("PGPASSWORD", "hunter2", Host::Cursor), "[redacted]");
        QCOMPARE(shownSetting("SLACK_BOT_TOKEN", "xoxb-1111", Host::ClaudeDesktop), "[redacted]");
        QCOMPARE(shownSetting("Authorization", "Bearer ${GITHUB_PAT}", Host::ClaudeCode),
                 "Bearer ${GITHUB_PAT}");
        QCOMPARE(shownSetting("Authorization", "Bearer ${GITHUB_PAT}", Host::Cursor),
                 "[redacted]"); // literal there
        QCOMPARE(shownSetting("SLACK_TEAM_ID", "T01234567", Host::ClaudeDesktop), "T01234567");
        QCOMPARE(shownSetting("PERPLEXITY_API_KEY", "${input:perplexity-key}", Host::VsCode),
                 "${input:perplexity-key}");
        QCOMPARE(shownArguments({"tools/server.js", "--token", "s3cr3t-value"}),
                 (QStringList{"tools/server.js", "--token", "[redacted]"}));
    }

    void theReviewRunsOnEachEntryWithoutStartingIt()
    {
        const QList<mcp::review::ServerSnapshot> snapshots = configuredSnapshots(m_inventory);
        QCOMPARE(snapshots.size(), m_inventory.entries.size());
        QCOMPARE(snapshots[8].name, "context7");
        QCOMPARE(snapshots[13].name, "context7 (Gemini CLI)"); // the same name, another server
        QVERIFY(snapshots[2].authenticated);                   // github: an Authorization header
        QStringList seen;
        for (const auto &f : mcp::review::reviewServers(snapshots))
            seen << f.location.server + QLatin1Char(' ') + f.ruleId;
        QVERIFY2(seen.contains("slack stdio.secret-in-environment"), qPrintable(seen.join('\n')));
        QVERIFY(seen.contains("slack supply-chain.floating-version"));       // npx without a version
        QVERIFY(!seen.contains("filesystem supply-chain.floating-version")); // pinned
        QVERIFY(seen.contains("intranet transport.plain-http"));
        QVERIFY(seen.contains("local-tools stdio.secret-in-arguments"));
        QVERIFY(seen.contains("time supply-chain.floating-version")); // uvx
    }

    void codexTableNamesMayBeQuoted()
    {
        const ConfigFileResult r = parseHostConfig(
            file(Layout::CodexToml), "# servers\n[mcp_servers.'my tools']\ncommand = "
                                     "\"a\"\n\n[mcp_servers.\"x.y\"]\nurl = \"https://x.example/mcp\"\n");
        QCOMPARE(r.problems.size(), 0);
        QCOMPARE(r.servers.size(), 2);
        QCOMPARE(r.servers[0].name, "my tools");
        QCOMPARE(r.servers[0].line, 2);
        QCOMPARE(r.servers[1].name, "x.y");
        QCOMPARE(r.servers[1].line, 5);
        QCOMPARE(r.servers[1].transport, TransportConfig::Kind::Http);
    }

    // A config.toml without MCP servers (most have none) used to end the process: cpptoml's get() throws
    // for a missing key. Found by fuzz_hostconfigs.
    void codexConfigWithoutServersIsEmpty()
    {
        const ConfigFileResult r = parseHostConfig(file(Layout::CodexToml), "model = \"o3\"\n");
        QVERIFY(r.servers.isEmpty());
        QVERIFY(r.problems.isEmpty());
        QVERIFY(parseHostConfig(file(Layout::CodexToml), "").problems.isEmpty());
    }

    // cpptoml counted a line past the end of an unterminated string (found by fuzz_hostconfigs).
    void tomlErrorLinesStayInTheFile()
    {
        const ConfigFileResult r = parseHostConfig(file(Layout::CodexToml), QByteArray("/\0='''AA{", 9));
        QCOMPARE(r.problems.size(), 1);
        QVERIFY2(r.problems[0].line <= 1, qPrintable(r.problems[0].toString()));
    }

    // Hostile files: each is a problem with a reason, never a crash or a hang.
    // A remote server the user did not agree to gets none of the user's secrets and is reached on the
    // internet only: a project's config could name this machine, the local network or a token-stealing URL.
    void serverNotAgreedToGetsNoSecretAndNoLocalAddress()
    {
        TransportConfig remote;
        remote.http.url = QUrl(QStringLiteral("https://mcp.example.com/mcp"));
        remote.http.headers = {{"Authorization", "Bearer ${env:GITHUB_TOKEN}"},
                               {"X-Key", "${file:~/.ssh/id_rsa}"},
                               {"X-Team", "blue"}};
        QCOMPARE(withoutAgreement(&remote), QString());
        QCOMPARE(remote.http.headers, (QList<QPair<QByteArray, QByteArray>>{{"X-Team", "blue"}}));
        QVERIFY(remote.http.peerCheck);
        QVERIFY(remote.http.peerCheck(QHostAddress(QStringLiteral("93.184.216.34")), "mcp.example.com")
                    .isEmpty());
        QVERIFY(remote.http.peerCheck(QHostAddress(QStringLiteral("169.254.169.254")), "mcp.example.com")
                    .contains(QLatin1String("link-local")));
        QVERIFY(remote.http.peerCheck(QHostAddress(QStringLiteral("127.0.0.1")), "mcp.example.com")
                    .contains(QLatin1String("this machine")));
        for (const char *url : {"http://127.0.0.1:3000/mcp", "http://localhost/mcp", "https://10.0.0.8/mcp",
                                "https://[fe80::1]/mcp"}) {
            TransportConfig local;
            local.http.url = QUrl(QString::fromLatin1(url));
            QVERIFY2(!withoutAgreement(&local).isEmpty(), url);
        }
    }

    void hostileInputIsRefused_data()
    {
        QTest::addColumn<int>("layout");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("deep json") << int(Layout::McpServers) << QByteArray(100000, '[')
                                   << "JSON nested deeper than the limit of 64 levels";
        QTest::newRow("deep toml array")
            << int(Layout::CodexToml) << "a = " + QByteArray(100000, '[') << "nested deeper than 64 levels";
        QTest::newRow("deep toml table")
            << int(Layout::CodexToml) << "[a" + QByteArray(100000, '.').replace(".", ".a") + "]"
            << "nested deeper than 64 levels";
        QTest::newRow("not an object")
            << int(Layout::McpServers) << QByteArray("[1]") << "the file holds no JSON object";
        QTest::newRow("servers not an object")
            << int(Layout::McpServers) << QByteArray(R"({"mcpServers": 3})")
            << "\"mcpServers\" is not an object";
        QTest::newRow("toml servers not a table")
            << int(Layout::CodexToml) << QByteArray("mcp_servers = 3") << "\"mcp_servers\" is not a table";
        QTest::newRow("big toml number")
            << int(Layout::CodexToml) << QByteArray("a = 99999999999999999999999")
            << "malformed TOML: Malformed number (out of range: stoll)";
        QTest::newRow("no command nor url")
            << int(Layout::McpServers) << QByteArray(R"({"mcpServers": {"x": {}}})")
            << "server \"x\": has neither \"command\" nor a URL";
        QTest::newRow("bad type") << int(Layout::McpServers)
                                  << QByteArray(
                                         R"({"mcpServers": {"x": {"type": "carrier-pigeon", "url": "u"}}})")
                                  << "server \"x\": \"type\" must be stdio, http or sse";
        QTest::newRow("oversized") << int(Layout::McpServers) << QByteArray(kMaxConfigBytes + 1, ' ')
                                   << "larger than 16 MiB";
    }
    void hostileInputIsRefused()
    {
        QFETCH(int, layout);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        const ConfigFileResult r = parseHostConfig(file(Layout(layout)), bytes);
        QVERIFY(r.servers.isEmpty());
        QCOMPARE(r.problems.size(), 1);
        QCOMPARE(r.problems[0].reason, reason);
        QCOMPARE(r.problems[0].file, "/x/config");
    }
};

QTEST_GUILESS_MAIN(TstHostConfigs)
#include "tst_hostconfigs.moc"
