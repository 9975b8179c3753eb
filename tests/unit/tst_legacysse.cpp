// The legacy HTTP+SSE transport (2024-11-05) and the `auto` kind that falls back to it, against a tiny
// in-process HTTP server on 127.0.0.1; and what the transport factory makes of each kind.
#include "httptransporttest.h"

class TestLegacySse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void legacySse();
    void autoFallsBackToSse();
    void autoStaysOnJsonRpcError();
    void factoryKinds();
};

void TestLegacySse::initTestCase()
{
    qRegisterMetaType<Error>("mcp::Error");
    qRegisterMetaType<Diagnostic>("mcp::Diagnostic");
    qRegisterMetaType<HttpExchange>("mcp::HttpExchange");
}

void TestLegacySse::legacySse()
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

void TestLegacySse::autoFallsBackToSse()
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

void TestLegacySse::autoStaysOnJsonRpcError()
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

void TestLegacySse::factoryKinds()
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

QTEST_GUILESS_MAIN(TestLegacySse)
#include "tst_legacysse.moc"
