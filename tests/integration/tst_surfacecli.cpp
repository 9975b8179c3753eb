// `mcpwb snapshot save` and `mcpwb diff` against the real server-everything over stdio (pinned Node): a saved
// snapshot diffs clean against the live server (exit 0), an edited one shows its breaking change first (exit
// 13, text and --json), two live servers diff (server-memory before, server-everything after), two files
// diff offline, and a bad file is refused naming it (exit 1).
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {

QStringList everything()
{
    return {QStringLiteral("--stdio"), testsupport::everythingStdioCommand()};
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TstSurfaceCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_saved;
    QString m_edited; // echo's only parameter removed: a server that dropped it broke its callers

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY(m_dir.isValid());
        m_saved = m_dir.filePath(QStringLiteral("everything.json"));
        const testsupport::CliRun run = testsupport::runMcpwb(everything() << "snapshot"
                                                                           << "save" << m_saved);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.err.contains("snapshot saved to"));
        const QJsonObject snapshot = QJsonDocument::fromJson(readAll(m_saved)).object();
        QCOMPARE(snapshot.value(QStringLiteral("format")).toString(),
                 QStringLiteral("mcpwb-surface-snapshot"));
        QCOMPARE(snapshot.value(QStringLiteral("version")).toInt(), 1);
        QVERIFY(snapshot.value(QStringLiteral("tools")).toArray().size() >= 10);

        // The saved file with one more tool parameter: the live server lacks it.
        QJsonObject edited = snapshot;
        QJsonArray tools = edited.value(QStringLiteral("tools")).toArray();
        QJsonObject echo = tools.at(0).toObject();
        QCOMPARE(echo.value(QStringLiteral("name")).toString(), QStringLiteral("echo"));
        QJsonObject schema = echo.value(QStringLiteral("inputSchema")).toObject();
        QJsonObject properties = schema.value(QStringLiteral("properties")).toObject();
        properties.insert(QStringLiteral("repeat"),
                          QJsonObject{{QStringLiteral("type"), QStringLiteral("number")}});
        schema.insert(QStringLiteral("properties"), properties);
        echo.insert(QStringLiteral("inputSchema"), schema);
        echo.insert(QStringLiteral("description"), QStringLiteral("Echoes twice"));
        tools.replace(0, echo);
        edited.insert(QStringLiteral("tools"), tools);
        m_edited = m_dir.filePath(QStringLiteral("edited.json"));
        QVERIFY(writeAll(m_edited, QJsonDocument(edited).toJson()));
    }

    void savedSnapshotDiffsCleanAgainstTheLiveServer()
    {
        const testsupport::CliRun run = testsupport::runMcpwb(everything() << "diff" << m_saved);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("no changes\n"));
    }

    void breakingChangeExits13WithTheChangeFirst()
    {
        const testsupport::CliRun run = testsupport::runMcpwb(everything() << "diff" << m_edited);
        QCOMPARE(run.exitCode, 13);
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.value(0), QByteArray("1 breaking change, 1 compatible change"));
        QVERIFY2(lines.value(1).startsWith("BREAKING   tool echo: parameter \"repeat\" removed"),
                 run.out.constData());
        QVERIFY2(lines.value(2).startsWith("compatible tool echo: description changed: \"Echoes twice\" -> "),
                 run.out.constData());
    }

    void jsonOutput()
    {
        const testsupport::CliRun run = testsupport::runMcpwb(everything() << "--json"
                                                                           << "diff" << m_edited);
        QCOMPARE(run.exitCode, 13);
        const QJsonObject diff = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(diff.value(QStringLiteral("breaking")).toInt(), 1);
        QCOMPARE(diff.value(QStringLiteral("compatible")).toInt(), 1);
        const QJsonObject first = diff.value(QStringLiteral("changes")).toArray().at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("kind")).toString(), QStringLiteral("property-removed"));
        QCOMPARE(first.value(QStringLiteral("item")).toString(), QStringLiteral("echo"));
        QCOMPARE(first.value(QStringLiteral("path")).toString(),
                 QStringLiteral("/inputSchema/properties/repeat"));
        QVERIFY(first.value(QStringLiteral("breaking")).toBool());
    }

    void twoFilesOffline()
    {
        testsupport::CliRun run = testsupport::runMcpwb({"diff", m_saved, m_saved});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("no changes\n"));
        run = testsupport::runMcpwb({"diff", m_edited, m_saved});
        QCOMPARE(run.exitCode, 13);
        // The other way round nothing breaks: a parameter appeared.
        run = testsupport::runMcpwb({"diff", m_saved, m_edited});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith("0 breaking changes, 2 compatible changes\n"), run.out.constData());
    }

    void badFilesAreRefusedNamingThem()
    {
        const QString bad = m_dir.filePath(QStringLiteral("bad.json"));
        QVERIFY(writeAll(bad, "{\"format\": \"mcpwb-surface-snapshot\", \"version\": 9}"));
        testsupport::CliRun run = testsupport::runMcpwb({"diff", bad, m_saved});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(bad.toUtf8() + ": version 9 is not one this mcpwb reads"),
                 run.err.constData());
        // Against a live server the file is read first: the server is not asked for anything.
        run = testsupport::runMcpwb(everything() << "diff" << m_dir.filePath(QStringLiteral("missing.json")));
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("missing.json: No such file"), run.err.constData());
        run = testsupport::runMcpwb({"diff", m_saved});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("diff takes two snapshot files (or one, with --stdio or --url)"));
    }

    // Two live servers: server-memory as the baseline (before), server-everything now (after).
    void twoLiveServers()
    {
        const QString memory =
            QStringLiteral("%1 %2/dist/index.js")
                .arg(testsupport::nodeBinary(),
                     testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-memory")));
        const QStringList memoryFile = {QStringLiteral("--env"),
                                        QStringLiteral("MEMORY_FILE_PATH=") +
                                            m_dir.filePath(QStringLiteral("memory.json"))};
        testsupport::CliRun run =
            testsupport::runMcpwb(everything() + memoryFile << "diff"
                                                            << "--baseline-stdio" << memory);
        QVERIFY2(run.exitCode == 13, run.err.constData());
        QVERIFY2(run.out.contains("BREAKING   tool create_entities: tool removed"), run.out.constData());
        QVERIFY2(run.out.contains("compatible tool echo: tool added"), run.out.constData());
        QVERIFY(run.out.indexOf("\nBREAKING") < run.out.indexOf("\ncompatible"));

        run = testsupport::runMcpwb(everything()
                                    << "diff"
                                    << "--baseline-stdio" << testsupport::everythingStdioCommand());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, QByteArray("no changes\n"));

        run = testsupport::runMcpwb(everything()
                                    << "diff"
                                    << "--baseline-stdio" << QStringLiteral("/nonexistent/server"));
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("baseline: stdio: start"), run.err.constData());

        run = testsupport::runMcpwb(everything() << "diff" << m_saved << "--baseline-stdio" << memory);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("one of them"), run.err.constData());
    }

    void helpNamesTheVerbsAndExitCode()
    {
        const testsupport::CliRun run = testsupport::runMcpwb({"--help"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("snapshot save FILE"));
        QVERIFY(run.out.contains("diff BEFORE AFTER"));
        QVERIFY(run.out.contains("13 diff: a breaking change"));
    }
};

QTEST_GUILESS_MAIN(TstSurfaceCli)
#include "tst_surfacecli.moc"
