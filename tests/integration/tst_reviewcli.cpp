// `mcpwb review` against the real server-everything and server-memory over stdio (pinned Node): Markdown,
// HTML and SARIF reports, --output, --accepted, and the exit code by the highest open severity. Every SARIF
// file is validated against the SARIF 2.1.0 schema (tests/peers/validate-sarif.cjs, the schema and Ajv that
// @microsoft/jest-sarif ships).
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
