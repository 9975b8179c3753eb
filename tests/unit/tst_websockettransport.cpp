// WebSocketTransport against an in-process QWebSocketServer on 127.0.0.1 that speaks the `mcp` subprotocol.
#include "transport/websockettransport.h"

#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>
#include <testsupport.h>

using namespace mcp;

class TestWebSocketTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void echoWithSubprotocol();
    void connectionRefused();
    void badUrl();
    void messageOverTheFrameLimit();
};

void TestWebSocketTransport::initTestCase()
{
    qRegisterMetaType<Error>("mcp::Error");
    qRegisterMetaType<Diagnostic>("mcp::Diagnostic");
    qRegisterMetaType<HttpExchange>("mcp::HttpExchange");
}

void TestWebSocketTransport::echoWithSubprotocol()
{
    QWebSocketServer server(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({QStringLiteral("mcp")});
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QWebSocket *peer = nullptr;
    QByteArray customHeader;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        peer = server.nextPendingConnection();
        peer->setParent(&server); // the caller owns it: gone with the server (LeakSanitizer)
        customHeader = peer->request().rawHeader("X-Custom");
        connect(peer, &QWebSocket::textMessageReceived, peer,
                [&](const QString &m) { peer->sendTextMessage(QStringLiteral("echo:") + m); });
    });

    HttpOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/mcp").arg(server.serverPort()));
    o.headers = {{"X-Custom", "yes"}};
    WebSocketTransport t(o);
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failed(&t, &Transport::failed);
    QSignalSpy diags(&t, &Transport::diagnostic);
    QSignalSpy exchanges(&t, &Transport::httpExchange);
    t.open();
    QCOMPARE(t.state(), Transport::State::Connecting);
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Open, 5000);
    QCOMPARE(exchanges.size(), 1);
    QCOMPARE(exchanges.first().at(0).value<HttpExchange>().status, 101);
    for (const auto &d : diags) // the subprotocol was confirmed: no warning
        QVERIFY(!d.at(0).value<Diagnostic>().text.contains(QLatin1String("subprotocol")));
    QTRY_VERIFY_WITH_TIMEOUT(peer != nullptr, 5000);
    QCOMPARE(customHeader, QByteArray("yes"));

    OutgoingFrame f;
    f.bytes = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
    t.send(f);
    QVERIFY(frames.wait(5000));
    QCOMPARE(frames.first().at(0).toByteArray(), "echo:" + f.bytes);

    peer->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("bye"));
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.first().at(0).value<Error>().toString().contains(QLatin1String("closed the WebSocket")));
}

void TestWebSocketTransport::connectionRefused()
{
    HttpOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(testsupport::freeLoopbackPort()));
    WebSocketTransport t(o);
    QSignalSpy failed(&t, &Transport::failed);
    t.open();
    QVERIFY(failed.wait(5000));
    QVERIFY2(failed.first().at(0).value<Error>().toString().contains(QLatin1String("connection refused")),
             qPrintable(failed.first().at(0).value<Error>().toString()));
    QCOMPARE(t.state(), Transport::State::Failed);
}

void TestWebSocketTransport::badUrl()
{
    HttpOptions o;
    o.url = QUrl(QStringLiteral("http://127.0.0.1:1/"));
    WebSocketTransport t(o);
    QSignalSpy failed(&t, &Transport::failed);
    t.open();
    QCOMPARE(failed.size(), 1);
}

// A message over the frame limit closes the connection with the limit named (Qt's own limit is 2 GiB).
void TestWebSocketTransport::messageOverTheFrameLimit()
{
    QWebSocketServer server(QStringLiteral("test"), QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({QStringLiteral("mcp")});
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *peer = server.nextPendingConnection();
        peer->setParent(&server); // the caller owns it: gone with the server (LeakSanitizer)
        peer->sendTextMessage(QString(5000, QLatin1Char('x')));
    });
    HttpOptions o;
    o.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/mcp").arg(server.serverPort()));
    o.maxFrameBytes = 1000;
    WebSocketTransport t(o);
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failed(&t, &Transport::failed);
    t.open();
    QVERIFY(failed.wait(5000));
    const QString error = failed.first().at(0).value<Error>().toString();
    QVERIFY2(error.contains(QLatin1String("frame limit of 1000 bytes")), qPrintable(error));
    QCOMPARE(frames.size(), 0);
}

QTEST_GUILESS_MAIN(TestWebSocketTransport)
#include "tst_websockettransport.moc"
