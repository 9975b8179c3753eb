// Core traffic tools without widgets: the filter language, redaction, and the HAR and OTLP exporters,
// over a recording built in the test (no server needed).
#include "traffic/exporter.h"
#include "traffic/harexport.h"
#include "traffic/otlpexport.h"
#include "traffic/tracefile.h"
#include "traffic/trafficfilter.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace mcp;

class TstTraffic : public QObject
{
    Q_OBJECT

private:
    // Two connections; frames 0..7 with known times (µs), pairs and one error.
    static void fill(Recorder &r)
    {
        const int a = r.addConnection(QStringLiteral("everything"));
        const int b = r.addConnection(QStringLiteral("demo"));
        const qint64 t = 1'800'000'000'000'000;
        r.record(a, Direction::Sent, R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})", t);
        r.record(a, Direction::Received,
                 R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25"}})", t + 2'000);
        r.record(a, Direction::Sent, R"({"jsonrpc":"2.0","method":"notifications/initialized"})", t + 3'000);
        r.record(
            a, Direction::Sent,
            R"({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{"message":"Hello"}}})",
            t + 10'000);
        r.record(a, Direction::Received, R"({"jsonrpc":"2.0","id":5,"result":{"content":[]}})", t + 710'000);
        r.record(b, Direction::Sent,
                 R"({"jsonrpc":"2.0","id":"x","method":"tools/call","params":{"name":"nope"}})", t + 800'000);
        r.record(b, Direction::Received,
                 R"({"jsonrpc":"2.0","id":"x","error":{"code":-32602,"message":"Unknown tool"}})",
                 t + 801'000);
        r.record(b, Direction::Sent, R"({"jsonrpc":"2.0","id":9,"method":"ping"})", t + 900'000);
    }

    static QList<int> matching(const Recorder &r, const TrafficFilter &filter)
    {
        QList<int> out;
        for (qsizetype i = 0; i < r.size(); ++i) {
            if (filter.matches(r, r.at(i)))
                out << int(i);
        }
        return out;
    }

    static HttpExchange postExchange()
    {
        HttpExchange x;
        x.started = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000, QTimeZone::utc());
        x.method = "POST";
        x.url = QUrl(QStringLiteral("http://127.0.0.1:3001/mcp?access_token=abc&x=1"));
        x.requestHeaders = {{"Content-Type", "application/json"},
                            {"Authorization", "Bearer sekrit"},
                            {"Cookie", "sid=zzz; theme=dark"}};
        x.requestBody = R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})";
        x.status = 200;
        x.reason = "OK";
        x.responseHeaders = {{"Content-Type", "text/event-stream"}, {"Mcp-Session-Id", "session-123"}};
        x.responseBody =
            "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"access_token\":\"tok\"}}\n\n";
        return x;
    }

private Q_SLOTS:
    // Session files and exports hold tokens and whatever servers said: owner-only, whether the file is new or
    // was there before with wider permissions (both were 0644 under the usual umask).
    void trafficFilesAreOwnerOnly()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Recorder recorder;
        recorder.record(recorder.addConnection(QStringLiteral("c")), Direction::Sent,
                        R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
        const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                QFileDevice::ReadOther | QFileDevice::WriteOther;
        const QString existing = dir.filePath(QStringLiteral("existing.jsonl"));
        QFile before(existing);
        QVERIFY(before.open(QIODevice::WriteOnly));
        before.close();
        QVERIFY(QFile::setPermissions(existing, QFile::permissions(existing) | QFileDevice::ReadOther));
        for (const QString &path : {dir.filePath(QStringLiteral("new.jsonl")), existing}) {
            TraceWriter trace(&recorder);
            Error error;
            QVERIFY2(trace.open(path, &error), qPrintable(error.toString()));
            trace.close();
            QVERIFY2(!(QFile::permissions(path) & others), qPrintable(path));
        }
        for (const ExportFormat format : {ExportFormat::Jsonl, ExportFormat::Har, ExportFormat::Otlp}) {
            const QString path = dir.filePath(QStringLiteral("export-%1").arg(int(format)));
            Error error;
            QVERIFY2(writeExport(recorder, format, path, {}, &error), qPrintable(error.toString()));
            QVERIFY2(!(QFile::permissions(path) & others), qPrintable(path));
        }
    }

    // Bytes a server sent that are not UTF-8 cannot go in a JSON string: the session file keeps them as
    // base64 and gives them back exactly (before, the line held U+FFFD in their place).
    void traceKeepsBytesThatAreNotUtf8()
    {
        QTemporaryDir dir;
        Recorder recorder;
        const int c = recorder.addConnection(QStringLiteral("c"));
        const QByteArray broken =
            "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"t\":\"\xff\xfe\xc3\x28\"}}";
        const QByteArray notJson = "half a frame, text";
        recorder.record(c, Direction::Received, broken);
        recorder.record(c, Direction::Received, notJson);
        const QString path = dir.filePath(QStringLiteral("t.jsonl"));
        {
            TraceWriter trace(&recorder);
            Error error;
            QVERIFY2(trace.open(path, &error), qPrintable(error.toString()));
            trace.close();
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QVERIFY2(lines.value(0).contains("\"rawBase64\":\"" + broken.toBase64() + '"'),
                 lines.value(0).constData());
        QVERIFY2(lines.value(1).contains("\"raw\":\"half a frame, text\""), lines.value(1).constData());
        Recorder reopened;
        Error error;
        QVERIFY2(readTrace(path, reopened, &error), qPrintable(error.toString()));
        QCOMPARE(reopened.size(), 2);
        QCOMPARE(reopened.at(0).bytes, broken);
        QCOMPARE(reopened.at(1).bytes, notJson);
    }

    void filter_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QList<int>>("expected");
        QTest::newRow("empty") << QString() << QList<int>{0, 1, 2, 3, 4, 5, 6, 7};
        QTest::newRow("method") << "method:tools/call" << QList<int>{3, 4, 5, 6};
        QTest::newRow("method prefix") << "method:notifications/*" << QList<int>{2};
        QTest::newRow("method case") << "METHOD:Ping" << QList<int>{7};
        QTest::newRow("error") << "error" << QList<int>{6};
        QTest::newRow("not error") << "!error method:tools/call" << QList<int>{3, 4, 5};
        QTest::newRow("latency") << "latency>500ms" << QList<int>{3, 4};
        QTest::newRow("latency seconds") << "latency<=0.002s" << QList<int>{0, 1, 5, 6};
        QTest::newRow("dir in") << "dir:in" << QList<int>{1, 4, 6};
        QTest::newRow("id number") << "id:5" << QList<int>{3, 4};
        QTest::newRow("id string") << "id:x" << QList<int>{5, 6};
        QTest::newRow("conn") << "conn:demo" << QList<int>{5, 6, 7};
        QTest::newRow("kind") << "kind:notification" << QList<int>{2};
        QTest::newRow("unpaired") << "unpaired" << QList<int>{7};
        QTest::newRow("size") << "size>100" << QList<int>{3};
        QTest::newRow("free text") << "hello" << QList<int>{3};
        QTest::newRow("quoted text") << "\"unknown tool\"" << QList<int>{6};
        QTest::newRow("combined") << "method:tools/call dir:out conn:every*" << QList<int>{3};
    }
    void filter()
    {
        QFETCH(QString, query);
        QFETCH(QList<int>, expected);
        Recorder r;
        fill(r);
        QString error;
        const TrafficFilter f = TrafficFilter::parse(query, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(matching(r, f), expected);
    }

    void filterErrors_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown field") << "method:x foo:bar"
                                       << "column 10: unknown field \"foo\"";
        QTest::newRow("quote") << "\"abc"
                               << "column 1: unterminated quote";
        QTest::newRow("duration") << "latency>fast"
                                  << "column 1: \"fast\" is not a duration";
        // Found by tests/fuzz/fuzz_trafficfilter: numbers beyond qint64 were converted anyway (undefined).
        QTest::newRow("size beyond qint64") << "size<=1e300kb"
                                            << "column 1: \"1e300kb\" is not a size";
        QTest::newRow("duration beyond qint64") << "latency>1e20s"
                                                << "column 1: \"1e20s\" is not a duration";
        QTest::newRow("infinite duration") << "latency<inf"
                                           << "column 1: \"inf\" is not a duration";
        QTest::newRow("dir") << "dir:up"
                             << "column 1: dir: takes in or out";
        QTest::newRow("empty value") << "  id:"
                                     << "column 3: id: needs a value";
    }
    void filterErrors()
    {
        QFETCH(QString, query);
        QFETCH(QString, error);
        QString got;
        QVERIFY(TrafficFilter::parse(query, &got).isEmpty());
        QVERIFY2(got.startsWith(error), qPrintable(got));
    }

    void redactBodyKeepsUnchangedBytes()
    {
        const QByteArray plain = R"({"a" : 1})";
        QCOMPARE(redaction::redactBody(plain), plain); // not re-serialised
        QCOMPARE(redaction::redactBody(R"({"params":{"client_secret":"s","x":[{"password":"p"}]}})"),
                 QByteArray(R"({"params":{"client_secret":"[redacted]","x":[{"password":"[redacted]"}]}})"));
        QCOMPARE(redaction::redactBody("id: 1\r\ndata: {\"token\":\"t\"}\r\n\r\n"),
                 QByteArray("id: 1\r\ndata: {\"token\":\"[redacted]\"}\r\n\r\n"));
    }

    void har()
    {
        Recorder r;
        const int c = r.addConnection(QStringLiteral("http"));
        const HttpExchange x = postExchange();
        const qint64 t = x.started.toMSecsSinceEpoch() * 1000;
        r.record(c, Direction::Sent, x.requestBody, t);
        r.record(c, Direction::Received, R"({"jsonrpc":"2.0","id":1,"result":{"access_token":"tok"}})",
                 t + 42'000);
        r.recordHttp(c, x);

        const Json har = Json::parse(exportHar(r).toStdString());
        const Json &log = har["log"];
        QCOMPARE(log["version"], "1.2");
        QCOMPARE(log["creator"]["name"], "MCP Workbench");
        QCOMPARE(log["entries"].size(), 1u);
        const Json &e = log["entries"][0];
        QCOMPARE(e["startedDateTime"].get<std::string>(), "2027-01-15T08:00:00.000Z");
        QCOMPARE(e["time"], 42.0);
        QCOMPARE(e["timings"]["wait"], 42.0);
        const Json &req = e["request"];
        for (const char *key : {"method", "url", "httpVersion", "headers", "queryString", "cookies",
                                "headersSize", "bodySize", "postData"})
            QVERIFY2(req.contains(key), key);
        QCOMPARE(req["method"], "POST");
        QCOMPARE(QString::fromStdString(req["url"]), "http://127.0.0.1:3001/mcp?access_token=[redacted]&x=1");
        QCOMPARE(req["headers"][1], Json({{"name", "Authorization"}, {"value", "Bearer [redacted]"}}));
        QCOMPARE(req["cookies"][0], Json({{"name", "sid"}, {"value", "[redacted]"}}));
        QCOMPARE(req["cookies"].size(), 2u);
        QCOMPARE(req["postData"]["mimeType"], "application/json");
        const Json &res = e["response"];
        for (const char *key : {"status", "statusText", "httpVersion", "headers", "cookies", "content",
                                "redirectURL", "headersSize", "bodySize"})
            QVERIFY2(res.contains(key), key);
        QCOMPARE(res["status"], 200);
        QCOMPARE(res["headers"][1]["value"], "[redacted]"); // Mcp-Session-Id
        QCOMPARE(res["content"]["mimeType"], "text/event-stream");
        QVERIFY(!QByteArray::fromStdString(res["content"]["text"]).contains("tok\""));
        QVERIFY(e.contains("cache"));

        const QByteArray kept = exportHar(r, ExportOptions{false});
        QVERIFY(kept.contains("Bearer sekrit"));
        QVERIFY(kept.contains("session-123"));
        QVERIFY(!kept.contains("[redacted]"));
    }

    void otlp()
    {
        Recorder r;
        fill(r);
        const Json otlp = Json::parse(exportOtlp(r).toStdString());
        const Json &spans = otlp["resourceSpans"][0]["scopeSpans"][0]["spans"];
        QCOMPARE(spans.size(), 4u); // initialize, tools/call, tools/call, ping
        const Json &call = spans[1];
        QCOMPARE(call["name"], "tools/call echo");
        QCOMPARE(call["kind"], 3);
        QCOMPARE(call["traceId"].get<std::string>().size(), 32u);
        QCOMPARE(call["spanId"].get<std::string>().size(), 16u);
        QCOMPARE(call["startTimeUnixNano"], "1800000000010000000");
        QCOMPARE(call["endTimeUnixNano"], "1800000000710000000");
        auto attr = [](const Json &span, const std::string &key) {
            for (const Json &a : span["attributes"]) {
                if (a["key"] == key)
                    return a["value"]["stringValue"].get<std::string>();
            }
            return std::string("(absent)");
        };
        QCOMPARE(attr(call, "mcp.method.name"), "tools/call");
        QCOMPARE(attr(call, "jsonrpc.request.id"), "5");
        QCOMPARE(attr(call, "mcp.protocol.version"), "2025-11-25");
        QCOMPARE(attr(call, "gen_ai.tool.name"), "echo");
        QCOMPARE(attr(call, "network.transport"), "pipe");
        QVERIFY(call["status"].empty());
        const Json &failed = spans[2];
        QCOMPARE(attr(failed, "error.type"), "-32602");
        QCOMPARE(failed["status"]["code"], 2);
        QCOMPARE(failed["status"]["message"], "Unknown tool");
        QVERIFY(failed["traceId"] != call["traceId"]); // one trace per connection
        QCOMPARE(exportOtlp(r), exportOtlp(r));        // deterministic ids
    }

    void otlpSessionIdRedacted()
    {
        Recorder r;
        const int c = r.addConnection(QStringLiteral("http"));
        HttpExchange x = postExchange();
        r.record(c, Direction::Sent, x.requestBody, 1);
        r.recordHttp(c, x);
        QVERIFY(!exportOtlp(r).contains("session-123"));
        QVERIFY(exportOtlp(r).contains("\"sha256:"));
        QVERIFY(exportOtlp(r, ExportOptions{false}).contains("session-123"));
    }

    // A resource URI in a span keeps its query's secrets out, like every URL in the exports.
    void otlpResourceUriRedacted()
    {
        Recorder r;
        const int c = r.addConnection(QStringLiteral("stdio"));
        r.record(
            c, Direction::Sent,
            R"({"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"https://h/doc?access_token=sk-otlp&v=2"}})",
            1);
        QVERIFY(exportOtlp(r).contains("https://h/doc?access_token=[redacted]&v=2"));
        QVERIFY(exportOtlp(r, ExportOptions{false}).contains("sk-otlp"));
    }
};

QTEST_GUILESS_MAIN(TstTraffic)
#include "tst_traffic.moc"
