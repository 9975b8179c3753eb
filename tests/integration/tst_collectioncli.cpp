// `mcpwb run COLLECTION` against the real server-everything and server-memory 2026.8.31 (pinned Node, stdio):
// the collections in tests/data/collections pass, with values carried from one answer to the next request and
// from the environment; one with a wrong expectation exits 14 and prints the diff; the JUnit XML of each run
// is valid against tests/data/junit.xsd (xmllint); a bad collection file is refused before a server starts.
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace {

QString collectionFile(const char *name)
{
    return QStringLiteral(MCPWB_TEST_DATA_DIR "/collections/") + QLatin1String(name);
}

QString quoted(const QString &s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QString memoryServer()
{
    return quoted(testsupport::nodeBinary()) + QLatin1Char(' ') +
           quoted(testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-memory")) +
                  QStringLiteral("/dist/index.js"));
}

QString describe(const testsupport::CliRun &run)
{
    return QStringLiteral("exit %1\n--- stdout:\n%2\n--- stderr:\n%3")
        .arg(run.exitCode)
        .arg(QString::fromUtf8(run.out.left(6000)), QString::fromUtf8(run.err.left(3000)));
}

} // namespace

class TstCollectionCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // xmllint's verdict on the file against the committed JUnit schema: empty when valid.
    QString junitProblems(const QString &file)
    {
        QProcess xmllint;
        testsupport::endWithTest(xmllint);
        xmllint.start(QStringLiteral("xmllint"), {QStringLiteral("--noout"), QStringLiteral("--schema"),
                                                  QStringLiteral(MCPWB_TEST_DATA_DIR "/junit.xsd"), file});
        if (!xmllint.waitForFinished(30000))
            return QStringLiteral("xmllint did not finish");
        const QString output = QString::fromUtf8(xmllint.readAllStandardError());
        return xmllint.exitCode() == 0 ? QString() : output;
    }

    QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY(m_dir.isValid());
        if (QStandardPaths::findExecutable(QStringLiteral("xmllint")).isEmpty())
            QSKIP("xmllint is not installed (Debian: libxml2-utils; scripts/dev.sh deps installs it)");
        qputenv("MCPWB_COLLECTION_GREETING", "from CI");
    }

    void everythingCollectionPasses()
    {
        const QString junit = m_dir.filePath(QStringLiteral("everything.xml"));
        const auto run = testsupport::runMcpwb(
            {QStringLiteral("--stdio"), testsupport::everythingStdioCommand(), QStringLiteral("run"),
             collectionFile("everything.json"), QStringLiteral("--junit"), junit});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains("9 requests: 9 passed, 0 failed, 0 not sent"), qPrintable(describe(run)));
        QVERIFY2(run.out.contains("PASS  echo repeats what get-sum answered"), qPrintable(describe(run)));
        const QString problems = junitProblems(junit);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
        const QByteArray xml = readFile(junit);
        QVERIFY(
            xml.contains(R"(<testsuite name="server-everything smoke" tests="9" failures="0" errors="0")"));
        QVERIFY(!xml.contains("<failure"));
    }

    void memoryCollectionPasses()
    {
        const QString junit = m_dir.filePath(QStringLiteral("memory.xml"));
        const auto run = testsupport::runMcpwb(
            {QStringLiteral("--stdio"), memoryServer(), QStringLiteral("--env"),
             QStringLiteral("MEMORY_FILE_PATH=") + m_dir.filePath(QStringLiteral("memory.jsonl")),
             QStringLiteral("run"), collectionFile("memory.json"), QStringLiteral("--junit"), junit});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains("3 requests: 3 passed"), qPrintable(describe(run)));
        const QString problems = junitProblems(junit);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
    }

    void aWrongExpectationExits14WithTheDiff()
    {
        const QString junit = m_dir.filePath(QStringLiteral("failing.xml"));
        const auto run = testsupport::runMcpwb(
            {QStringLiteral("--stdio"), testsupport::everythingStdioCommand(), QStringLiteral("run"),
             collectionFile("everything-failing.json"), QStringLiteral("--junit"), junit});
        QVERIFY2(run.exitCode == 14, qPrintable(describe(run)));
        QVERIFY2(run.out.contains("FAIL  get-sum adds two numbers"), qPrintable(describe(run)));
        QVERIFY2(run.out.contains(
                     R"(changed /content/0/text: "The sum of 2 and 3 is 6." -> "The sum of 2 and 3 is 5.")"),
                 qPrintable(describe(run)));
        QVERIFY2(run.out.contains("PASS  structured content as expected"), qPrintable(describe(run)));
        QVERIFY2(run.out.contains("2 requests: 1 passed, 1 failed"), qPrintable(describe(run)));
        const QString problems = junitProblems(junit);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
        const QByteArray xml = readFile(junit);
        QVERIFY2(xml.contains(R"(tests="2" failures="1" errors="0")"), xml.constData());
        QVERIFY2(
            xml.contains(
                R"(<failure message="the answer differs from the expected value (expected -&gt; actual):" type="equals /content/0/text">)"),
            xml.constData());
        QVERIFY2(xml.contains("-&gt; &quot;The sum of 2 and 3 is 5.&quot;") ||
                     xml.contains("-&gt; \"The sum of 2 and 3 is 5.\""),
                 xml.constData());
    }

    void jsonOutputHoldsEachStep()
    {
        const auto run = testsupport::runMcpwb(
            {QStringLiteral("--stdio"), testsupport::everythingStdioCommand(), QStringLiteral("--json"),
             QStringLiteral("run"), collectionFile("everything-failing.json")});
        QVERIFY2(run.exitCode == 14, qPrintable(describe(run)));
        const QJsonObject doc = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(doc.value(QStringLiteral("failed")).toInt(), 1);
        const QJsonArray steps = doc.value(QStringLiteral("steps")).toArray();
        QCOMPARE(steps.size(), 2);
        const QJsonObject diff = steps[0]
                                     .toObject()[QStringLiteral("failures")]
                                     .toArray()[0]
                                     .toObject()[QStringLiteral("diff")]
                                     .toArray()[0]
                                     .toObject();
        QCOMPARE(diff[QStringLiteral("path")].toString(), QStringLiteral("/content/0/text"));
        QCOMPARE(diff[QStringLiteral("expected")].toString(), QStringLiteral("The sum of 2 and 3 is 6."));
        QCOMPARE(diff[QStringLiteral("actual")].toString(), QStringLiteral("The sum of 2 and 3 is 5."));
        QCOMPARE(steps[1].toObject()[QStringLiteral("status")].toString(), QStringLiteral("passed"));
    }

    // A variable missing from the environment: that request is not sent, the run says why and fails.
    void anUnsetVariableIsAnErrorOfItsRequest()
    {
        qunsetenv("MCPWB_COLLECTION_GREETING");
        const QString junit = m_dir.filePath(QStringLiteral("unset.xml"));
        const auto run = testsupport::runMcpwb(
            {QStringLiteral("--stdio"), testsupport::everythingStdioCommand(), QStringLiteral("run"),
             collectionFile("everything.json"), QStringLiteral("--junit"), junit});
        qputenv("MCPWB_COLLECTION_GREETING", "from CI");
        QVERIFY2(run.exitCode == 14, qPrintable(describe(run)));
        QVERIFY2(run.out.contains("ERROR echo a value from the environment"), qPrintable(describe(run)));
        QVERIFY2(run.out.contains("${env:MCPWB_COLLECTION_GREETING}: MCPWB_COLLECTION_GREETING is not set"),
                 qPrintable(describe(run)));
        QVERIFY2(run.out.contains("9 requests: 8 passed, 0 failed, 1 not sent"), qPrintable(describe(run)));
        const QString problems = junitProblems(junit);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
        QVERIFY(readFile(junit).contains(R"(errors="1")"));
    }

    // A broken file is refused with its line and column, before the server is started (no such program here).
    void aBadFileIsRefusedBeforeConnecting()
    {
        const QString bad = m_dir.filePath(QStringLiteral("bad.json"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\n  \"format\": \"mcpwb-collection\",\n  \"version\": 1,\n  \"requests\": [\n    {\"id\": "
                "\"a\",, }\n");
        f.close();
        auto run = testsupport::runMcpwb(
            {QStringLiteral("--stdio"), QStringLiteral("/nonexistent/server"), QStringLiteral("run"), bad});
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains((bad + QStringLiteral(":5:")).toUtf8()) && run.err.contains("not JSON"),
                 qPrintable(describe(run)));

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(R"({"format": "mcpwb-collection", "version": 1, "requests": [{"id": "a", "method": "ping",)"
                R"( "expect": {"equal": {"/x": 1}}}]})");
        f.close();
        run = testsupport::runMcpwb(
            {QStringLiteral("--stdio"), QStringLiteral("/nonexistent/server"), QStringLiteral("run"), bad});
        QVERIFY2(run.exitCode == 1, qPrintable(describe(run)));
        QVERIFY2(run.err.contains("/requests/0/expect/equal: unknown member"), qPrintable(describe(run)));
    }
};

QTEST_GUILESS_MAIN(TstCollectionCli)
#include "tst_collectioncli.moc"
