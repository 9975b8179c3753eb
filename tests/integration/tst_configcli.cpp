// `mcpwb config import` and `mcpwb config export`, and the options an imported connection needs: a registry
// server.json listed as the mcpwb options of each server (nothing started), a bad file with file, line and
// reason; a connection given on the command line exported to each host's format with literal secrets
// replaced by references; ${input:ID} without --input refused naming the input; a bad envFile refused with
// its line.
#include "hostconfigsamples.h"
#include "importsamples.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr char kBadJson[] = "{\"mcpServers\": {\n  \"a\": {\"command\": \"x\", \"args\": \"y\"}\n}}\n";
constexpr char kBearerInput[] = "Authorization: Bearer ${input:tok}";

} // namespace

class TstConfigCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void importListsWhatItWouldCreate()
    {
        const QString file = m_dir.filePath(QStringLiteral("server.json"));
        testsupport::writeSample(file, kServerJson);
        const testsupport::CliRun run = testsupport::runMcpwb({"config", "import", file});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.startsWith("5 servers in " + file.toUtf8() + "; nothing is started or saved"),
                 run.out.constData());
        QVERIFY(run.out.contains("mcpwb --stdio 'uvx weather-mcp==1.2.0' VERB"));
        QVERIFY(run.out.contains(
            "--env 'WEATHER_API_KEY=${input:WEATHER_API_KEY}' --input WEATHER_API_KEY=VALUE"));
        QVERIFY(run.out.contains("asks for WEATHER_API_KEY (secret): API key"));
        const testsupport::CliRun json = testsupport::runMcpwb({"config", "import", "--json", file});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray servers = QJsonDocument::fromJson(json.out).object().value("servers").toArray();
        QCOMPARE(servers.size(), 5);
        QCOMPARE(servers[3].toObject().value("inputs").toArray().size(), 2);

        const QString bad = m_dir.filePath(QStringLiteral("bad/.mcp.json"));
        testsupport::writeSample(bad, kBadJson);
        const testsupport::CliRun broken = testsupport::runMcpwb({"config", "import", bad});
        QCOMPARE(broken.exitCode, 1);
        QVERIFY2(broken.err.contains(bad.toUtf8() + ":2: server \"a\": \"args\" must be an array of strings"),
                 broken.err.constData());
        QCOMPARE(testsupport::runMcpwb({"config", "import", file, "--host", "notepad"}).exitCode, 1);
    }

    void exportWritesNoSecretInClear()
    {
        const testsupport::CliRun codex = testsupport::runMcpwb(
            {"config", "export", "--host", "codex", "--url", "https://api.example.com/mcp", "--header",
             "Authorization: Bearer ${env:API_TOKEN}", "--header", "X-Api-Key: abc123secretvalue", "--name",
             "api"});
        QVERIFY2(codex.exitCode == 0, codex.err.constData());
        QVERIFY2(codex.out.contains("[mcp_servers.api]\nurl = \"https://api.example.com/mcp\"\n"
                                    "bearer_token_env_var = \"API_TOKEN\"\nenv_http_headers = {X-Api-Key = "
                                    "\"API_X_API_KEY\"}\n"),
                 codex.out.constData());
        QVERIFY(!codex.out.contains("abc123secretvalue"));
        QVERIFY(codex.err.contains(
            "note: api: the secret in header X-Api-Key is not written: set API_X_API_KEY"));

        const QString out = m_dir.filePath(QStringLiteral("exported.json"));
        const testsupport::CliRun code = testsupport::runMcpwb(
            {"config", "export", "--host", "claude-code", "--stdio", "npx -y notes-mcp@2.0.1", "--env",
             "NOTES_KEY", "--env", "LOG=debug", "--output", out});
        QVERIFY2(code.exitCode == 0, code.err.constData());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject entry = QJsonDocument::fromJson(file.readAll())
                                      .object()
                                      .value("mcpServers")
                                      .toObject()
                                      .value("npx")
                                      .toObject();
        QCOMPARE(entry.value("command").toString(), QStringLiteral("npx"));
        QCOMPARE(entry.value("env").toObject().value("NOTES_KEY").toString(), QStringLiteral("${NOTES_KEY}"));
        QCOMPARE(entry.value("env").toObject().value("LOG").toString(), QStringLiteral("debug"));
        const testsupport::CliRun local =
            testsupport::runMcpwb({"config", "export", "--host", "server.json", "--stdio", "/opt/x/server"});
        QCOMPARE(local.exitCode, 1);
        QVERIFY(local.err.contains("is a local command, not a registry package"));
        QCOMPARE(testsupport::runMcpwb({"config", "export", "--host", "vscode"}).exitCode, 1);
    }

    void inputsAndEnvFilesWhenConnecting()
    {
        const testsupport::CliRun unanswered = testsupport::runMcpwb(
            {"--url", "http://127.0.0.1:9/mcp", "--header", kBearerInput, "tools", "list"});
        QCOMPARE(unanswered.exitCode, 1);
        QVERIFY2(unanswered.err.contains(
                     "--header: ${input:tok} is asked when connecting: give it with --input tok=VALUE"),
                 unanswered.err.constData());
        const QString env = m_dir.filePath(QStringLiteral("bad.env"));
        testsupport::writeSample(env, "A=1\nnot an assignment\n");
        const testsupport::CliRun badEnv =
            testsupport::runMcpwb({"--stdio", "true", "--env-file", env, "tools", "list"});
        QCOMPARE(badEnv.exitCode, 1);
        QVERIFY2(badEnv.err.contains("--env-file: " + env.toUtf8() + ":2: not NAME=VALUE"),
                 badEnv.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstConfigCli)
#include "tst_configcli.moc"
