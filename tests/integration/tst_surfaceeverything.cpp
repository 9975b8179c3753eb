// core/surface against the real server-everything 2026.8.31 (pinned Node): its surface taken twice over stdio
// and once over streamable HTTP shows no change, and each kind of breaking change, made in a saved copy of
// it, is found against the live server, with nothing else called breaking.
#include "session/clientsession.h"
#include "surface/surfacediff.h"
#include "surface/surfacesnapshot.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "transport/transportfactory.h"

#include <QDeadlineTimer>
#include <QTest>
#include <optional>

using namespace mcp;
using namespace mcp::surface;
using Kind = SurfaceChange::Kind;

namespace {

// The server's snapshot over this transport, or null with *problem.
Json snapshotOf(const TransportConfig &config, QString *problem)
{
    Recorder recorder;
    Error error;
    auto transport = TransportFactory::create(config, &error);
    if (!transport) {
        *problem = error.toString();
        return nullptr;
    }
    SessionOptions options;
    options.requestTimeoutMs = 20000;
    ClientSession session(transport.release(), &recorder, options);
    std::optional<Json> snapshot;
    QObject::connect(&session, &ClientSession::ready, &session, [&] {
        takeSnapshot(&session, [&](const Json &s, const Error &e) {
            snapshot = e ? Json() : s;
            *problem = e.toString();
        });
    });
    QObject::connect(&session, &ClientSession::failed, &session, [&](const Error &e) {
        snapshot = Json();
        *problem = e.toString();
    });
    session.start();
    const QDeadlineTimer deadline(30000);
    while (!snapshot && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    session.close();
    if (!snapshot && problem->isEmpty())
        *problem = QStringLiteral("no snapshot within 30 s");
    return snapshot.value_or(Json());
}

TransportConfig everythingOverStdio()
{
    TransportConfig config;
    config.kind = TransportConfig::Kind::Stdio;
    config.stdio = StdioOptions::fromCommandLine(testsupport::everythingStdioCommand());
    return config;
}

Json &named(Json &snapshot, const char *list, const char *name)
{
    for (Json &item : snapshot[list])
        if (valueOr(item, "name", std::string()) == name)
            return item;
    qFatal("server-everything lists no %s %s", list, name);
}

Json &schemaProperty(Json &snapshot, const char *tool, const char *schema, const char *name)
{
    return named(snapshot, "tools", tool)[schema]["properties"][name];
}

using Edit = std::function<void(Json &)>;

} // namespace

class TstSurfaceEverything : public QObject
{
    Q_OBJECT

    Json m_saved; // taken once, as a user's saved snapshot
    Json m_live;  // taken again, from a new session

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QString problem;
        m_saved = snapshotOf(everythingOverStdio(), &problem);
        QVERIFY2(m_saved.is_object(), qPrintable(problem));
        m_live = snapshotOf(everythingOverStdio(), &problem);
        QVERIFY2(m_live.is_object(), qPrintable(problem));
        QVERIFY(m_saved["tools"].size() >= 10);
        QCOMPARE(stringOr(m_saved["serverInfo"], "name"), QStringLiteral("mcp-servers/everything"));
    }

    void aFreshSnapshotOfTheSameServerShowsNoChange()
    {
        const SurfaceDiff diff = diffSurfaces(m_saved, m_live);
        QVERIFY2(diff.isEmpty(), qPrintable(diff.toText()));
        QCOMPARE(snapshotBytes(m_saved), snapshotBytes(m_live)); // canonical: the same surface, the same file
    }

    void theSameServerOverHttpShowsNoChange()
    {
        testsupport::PeerProcess http;
        quint16 port = 0;
        QVERIFY(http.startEverything(QStringLiteral("streamableHttp"), &port));
        TransportConfig config;
        config.kind = TransportConfig::Kind::Http;
        config.http.url = QUrl(QStringLiteral("http://127.0.0.1:%1/mcp").arg(port));
        QString problem;
        const Json overHttp = snapshotOf(config, &problem);
        QVERIFY2(overHttp.is_object(), qPrintable(problem));
        const SurfaceDiff diff = diffSurfaces(m_saved, overHttp);
        QVERIFY2(diff.breakingCount() == 0, qPrintable(diff.toText()));
    }

    // Each edit makes the saved snapshot what the server was before a breaking release; the live server is
    // the release.
    void eachBreakingChangeAgainstTheLiveServer_data()
    {
        QTest::addColumn<Json>("before");
        QTest::addColumn<Json>("after");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("item");
        QTest::addColumn<QString>("summary");
        auto row = [this](const char *name, bool editBefore, const Edit &edit, Kind kind, const char *item,
                          const char *summary) {
            Json before = m_saved;
            Json after = m_live;
            edit(editBefore ? before : after);
            QTest::newRow(name) << before << after << int(kind) << QString::fromUtf8(item)
                                << QString::fromUtf8(summary);
        };
        row(
            "tool removed", true,
            [](Json &s) {
                s["tools"].push_back({{"name", "retired-tool"}, {"inputSchema", {{"type", "object"}}}});
            },
            Kind::Removed, "retired-tool", "tool removed");
        row(
            "prompt removed", true,
            [](Json &s) {
                s["prompts"].push_back({{"name", "retired-prompt"}});
            },
            Kind::Removed, "retired-prompt", "prompt removed");
        row(
            "resource template removed", true,
            [](Json &s) {
                s["resourceTemplates"].push_back(
                    {{"uriTemplate", "demo://retired/{id}"}, {"name", "retired"}});
            },
            Kind::Removed, "demo://retired/{id}", "resourceTemplate removed");
        row(
            "new required parameter", true,
            [](Json &s) {
                Json &schema = named(s, "tools", "get-sum")["inputSchema"];
                schema["properties"].erase("b");
                schema["required"] = Json{"a"};
            },
            Kind::RequiredAdded, "get-sum", "new required parameter \"b\"");
        row(
            "property removed", true,
            [](Json &s) {
                schemaProperty(s, "get-resource-links", "inputSchema", "offset") = {{"type", "number"}};
            },
            Kind::PropertyRemoved, "get-resource-links", "parameter \"offset\" removed");
        row(
            "nullable type narrowed", true,
            [](Json &s) {
                schemaProperty(s, "echo", "inputSchema", "message")["type"] = Json{"string", "null"};
            },
            Kind::TypeNarrowed, "echo", "type narrowed");
        row(
            "number narrowed to integer", false,
            [](Json &s) { schemaProperty(s, "get-sum", "inputSchema", "a")["type"] = "integer"; },
            Kind::TypeNarrowed, "get-sum", "type narrowed");
        row(
            "enum lost a value", true,
            [](Json &s) {
                schemaProperty(s, "get-structured-content", "inputSchema", "location")["enum"].push_back(
                    "Boston");
            },
            Kind::EnumNarrowed, "get-structured-content", "enum values removed: \"Boston\"");
        row(
            "required output field removed", true,
            [](Json &s) {
                Json &schema = named(s, "tools", "get-structured-content")["outputSchema"];
                schema["properties"]["humidityUnit"] = {{"type", "string"}};
                schema["required"].push_back("humidityUnit");
            },
            Kind::RequiredRemoved, "get-structured-content",
            "required output field \"humidityUnit\" removed");
        row(
            "capability dropped", true,
            [](Json &s) {
                s["capabilities"]["experimental"] = {{"batch", Json::object()}};
            },
            Kind::CapabilityRemoved, "", "capability experimental dropped");
        row(
            "readOnlyHint true to false", true,
            [](Json &s) { named(s, "tools", "gzip-file-as-resource")["annotations"]["readOnlyHint"] = true; },
            Kind::AnnotationChanged, "gzip-file-as-resource", "annotation readOnlyHint changed");
        row(
            "destructiveHint appears", false,
            [](Json &s) {
                named(s, "tools", "toggle-simulated-logging")["annotations"]["destructiveHint"] = true;
            },
            Kind::AnnotationChanged, "toggle-simulated-logging", "annotation destructiveHint changed");
    }

    void eachBreakingChangeAgainstTheLiveServer()
    {
        QFETCH(Json, before);
        QFETCH(Json, after);
        QFETCH(int, kind);
        QFETCH(QString, item);
        QFETCH(QString, summary);
        const SurfaceDiff diff = diffSurfaces(before, after);
        QVERIFY2(diff.breakingCount() == 1, qPrintable(diff.toText()));
        const SurfaceChange &c = diff.changes.first(); // breaking first
        QCOMPARE(SurfaceChange::kindName(c.kind), SurfaceChange::kindName(Kind(kind)));
        QCOMPARE(c.item, item);
        QCOMPARE(c.summary, summary);
    }

    void compatibleChangesAreListedNotBreaking()
    {
        Json before = m_saved;
        named(before, "tools", "get-env")["description"] = "Lists the environment.";
        before["tools"].erase(0); // the live server has one more tool (echo, sorted first)
        schemaProperty(before, "get-sum", "inputSchema", "a")["type"] = "integer"; // widened since
        const SurfaceDiff diff = diffSurfaces(before, m_live);
        QCOMPARE(diff.breakingCount(), 0);
        QStringList kinds;
        for (const SurfaceChange &c : diff.changes)
            kinds << SurfaceChange::kindName(c.kind);
        kinds.sort();
        QCOMPARE(kinds, (QStringList{"added", "text-changed", "type-widened"}));
    }
};

QTEST_GUILESS_MAIN(TstSurfaceEverything)
#include "tst_surfaceeverything.moc"
