// Surface snapshots (core/surface): canonical bytes, the reader's refusals of hostile files, and the diff's
// judgement of each kind of change on small hand-made surfaces (the real server-everything: tests/
// integration/tst_surfaceeverything).
#include "surface/surfacediff.h"
#include "surface/surfacesnapshot.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace mcp;
using namespace mcp::surface;
using Kind = SurfaceChange::Kind;

namespace {

// A surface with one tool, one prompt, one template; `edit` changes its definitions before they are taken.
Json demoSurface(const std::function<void(Json &)> &edit = {})
{
    Json definitions = Json::parse(R"({
      "serverInfo": {"name": "demo", "version": "1.0"},
      "tools": [{"name": "search", "description": "Searches.",
                 "inputSchema": {"type": "object", "required": ["query"],
                                 "properties": {"query": {"type": ["string", "null"]},
                                                "limit": {"type": "number"},
                                                "mode": {"type": "string", "enum": ["fast", "full"]}}},
                 "outputSchema": {"type": "object", "required": ["hits"],
                                  "properties": {"hits": {"type": "array", "items": {"type": "string"}},
                                                 "took": {"type": "integer"}}},
                 "annotations": {"readOnlyHint": true}}],
      "prompts": [{"name": "summarize", "arguments": [{"name": "text", "required": true},
                                                      {"name": "style"}]}],
      "resources": [{"uri": "file:///a", "name": "a"}],
      "resourceTemplates": [{"uriTemplate": "file:///{path}", "name": "files"}]
    })");
    if (edit)
        edit(definitions);
    return makeSnapshot(
        QStringLiteral("2025-11-25"),
        Json::parse("{\"tools\": {\"listChanged\": true}, \"resources\": {\"subscribe\": true}}"),
        definitions);
}

Json &tool(Json &definitions)
{
    return definitions["tools"][0];
}

QString describe(const SurfaceDiff &diff)
{
    return diff.toText();
}

} // namespace

// Hostile snapshot files.
constexpr const char *kAnotherFormat = "{\"version\":1}";
constexpr const char *kNewerVersion = "{\"format\":\"mcpwb-surface-snapshot\",\"version\":2}";
constexpr const char *kVersionText = "{\"format\":\"mcpwb-surface-snapshot\",\"version\":\"1\"}";
constexpr const char *kPromptsObject = "{\"format\":\"mcpwb-surface-snapshot\",\"version\":1,\"prompts\":{}}";
constexpr const char *kToolNameNumber =
    "{\"format\":\"mcpwb-surface-snapshot\",\"version\":1,\"tools\":[{\"name\":\"a\"},{\"name\":7}]}";
constexpr const char *kTemplateWithoutUriTemplate =
    "{\"format\":\"mcpwb-surface-snapshot\",\"version\":1,\"resourceTemplates\":[{\"uri\":\"x\"}]}";
constexpr const char *kCapabilitiesArray =
    "{\"format\":\"mcpwb-surface-snapshot\",\"version\":1,\"capabilities\":[]}";
constexpr const char *kHugeVersion = "{\"format\":\"mcpwb-surface-snapshot\",\"version\":1e999999}";
constexpr const char *kToolsNumber = "{\"format\":\"mcpwb-surface-snapshot\",\"version\":1,\"tools\":3}";

class TstSurfaceDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void snapshotIsCanonical()
    {
        // The same surface listed in another order, keys in another order: the same bytes.
        const Json a = demoSurface();
        const Json b = demoSurface([](Json &d) {
            d["tools"].push_back({{"name", "alpha"}, {"inputSchema", {{"type", "object"}}}});
            std::swap(d["tools"][0], d["tools"][1]);
        });
        const Json c = demoSurface([](Json &d) {
            d["tools"].insert(d["tools"].begin(),
                              Json{{"inputSchema", {{"type", "object"}}}, {"name", "alpha"}});
        });
        QCOMPARE(snapshotBytes(b), snapshotBytes(c));
        QCOMPARE(stringOr(b["tools"][0], "name"), QStringLiteral("alpha"));
        QVERIFY(snapshotBytes(a).startsWith("{\n  \"capabilities\": {"));
        QCOMPARE(valueOr(a, "format", std::string()), std::string(kSnapshotFormat));
        QCOMPARE(valueOr(a, "version", 0), kSnapshotVersion);

        QString error;
        const Json reread = parseSnapshot(snapshotBytes(a), &error);
        QVERIFY2(!reread.is_discarded(), qPrintable(error));
        QCOMPARE(snapshotBytes(reread), snapshotBytes(a));
        QVERIFY(diffSurfaces(a, reread).isEmpty());
        QCOMPARE(diffSurfaces(a, a).summaryLine(), QStringLiteral("no changes"));
    }

    void hostileFilesAreRefusedWithReasons_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not JSON") << QByteArray("{\"format\":") << "not JSON";
        QTest::newRow("too deep") << QByteArray(100000, '[') << "deeper than the limit";
        QTest::newRow("too large") << QByteArray(kMaxSnapshotBytes + 1, ' ') << "exceeds the limit";
        QTest::newRow("not an object") << QByteArray("[]") << "not a JSON object";
        QTest::newRow("another format") << QByteArray(kAnotherFormat) << "not a surface snapshot";
        QTest::newRow("newer version")
            << QByteArray(kNewerVersion) << "version 2 is not one this mcpwb reads (it reads 1)";
        QTest::newRow("version not integer") << QByteArray(kVersionText) << "no integer \"version\"";
        QTest::newRow("list not array") << QByteArray(kPromptsObject) << "\"prompts\" is not an array";
        QTest::newRow("item without identity")
            << QByteArray(kToolNameNumber) << "tools[1]: not an object with a string \"name\"";
        QTest::newRow("template without uriTemplate")
            << QByteArray(kTemplateWithoutUriTemplate)
            << "resourceTemplates[0]: not an object with a string \"uriTemplate\"";
        QTest::newRow("capabilities not object")
            << QByteArray(kCapabilitiesArray) << "\"capabilities\" is not an object";
        QTest::newRow("huge number") << QByteArray(kHugeVersion) << "malformed JSON";
    }

    void hostileFilesAreRefusedWithReasons()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        QString error;
        QVERIFY(parseSnapshot(bytes, &error).is_discarded());
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void loadNamesTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.json"));
        QString error;
        QVERIFY(loadSnapshot(path, &error).is_discarded());
        QVERIFY2(error.startsWith(path) && error.contains(QStringLiteral("No such file")), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kToolsNumber);
        file.close();
        QVERIFY(loadSnapshot(path, &error).is_discarded());
        QCOMPARE(error, path + QStringLiteral(": \"tools\" is not an array"));
        QVERIFY2(saveSnapshot(path, demoSurface(), &error), qPrintable(error));
        QCOMPARE(snapshotBytes(loadSnapshot(path, &error)), snapshotBytes(demoSurface()));
    }

    // Each change, made to the later surface, is judged as a client of the earlier one would feel it.
    void eachKindOfChangeIsJudged_data()
    {
        QTest::addColumn<Json>("after");
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("breaking");
        QTest::addColumn<QString>("summary");
        auto row = [](const char *name, const std::function<void(Json &)> &edit, Kind kind, bool breaking,
                      const char *summary) {
            QTest::newRow(name) << demoSurface(edit) << int(kind) << breaking << QString::fromUtf8(summary);
        };
        row(
            "tool removed", [](Json &d) { d["tools"] = Json::array(); }, Kind::Removed, true, "tool removed");
        row(
            "prompt removed", [](Json &d) { d["prompts"] = Json::array(); }, Kind::Removed, true,
            "prompt removed");
        row(
            "template removed", [](Json &d) { d["resourceTemplates"] = Json::array(); }, Kind::Removed, true,
            "resourceTemplate removed");
        row(
            "resource removed: data comes and goes", [](Json &d) { d["resources"] = Json::array(); },
            Kind::Removed, false, "resource removed");
        row(
            "tool added",
            [](Json &d) {
                d["tools"].push_back({{"name", "new"}});
            },
            Kind::Added, false, "tool added");
        row(
            "new required parameter",
            [](Json &d) {
                tool(d)["inputSchema"]["properties"]["scope"] = {{"type", "string"}};
                tool(d)["inputSchema"]["required"].push_back("scope");
            },
            Kind::RequiredAdded, true, "new required parameter \"scope\"");
        row(
            "parameter now required", [](Json &d) { tool(d)["inputSchema"]["required"].push_back("limit"); },
            Kind::RequiredAdded, true, "parameter \"limit\" now required");
        row(
            "parameter no longer required",
            [](Json &d) { tool(d)["inputSchema"]["required"] = Json::array(); }, Kind::RequiredRemoved, false,
            "parameter \"query\" no longer required");
        row(
            "optional parameter added",
            [](Json &d) {
                tool(d)["inputSchema"]["properties"]["page"] = {{"type", "integer"}};
            },
            Kind::PropertyAdded, false, "optional parameter \"page\" added");
        row(
            "property removed", [](Json &d) { tool(d)["inputSchema"]["properties"].erase("limit"); },
            Kind::PropertyRemoved, true, "parameter \"limit\" removed");
        row(
            "nullable dropped",
            [](Json &d) { tool(d)["inputSchema"]["properties"]["query"]["type"] = "string"; },
            Kind::TypeNarrowed, true, "type narrowed");
        row(
            "number to integer",
            [](Json &d) { tool(d)["inputSchema"]["properties"]["limit"]["type"] = "integer"; },
            Kind::TypeNarrowed, true, "type narrowed");
        row(
            "integer to number in output: widened for readers",
            [](Json &d) { tool(d)["outputSchema"]["properties"]["took"]["type"] = "number"; },
            Kind::TypeWidened, true, "type widened");
        row(
            "input widened",
            [](Json &d) {
                tool(d)["inputSchema"]["properties"]["limit"]["type"] = Json{"number", "string"};
            },
            Kind::TypeWidened, false, "type widened");
        row(
            "string to number",
            [](Json &d) { tool(d)["inputSchema"]["properties"]["mode"]["type"] = "number"; },
            Kind::TypeChanged, true, "type changed");
        row(
            "enum lost a value",
            [](Json &d) { tool(d)["inputSchema"]["properties"]["mode"]["enum"] = Json{"fast"}; },
            Kind::EnumNarrowed, true, "enum values removed: \"full\"");
        row(
            "enum gained a value",
            [](Json &d) { tool(d)["inputSchema"]["properties"]["mode"]["enum"].push_back("deep"); },
            Kind::EnumWidened, false, "enum values added: \"deep\"");
        row(
            "required output field removed",
            [](Json &d) {
                tool(d)["outputSchema"]["properties"].erase("hits");
                tool(d)["outputSchema"]["required"] = Json::array();
            },
            Kind::RequiredRemoved, true, "required output field \"hits\" removed");
        row(
            "output field no longer required",
            [](Json &d) { tool(d)["outputSchema"]["required"] = Json::array(); }, Kind::RequiredRemoved, true,
            "output field \"hits\" no longer required");
        row(
            "output schema removed", [](Json &d) { tool(d).erase("outputSchema"); }, Kind::PropertyRemoved,
            true, "output schema removed");
        row(
            "readOnlyHint true to false", [](Json &d) { tool(d)["annotations"]["readOnlyHint"] = false; },
            Kind::AnnotationChanged, true, "annotation readOnlyHint changed");
        row(
            "readOnlyHint gone", [](Json &d) { tool(d)["annotations"].erase("readOnlyHint"); },
            Kind::AnnotationChanged, true, "annotation readOnlyHint removed");
        row(
            "destructiveHint appears", [](Json &d) { tool(d)["annotations"]["destructiveHint"] = true; },
            Kind::AnnotationChanged, true, "annotation destructiveHint added");
        row(
            "idempotentHint appears: safer", [](Json &d) { tool(d)["annotations"]["idempotentHint"] = true; },
            Kind::AnnotationChanged, false, "annotation idempotentHint added");
        row(
            "description changed", [](Json &d) { tool(d)["description"] = "Searches everything."; },
            Kind::TextChanged, false, "description changed");
        row(
            "parameter description",
            [](Json &d) { tool(d)["inputSchema"]["properties"]["limit"]["description"] = "Most hits."; },
            Kind::TextChanged, false, "description added");
        row(
            "bound changed: listed, not judged",
            [](Json &d) { tool(d)["inputSchema"]["properties"]["limit"]["maximum"] = 10; }, Kind::Changed,
            false, "maximum added");
        row(
            "prompt argument removed", [](Json &d) { d["prompts"][0]["arguments"].erase(1); },
            Kind::PropertyRemoved, true, "argument \"style\" removed");
        row(
            "prompt argument now required",
            [](Json &d) { d["prompts"][0]["arguments"][1]["required"] = true; }, Kind::RequiredAdded, true,
            "argument \"style\" now required");
        row(
            "prompt required argument added",
            [](Json &d) {
                d["prompts"][0]["arguments"].push_back({{"name", "lang"}, {"required", true}});
            },
            Kind::RequiredAdded, true, "new required argument \"lang\" added");
        row(
            "instructions", [](Json &d) { d["instructions"] = "Be brief."; }, Kind::TextChanged, false,
            "instructions changed");
        row(
            "server version", [](Json &d) { d["serverInfo"]["version"] = "1.1"; }, Kind::Changed, false,
            "serverInfo changed");
    }

    void eachKindOfChangeIsJudged()
    {
        QFETCH(Json, after);
        QFETCH(int, kind);
        QFETCH(bool, breaking);
        QFETCH(QString, summary);
        const SurfaceDiff diff = diffSurfaces(demoSurface(), after);
        QVERIFY2(diff.changes.size() == 1, qPrintable(describe(diff)));
        const SurfaceChange &c = diff.changes.first();
        QCOMPARE(SurfaceChange::kindName(c.kind), SurfaceChange::kindName(Kind(kind)));
        QCOMPARE(c.breaking, breaking);
        QCOMPARE(c.summary, summary);
        QCOMPARE(diff.breakingCount(), breaking ? 1 : 0);
    }

    void capabilitiesAndProtocolVersion()
    {
        Json after = demoSurface();
        after["capabilities"].erase("resources");
        after["capabilities"]["tools"]["listChanged"] = false;
        after["capabilities"]["logging"] = Json::object();
        after["protocolVersion"] = "2025-06-18";
        const SurfaceDiff diff = diffSurfaces(demoSurface(), after);
        QCOMPARE(diff.breakingCount(), 3);
        QStringList kinds;
        for (const SurfaceChange &c : diff.changes)
            kinds << SurfaceChange::kindName(c.kind) + (c.breaking ? QStringLiteral("!") : QString());
        QCOMPARE(kinds, (QStringList{"protocol-version-changed!", "capability-removed!",
                                     "capability-changed!", "capability-added"}));
        QCOMPARE(diff.changes[1].path, QStringLiteral("/resources"));
        // A newer version is not a break.
        const SurfaceDiff back = diffSurfaces(after, demoSurface());
        const auto version =
            std::find_if(back.changes.cbegin(), back.changes.cend(),
                         [](const SurfaceChange &c) { return c.kind == Kind::ProtocolVersionChanged; });
        QVERIFY(version != back.changes.cend());
        QVERIFY(!version->breaking);
        QCOMPARE(version->summary, QStringLiteral("protocol version moved on"));
    }

    void breakingFirstAndServerTextMadeVisible()
    {
        const Json after = demoSurface([](Json &d) {
            tool(d)["description"] = "Searches.\u202Eevil"; // a right-to-left override hidden in the text
            d["tools"].push_back({{"name", "zz\u200Bhidden"}});
            d["prompts"] = Json::array();
        });
        const SurfaceDiff diff = diffSurfaces(demoSurface(), after);
        QCOMPARE(diff.changes.size(), 3);
        QVERIFY(diff.changes.first().breaking);
        QCOMPARE(diff.summaryLine(), QStringLiteral("1 breaking change, 2 compatible changes"));
        const QString text = diff.toText();
        QVERIFY2(text.contains(QStringLiteral("[U+202E RIGHT-TO-LEFT OVERRIDE]")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("zz[U+200B ZERO WIDTH SPACE]hidden")), qPrintable(text));
        QVERIFY(!text.contains(QChar(0x202E)));
        const Json json = diff.toJson();
        QCOMPARE(json["breaking"], 1);
        QCOMPARE(json["compatible"], 2);
        QCOMPARE(json["changes"][0]["kind"], "removed");
        QCOMPARE(json["changes"][0]["itemKind"], "prompt");
    }

    void duplicatesArePairedInOrder()
    {
        const Json twice = demoSurface([](Json &d) { d["tools"].push_back(d["tools"][0]); });
        QVERIFY(diffSurfaces(twice, twice).isEmpty());
        const SurfaceDiff diff = diffSurfaces(twice, demoSurface());
        QCOMPARE(diff.changes.size(), 1);
        QCOMPARE(diff.changes.first().kind, Kind::Removed);
    }
};

QTEST_GUILESS_MAIN(TstSurfaceDiff)
#include "tst_surfacediff.moc"
