// `mcpwb config list` and `mcpwb review --all-configured` on a temporary HOME: every host's sample file
// listed with secrets masked and broken files with file, line and reason; the review connects the remote
// server (server-everything over streamable HTTP) and starts the stdio one only with --start, never the
// one not agreed to (its start would write a marker file), and leaves no process behind.
#include "hostconfigsamples.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {

// Processes of ours still running a command line that contains needle.
int processesRunning(const QByteArray &needle)
{
    int count = 0;
    const QString self = QString::number(QCoreApplication::applicationPid());
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (pid != self && cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(needle))
            ++count;
    }
    return count;
}

// ~/.claude.json with the remote peer, on this machine, with a secret from the environment (no raw literal:
// moc loses the class after one).
constexpr char kClaudeCodeRemote[] = "{\"mcpServers\": {\"remote-everything\": {\"type\": \"http\", "
                                     "\"url\": \"http://127.0.0.1:%1/mcp\", \"headers\": {\"Authorization\": "
                                     "\"Bearer ${INVENTORY_TEST_SECRET}\"}}}}";

} // namespace

class TstInventoryCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void configListShowsEveryHostAndBrokenFile()
    {
        const QString home = m_dir.filePath(QStringLiteral("samples-home"));
        const QString project = m_dir.filePath(QStringLiteral("samples-project"));
        testsupport::writeHostConfigSamples(home, project);
        qputenv("HOME", home.toUtf8());
        const testsupport::CliRun run = testsupport::runMcpwb({"config", "list", "--project", project});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QByteArray &out = run.out;
        QVERIFY2(out.startsWith("14 servers configured in 14 files"), out.constData());
        QVERIFY(out.contains("github  [http]  https://api.githubcopilot.com/mcp/"));
        QVERIFY(out.contains("  Cursor (user), \"github\" at " + home.toUtf8() + "/.cursor/mcp.json:3"));
        QVERIFY(out.contains("header Authorization: Bearer ${GITHUB_PAT}")); // a reference, shown as written
        QVERIFY(out.contains("env SLACK_BOT_TOKEN=[redacted]"));
        QVERIFY(out.contains("node tools/server.js --token [redacted]"));
        for (const char *secret : {"hunter2", "xoxb-1111", "s3cr3t-value"})
            QVERIFY2(!out.contains(secret), secret);
        QVERIFY(out.contains(home.toUtf8() + "/.gemini/settings.json:5: malformed JSON"));
        QVERIFY(out.contains(project.toUtf8() + "/.codex/config.toml:4: malformed TOML: Unclosed array"));
        QVERIFY(out.contains(project.toUtf8() + "/.cursor/mcp.json:3: server \"broken\""));

        const testsupport::CliRun json =
            testsupport::runMcpwb({"config", "list", "--json", "--project", project});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject doc = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(doc.value("servers").toArray().size(), 14);
        QCOMPARE(doc.value("problems").toArray().size(), 4);
        QVERIFY(!json.out.contains("hunter2"));
        QCOMPARE(testsupport::runMcpwb({"config", "import"}).exitCode, 1);
    }

    void reviewAllConfiguredStartsOnlyWhatWasAgreed()
    {
        MCPWB_REQUIRE_PEERS();
        testsupport::PeerProcess remote;
        quint16 port = 0;
        QVERIFY2(remote.startEverything(QStringLiteral("streamableHttp"), &port),
                 qPrintable(remote.output()));
        const QString home = m_dir.filePath(QStringLiteral("peers-home"));
        const QString marker = m_dir.filePath(QStringLiteral("never-started-ran"));
        const QString everything =
            testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-everything")) +
            QStringLiteral("/dist/index.js");
        const QJsonObject cursor{
            {"mcpServers",
             QJsonObject{{"everything", QJsonObject{{"command", testsupport::nodeBinary()},
                                                    {"args", QJsonArray{everything, "stdio"}}}},
                         {"never-started",
                          QJsonObject{{"command", testsupport::nodeBinary()},
                                      {"args", QJsonArray{"-e", QStringLiteral(
                                                                    "require('fs').writeFileSync('%1','ran')")
                                                                    .arg(marker)}}}}}}};
        testsupport::writeSample(home + "/.cursor/mcp.json", QJsonDocument(cursor).toJson());
        testsupport::writeSample(home + "/.claude.json",
                                 QString::fromLatin1(kClaudeCodeRemote).arg(port).toUtf8());
        qputenv("HOME", home.toUtf8());

        // --start for a server nobody configured is a usage error, before anything runs.
        QCOMPARE(testsupport::runMcpwb({"review", "--all-configured", "--start", "nobody"}).exitCode, 1);

        qputenv("INVENTORY_TEST_SECRET", "inventory-secret");
        const testsupport::CliRun run =
            testsupport::runMcpwb({"review", "--all-configured", "--start", "everything", "--start",
                                   "remote-everything", "--timeout", "20000"},
                                  120000);
        QVERIFY2(run.exitCode >= 7 && run.exitCode <= 10,
                 run.err.constData()); // server-everything has findings
        QVERIFY2(run.err.contains("reviewing remote-everything live"), run.err.constData());
        QVERIFY(run.err.contains("reviewing everything live"));
        QVERIFY(!run.err.contains("reviewing never-started"));
        const QByteArray &report = run.out;
        QVERIFY2(!report.contains("Could not be reviewed live"), report.constData());
        QVERIFY(report.contains("Not started: starting it runs its code"));
        QVERIFY(report.contains("Configured in Claude Code"));
        QVERIFY(report.contains("get-sum") ||
                report.contains("get_sum")); // its tools were listed and reviewed
        QVERIFY(!QFileInfo::exists(marker));
        QCOMPARE(processesRunning(everything.toUtf8() + QByteArray(1, '\0') + "stdio"), 0);

        // Not agreed: nothing is started, and the review is of the configuration alone; a remote server on
        // this machine is not contacted (a project's config could aim us at local services) and its secret
        // stays here.
        const testsupport::CliRun none = testsupport::runMcpwb({"review", "--all-configured"}, 120000);
        QVERIFY(!none.err.contains("reviewing everything live"));
        QVERIFY(none.out.contains("Not started: starting it runs its code"));
        QVERIFY(!QFileInfo::exists(marker));
        QVERIFY2(none.out.contains("127.0.0.1 is this machine"), none.out.constData());
        QVERIFY(none.out.contains("agree with --start"));
        QVERIFY(!none.out.contains("inventory-secret") && !none.err.contains("inventory-secret"));
    }
};

QTEST_GUILESS_MAIN(TstInventoryCli)
#include "tst_inventorycli.moc"
