// Exporting servers to each host's format (core/config/hostexport, serverjson): every sample file read,
// written back in its own format and read again keeps every field; written to every other host, references
// stay references in that host's syntax, secrets are replaced by references the user fills in (and the notes
// say so), and another host's own fields are named rather than dropped silently.
#include "config/configimport.h"
#include "config/hostexport.h"
#include "config/inventory.h"
#include "config/secretreference.h"
#include "hostconfigsamples.h"
#include "importsamples.h"

#include <QTemporaryDir>
#include <QTest>

using namespace mcp::config;

namespace {

struct Sample
{
    const char *file;
    const char *text;
    Host host;
};

const Sample kSamples[] = {
    {"claude_desktop_config.json", testsupport::kClaudeDesktop, Host::ClaudeDesktop},
    {".claude.json", testsupport::kClaudeCodeUser, Host::ClaudeCode},
    {".mcp.json", testsupport::kClaudeCodeProject, Host::ClaudeCode},
    {".cursor/mcp.json", testsupport::kCursorUser, Host::Cursor},
    {"settings.json", testsupport::kVsCodeSettings, Host::VsCode},
    {".vscode/mcp.json", testsupport::kVsCodeProject, Host::VsCode},
    {"inputs/.vscode/mcp.json", kVsCodeInputs, Host::VsCode},
    {"mcp_config.json", testsupport::kWindsurf, Host::Windsurf},
    {"cline_mcp_settings.json", testsupport::kCline, Host::Cline},
    {".gemini/settings.json", testsupport::kGeminiProject, Host::GeminiCli},
    {"config.toml", testsupport::kCodexUser, Host::Codex},
    {"server.json", kServerJson, Host::Registry},
};

// Every field a server is made of, as one comparable text (where it was read from left out).
QString fields(const ConfiguredServer &s)
{
    QStringList out{
        s.name,    s.type, mcp::TransportConfig::kindName(s.transport), s.command, s.args.join('|'), s.cwd,
        s.envFile, s.url,  QString::fromStdString(s.unknown.dump())};
    for (const auto &[k, v] : s.env)
        out << "env " + k + "=" + v;
    for (const auto &[k, v] : s.headers)
        out << "header " + k + ": " + v;
    for (const ConfigInput &i : s.inputs)
        out << "input " + i.id + " " + i.description + (i.password ? " password " : " ") +
                   QString::fromStdString(i.unknown.dump());
    return out.join('\n');
}

constexpr char kExpect1[] = R"("Authorization": "Bearer ${env:API_AUTHORIZATION}")";
constexpr char kExpect2[] = R"("Authorization": "Bearer ${FIGMA_OAUTH_TOKEN}")";
constexpr char kExpect3[] = R"("HOME_DIR": "${HOME}")";
constexpr char kExpect4[] = R"("NOTES_API_KEY": "${API_KEY}")";
constexpr char kExpect5[] = R"("Authorization": "Bearer ${env:FIGMA_OAUTH_TOKEN}")";
constexpr char kExpect6[] = R"("id": "api-key")";
constexpr char kExpect7[] = R"("envFile": "${workspaceFolder}/.env")";
constexpr char kExpect8[] = R"("httpUrl": "https://mcp.figma.com/mcp")";
constexpr char kExpect9[] = R"("serverUrl": "https://mcp.figma.com/mcp")";

} // namespace

class TstConfigExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_written = 0;

    // Writes text where host keeps its file, and reads it back.
    ConfigFileResult reread(const QByteArray &text, Host host, const QString &name)
    {
        const QString path = m_dir.filePath(QStringLiteral("out%1/%2").arg(++m_written).arg(name));
        testsupport::writeSample(path, text);
        return importConfigFile(path, host);
    }

    ConfigFileResult sample(const Sample &s)
    {
        const QString path = m_dir.filePath(QStringLiteral("in/") + QLatin1String(s.file));
        testsupport::writeSample(path, s.text);
        return importConfigFile(path, s.host);
    }

private slots:
    void roundTripKeepsEveryField_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < int(std::size(kSamples)); ++i)
            QTest::newRow(kSamples[i].file) << i;
    }

    void roundTripKeepsEveryField()
    {
        QFETCH(int, index);
        const Sample &s = kSamples[index];
        const ConfigFileResult first = sample(s);
        QVERIFY(!first.servers.isEmpty());
        const HostExport exported = exportServers(first.servers, s.host);
        QVERIFY2(exported.error.isEmpty(), qPrintable(exported.error));
        const ConfigFileResult second = reread(exported.text, s.host, QFileInfo(s.file).fileName());
        QVERIFY2(second.problems.isEmpty(),
                 qPrintable(second.problems.value(0).toString() + "\n" + exported.text));
        QCOMPARE(second.servers.size(), first.servers.size());
        for (qsizetype i = 0; i < first.servers.size(); ++i) {
            ConfiguredServer expected = first.servers[i];
            ConfiguredServer actual = second.servers[i];
            // A literal secret is the one thing not written: it comes back as a reference to fill in.
            for (auto [e, a] :
                 {std::pair{&expected.env, &actual.env}, std::pair{&expected.headers, &actual.headers}})
                for (qsizetype v = 0; v < e->size() && v < a->size(); ++v)
                    if (mcp::isLiteralSecret((*e)[v].first, workbenchReferences((*e)[v].second, s.host))) {
                        QVERIFY((*a)[v].second.contains(QLatin1String("${env:")));
                        (*e)[v].second = (*a)[v].second = QStringLiteral("(secret)");
                    }
            if (expected.args != actual.args) // a secret argument
                for (qsizetype a = 0; a < expected.args.size() && a < actual.args.size(); ++a)
                    if (actual.args[a].contains(QLatin1String("${env:")))
                        expected.args[a] = actual.args[a];
            QCOMPARE(fields(actual), fields(expected));
            // and once more: what was written reads the same again
            const HostExport again = exportServers(second.servers, s.host);
            QCOMPARE(again.text, exported.text);
        }
    }

    void secretsAreNeverWrittenInClear()
    {
        const ConfigFileResult desktop = sample(kSamples[0]);
        const ConfigFileResult cursor = sample(kSamples[3]);
        const ConfigFileResult local = importConfigFile(
            [&] {
                const QString p = m_dir.filePath(QStringLiteral("local/.cursor/mcp.json"));
                testsupport::writeSample(p, testsupport::kCursorProject);
                return p;
            }(),
            Host::Cursor);
        QList<ConfiguredServer> all = desktop.servers + cursor.servers + local.servers;
        all.append(ConfiguredServer{});
        all.last().name = QStringLiteral("api");
        all.last().url = QStringLiteral("https://api.example.com/mcp?api_key=k-123456&region=eu");
        all.last().headers = {{"X-Api-Key", "abcdef123456"},
                              {"Authorization", "Bearer sk-live-abcdefghijkl"}};
        all.last().transport = mcp::TransportConfig::Kind::Http;
        for (const QString &key : hostKeys()) {
            const Host host = *hostFromKey(key);
            if (host == Host::Registry)
                continue; // a local command is no package: tested below
            const HostExport e = exportServers(all, host);
            for (const char *secret :
                 {"xoxb-1111", "hunter2", "s3cr3t-value", "k-123456", "abcdef123456", "sk-live"})
                QVERIFY2(!e.text.contains(secret), qPrintable(key + ": " + secret + "\n" + e.text));
            QVERIFY2(e.notes.join('\n').contains("SLACK_BOT_TOKEN is not written: set SLACK_BOT_TOKEN"),
                     qPrintable(e.notes.join('\n')));
            QVERIFY(e.notes.join('\n').contains("set API_X_API_KEY in the environment"));
            QVERIFY(e.text.contains("T01234567")); // not a secret: kept
        }
        const HostExport vscode = exportServers(all, Host::VsCode);
        QVERIFY(vscode.text.contains(kExpect1));
        QVERIFY(vscode.text.contains("api_key=${env:API_API_KEY}"));
    }

    void referencesInEachHostsSyntax()
    {
        const ConfigFileResult codex = sample(kSamples[10]); // figma: bearer_token_env_var
        const ConfigFileResult vscode = sample(kSamples[6]); // inputs
        const QList<ConfiguredServer> all = codex.servers + vscode.servers;
        const HostExport code = exportServers(all, Host::ClaudeCode);
        QVERIFY2(code.text.contains(kExpect2), code.text.constData());
        QVERIFY(code.text.contains(kExpect3));
        QVERIFY(code.text.contains(kExpect4)); // an input becomes a variable
        QVERIFY(code.notes.join('\n').contains("cannot ask for input \"api-key\": it is read from API_KEY"));
        QVERIFY(code.notes.join('\n').contains("startup_timeout_sec")); // Codex's own, named
        QVERIFY(code.notes.join('\n').contains("reads no envFile"));
        const HostExport vs = exportServers(all, Host::VsCode);
        QVERIFY(vs.text.contains(kExpect5));
        QVERIFY(vs.text.contains(kExpect6));
        QVERIFY(vs.text.contains(kExpect7));
        const HostExport toml = exportServers(
            vs.text.isEmpty() ? all : reread(vs.text, Host::VsCode, "mcp.json").servers, Host::Codex);
        QVERIFY2(toml.text.contains("bearer_token_env_var = \"FIGMA_OAUTH_TOKEN\""), toml.text.constData());
        QVERIFY(toml.text.contains("env_vars = [\"API_KEY\"]") ||
                toml.notes.join('\n').contains("NOTES_API_KEY"));
        const HostExport gemini = exportServers(codex.servers, Host::GeminiCli);
        QVERIFY(gemini.text.contains(kExpect8));
        const HostExport windsurf = exportServers(codex.servers, Host::Windsurf);
        QVERIFY(windsurf.text.contains(kExpect9));
        const HostExport desktop = exportServers(codex.servers, Host::ClaudeDesktop);
        QVERIFY(desktop.notes.join('\n').contains("Settings › Connectors"));
    }

    void serverJsonFromAConnection()
    {
        ConfiguredServer s;
        s.name = QStringLiteral("time");
        s.command = QStringLiteral("uvx");
        s.args = QStringList{"mcp-server-time==1.0.0", "--tz", "UTC"};
        s.env = {{"TIME_TOKEN", "${env:TIME_TOKEN}"}};
        const HostExport e = exportServers({s}, Host::Registry);
        QVERIFY2(e.error.isEmpty(), qPrintable(e.error));
        QVERIFY(e.notes.join('\n').contains("io.example/time"));
        const ConfigFileResult back = reread(e.text, Host::Registry, "server.json");
        QCOMPARE(back.servers.size(), 1);
        QCOMPARE(back.servers[0].args, s.args);
        QCOMPARE(back.servers[0].env, (NamedValues{{"TIME_TOKEN", "${input:TIME_TOKEN}"}}));
        s.command = QStringLiteral("/opt/tools/server");
        QVERIFY(exportServers({s}, Host::Registry).error.contains("is a local command"));
    }
};

QTEST_GUILESS_MAIN(TstConfigExport)
#include "tst_configexport.moc"
