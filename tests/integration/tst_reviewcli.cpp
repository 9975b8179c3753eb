// `mcpwb review` against the real server-everything and server-memory over stdio (pinned Node): Markdown,
// HTML and SARIF reports, --output, --accepted, and the exit code by the highest open severity. Every SARIF
// file is validated against the SARIF 2.1.0 schema (tests/peers/validate-sarif.cjs, the schema and Ajv that
// @microsoft/jest-sarif ships).
#include "review/findings.h"
#include "review/pinning.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

QStringList peer(const char *package)
{
    return {QStringLiteral("--stdio"),
            QStringLiteral("%1 %2/dist/index.js")
                .arg(testsupport::nodeBinary(), testsupport::peerPackageDir(QLatin1String(package)))};
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstReviewCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    void validateSarif(const QString &file)
    {
        QProcess validator;
        validator.setProcessChannelMode(QProcess::MergedChannels);
        testsupport::endWithTest(validator);
        validator.start(testsupport::nodeBinary(),
                        {testsupport::peersDir() + QStringLiteral("/validate-sarif.cjs"), file});
        QVERIFY(validator.waitForFinished(30000));
        const QByteArray verdict = validator.readAll();
        QVERIFY2(validator.exitCode() == 0, verdict.constData());
        QVERIFY2(verdict.contains("valid SARIF 2.1.0"), verdict.constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY(m_dir.isValid());
    }

    void markdownToStdoutAndExitCodeByHighestSeverity()
    {
        const auto run = testsupport::runMcpwb(peer("@modelcontextprotocol/server-everything") +
                                               QStringList{QStringLiteral("review")});
        QCOMPARE(run.exitCode, 9); // the toxic flow through get-env is high (see tst_reviewpeers)
        QVERIFY2(run.out.startsWith("# MCP security review"), run.out.constData());
        QVERIFY(run.out.contains("## HIGH MCP06"));
        QVERIFY(run.out.contains("flow.toxic"));
        // server-memory has nothing to report.
        const auto clean = testsupport::runMcpwb(peer("@modelcontextprotocol/server-memory") +
                                                 QStringList{QStringLiteral("review")});
        QCOMPARE(clean.exitCode, 0);
        QVERIFY(clean.out.contains("0 finding(s)"));
    }

    void sarifIsValidAndAcceptedFindingsAreSuppressed()
    {
        const QString sarif = m_dir.filePath(QStringLiteral("everything.sarif"));
        auto run =
            testsupport::runMcpwb(peer("@modelcontextprotocol/server-everything") +
                                  QStringList{QStringLiteral("review"), QStringLiteral("--format"),
                                              QStringLiteral("sarif"), QStringLiteral("--output"), sarif});
        QCOMPARE(run.exitCode, 9);
        QVERIFY(run.out.isEmpty()); // the report went to the file
        validateSarif(sarif);
        const QJsonObject result = QJsonDocument::fromJson(readAll(sarif))
                                       .object()[QStringLiteral("runs")][0][QStringLiteral("results")][0]
                                       .toObject();
        QCOMPARE(result[QStringLiteral("ruleId")].toString(), QStringLiteral("flow.toxic"));
        QCOMPARE(result[QStringLiteral("level")].toString(), QStringLiteral("error"));
        QCOMPARE(result[QStringLiteral("properties")][QStringLiteral("owaspMcp")].toString(),
                 QStringLiteral("MCP06"));
        const QString fingerprint =
            result[QStringLiteral("partialFingerprints")][QStringLiteral("mcpwbFinding/v1")].toString();
        QCOMPARE(fingerprint.size(), 16);

        // The reviewer accepts it: the exit code drops to 0 and SARIF carries the suppression with the
        // reason.
        const QString accepted = m_dir.filePath(QStringLiteral("accepted.json"));
        QFile f(accepted);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            QStringLiteral(
                R"({"mcpwbAcceptedFindings": 1, "accepted": {"%1": {"reason": "test server, no secrets in its environment"}}})")
                .arg(fingerprint)
                .toUtf8());
        f.close();
        run = testsupport::runMcpwb(peer("@modelcontextprotocol/server-everything") +
                                    QStringList{QStringLiteral("review"), QStringLiteral("--format"),
                                                QStringLiteral("sarif"), QStringLiteral("--output"), sarif,
                                                QStringLiteral("--accepted"), accepted});
        QCOMPARE(run.exitCode, 0);
        validateSarif(sarif);
        const QJsonObject suppression = QJsonDocument::fromJson(readAll(sarif))
                                            .object()[QStringLiteral("runs")][0][QStringLiteral("results")][0]
                                                     [QStringLiteral("suppressions")][0]
                                            .toObject();
        QCOMPARE(suppression[QStringLiteral("status")].toString(), QStringLiteral("accepted"));
        QCOMPARE(suppression[QStringLiteral("justification")].toString(),
                 QStringLiteral("test server, no secrets in its environment"));
    }

    void htmlToAFile()
    {
        const QString html = m_dir.filePath(QStringLiteral("everything.html"));
        const auto run =
            testsupport::runMcpwb(peer("@modelcontextprotocol/server-everything") +
                                  QStringList{QStringLiteral("review"), QStringLiteral("--format"),
                                              QStringLiteral("html"), QStringLiteral("--output"), html});
        QCOMPARE(run.exitCode, 9);
        const QByteArray page = readAll(html);
        QVERIFY(page.startsWith("<!DOCTYPE html>"));
        QVERIFY(page.contains("Toxic flow: mcp-servers/everything/gzip-file-as-resource"));
        QVERIFY(page.contains("Content-Security-Policy"));
    }

    // Approval on one connection, then two later connections: one where the client's capabilities make the
    // server list tools that were not there (trigger-sampling-request), one after echo's definition moved
    // away from the approved one (the pins are edited to hold an older echo, as if the server was updated in
    // between). Calls to those tools are held with the difference shown; an unchanged tool's call goes.
    void pinnedDefinitionsHoldChangedTools()
    {
        const QString pins = m_dir.filePath(QStringLiteral("pins.json"));
        const QStringList everything = peer("@modelcontextprotocol/server-everything");
        auto run =
            testsupport::runMcpwb(everything + QStringList{QStringLiteral("review"), QStringLiteral("--pins"),
                                                           pins, QStringLiteral("--approve")});
        QCOMPARE(run.exitCode, 9);
        mcp::review::PinStore store;
        QString error;
        QVERIFY2(mcp::review::PinStore::load(pins, &store, &error), qPrintable(error));
        QVERIFY(store.hasServer(QStringLiteral("mcp-servers/everything")));

        const QString rules = m_dir.filePath(QStringLiteral("rules.json"));
        QFile r(rules);
        QVERIFY(r.open(QIODevice::WriteOnly));
        r.write(R"({"sampling": {"text": "sampled", "model": "m"}})");
        r.close();
        const QStringList second =
            everything + QStringList{QStringLiteral("--rules"), rules, QStringLiteral("--pins"), pins};
        run = testsupport::runMcpwb(second + QStringList{QStringLiteral("tools"), QStringLiteral("call"),
                                                         QStringLiteral("trigger-sampling-request"),
                                                         QStringLiteral(R"({"prompt": "hi"})")});
        QCOMPARE(run.exitCode, 11);
        QVERIFY2(
            run.err.contains("call held, not sent: tool trigger-sampling-request appeared since approval"),
            run.err.constData());
        run = testsupport::runMcpwb(second + QStringList{QStringLiteral("tools"), QStringLiteral("call"),
                                                         QStringLiteral("echo"),
                                                         QStringLiteral(R"({"message": "hi"})")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("Echo: hi"));

        // The approved echo was an older one.
        mcp::Json doc = mcp::Json::parse(readAll(pins).toStdString());
        mcp::Json &echo = doc["servers"]["mcp-servers/everything"]["tool/echo"];
        echo["definition"]["description"] = "Echoes back the input";
        echo["sha256"] = mcp::toStd(mcp::review::PinStore::definitionHash(echo["definition"]));
        QFile w(pins);
        QVERIFY(w.open(QIODevice::WriteOnly));
        w.write(QByteArray::fromStdString(doc.dump(2)));
        w.close();
        run = testsupport::runMcpwb(second + QStringList{QStringLiteral("tools"), QStringLiteral("call"),
                                                         QStringLiteral("echo"),
                                                         QStringLiteral(R"({"message": "hi"})")});
        QCOMPARE(run.exitCode, 11);
        QVERIFY2(run.err.contains("tool echo changed since approval"), run.err.constData());
        QVERIFY(run.err.contains("\"Echoes back the input\""));
        QVERIFY(run.err.contains("\"Echoes back the input string\""));
        QVERIFY(!run.out.contains("Echo: hi"));
        // The review names the same changes as findings.
        run = testsupport::runMcpwb(second + QStringList{QStringLiteral("review"), QStringLiteral("--format"),
                                                         QStringLiteral("sarif")});
        QVERIFY(run.out.contains("\"pinning.changed\""));
        QVERIFY(run.out.contains("\"pinning.added\""));
    }

    // The presenter's server: every planted problem is in the report, and the exit code says critical (the
    // Unicode tag characters and the orders they smuggle); accepting those brings it down to high.
    void vulnerableDemoServer()
    {
        const QStringList vulnerable = {QStringLiteral("--stdio"),
                                        QLatin1Char('"') + testsupport::mcpwbBinary() +
                                            QStringLiteral("\" demo-server --vulnerable")};
        const QString sarif = m_dir.filePath(QStringLiteral("vulnerable.sarif"));
        auto run = testsupport::runMcpwb(
            vulnerable + QStringList{QStringLiteral("review"), QStringLiteral("--format"),
                                     QStringLiteral("sarif"), QStringLiteral("--output"), sarif});
        QCOMPARE(run.exitCode, 10);
        validateSarif(sarif);
        const QByteArray report = readAll(sarif);
        for (const char *rule : {"unicode.tag-characters", "instructions.tag-smuggled-override",
                                 "unicode.invisible", "instructions.sensitive-data", "flow.toxic"})
            QVERIFY2(report.contains(rule), rule);

        mcp::review::Acceptances accepted;
        for (const QJsonValue result : QJsonDocument::fromJson(report)["runs"][0]["results"].toArray())
            if (result["level"].toString() == QStringLiteral("error") &&
                (result["ruleId"].toString().startsWith(QStringLiteral("unicode.tag")) ||
                 result["ruleId"].toString().startsWith(QStringLiteral("instructions.tag-smuggled"))))
                accepted.accept(result["partialFingerprints"].toObject().begin()->toString(),
                                QStringLiteral("shown on purpose"));
        const QString acceptedFile = m_dir.filePath(QStringLiteral("vulnerable-accepted.json"));
        QString error;
        QVERIFY2(accepted.save(acceptedFile, &error), qPrintable(error));
        run = testsupport::runMcpwb(
            vulnerable + QStringList{QStringLiteral("review"), QStringLiteral("--accepted"), acceptedFile});
        QCOMPARE(run.exitCode, 9);
        QVERIFY(run.out.contains("tool add\\_numbers")); // Markdown escapes the underscore
    }

    void badArguments()
    {
        auto run = testsupport::runMcpwb(
            peer("@modelcontextprotocol/server-memory") +
            QStringList{QStringLiteral("review"), QStringLiteral("--format"), QStringLiteral("pdf")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("--format takes markdown, html or sarif"), run.err.constData());
        run = testsupport::runMcpwb(peer("@modelcontextprotocol/server-memory") +
                                    QStringList{QStringLiteral("review"), QStringLiteral("--accepted"),
                                                m_dir.filePath(QStringLiteral("absent.json"))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("absent.json"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstReviewCli)
#include "tst_reviewcli.moc"
