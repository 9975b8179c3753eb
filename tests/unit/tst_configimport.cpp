// Importing servers from files the user names (core/config/configimport, serverjson, envfile): an MCP
// registry server.json's packages and remotes, VS Code's inputs and envFile, a snippet pasted in any of the
// usual shapes; and broken files and snippets reported with file, line and reason, never a crash.
#include "config/configimport.h"
#include "config/envfile.h"
#include "config/secretreference.h"
#include "hostconfigsamples.h"
#include "importsamples.h"

#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace mcp::config;

namespace {

QStringList problems(const QList<ConfigProblem> &list)
{
    QStringList out;
    for (const ConfigProblem &p : list)
        out << QStringLiteral("%1|%2").arg(p.line).arg(p.reason);
    return out;
}

constexpr char kSnippet1[] = R"({"mcpServers": {"fs": {"command": "npx", "args": ["-y", "fs-mcp"]}}})";
constexpr char kSnippet2[] = R"({"command": "uvx", "args": ["mcp-server-time"]})";
constexpr char kSnippet3[] = R"({"servers": {"t": {"type": "sse", "url": "https://x.example/sse"}}})";
constexpr char kSnippet4[] = R"({"theme": "dark"})";
constexpr char kSnippet5[] = R"({"command": "node", "args": "server.js"})";
constexpr char kSnippet6[] = R"({"mcpServers": {}})";

} // namespace

class TstConfigImport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        testsupport::writeSample(path, bytes);
        return path;
    }

private slots:
    void serverJsonPackagesAndRemotes()
    {
        const QString path = write(QStringLiteral("server.json"), kServerJson);
        const ConfigFileResult r = importConfigFile(path);
        QCOMPARE(problems(r.problems), QStringList());
        QCOMPARE(r.servers.size(), 5);
        const ConfiguredServer &npm = r.servers[0];
        QCOMPARE(npm.host, Host::Registry);
        QCOMPARE(npm.name, QStringLiteral("weather (npm)"));
        QCOMPARE(npm.command, QStringLiteral("npx"));
        QCOMPARE(npm.args,
                 (QStringList{"-y", "@example/weather-mcp@1.2.0", "--units", "metric", "${input:region}"}));
        QCOMPARE(npm.env,
                 (NamedValues{{"WEATHER_API_KEY", "${input:WEATHER_API_KEY}"}, {"LOG_LEVEL", "info"}}));
        QCOMPARE(npm.inputs.size(), 2);
        QCOMPARE(npm.inputs[0].id, QStringLiteral("WEATHER_API_KEY"));
        QVERIFY(npm.inputs[0].password); // isSecret: typed unseen
        QCOMPARE(npm.inputs[1].description, QStringLiteral("Region code"));
        QCOMPARE(npm.line, 8); // its list's
        QCOMPARE(r.servers[1].args, (QStringList{"weather-mcp==1.2.0"}));
        QCOMPARE(r.servers[1].command, QStringLiteral("uvx"));
        const ConfiguredServer &oci = r.servers[2];
        QCOMPARE(oci.command, QStringLiteral("docker"));
        QCOMPARE(oci.args, (QStringList{"run", "-i", "--rm", "--network", "host", "-e", "WEATHER_API_KEY",
                                        "docker.io/example/weather-mcp:1.2.0"}));
        const ConfiguredServer &http = r.servers[3];
        QCOMPARE(http.transport, mcp::TransportConfig::Kind::Http);
        QCOMPARE(http.url, QStringLiteral("https://${input:tenant}.weather.example.com/mcp"));
        QCOMPARE(http.headers, (NamedValues{{"Authorization", "Bearer ${input:token}"}}));
        QCOMPARE(http.inputIds(), (QStringList{"tenant", "token"}));
        QCOMPARE(http.inputs.size(), 2);
        QVERIFY(http.inputs[1].password);
        QCOMPARE(r.servers[4].transport, mcp::TransportConfig::Kind::Sse);
        // Everything the file says is kept for writing it back.
        QCOMPARE(npm.unknown["server.json"]["repository"]["source"], "github");
        QVERIFY(!npm.unknown["server.json"].contains("packages"));
    }

    void brokenServerJsonSaysWhereAndWhy()
    {
        const QString path = write(QStringLiteral("broken/server.json"), kServerJsonBroken);
        const ConfigFileResult r = importConfigFile(path);
        QCOMPARE(r.servers.size(), 1); // the good package still reads
        QCOMPARE(problems(r.problems),
                 (QStringList{"3|io.example/broken: a package has no \"identifier\"",
                              "7|io.example/broken: a remote's type is not streamable-http or sse"}));
        QCOMPARE(r.problems[0].file, path);
        const ConfigFileResult truncated =
            importConfigFile(write(QStringLiteral("cut/server.json"), QByteArray(kServerJson).left(300)));
        QCOMPARE(truncated.servers.size(), 0);
        QCOMPARE(truncated.problems.size(), 1);
        QCOMPARE(truncated.problems[0].line, 1 + int(QByteArray(kServerJson).left(300).count('\n')));
    }

    void vsCodeInputsAndEnvFile()
    {
        const ConfigFileResult r = importConfigFile(write(QStringLiteral(".vscode/mcp.json"), kVsCodeInputs));
        QCOMPARE(problems(r.problems), QStringList());
        QCOMPARE(r.servers.size(), 2);
        QCOMPARE(r.servers[0].host, Host::VsCode);
        QCOMPARE(r.servers[0].envFile, QStringLiteral("${workspaceFolder}/.env"));
        QCOMPARE(r.servers[0].inputs.size(), 1);
        QCOMPARE(r.servers[0].inputs[0].description, QStringLiteral("Notes API key"));
        QCOMPARE(r.servers[0].inputs[0].unknown["type"], "promptString");
        QCOMPARE(r.servers[1].inputs.size(), 1); // the same input, for the header
        QString missing;
        QCOMPARE(mcp::expandInputs(QStringLiteral("Bearer ${input:api-key}"), {{"api-key", "k1"}}),
                 QStringLiteral("Bearer k1"));
        mcp::expandInputs(QStringLiteral("${input:other}"), {{"api-key", "k1"}}, &missing);
        QCOMPARE(missing, QStringLiteral("other"));
    }

    void envFileIsReadLineByLine()
    {
        const EnvFileResult r = parseEnvFile(QStringLiteral("/p/.env"), kEnvFile);
        QCOMPARE(r.variables, (NamedValues{{"NOTES_URL", "https://notes.example.com"},
                                           {"NOTES_USER", "ada lovelace"},
                                           {"NOTES_PATH", "/tmp/a b"},
                                           {"MULTI", "line\nbreak"}}));
        QCOMPARE(problems(r.problems), (QStringList{"6|not NAME=VALUE", "7|NOTES_TOKEN: unclosed quote"}));
        QCOMPARE(r.problems[0].toString(), QStringLiteral("/p/.env:6: not NAME=VALUE"));
    }

    void hostileEnvFilesAreRefused()
    {
        const QString good = write(QStringLiteral("env/good.env"), "A=1\n");
        QCOMPARE(readEnvFile(good).variables, (NamedValues{{"A", "1"}}));
        const QString open = write(QStringLiteral("env/open.env"), "A=1\n");
        QFile::setPermissions(open, QFile::permissions(open) | QFileDevice::WriteOther);
        QCOMPARE(problems(readEnvFile(open).problems), QStringList{"0|envFile is writable by other users"});
        const QString fifo = m_dir.filePath(QStringLiteral("env/fifo.env"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        QCOMPARE(problems(readEnvFile(fifo).problems), QStringList{"0|envFile is not a regular file"});
        QCOMPARE(problems(readEnvFile(m_dir.filePath(QStringLiteral("env/none"))).problems),
                 QStringList{"0|envFile does not exist"});
        const QString big = write(QStringLiteral("env/big.env"), QByteArray(kMaxEnvFileBytes + 1, '#'));
        QCOMPARE(problems(readEnvFile(big).problems), QStringList{"0|larger than 256 KiB"});
        QByteArray many;
        for (int i = 0; i <= kMaxEnvFileVariables; ++i)
            many += "V" + QByteArray::number(i) + "=x\n";
        const EnvFileResult tooMany = parseEnvFile(QStringLiteral("many"), many);
        QCOMPARE(tooMany.variables.size(), kMaxEnvFileVariables);
        QCOMPARE(problems(tooMany.problems),
                 QStringList{QStringLiteral("%1|more than 1000 variables; the rest are not read")
                                 .arg(kMaxEnvFileVariables + 1)});
        QCOMPARE(problems(parseEnvFile(QStringLiteral("nul"), QByteArray("A=1\nB=\0x\n", 9)).problems),
                 QStringList{"2|holds a NUL byte"});
    }

    void snippetsInEveryShape_data()
    {
        QTest::addColumn<QByteArray>("snippet");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("target");
        QTest::newRow("mcpServers") << QByteArray(kSnippet1) << "fs"
                                    << "npx -y fs-mcp";
        QTest::newRow("member") << QByteArray("\"gh\": {\"url\": \"https://api.example.com/mcp\"}") << "gh"
                                << "https://api.example.com/mcp";
        QTest::newRow("entry") << QByteArray(kSnippet2) << ""
                               << "uvx mcp-server-time";
        QTest::newRow("vscode") << QByteArray(kSnippet3) << "t"
                                << "https://x.example/sse";
        QTest::newRow("server.json") << QByteArray(kServerJson).replace("\"remotes\"", "\"unused\"")
                                     << "weather (npm)"
                                     << "npx -y @example/weather-mcp@1.2.0 --units metric ${input:region}";
    }

    void snippetsInEveryShape()
    {
        QFETCH(QByteArray, snippet);
        QFETCH(QString, name);
        QFETCH(QString, target);
        const ConfigFileResult r = parseSnippet(snippet);
        QCOMPARE(problems(r.problems), QStringList());
        QVERIFY(!r.servers.isEmpty());
        const ConfiguredServer &s = r.servers.first();
        QCOMPARE(s.name, name);
        QCOMPARE(s.isRemote() ? s.url : (QStringList{s.command} + s.args).join(QLatin1Char(' ')), target);
    }

    void badSnippetsSayWhy_data()
    {
        QTest::addColumn<QByteArray>("snippet");
        QTest::addColumn<QString>("problem");
        QTest::newRow("empty") << QByteArray("  \n") << "pasted snippet: is empty";
        QTest::newRow("comma") << QByteArray(
                                      "{\"mcpServers\": {\n  \"a\": {\"command\": \"x\"}\n  \"b\": {}}}")
                               << "pasted snippet:3: ";
        QTest::newRow("no server") << QByteArray(kSnippet4)
                                   << "pasted snippet:1: server \"theme\": is not an object";
        QTest::newRow("wrong type") << QByteArray(kSnippet5)
                                    << "pasted snippet:1: server \"\": \"args\" must be an array of strings";
        QTest::newRow("nothing") << QByteArray(kSnippet6) << "pasted snippet: holds no MCP server";
    }

    void badSnippetsSayWhy()
    {
        QFETCH(QByteArray, snippet);
        QFETCH(QString, problem);
        const ConfigFileResult r = parseSnippet(snippet);
        QCOMPARE(r.servers.size(), 0);
        QVERIFY(!r.problems.isEmpty());
        QVERIFY2(r.problems.first().toString().startsWith(problem),
                 qPrintable(r.problems.first().toString()));
    }

    void fileLayoutsAreRecognised()
    {
        QCOMPARE(importedLayout(QStringLiteral("/x/config.toml"), "", std::nullopt).layout,
                 Layout::CodexToml);
        QCOMPARE(importedLayout(QStringLiteral("/x/claude_desktop_config.json"), "{\"mcpServers\":{}}",
                                std::nullopt)
                     .host,
                 Host::ClaudeDesktop);
        QCOMPARE(importedLayout(QStringLiteral("/x/.gemini/settings.json"), "{}", std::nullopt).host,
                 Host::GeminiCli);
        QCOMPARE(
            importedLayout(QStringLiteral("/x/a.json"), "{\"mcp\": {\"servers\": {}}}", std::nullopt).layout,
            Layout::VsCodeSettings);
        QCOMPARE(importedLayout(QStringLiteral("/x/a.json"), "{}", Host::Windsurf).host, Host::Windsurf);
        QCOMPARE(problems(importConfigFile(m_dir.filePath(QStringLiteral("none.json"))).problems),
                 QStringList{"0|does not exist"});
        QCOMPARE(problems(importConfigFile(write(QStringLiteral("empty.json"), "{}")).problems),
                 QStringList{"0|configures no MCP server"});
    }
};

QTEST_GUILESS_MAIN(TstConfigImport)
#include "tst_configimport.moc"
