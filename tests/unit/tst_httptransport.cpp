// HttpTransport (Streamable HTTP) against a tiny in-process HTTP server (QTcpServer on 127.0.0.1 with
// hand-written responses): answers as JSON and as SSE, sessions, resumption, DELETE on close and the
// 2026-07-28 stateless headers. Failures are in tst_httpfailures, the legacy SSE transport in tst_legacysse.
// Every wait is bounded.
#include "httptransporttest.h"

class TestHttpTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void jsonAnswerSessionAndGetStream();
    void sseAnswer();
    void accepted202();
    void sessionExpired404();
    void resumeWithLastEventId();
    void resumeGivesUp();
    void deleteOnClose();
    void statelessHeaders();
    void encodeHeaderValue_data();
    void encodeHeaderValue();
    void sessionIdOutsideVisibleAsciiIsRefused_data();
    void sessionIdOutsideVisibleAsciiIsRefused();
};

void TestHttpTransport::initTestCase()
{
    qRegisterMetaType<Error>("mcp::Error");
    qRegisterMetaType<Diagnostic>("mcp::Diagnostic");
    qRegisterMetaType<HttpExchange>("mcp::HttpExchange");
}

void TestHttpTransport::jsonAnswerSessionAndGetStream()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const MiniRequest &r, QTcpSocket *s) {
        if (r.method == "POST" && r.body.contains("\"initialize\""))
            MiniHttpServer::json(s, result(1, "{\"protocolVersion\":\"2025-11-25\"}"),
                                 {{"Mcp-Session-Id", "sess-1"}});
        else if (r.method == "POST")
            MiniHttpServer::respond(s, 202, "Accepted");
        else
            MiniHttpServer::respond(s, 405, "Method Not Allowed");
    });
    HttpTransport t(optionsFor(server));
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    QSignalSpy diags(&t, &Transport::diagnostic);
    QSignalSpy exchanges(&t, &Transport::httpExchange);
    t.open();
    QCOMPARE(t.state(), Transport::State::Open);
    QCOMPARE(t.kind(), QStringLiteral("http"));

    t.send(request(1, QStringLiteral("initialize")));
    QVERIFY(frames.wait(5000));
    QCOMPARE(frames.first().at(0).toByteArray(), result(1, "{\"protocolVersion\":\"2025-11-25\"}"));
    QCOMPARE(t.sessionId(), QByteArray("sess-1"));
    const MiniRequest &init = server.requests.at(0);
    QCOMPARE(init.method, QByteArray("POST"));
    QCOMPARE(init.header("Accept"), QByteArray("application/json, text/event-stream"));
    QCOMPARE(init.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(init.header("X-Custom"), QByteArray("custom-value"));
    QVERIFY(!init.hasHeader("Mcp-Session-Id"));
    QVERIFY(!init.hasHeader("MCP-Protocol-Version"));

    t.setProtocolVersion(QStringLiteral("2025-11-25"));
    t.send(notification(QStringLiteral("notifications/initialized")));
    QTRY_VERIFY_WITH_TIMEOUT(server.requests.size() >= 3, 5000); // the GET stream attempt and the POST
    // The GET stream opens alongside notifications/initialized, so their order on the wire may vary.
    const bool getFirst = server.requests.at(1).method == "GET";
    const MiniRequest &second = server.requests.at(getFirst ? 2 : 1);
    QCOMPARE(second.header("Mcp-Session-Id"), QByteArray("sess-1"));
    QCOMPARE(second.header("MCP-Protocol-Version"), QByteArray("2025-11-25"));
    QCOMPARE(second.header("X-Custom"), QByteArray("custom-value"));
    const MiniRequest &get = server.requests.at(getFirst ? 1 : 2);
    QCOMPARE(second.method, QByteArray("POST"));
    QCOMPARE(get.method, QByteArray("GET"));
    QCOMPARE(get.header("Accept"), QByteArray("text/event-stream"));
    QCOMPARE(get.header("Mcp-Session-Id"), QByteArray("sess-1"));
    QCOMPARE(get.header("X-Custom"), QByteArray("custom-value"));
    QTRY_VERIFY_WITH_TIMEOUT(anyDiagnosticContains(diags, QStringLiteral("405")), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(exchanges.size(), 3, 5000);
    QCOMPARE(exchanges.at(0).at(0).value<HttpExchange>().status, 200);
    QCOMPARE(exchanges.at(0).at(0).value<HttpExchange>().method, QByteArray("POST"));
    QVERIFY(exchanges.at(0).at(0).value<HttpExchange>().responseBody.contains("protocolVersion"));
    QMap<QByteArray, int> statusByMethod;
    for (int i = 1; i < 3; ++i)
        statusByMethod.insert(exchanges.at(i).at(0).value<HttpExchange>().method,
                              exchanges.at(i).at(0).value<HttpExchange>().status);
    QCOMPARE(statusByMethod.value("POST"), 202);
    QCOMPARE(statusByMethod.value("GET"), 405);
    QVERIFY(failures.isEmpty());
    QCOMPARE(frames.size(), 1);
}

void TestHttpTransport::sseAnswer()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    const QByteArray progress = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}";
    server.setHandler([&](const MiniRequest &, QTcpSocket *s) {
        MiniHttpServer::startSse(s, ": hello\r\nevent: message\r\ndata: " + progress +
                                        "\r\n\r\ndata: " + result(7) + "\r\n\r\n");
        s->disconnectFromHost();
    });
    HttpTransport t(optionsFor(server));
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    QSignalSpy exchanges(&t, &Transport::httpExchange);
    t.open();
    t.send(request(7, QStringLiteral("tools/call")));
    QTRY_COMPARE_WITH_TIMEOUT(frames.size(), 2, 5000);
    QCOMPARE(frames.at(0).at(0).toByteArray(), progress);
    QCOMPARE(frames.at(1).at(0).toByteArray(), result(7));
    QTRY_COMPARE_WITH_TIMEOUT(exchanges.size(), 1, 5000);
    const HttpExchange ex = exchanges.first().at(0).value<HttpExchange>();
    QVERIFY(ex.responseBody.startsWith(": hello\r\nevent: message"));
    QVERIFY(failures.isEmpty());
}

void TestHttpTransport::accepted202()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    server.setHandler(
        [](const MiniRequest &, QTcpSocket *s) { MiniHttpServer::respond(s, 202, "Accepted"); });
    HttpOptions o = optionsFor(server);
    o.openGetStream = false;
    HttpTransport t(o);
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    QSignalSpy exchanges(&t, &Transport::httpExchange);
    t.open();
    t.send(notification(QStringLiteral("notifications/cancelled")));
    QVERIFY(exchanges.wait(5000));
    QCOMPARE(exchanges.first().at(0).value<HttpExchange>().status, 202);
    QCOMPARE(exchanges.first().at(0).value<HttpExchange>().reason, QByteArray("Accepted"));
    QVERIFY(frames.isEmpty());
    QVERIFY(failures.isEmpty());
}

void TestHttpTransport::sessionExpired404()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const MiniRequest &r, QTcpSocket *s) {
        if (r.body.contains("\"initialize\""))
            MiniHttpServer::json(s, result(1), {{"Mcp-Session-Id", "s-old"}});
        else if (r.hasHeader("Mcp-Session-Id"))
            MiniHttpServer::respond(s, 404, "Not Found", "session gone");
        else
            MiniHttpServer::json(s, result(3));
    });
    HttpOptions o = optionsFor(server);
    o.openGetStream = false;
    HttpTransport t(o);
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    QSignalSpy expired(&t, &Transport::sessionExpired);
    t.open();
    t.send(request(1, QStringLiteral("initialize")));
    QVERIFY(frames.wait(5000));
    QCOMPARE(t.sessionId(), QByteArray("s-old"));
    t.send(request(2, QStringLiteral("tools/list")));
    QVERIFY(expired.wait(5000));
    QCOMPARE(expired.size(), 1);
    QCOMPARE(failures.size(), 1);
    QVERIFY(lastErrorText(failures, 1).contains(QLatin1String("404")));
    QVERIFY(t.sessionId().isEmpty());
    QCOMPARE(t.state(), Transport::State::Open);
    t.send(request(3, QStringLiteral("tools/list")));
    QTRY_COMPARE_WITH_TIMEOUT(frames.size(), 2, 5000);
    QVERIFY(!server.requests.last().hasHeader("Mcp-Session-Id"));
}

void TestHttpTransport::resumeWithLastEventId()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    const QByteArray progress = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}";
    QElapsedTimer sinceDrop;
    qint64 resumedAfter = -1;
    server.setHandler([&](const MiniRequest &r, QTcpSocket *s) {
        if (r.body.contains("\"initialize\"")) {
            MiniHttpServer::json(s, result(1), {{"Mcp-Session-Id", "s-r"}});
        } else if (r.method == "POST") {
            // A priming event, the retry interval, one message, then the connection drops.
            MiniHttpServer::startSse(s, "id: e1\nretry: 300\ndata:\n\nid: e2\ndata: " + progress + "\n\n");
            s->disconnectFromHost();
            sinceDrop.start();
        } else if (r.method == "GET") {
            resumedAfter = sinceDrop.elapsed();
            MiniHttpServer::startSse(s, "id: e3\ndata: " + result(2) + "\n\n");
            s->disconnectFromHost();
        }
    });
    HttpOptions o = optionsFor(server);
    o.openGetStream = false;
    HttpTransport t(o);
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    t.open();
    t.send(request(1, QStringLiteral("initialize")));
    QVERIFY(frames.wait(5000));
    t.setProtocolVersion(QStringLiteral("2025-11-25"));
    t.send(request(2, QStringLiteral("tools/call")));
    QTRY_COMPARE_WITH_TIMEOUT(frames.size(), 3, 8000);
    QCOMPARE(frames.at(1).at(0).toByteArray(), progress);
    QCOMPARE(frames.at(2).at(0).toByteArray(), result(2));
    QCOMPARE(server.requests.size(), 3);
    const MiniRequest &get = server.requests.at(2);
    QCOMPARE(get.method, QByteArray("GET"));
    QCOMPARE(get.header("Last-Event-ID"), QByteArray("e2"));
    QCOMPARE(get.header("Mcp-Session-Id"), QByteArray("s-r"));
    QCOMPARE(get.header("MCP-Protocol-Version"), QByteArray("2025-11-25"));
    QCOMPARE(get.header("Accept"), QByteArray("text/event-stream"));
    QVERIFY2(resumedAfter >= 250, qPrintable(QString::number(resumedAfter))); // retry: 300 honoured
    QVERIFY(failures.isEmpty());
}

void TestHttpTransport::resumeGivesUp()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([&](const MiniRequest &, QTcpSocket *s) {
        MiniHttpServer::startSse(s, "id: x1\nretry: 10\ndata:\n\n");
        s->disconnectFromHost();
    });
    HttpOptions o = optionsFor(server);
    o.maxReconnectAttempts = 2;
    HttpTransport t(o);
    QSignalSpy failures(&t, &Transport::sendFailed);
    QSignalSpy diags(&t, &Transport::diagnostic);
    t.open();
    t.send(request(4, QStringLiteral("tools/call")));
    QVERIFY(failures.wait(5000));
    QVERIFY2(lastErrorText(failures, 1).contains(QLatin1String("gave up after 2")),
             qPrintable(lastErrorText(failures, 1)));
    int resumes = 0;
    for (const auto &a : diags)
        resumes += a.at(0).value<Diagnostic>().text.contains(QLatin1String("resuming with Last-Event-ID x1"));
    QCOMPARE(resumes, 2);
    // The POST and two GETs; Qt itself may resend a GET whose connection closed early, hence >=.
    QVERIFY(server.requests.size() >= 3);
    for (qsizetype i = 1; i < server.requests.size(); ++i)
        QCOMPARE(server.requests.at(i).header("Last-Event-ID"), QByteArray("x1"));
}

void TestHttpTransport::deleteOnClose()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const MiniRequest &r, QTcpSocket *s) {
        if (r.method == "POST")
            MiniHttpServer::json(s, result(1), {{"Mcp-Session-Id", "s-del"}});
        else
            MiniHttpServer::respond(s, 200, "OK");
    });
    HttpOptions o = optionsFor(server);
    o.openGetStream = false;
    HttpTransport t(o);
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy states(&t, &Transport::stateChanged);
    t.open();
    t.setProtocolVersion(QStringLiteral("2025-06-18"));
    t.send(request(1, QStringLiteral("initialize")));
    QVERIFY(frames.wait(5000));
    t.close();
    QCOMPARE(t.state(), Transport::State::Closing);
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Closed, 5000);
    QCOMPARE(server.requests.size(), 2);
    QCOMPARE(server.requests.at(1).method, QByteArray("DELETE"));
    QCOMPARE(server.requests.at(1).header("Mcp-Session-Id"), QByteArray("s-del"));
    QCOMPARE(server.requests.at(1).header("MCP-Protocol-Version"), QByteArray("2025-06-18"));
    QCOMPARE(server.requests.at(1).header("X-Custom"), QByteArray("custom-value"));
}

void TestHttpTransport::statelessHeaders()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const MiniRequest &, QTcpSocket *s) {
        MiniHttpServer::json(s, result(1), {{"Mcp-Session-Id", "must-be-ignored"}});
    });
    HttpTransport t(optionsFor(server));
    QSignalSpy frames(&t, &Transport::frameReceived);
    t.setProtocolVersion(QStringLiteral("2026-07-28"));
    QVERIFY(t.isStateless());
    QCOMPARE(t.kind(), QStringLiteral("stateless-http"));
    t.open();
    OutgoingFrame call = request(1, QStringLiteral("tools/call"), QStringLiteral("get_weather"));
    call.extraHeaders = {{"Mcp-Param-Region", "us-west1"}, {"Mcp-Param-Greeting", "Grüße"}};
    t.send(call);
    QVERIFY(frames.wait(5000));
    const MiniRequest &r = server.requests.at(0);
    QCOMPARE(r.header("Mcp-Method"), QByteArray("tools/call"));
    QCOMPARE(r.header("Mcp-Name"), QByteArray("get_weather"));
    QCOMPARE(r.header("MCP-Protocol-Version"), QByteArray("2026-07-28"));
    QCOMPARE(r.header("Mcp-Param-Region"), QByteArray("us-west1"));
    QCOMPARE(r.header("Mcp-Param-Greeting"), "=?base64?" + QByteArray("Grüße").toBase64() + "?=");
    QVERIFY(t.sessionId().isEmpty());

    t.send(request(2, QStringLiteral("resources/read"), QStringLiteral("Hello, 世界")));
    QTRY_COMPARE_WITH_TIMEOUT(frames.size(), 2, 5000);
    QCOMPARE(server.requests.at(1).header("Mcp-Name"), QByteArray("=?base64?SGVsbG8sIOS4lueVjA==?="));
    QVERIFY(!server.requests.at(1).hasHeader("Mcp-Session-Id"));

    t.send(request(3, QStringLiteral("server/discover")));
    QTRY_COMPARE_WITH_TIMEOUT(frames.size(), 3, 5000);
    QCOMPARE(server.requests.at(2).header("Mcp-Method"), QByteArray("server/discover"));
    QVERIFY(!server.requests.at(2).hasHeader("Mcp-Name"));

    t.close(); // no DELETE, no GET stream in this mode
    QCOMPARE(t.state(), Transport::State::Closed);
    QTest::qWait(100);
    QCOMPARE(server.requests.size(), 3);
}

void TestHttpTransport::encodeHeaderValue_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("encoded");
    // The examples of the 2026-07-28 spec, "Value Encoding".
    QTest::newRow("plain") << QStringLiteral("us-west1") << QByteArray("us-west1");
    QTest::newRow("non-ascii") << QStringLiteral("Hello, 世界")
                               << QByteArray("=?base64?SGVsbG8sIOS4lueVjA==?=");
    QTest::newRow("padded") << QStringLiteral(" padded ") << QByteArray("=?base64?IHBhZGRlZCA=?=");
    QTest::newRow("newline") << QStringLiteral("line1\nline2") << QByteArray("=?base64?bGluZTEKbGluZTI=?=");
    QTest::newRow("sentinel") << QStringLiteral("=?base64?literal?=")
                              << QByteArray("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
    QTest::newRow("inner space ok") << QStringLiteral("a b") << QByteArray("a b");
    QTest::newRow("uri") << QStringLiteral("file:///projects/myapp/config.json")
                         << QByteArray("file:///projects/myapp/config.json");
}

void TestHttpTransport::encodeHeaderValue()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, encoded);
    QCOMPARE(HttpTransport::encodeHeaderValue(value), encoded);
}

void TestHttpTransport::sessionIdOutsideVisibleAsciiIsRefused_data()
{
    QTest::addColumn<QByteArray>("sessionId");
    QTest::newRow("space") << QByteArray("sess 1");
    QTest::newRow("control character") << QByteArray("sess\x01"
                                                     "1");
    QTest::newRow("UTF-8") << QByteArray("sess-\xc3\xa9");
}

// The session id goes back in every request's headers: one outside visible ASCII (0x21-0x7E) is refused with
// a clear error and never sent (it used to be kept after a warning).
void TestHttpTransport::sessionIdOutsideVisibleAsciiIsRefused()
{
    QFETCH(QByteArray, sessionId);
    MiniHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([sessionId](const MiniRequest &, QTcpSocket *s) {
        MiniHttpServer::json(s, result(1, "{\"protocolVersion\":\"2025-11-25\"}"),
                             {{"Mcp-Session-Id", sessionId}});
    });
    HttpTransport t(optionsFor(server));
    QSignalSpy failed(&t, &Transport::failed);
    t.open();
    t.send(request(1, QStringLiteral("initialize")));
    QVERIFY(failed.wait(5000));
    const Error error = failed.first().at(0).value<Error>();
    QVERIFY2(error.message.contains(QStringLiteral("visible ASCII")), qPrintable(error.toString()));
    QVERIFY(t.sessionId().isEmpty());
    QCOMPARE(t.state(), Transport::State::Failed);
}

QTEST_GUILESS_MAIN(TestHttpTransport)
#include "tst_httptransport.moc"
