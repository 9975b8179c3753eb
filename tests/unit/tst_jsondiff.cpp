// The JSON structural diff used by replay, a recorded request taken back for replay, and session files that
// keep HTTP exchanges (for HAR/OTLP exports of a file) with their secrets redacted.
#include "traffic/harexport.h"
#include "traffic/jsondiff.h"
#include "traffic/replay.h"
#include "traffic/tracefile.h"

#include <QTemporaryDir>
#include <QTest>

using namespace mcp;

class TstJsonDiff : public QObject
{
    Q_OBJECT

    static QStringList lines(const QList<JsonChange> &changes)
    {
        const QString text = describeChanges(changes);
        return text.isEmpty() ? QStringList() : text.split(QLatin1Char('\n'));
    }

private Q_SLOTS:
    void diff_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<QStringList>("ignore");
        QTest::addColumn<QStringList>("expected");
        auto row = [](const char *name, const char *before, const char *after, QStringList ignore,
                      QStringList expected) {
            QTest::newRow(name) << QByteArray(before) << QByteArray(after) << ignore << expected;
        };
        row("equal", R"({"a":1,"b":[1,{"c":null}]})", R"({"a":1,"b":[1,{"c":null}]})", {}, {});
        row("member order does not matter", R"({"a":1,"b":2})", R"({"b":2,"a":1})", {}, {});
        row("changed text", R"({"content":[{"type":"text","text":"Echo: hi"}]})",
            R"({"content":[{"type":"text","text":"Echo: bye"}]})", {},
            {R"(changed /content/0/text: "Echo: hi" -> "Echo: bye")"});
        row("added and removed in stable order", R"({"z":1,"a":2,"m":3})", R"({"m":3,"n":4,"b":5})", {},
            {"removed /z: 1", "removed /a: 2", "added /n: 4", "added /b: 5"});
        row("array grows and shrinks", R"([1,2,3])", R"([1,5])", {}, {"changed /1: 2 -> 5", "removed /2: 3"});
        row("array grows", R"([1])", R"([1,[2]])", {}, {"added /1: [2]"});
        row("type change is one change", R"({"a":{"b":1}})", R"({"a":[1]})", {},
            {R"(changed /a: {"b":1} -> [1])"});
        row("whole value", R"(1)", R"("1")", {}, {R"(changed (whole value): 1 -> "1")"});
        row("number kinds compare by value", R"({"a":1})", R"({"a":1.0})", {}, {});
        row("ignore a member name anywhere", R"({"_meta":{"t":1},"x":{"_meta":2,"y":1}})",
            R"({"_meta":{"t":2},"x":{"y":1}})", {"_meta"}, {});
        row("ignore a pointer with a wildcard", R"({"content":[{"ts":1,"v":1},{"ts":2,"v":2}]})",
            R"({"content":[{"ts":3,"v":1},{"ts":4,"v":3}]})", {"/content/*/ts"},
            {"changed /content/1/v: 2 -> 3"});
        row("ignore an added subtree", R"({})", R"({"extra":{"a":1}})", {"/extra"}, {});
        row("escaped pointer segments", R"({"a/b":1,"c~d":1})", R"({"a/b":2,"c~d":2})", {"/c~0d"},
            {"changed /a~1b: 1 -> 2"});
    }
    void diff()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(QStringList, ignore);
        QFETCH(QStringList, expected);
        const QList<JsonChange> changes =
            diffJson(Json::parse(before.toStdString()), Json::parse(after.toStdString()), ignore);
        QCOMPARE(lines(changes), expected);
    }

    void changesCarryValues()
    {
        const auto changes = diffJson(Json{{"a", "x"}}, Json{{"a", "y"}, {"b", true}});
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes[0].kind, JsonChange::Kind::Changed);
        QCOMPARE(changes[0].before, Json("x"));
        QCOMPARE(changes[0].after, Json("y"));
        QCOMPARE(changes[1].kind, JsonChange::Kind::Added);
        QVERIFY(changes[1].before.is_null());
        QCOMPARE(changes[1].after, Json(true));
    }

    void replayRequestFromRecording()
    {
        Recorder r;
        const int c = r.addConnection(QStringLiteral("s"));
        const int call = r.record(
            c, Direction::Sent,
            R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"},"_meta":{"progressToken":3}}})");
        const int progress = r.record(c, Direction::Received,
                                      R"({"jsonrpc":"2.0","method":"notifications/progress","params":{}})");
        const int reply =
            r.record(c, Direction::Received, R"({"jsonrpc":"2.0","id":3,"result":{"content":[]}})");
        const int failing = r.record(c, Direction::Sent, R"({"jsonrpc":"2.0","id":4,"method":"nope"})");
        r.record(c, Direction::Received,
                 R"({"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"no"}})");
        const int serverRequest =
            r.record(c, Direction::Received, R"({"jsonrpc":"2.0","id":1,"method":"roots/list"})");

        QString error;
        for (int index : {call, reply}) {
            const auto request = ReplayRequest::fromRecording(r, index, &error);
            QVERIFY2(request, qPrintable(error));
            QCOMPARE(request->method, QStringLiteral("tools/call"));
            QCOMPARE(request->params, (Json{{"name", "echo"}, {"arguments", {{"message", "hi"}}}}));
            QCOMPARE(request->recorded, (Json{{"content", Json::array()}}));
        }
        const auto failed = ReplayRequest::fromRecording(r, failing, &error);
        QVERIFY(failed);
        QCOMPARE(failed->recorded, (Json{{"error", {{"code", -32601}, {"message", "no"}}}}));
        QVERIFY(!ReplayRequest::fromRecording(r, progress, &error));
        QVERIFY(!ReplayRequest::fromRecording(r, serverRequest, &error));
        QVERIFY(error.contains(QStringLiteral("server")));
    }

    void outcomeOfAnRpcError()
    {
        const Reply reply{
            nullptr, makeError(Error::Category::Rpc, QStringLiteral("nope"), QStringLiteral("no"), -32601)};
        QCOMPARE(outcomeOf(reply), (Json{{"error", {{"code", -32601}, {"message", "no"}}}}));
    }

    void sessionFileKeepsHttpExchangesRedacted()
    {
        Recorder r;
        const int c = r.addConnection(QStringLiteral("remote"));
        const QByteArray frame = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
        r.record(c, Direction::Sent, frame, 1'800'000'000'000'000);
        r.record(c, Direction::Received, R"({"jsonrpc":"2.0","id":1,"result":{"access_token":"tok"}})",
                 1'800'000'000'500'000);
        HttpExchange x;
        x.started = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000);
        x.method = "POST";
        x.url = QUrl(QStringLiteral("http://127.0.0.1:1/mcp"));
        x.requestHeaders = {{"Authorization", "Bearer sk-1"}, {"Mcp-Session-Id", "s-1"}};
        x.requestBody = frame;
        x.status = 200;
        x.reason = "OK";
        x.responseHeaders = {{"Content-Type", "application/json"}};
        x.responseBody = R"({"jsonrpc":"2.0","id":1,"result":{"access_token":"tok"}})";
        r.recordHttp(c, x);

        QTemporaryDir dir;
        for (bool redact : {true, false}) {
            const QString path = dir.filePath(redact ? QStringLiteral("r.jsonl") : QStringLiteral("k.jsonl"));
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(exportTrace(r, ExportOptions{redact}));
            file.close();
            Recorder reopened;
            Error error;
            QVERIFY2(readTrace(path, reopened, &error), qPrintable(error.toString()));
            QCOMPARE(reopened.size(), r.size());
            QCOMPARE(reopened.at(0).bytes, frame); // no secrets: byte-identical
            QCOMPARE(reopened.at(1).bytes.contains("\"tok\""), !redact);
            QCOMPARE(int(reopened.httpExchanges().size()), 1);
            const HttpExchange &y = reopened.httpExchanges().front().exchange;
            QCOMPARE(y.url, x.url);
            QCOMPARE(y.status, 200);
            QCOMPARE(y.requestBody, frame);
            QCOMPARE(y.started, x.started);
            QCOMPARE(y.requestHeaders.value(0).second,
                     redact ? QByteArray("Bearer [redacted]") : QByteArray("Bearer sk-1"));
            // A HAR of the reopened file has the entry (kept secrets stay kept).
            const Json har = Json::parse(exportHar(reopened, ExportOptions{false}).toStdString());
            QCOMPARE(har["log"]["entries"].size(), size_t(1));
            QCOMPARE(har["log"]["entries"][0]["response"]["status"], Json(200));
        }
    }
};

QTEST_GUILESS_MAIN(TstJsonDiff)
#include "tst_jsondiff.moc"
