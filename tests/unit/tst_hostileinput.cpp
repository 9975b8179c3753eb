// Frames and trace files shaped to break the client (issue 12, finding 5): fields of the wrong type, missing
// params, a megabyte of nested brackets. Each must give a clear error, leave the frame recorded and the
// session answering the next valid frame; none may end the process.
#include "faketransport.h"
#include "session/clientsession.h"
#include "session/ruleshandler.h"
#include "traffic/copyas.h"
#include "traffic/otlpexport.h"
#include "traffic/recorder.h"
#include "traffic/redaction.h"
#include "traffic/tracefile.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace mcp;

namespace {

constexpr int depthLimit = jsonrpc::Limits{}.maxDepth;

// levels of nested arrays, closed
QByteArray nested(int levels)
{
    return QByteArray(levels, '[') + QByteArray(levels, ']');
}

const QByteArray megabyteOfBrackets(1 << 20, '[');
const QByteArray deepBalanced = nested(1 << 19); // a megabyte in all
// Brackets inside strings, after an escaped quote and an escaped backslash, are text. (Escapes, not a raw
// string: moc loses the class's slots in a raw string holding \".)
const QByteArray bracketsInStrings =
    "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"a\":\"\\\"[[\",\"b\":\"\\\\\",\"c\":\"" +
    megabyteOfBrackets + "\"}}";

} // namespace

class TstHostileInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // offset: of the first bracket past the limit; the message object itself is one level
    // Found by fuzz_jsonrpc in the clean-clone CI: a number beyond double's range made nlohmann throw
    // out_of_range, which nothing caught, and the process ended.
    void numberOutOfRangeIsMalformed()
    {
        const mcp::jsonrpc::ParseResult r =
            mcp::jsonrpc::parse(R"({"jsonrpc":"2.0","id":1,"result":{"n":9999999999999999e999999999}})");
        QVERIFY(!r.ok());
        QVERIFY2(r.error->toString().contains(QLatin1String("number overflow")),
                 qPrintable(r.error->toString()));
    }

    void parserRefusesDeepNesting_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<qsizetype>("offset");
        const QByteArray result = R"({"jsonrpc":"2.0","id":1,"result":)";
        const QByteArray params = R"({"jsonrpc":"2.0","method":"m","params":)";
        QTest::newRow("1 MB of [") << megabyteOfBrackets << qsizetype(depthLimit);
        QTest::newRow("1 MB of [ and ]") << deepBalanced << qsizetype(depthLimit);
        QTest::newRow("deep result") << result + deepBalanced + '}' << result.size() + depthLimit - 1;
        QTest::newRow("one level too deep")
            << params + nested(depthLimit) + '}' << params.size() + depthLimit - 1;
    }

    void parserRefusesDeepNesting()
    {
        QFETCH(QByteArray, frame);
        QFETCH(qsizetype, offset);
        const jsonrpc::ParseResult parsed = jsonrpc::parse(frame);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error->message.contains(QString::number(depthLimit)),
                 qPrintable(parsed.error->message));
        QCOMPARE(parsed.error->offset, offset);
    }

    void parserAcceptsDepthUpToTheLimit()
    {
        // the message object is one level, so params may nest limit - 1 more
        const jsonrpc::ParseResult atLimit =
            jsonrpc::parse(R"({"jsonrpc":"2.0","method":"m","params":)" + nested(depthLimit - 1) + '}');
        QVERIFY2(atLimit.ok(), qPrintable(atLimit.ok() ? QString() : atLimit.error->toString()));
        const jsonrpc::ParseResult inStrings = jsonrpc::parse(bracketsInStrings);
        QVERIFY2(inStrings.ok(), qPrintable(inStrings.ok() ? QString() : inStrings.error->toString()));
    }

    // Every frame shape the session must survive. %ID% is the id of a pending request (a tools/call that
    // asked for progress); expected is in the error reported, as protocolError or as that request's reply.
    void sessionSurvivesMalformedFrames_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *tag, const QByteArray &frame, const QString &expected) {
            QTest::newRow(tag) << frame << expected;
        };
        const QByteArray progress = R"({"jsonrpc":"2.0","method":"notifications/progress")";
        row("progress without params", progress + '}', "notifications/progress");
        row("progress params an array", progress + R"(,"params":[%ID%,1]})", "notifications/progress");
        row("progress params a string", progress + R"(,"params":"x"})", "\"params\"");
        row("progress a string", progress + R"(,"params":{"progressToken":%ID%,"progress":"half"}})",
            "notifications/progress");
        row("log params an array", R"({"jsonrpc":"2.0","method":"notifications/message","params":[1]})",
            "notifications/message");
        row("id an object", R"({"jsonrpc":"2.0","id":{"a":1},"result":{}})", "\"id\"");
        row("result a string", R"({"jsonrpc":"2.0","id":%ID%,"result":"done"})", "not a JSON object");
        row("isError a string", R"({"jsonrpc":"2.0","id":%ID%,"result":{"isError":"yes","content":7}})",
            "isError");
        row("error without code", R"({"jsonrpc":"2.0","id":%ID%,"error":{"message":5}})", "\"error\"");
        row("error a string", R"({"jsonrpc":"2.0","id":%ID%,"error":"no"})", "\"error\"");
        row("sampling params an array",
            R"({"jsonrpc":"2.0","id":"s1","method":"sampling/createMessage","params":[1]})",
            "sampling/createMessage");
        row("elicitation schema a string",
            R"({"jsonrpc":"2.0","id":"s2","method":"elicitation/create","params":{"requestedSchema":"x"}})",
            "requestedSchema");
        row("1 MB of [", megabyteOfBrackets, QString::number(depthLimit));
        row("deep result", R"({"jsonrpc":"2.0","id":%ID%,"result":)" + deepBalanced + '}',
            QString::number(depthLimit));
    }

    void sessionSurvivesMalformedFrames()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, expected);
        Recorder recorder;
        auto *transport = new FakeTransport;
        ClientSession session(transport, &recorder, {});
        RulesHandler rules(Json{{"sampling", {{"text", "42"}}}, {"elicitation", "defaults"}});
        session.setServerRequestHandler(&rules);
        QSignalSpy ready(&session, &ClientSession::ready);
        session.start();
        QVERIFY(ready.count() > 0 || ready.wait(2000));

        QSignalSpy protocolError(&session, &ClientSession::protocolError);
        Reply pendingReply;
        RequestOptions withProgress;
        withProgress.reportProgress = true;
        const qint64 pending = session.request(
            QStringLiteral("tools/call"), {{"name", "t"}}, [&](const Reply &r) { pendingReply = r; },
            withProgress);
        frame.replace("%ID%", QByteArray::number(pending));
        const qsizetype before = recorder.size();
        transport->inject(frame);

        QStringList reported;
        for (const QList<QVariant> &args : protocolError)
            reported << args.first().value<Error>().message;
        if (pendingReply.error)
            reported << pendingReply.error.message;
        if (!transport->lastSent()["error"].is_null()) // a server request answered with an error
            reported << toQString(transport->lastSent()["error"].value("message", ""));
        QVERIFY2(reported.join(u'\n').contains(expected), qPrintable(reported.join(u'\n')));
        QVERIFY(recorder.size() > before);
        QCOMPARE(recorder.at(before).bytes, frame);
        QCOMPARE(session.state(), ClientSession::State::Ready);

        // the next valid frame is still answered
        Reply pong;
        const qint64 ping =
            session.request(QStringLiteral("ping"), Json::object(), [&](const Reply &r) { pong = r; });
        transport->injectJson({{"jsonrpc", "2.0"}, {"id", ping}, {"result", Json::object()}});
        QVERIFY2(pong.ok(), qPrintable(pong.error.toString()));
        QVERIFY(pong.result.is_object());
    }

    void traceFileLinesOfTheWrongShape_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("raw a number")
            << QByteArray(R"({"connection":"c","direction":"recv","raw":5})") << "\"raw\"";
        QTest::newRow("rawBase64 not base64")
            << QByteArray(R"({"connection":"c","direction":"recv","rawBase64":"*not base64*"})")
            << "\"rawBase64\"";
        QTest::newRow("rawBase64 a number")
            << QByteArray(R"({"connection":"c","direction":"recv","rawBase64":5})") << "\"rawBase64\"";
        QTest::newRow("http status a string")
            << QByteArray(R"({"connection":"c","http":{"method":"POST","status":"200","requestHeaders":7}})")
            << "\"status\"";
        QTest::newRow("1 MB of [") << megabyteOfBrackets << QString::number(depthLimit);
        QTest::newRow("deep message")
            << R"({"connection":"c","direction":"recv","message":)" + deepBalanced + '}'
            << QString::number(depthLimit);
    }

    void traceFileLinesOfTheWrongShape()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("bad.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"connection":"c","direction":"send","message":{"jsonrpc":"2.0","id":1,"method":"ping"}})"
                "\n" +
                line + '\n');
        f.close();
        Recorder recorder;
        Error error;
        QVERIFY(!readTrace(path, recorder, &error));
        QVERIFY2(error.message.contains(QStringLiteral("bad.jsonl:2")), qPrintable(error.message));
        QVERIFY2(error.message.contains(expected), qPrintable(error.message));
        QCOMPARE(recorder.size(), 1); // the good line before it was read
    }

    void exportersSurviveWhatWasRecorded()
    {
        Recorder r;
        const int c = r.addConnection(QStringLiteral("c"));
        r.record(c, Direction::Sent,
                 R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t"}})");
        r.record(c, Direction::Received, R"({"jsonrpc":"2.0","id":1,"result":{"isError":"yes"}})");
        r.record(c, Direction::Received, deepBalanced);
        QCOMPARE(r.size(), 3);
        QVERIFY(r.at(2).parseFailed()); // recorded as it came, refused as a message
        const Json otlp = Json::parse(exportOtlp(r).toStdString());
        const Json &spans = otlp["resourceSpans"][0]["scopeSpans"][0]["spans"];
        QCOMPARE(spans.size(), size_t(1));
        QCOMPARE(spans[0]["status"], Json::object()); // "yes" is not true
        // redaction and Copy as JSON leave a frame too deep to parse as it was, rather than recurse through
        // it
        QCOMPARE(redaction::redactBody(deepBalanced), deepBalanced);
        QCOMPARE(copyas::json(deepBalanced, {}), QString::fromLatin1(deepBalanced));
    }
};

QTEST_GUILESS_MAIN(TstHostileInput)
#include "tst_hostileinput.moc"
