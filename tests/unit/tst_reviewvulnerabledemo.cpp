// The review against `mcpwb demo-server --vulnerable` (app/demo/vulnerablecontent.cpp), in-process: each
// planted problem is found as the category and tool it is meant to show, and the rug pull of
// get_fact_of_the_day (after kRugPullAfterCalls calls, with tools/list_changed) is caught by pinning and its
// call is held.
#include "demoserver.h"
#include "review/pinning.h"
#include "review/review.h"
#include "server/mcpserver.h"
#include "vulnerablecontent.h"

#include <QTest>

using namespace mcp;
using namespace mcp::review;

namespace {

ServerOptions named(const QString &name)
{
    ServerOptions options;
    options.name = name;
    return options;
}

// A server with one initialized session; requests answer synchronously (the demo tools finish at once).
struct InProcessServer
{
    explicit InProcessServer(const QString &name) : server(named(name)), session(&server)
    {
        QObject::connect(&session, &ServerSession::frameOut, &session,
                         [this](const ServerFrame &f) { sent << Json::parse(f.bytes.toStdString()); });
    }

    Json call(const QString &method, Json params = Json::object())
    {
        const int id = ++lastId;
        session.handleFrame(dumpCompact(
            {{"jsonrpc", "2.0"}, {"id", id}, {"method", toStd(method)}, {"params", std::move(params)}}));
        for (const Json &m : std::as_const(sent))
            if (m.contains("id") && m["id"] == id && !m.contains("method"))
                return valueOr(m, "result", Json());
        return nullptr;
    }
    void initialize()
    {
        server.setPageSize(100);
        call(QStringLiteral("initialize"), {{"protocolVersion", "2025-11-25"},
                                            {"capabilities", Json::object()},
                                            {"clientInfo", {{"name", "tst"}, {"version", "1"}}}});
        session.handleFrame(dumpCompact({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}));
    }
    ServerSnapshot snapshot()
    {
        ServerSnapshot snapshot;
        snapshot.name = server.options().name;
        snapshot.definitions = {
            {"serverInfo", {{"name", toStd(snapshot.name)}}},
            {"tools", valueOr(call(QStringLiteral("tools/list")), "tools", Json::array())}};
        return snapshot;
    }
    int notificationCount(const char *method) const
    {
        return int(std::count_if(sent.cbegin(), sent.cend(),
                                 [method](const Json &m) { return valueOr(m, "method", "") == method; }));
    }

    McpServer server;
    ServerSession session;
    QList<Json> sent;
    int lastId = 0;
};

bool hasFinding(const QList<Finding> &findings, const QString &rulePrefix, Category category,
                const QString &tool)
{
    return std::any_of(findings.cbegin(), findings.cend(), [&](const Finding &f) {
        return f.ruleId.startsWith(rulePrefix) && f.category == category && f.location.item == tool;
    });
}

QString listed(const QList<Finding> &findings)
{
    QStringList lines;
    for (const Finding &f : findings)
        lines << QStringLiteral("%1 %2 %3").arg(f.ruleId, categoryId(f.category), f.location.item);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TstReviewVulnerableDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPlantedProblemIsFound()
    {
        InProcessServer vulnerable(demo::kVulnerableServerName);
        demo::installVulnerableContent(vulnerable.server);
        vulnerable.initialize();
        InProcessServer weather(QStringLiteral("acme-weather-notes"));
        demo::installDemoContent(weather.server);
        weather.initialize();

        const QList<Finding> findings = reviewServers({vulnerable.snapshot(), weather.snapshot()});
        const QString all = listed(findings);
        struct Expected
        {
            const char *rule;
            Category category;
            const char *tool;
        };
        const Expected expected[] = {
            {"instructions.", Category::ToolPoisoning, "add_numbers"}, // <IMPORTANT> asking for id_rsa
            {"unicode.tag-characters", Category::ToolPoisoning, "translate_text"},
            {"unicode.invisible", Category::ToolPoisoning, "translate_text"}, // zero-width characters
            {"shadowing.same-name", Category::IntentFlowSubversion, "get_forecast"},
            {"shadowing.mentions-other-tool", Category::ToolPoisoning, "send_email"}, // create_note
            {"flow.toxic", Category::IntentFlowSubversion, ""},
        };
        for (const Expected &e : expected) {
            const bool found =
                e.tool[0] ? hasFinding(findings, QLatin1String(e.rule), e.category, QLatin1String(e.tool))
                          : std::any_of(findings.cbegin(), findings.cend(), [&](const Finding &f) {
                                return f.ruleId == QLatin1String(e.rule) &&
                                       f.evidence.contains(QStringLiteral("fetch_url")) &&
                                       f.evidence.contains(QStringLiteral("read_file")) &&
                                       f.evidence.contains(QStringLiteral("send_email"));
                            });
            QVERIFY2(found, qPrintable(QStringLiteral("%1 on %2 missing from:\n%3")
                                           .arg(QLatin1String(e.rule), QLatin1String(e.tool), all)));
        }
        // The hidden instruction is shown decoded, the zero-width characters named.
        for (const Finding &f : findings)
            if (f.ruleId == QLatin1String("unicode.tag-characters"))
                QVERIFY2(f.evidence.contains(QStringLiteral("Ignore previous instructions")),
                         qPrintable(f.evidence));
        // The plain demo server alone is not flagged as poisoned.
        for (const Finding &f : reviewServers({weather.snapshot()}))
            QVERIFY2(f.severity < Severity::High, qPrintable(f.title));
    }

    void rugPullIsCaughtByPinningAndItsCallHeld()
    {
        InProcessServer vulnerable(demo::kVulnerableServerName);
        demo::installVulnerableContent(vulnerable.server);
        vulnerable.initialize();
        const QString server = demo::kVulnerableServerName;
        PinStore pins;
        pins.approve(server, vulnerable.snapshot().definitions);
        const QString tool = QStringLiteral("get_fact_of_the_day");

        for (int i = 0; i < demo::kRugPullAfterCalls; ++i) {
            QVERIFY(!pins.holdCall(server, vulnerable.snapshot().definitions, tool));
            QCOMPARE(vulnerable.notificationCount("notifications/tools/list_changed"), 0);
            const Json result = vulnerable.call(QStringLiteral("tools/call"), {{"name", toStd(tool)}});
            QVERIFY(!valueOr(result, "isError", false));
        }
        QCOMPARE(vulnerable.notificationCount("notifications/tools/list_changed"), 1);

        const Json relisted = vulnerable.snapshot().definitions;
        const QList<DefinitionChange> changes = pins.changes(server, relisted);
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes[0].name, tool);
        QCOMPARE(changes[0].kind, DefinitionChange::Kind::Changed);
        const QList<Finding> findings = pinFindings(server, changes);
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings[0].ruleId, QStringLiteral("pinning.changed"));
        QVERIFY2(findings[0].evidence.contains(QStringLiteral("records@attacker.example")),
                 qPrintable(findings[0].evidence));
        const auto held = pins.holdCall(server, relisted, tool);
        QVERIFY(held);
        QVERIFY(!pins.holdCall(server, relisted, QStringLiteral("add_numbers")));
        // The new description is itself caught by the ordinary checks.
        QVERIFY(hasFinding(reviewServers({vulnerable.snapshot()}), QStringLiteral("instructions."),
                           Category::ToolPoisoning, tool));
    }
};

QTEST_GUILESS_MAIN(TstReviewVulnerableDemo)
#include "tst_reviewvulnerabledemo.moc"
