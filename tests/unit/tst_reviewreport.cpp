// Review reports: what a hostile server wrote stays text in Markdown and HTML (no markup, no script, no way
// out of the evidence block), and SARIF carries rules, fingerprints, categories and suppressions.
#include "review/report.h"

#include <QTest>

using namespace mcp;
using namespace mcp::review;

namespace {

Report hostileReport()
{
    Finding f{QStringLiteral("instructions.pseudo-tag"),
              Category::ToolPoisoning,
              Severity::High,
              QStringLiteral("Text aimed at the model in tool <img src=x onerror=alert(1)>"),
              visibleText(QStringLiteral("```\n# injected heading\n<script>alert(1)</script>\u202E")),
              QStringLiteral("Read it."),
              {QStringLiteral("evil_[server](http://x)"), QStringLiteral("tool"), QStringLiteral("t"),
               QStringLiteral("description"), QStringLiteral("/tools/0/description")}};
    Report r{{f.location.server}, {f}, {}};
    return r;
}

} // namespace

class TstReviewReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void htmlEscapesEverything()
    {
        const QByteArray html = renderHtml(hostileReport());
        QVERIFY(!html.contains("<script>"));
        QVERIFY(!html.contains("<img"));
        QVERIFY(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;[U+202E RIGHT-TO-LEFT OVERRIDE]"));
        QVERIFY(html.contains("default-src 'none'"));
    }

    void markdownKeepsEvidenceInItsBlock()
    {
        const QString md = QString::fromUtf8(renderMarkdown(hostileReport()));
        // The evidence (written on one line, newlines as \n) sits in a fence the evidence cannot close.
        QVERIFY2(md.contains(QStringLiteral("````text\n```\\n# injected heading\\n<script>")),
                 qPrintable(md));
        QVERIFY(md.contains(QStringLiteral("evil\\_\\[server\\](http://x)")));
        QVERIFY(md.contains(QStringLiteral("\\<img src=x onerror=alert(1)\\>")));
    }

    void sarifCarriesCategoryFingerprintAndSuppression()
    {
        Report r = hostileReport();
        const QString fp = r.findings[0].fingerprint();
        r.accepted.accept(fp, QStringLiteral("known test server"));
        const Json log = Json::parse(renderSarif(r).toStdString());
        QCOMPARE(log["version"], "2.1.0");
        const Json &run = log["runs"][0];
        QCOMPARE(run["tool"]["driver"]["rules"][0]["id"], "instructions.pseudo-tag");
        QCOMPARE(run["tool"]["driver"]["rules"][0]["properties"]["tags"][1], "MCP03");
        const Json &result = run["results"][0];
        QCOMPARE(result["level"], "error");
        QCOMPARE(result["ruleIndex"], 0);
        QCOMPARE(result["partialFingerprints"]["mcpwbFinding/v1"], toStd(fp));
        QCOMPARE(result["suppressions"][0]["justification"], "known test server");
        QCOMPARE(result["properties"]["jsonPointer"], "/tools/0/description");
        QCOMPARE(result["locations"][0]["logicalLocations"][0]["kind"], "function");
    }

    void formatsByName()
    {
        QCOMPARE(reportFormatFromString(QStringLiteral("md")), ReportFormat::Markdown);
        QCOMPARE(reportFormatFromString(QStringLiteral("sarif")), ReportFormat::Sarif);
        QVERIFY(!reportFormatFromString(QStringLiteral("pdf")));
    }
};

QTEST_GUILESS_MAIN(TstReviewReport)
#include "tst_reviewreport.moc"
