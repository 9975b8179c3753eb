// `mcpwb conformance-server`: both pinned versions of the official conformance harness run their server
// scenarios against server-everything (streamable HTTP) and our demo server, through mcpwb's recording proxy.
#include "jsonrpc/json.h"
#include "testsupport.h"

#include <QProcess>

using mcp::Json;

namespace {

const Json *scenario(const Json &report, const char *name)
{
    for (const Json &s : report["scenarios"])
        if (s.value("scenario", "") == name)
            return &s;
    return nullptr;
}

QString framesText(const Json &s)
{
    QString all;
    for (const Json &f : s["frames"])
        all += QString::fromStdString(f.value("text", "")) + QLatin1Char('\n');
    return all;
}

} // namespace

class TestConformanceServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { MCPWB_REQUIRE_PEERS(); }

    void harnessAgainstServers_data()
    {
        QTest::addColumn<QString>("harness");
        QTest::addColumn<QString>("server");
        QTest::addColumn<int>("minScenarios");
        // The full suites take 1 to 2 s each here (measured), so every scenario runs.
        QTest::newRow("stable/everything") << "stable"
                                           << "everything" << 32;
        QTest::newRow("next/everything") << "next"
                                         << "everything" << 65;
        QTest::newRow("stable/demo") << "stable"
                                     << "demo" << 32;
        QTest::newRow("next/demo") << "next"
                                   << "demo" << 65;
    }

    void harnessAgainstServers()
    {
        QFETCH(QString, harness);
        QFETCH(QString, server);
        QFETCH(int, minScenarios);
        testsupport::PeerProcess everything;
        QProcess demo;
        quint16 port = 0;
        if (server == QStringLiteral("everything")) {
            QVERIFY(everything.startEverything(QStringLiteral("streamableHttp"), &port));
        } else {
            port = testsupport::freeLoopbackPort();
            testsupport::endWithTest(demo);
            demo.start(testsupport::mcpwbBinary(),
                       {QStringLiteral("demo-server"), QStringLiteral("--http"), QString::number(port)});
            QVERIFY(demo.waitForStarted(5000));
            QByteArray banner; // accumulated: QTRY evaluates its expression more than once
            QTRY_VERIFY_WITH_TIMEOUT((banner += demo.readAllStandardError()).contains("listening on"), 10000);
        }
        const testsupport::CliRun run = testsupport::runMcpwb(
            {QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:%1/mcp").arg(port),
             QStringLiteral("--json"), QStringLiteral("conformance-server"), QStringLiteral("--harness"),
             harness, QStringLiteral("--suite"), QStringLiteral("all"), QStringLiteral("--harness-dir"),
             testsupport::peersDir()},
            120000);
        // Neither server implements the harness's own test tools (test_simple_text, ...), so some fail.
        QCOMPARE(run.exitCode, 15);
        const Json report = Json::parse(run.out.toStdString(), nullptr, false);
        QVERIFY2(report.is_object(), run.out.left(500).constData());
        QCOMPARE(report["harness"].get<std::string>(), harness.toStdString());
        QVERIFY(report["problems"].empty());
        QVERIFY2(int(report["scenarios"].size()) >= minScenarios, run.err.right(2000).constData());
        for (const Json &s : report["scenarios"])
            QVERIFY2(!s["checks"].empty() || s.contains("problem"), s.dump().c_str());

        // A scenario that passes on both servers, with its own frames and no other scenario's.
        const Json *list = scenario(report, "tools-list");
        QVERIFY(list);
        QCOMPARE((*list)["failed"].get<int>(), 0);
        QVERIFY((*list)["passed"].get<int>() >= 1);
        QVERIFY(framesText(*list).contains(QStringLiteral("\"tools/list\"")));
        QVERIFY(!framesText(*list).contains(QStringLiteral("completion/complete")));

        // One that fails on both (the harness's prompt is missing): the check's details and its frames.
        const Json *completion = scenario(report, "completion-complete");
        QVERIFY(completion);
        QVERIFY((*completion)["failed"].get<int>() >= 1);
        bool explained = false;
        for (const Json &c : (*completion)["checks"])
            explained = explained ||
                        (c.value("status", "") == "FAILED" &&
                         c.value("errorMessage", "").find("test_prompt_with_arguments") != std::string::npos);
        QVERIFY2(explained, completion->dump().c_str());
        const QString frames = framesText(*completion);
        QVERIFY2(frames.contains(QStringLiteral("\"completion/complete\"")), qPrintable(frames));
        QVERIFY2(frames.contains(QStringLiteral("\"error\"")), qPrintable(frames));

        if (demo.state() != QProcess::NotRunning) {
            demo.terminate();
            QVERIFY(demo.waitForFinished(5000));
        }
    }

    void textReportNamesFailingChecksAndFrames()
    {
        quint16 port = 0;
        testsupport::PeerProcess everything;
        QVERIFY(everything.startEverything(QStringLiteral("streamableHttp"), &port));
        const testsupport::CliRun run = testsupport::runMcpwb(
            {QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:%1/mcp").arg(port),
             QStringLiteral("conformance-server"), QStringLiteral("prompts-get-simple"),
             QStringLiteral("--harness-dir"), testsupport::peersDir()},
            60000);
        QCOMPARE(run.exitCode, 15);
        QVERIFY2(run.out.contains("FAIL prompts-get-simple"), run.out.constData());
        QVERIFY2(run.out.contains("FAILED prompts-get-simple"), run.out.constData());
        QVERIFY2(run.out.contains("> {") && run.out.contains("\"prompts/get\""), run.out.constData());
        QVERIFY2(run.out.contains("0 of 1 scenarios pass"), run.out.constData());
    }

    void missingHarnessSaysHowToInstall()
    {
        const testsupport::CliRun run =
            testsupport::runMcpwb({QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:9/mcp"),
                                   QStringLiteral("conformance-server"), QStringLiteral("--harness-dir"),
                                   QStringLiteral("/nonexistent-harness-dir")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("not installed") && run.err.contains("npm install"), run.err.constData());
    }

    void stdioServerIsExplained()
    {
        const testsupport::CliRun run =
            testsupport::runMcpwb({QStringLiteral("--stdio"), QStringLiteral("mcpwb demo-server"),
                                   QStringLiteral("conformance-server")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("streamable HTTP"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestConformanceServer)
#include "tst_conformanceserver.moc"
