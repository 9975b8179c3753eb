// HttpTransport, SseTransport and the `auto` fallback against a tiny in-process HTTP server (QTcpServer on
// 127.0.0.1 with hand-written responses). Every wait is bounded.
#include "transport/httptransport.h"
#include "transport/ssetransport.h"
#include "transport/transportfactory.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <functional>
#include <minihttpserver.h>
#include <testsupport.h>

using namespace mcp;

namespace {

OutgoingFrame request(int id, const QString &method, const QString &name = {})
{
    OutgoingFrame f;
    f.bytes = QStringLiteral("{\"jsonrpc\":\"2.0\",\"id\":%1,\"method\":\"%2\",\"params\":{}}")
                  .arg(id)
                  .arg(method)
                  .toUtf8();
    f.method = method;
    f.name = name;
    f.expectsReply = true;
    return f;
}

OutgoingFrame notification(const QString &method)
{
    OutgoingFrame f;
    f.bytes = QStringLiteral("{\"jsonrpc\":\"2.0\",\"method\":\"%1\"}").arg(method).toUtf8();
    f.method = method;
    return f;
}

QByteArray result(int id, const QByteArray &value = "{}")
{
    return "{\"jsonrpc\":\"2.0\",\"id\":" + QByteArray::number(id) + ",\"result\":" + value + "}";
}

QString lastErrorText(const QSignalSpy &spy, int arg)
{
    return spy.isEmpty() ? QString() : spy.last().at(arg).value<Error>().toString();
}

bool anyDiagnosticContains(const QSignalSpy &spy, const QString &text)
{
    for (const auto &args : spy)
        if (args.at(0).value<Diagnostic>().text.contains(text))
            return true;
    return false;
}

HttpOptions optionsFor(const MiniHttpServer &server, const QString &path = QStringLiteral("/mcp"))
{
    HttpOptions o;
    o.url = server.url(path);
    o.connectTimeoutMs = 5000;
    o.headers = {{"X-Custom", "custom-value"}};
    return o;
}

} // namespace

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
    void truncatedAnswer_data();
    void truncatedAnswer();
    void connectionRefused();
    void httpErrorBodies();
    void badCaFile();
    void tlsTrustAndInsecure();
    void legacySse();
    void autoFallsBackToSse();
    void autoStaysOnJsonRpcError();
    void factoryKinds();
    void sessionIdOutsideVisibleAsciiIsRefused_data();
    void sessionIdOutsideVisibleAsciiIsRefused();
    void answerOverTheFrameLimit();
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

// An answer cut short fails its request and leaves the connection open: an event stream that ends in the
// middle of an event, and a JSON body the server cut short by closing before its Content-Length (that one
// was parsed as it was and reported as "a body that is not JSON").
void TestHttpTransport::truncatedAnswer_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QString>("expected");
    const QByteArray json = R"({"jsonrpc":"2.0","id":1,"result":{}})";
    QTest::newRow("event stream")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: " + json.left(20))
        << "ended in the middle";
    QTest::newRow("JSON body") << "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                      QByteArray::number(json.size()) + "\r\n\r\n" + json.left(20)
                               << "closed the connection before the response was complete";
}

void TestHttpTransport::truncatedAnswer()
{
    QFETCH(QByteArray, answer);
    QFETCH(QString, expected);
    MiniHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([answer](const MiniRequest &, QTcpSocket *s) {
        s->write(answer);
        s->flush();
        s->disconnectFromHost();
    });
    HttpTransport t(optionsFor(server));
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    t.open();
    t.send(request(1, QStringLiteral("tools/call")));
    QVERIFY(failures.wait(5000));
    QVERIFY2(lastErrorText(failures, 1).contains(expected), qPrintable(lastErrorText(failures, 1)));
    QVERIFY(frames.isEmpty());
    QCOMPARE(t.state(), Transport::State::Open);
}

void TestHttpTransport::connectionRefused()
{
    HttpOptions o;
    o.url = QUrl(QStringLiteral("http://127.0.0.1:%1/mcp").arg(testsupport::freeLoopbackPort()));
    HttpTransport t(o);
    QSignalSpy failed(&t, &Transport::failed);
    QSignalSpy failures(&t, &Transport::sendFailed);
    t.open();
    t.send(request(1, QStringLiteral("initialize")));
    QVERIFY(failed.wait(5000));
    QCOMPARE(t.state(), Transport::State::Failed);
    QVERIFY2(lastErrorText(failed, 0).contains(QLatin1String("connection refused")),
             qPrintable(lastErrorText(failed, 0)));
    QCOMPARE(failures.size(), 1);
}

void TestHttpTransport::httpErrorBodies()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    const QByteArray rpcError =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"bad\"}}";
    server.setHandler([&](const MiniRequest &r, QTcpSocket *s) {
        if (r.body.contains("\"id\":1,"))
            MiniHttpServer::respond(s, 400, "Bad Request", rpcError, {{"Content-Type", "application/json"}});
        else
            MiniHttpServer::respond(s, 500, "Internal Server Error", "boom: the database is on fire",
                                    {{"Content-Type", "text/plain"}});
    });
    HttpTransport t(optionsFor(server));
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    t.open();
    t.send(request(1, QStringLiteral("tools/call")));
    QVERIFY(frames.wait(5000));
    QCOMPARE(frames.first().at(0).toByteArray(), rpcError);
    t.send(request(2, QStringLiteral("tools/call")));
    QVERIFY(failures.wait(5000));
    const QString text = lastErrorText(failures, 1);
    QVERIFY2(text.contains(QLatin1String("HTTP 500")) && text.contains(QLatin1String("database is on fire")),
             qPrintable(text));
    QCOMPARE(failures.first().at(0).toByteArray(), request(2, QStringLiteral("tools/call")).bytes);
    QCOMPARE(t.state(), Transport::State::Open);
}

void TestHttpTransport::badCaFile()
{
    HttpOptions o;
    o.url = QUrl(QStringLiteral("https://127.0.0.1:1/mcp"));
    o.caFile = QStringLiteral("/nonexistent/ca.pem");
    HttpTransport t(o);
    QSignalSpy failed(&t, &Transport::failed);
    t.open();
    QCOMPARE(failed.size(), 1);
    QVERIFY(lastErrorText(failed, 0).contains(QLatin1String("CA file")));
}

// HTTPS against a self-signed certificate: refused with a TLS diagnostic, trusted through the CA file, or
// let through by the insecure switch with a visible warning.
void TestHttpTransport::tlsTrustAndInsecure()
{
    QTemporaryDir dir;
    QSslConfiguration tls;
    QString cert;
    if (!testsupport::makeSelfSignedTls(dir.path(), &tls, &cert))
        QSKIP("the openssl command could not make a test certificate");
    MiniHttpServer server(tls);
    QVERIFY(server.listen());
    server.setHandler([](const MiniRequest &, QTcpSocket *s) { MiniHttpServer::json(s, result(1)); });
    const QString where = QStringLiteral("127.0.0.1:%1").arg(server.port());

    // The answer to initialize ("frame", or the send error) and every diagnostic on the way.
    const auto attempt = [&](const HttpOptions &o, QString *diagnostics) {
        HttpTransport t(o);
        QSignalSpy frames(&t, &Transport::frameReceived);
        QSignalSpy failures(&t, &Transport::sendFailed);
        connect(&t, &Transport::diagnostic, &t,
                [diagnostics](const Diagnostic &d) { *diagnostics += d.text; });
        t.open();
        t.send(request(1, QStringLiteral("initialize")));
        if (!QTest::qWaitFor([&] { return !frames.isEmpty() || !failures.isEmpty(); }, 10000))
            return QStringLiteral("no answer within 10 s");
        return !frames.isEmpty() ? QStringLiteral("frame") : lastErrorText(failures, 1);
    };
    QString diagnostics;
    HttpOptions o = optionsFor(server);
    const QString refused = attempt(o, &diagnostics);
    QVERIFY2(refused.contains(QLatin1String("TLS handshake with ") + where), qPrintable(refused));
    QVERIFY(diagnostics.contains(QStringLiteral("TLS certificate of %1 rejected").arg(where)));

    o.caFile = cert;
    QCOMPARE(attempt(o, &diagnostics), QStringLiteral("frame"));
    QVERIFY(diagnostics.contains(QStringLiteral("trusting 1 certificate(s)")));

    o.caFile.clear();
    o.insecure = true;
    diagnostics.clear();
    QCOMPARE(attempt(o, &diagnostics), QStringLiteral("frame"));
    QVERIFY2(diagnostics.contains(QStringLiteral("INSECURE: ignoring TLS certificate errors for ") + where),
             qPrintable(diagnostics));
}

void TestHttpTransport::legacySse()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    QPointer<QTcpSocket> stream;
    server.setHandler([&](const MiniRequest &r, QTcpSocket *s) {
        if (r.method == "GET") {
            stream = s;
            MiniHttpServer::startSse(s, ": ok\n\nevent: endpoint\ndata: /message?sessionId=abc\n\n");
        } else {
            MiniHttpServer::respond(s, 202, "Accepted", "Accepted");
            if (stream)
                stream->write("event: message\ndata: " + result(1) + "\n\n");
        }
    });
    SseTransport t(optionsFor(server, QStringLiteral("/sse")));
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failed(&t, &Transport::failed);
    QSignalSpy failures(&t, &Transport::sendFailed);
    t.open();
    QCOMPARE(t.state(), Transport::State::Connecting);
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Open, 5000);
    QCOMPARE(t.postUrl(), server.url(QStringLiteral("/message?sessionId=abc")));
    QCOMPARE(server.requests.at(0).header("Accept"), QByteArray("text/event-stream"));
    t.send(request(1, QStringLiteral("initialize")));
    QVERIFY(frames.wait(5000));
    QCOMPARE(frames.first().at(0).toByteArray(), result(1));
    QCOMPARE(server.requests.at(1).target, QByteArray("/message?sessionId=abc"));
    QCOMPARE(server.requests.at(1).header("X-Custom"), QByteArray("custom-value"));
    QVERIFY(failures.isEmpty());
    stream->disconnectFromHost(); // the stream drops: fatal
    QVERIFY(failed.wait(5000));
    QVERIFY(lastErrorText(failed, 0).contains(QLatin1String("ended the event stream")));
}

void TestHttpTransport::autoFallsBackToSse()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    QPointer<QTcpSocket> stream;
    server.setHandler([&](const MiniRequest &r, QTcpSocket *s) {
        if (r.method == "GET") {
            stream = s;
            MiniHttpServer::startSse(s, "event: endpoint\ndata: /messages\n\n");
        } else if (r.target == "/messages") {
            MiniHttpServer::respond(s, 202, "Accepted");
            if (stream)
                stream->write("event: message\ndata: " + result(1) + "\n\n");
        } else {
            MiniHttpServer::respond(s, 405, "Method Not Allowed", "POST not supported here");
        }
    });
    TransportConfig config;
    config.http = optionsFor(server, QStringLiteral("/sse"));
    Error err;
    std::unique_ptr<Transport> t = TransportFactory::create(config, &err);
    QVERIFY(t);
    QSignalSpy frames(t.get(), &Transport::frameReceived);
    QSignalSpy failures(t.get(), &Transport::sendFailed);
    QSignalSpy states(t.get(), &Transport::stateChanged);
    t->open();
    QCOMPARE(t->state(), Transport::State::Open);
    t->send(request(1, QStringLiteral("initialize")));
    QVERIFY(frames.wait(5000));
    QCOMPARE(frames.first().at(0).toByteArray(), result(1));
    QCOMPARE(t->kind(), QStringLiteral("sse"));
    QVERIFY(qobject_cast<AutoHttpTransport *>(t.get())->fellBack());
    QVERIFY(failures.isEmpty());
    QCOMPARE(server.requests.at(0).method, QByteArray("POST"));
    QCOMPARE(server.requests.at(1).method, QByteArray("GET"));
    QCOMPARE(server.requests.at(2).target, QByteArray("/messages"));
    QCOMPARE(server.requests.at(2).body, request(1, QStringLiteral("initialize")).bytes);
    QCOMPARE(states.size(), 2); // Connecting, Open: the outside never saw the switch
    QCOMPARE(states.last().at(0).value<Transport::State>(), Transport::State::Open);
}

void TestHttpTransport::autoStaysOnJsonRpcError()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    const QByteArray rpcError =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"nope\"}}";
    server.setHandler([&](const MiniRequest &, QTcpSocket *s) {
        MiniHttpServer::respond(s, 404, "Not Found", rpcError, {{"Content-Type", "application/json"}});
    });
    TransportConfig config;
    config.http = optionsFor(server);
    std::unique_ptr<Transport> t = TransportFactory::create(config);
    QSignalSpy frames(t.get(), &Transport::frameReceived);
    t->open();
    t->send(request(1, QStringLiteral("server/discover")));
    QVERIFY(frames.wait(5000));
    QCOMPARE(frames.first().at(0).toByteArray(), rpcError);
    QCOMPARE(t->kind(), QStringLiteral("http"));
    QCOMPARE(server.requests.size(), 1);
}

void TestHttpTransport::factoryKinds()
{
    QCOMPARE(TransportConfig::kindFromString(QStringLiteral("stateless-http")), TransportConfig::Kind::Http);
    QCOMPARE(TransportConfig::kindFromString(QStringLiteral("WebSocket")), TransportConfig::Kind::WebSocket);
    QVERIFY(!TransportConfig::kindFromString(QStringLiteral("carrier-pigeon")));
    TransportConfig c;
    Error err;
    QVERIFY(!TransportFactory::create(c, &err));
    QVERIFY(err.isError());
    c.http.url = QUrl(QStringLiteral("ws://127.0.0.1:1/mcp"));
    QCOMPARE(TransportFactory::create(c)->kind(), QStringLiteral("ws"));
    c.kind = TransportConfig::Kind::Sse;
    QVERIFY(!TransportFactory::create(c, &err));
    c.http.url = QUrl(QStringLiteral("http://127.0.0.1:1/sse"));
    QCOMPARE(TransportFactory::create(c)->kind(), QStringLiteral("sse"));
    c.kind = TransportConfig::Kind::Auto;
    c.http.url = QUrl();
    c.stdio = StdioOptions::fromCommandLine(QStringLiteral("node server.js"));
    QCOMPARE(TransportFactory::create(c)->kind(), QStringLiteral("stdio"));
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

// A JSON answer over the frame limit fails its request with the limit named, and is not read further (the
// body used to grow without bound).
void TestHttpTransport::answerOverTheFrameLimit()
{
    MiniHttpServer server;
    QVERIFY(server.listen());
    server.setHandler([](const MiniRequest &, QTcpSocket *s) {
        MiniHttpServer::json(s, result(1, "\"" + QByteArray(5000, 'x') + "\""));
    });
    HttpOptions o = optionsFor(server);
    o.maxFrameBytes = 1000;
    HttpTransport t(o);
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    t.open();
    t.send(request(1, QStringLiteral("initialize")));
    QVERIFY(failures.wait(5000));
    const Error error = failures.first().at(1).value<Error>();
    QVERIFY2(error.message.contains(QStringLiteral("frame limit of 1000 bytes")),
             qPrintable(error.toString()));
    QCOMPARE(error.category, Error::Category::Protocol); // the server's doing, as over stdio
    QCOMPARE(frames.size(), 0);
}

QTEST_GUILESS_MAIN(TestHttpTransport)
#include "tst_httptransport.moc"
