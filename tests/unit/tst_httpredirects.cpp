// Redirects of MCP requests (issue 12, finding 1): HttpTransport against two MiniHttpServers on 127.0.0.1,
// whose ports make them two origins. Every wait is bounded.
#include "transport/httptransport.h"

#include <QSignalSpy>
#include <QTest>
#include <minihttpserver.h>

using namespace mcp;

namespace {

OutgoingFrame ping(int id)
{
    OutgoingFrame f;
    f.bytes = R"({"jsonrpc":"2.0","id":)" + QByteArray::number(id) + R"(,"method":"ping"})";
    f.method = QStringLiteral("ping");
    f.expectsReply = true;
    return f;
}

HttpOptions optionsFor(const MiniHttpServer &server)
{
    HttpOptions o;
    o.url = server.url();
    o.connectTimeoutMs = 5000;
    o.headers = {{"Authorization", "Bearer secret"}, {"X-Api-Key", "key"}};
    return o;
}

} // namespace

class TstHttpRedirects : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redirectToAnotherOriginFails()
    {
        MiniHttpServer server;
        MiniHttpServer elsewhere;
        QVERIFY(server.listen() && elsewhere.listen());
        elsewhere.setHandler([](const MiniRequest &, QTcpSocket *s) {
            MiniHttpServer::json(s, R"({"jsonrpc":"2.0","id":1,"result":{}})");
        });
        const QByteArray location = elsewhere.url(QStringLiteral("/stolen")).toEncoded();
        server.setHandler([&](const MiniRequest &, QTcpSocket *s) {
            MiniHttpServer::respond(s, 307, "Temporary Redirect", {}, {{"Location", location}});
        });
        HttpTransport t(optionsFor(server));
        QSignalSpy failures(&t, &Transport::sendFailed);
        QSignalSpy exchanges(&t, &Transport::httpExchange);
        t.open();
        t.send(ping(1));
        QVERIFY(failures.wait(5000));
        const QString error = failures.first().at(1).value<Error>().toString();
        QVERIFY2(error.contains(QString::fromLatin1(location)), qPrintable(error));
        QTest::qWait(50);                   // a followed request would be on its way by now
        QCOMPARE(elsewhere.connections, 0); // so no Authorization, API key or session id went there
        QCOMPARE(exchanges.size(), 1);
        const HttpExchange ex = exchanges.first().first().value<HttpExchange>();
        QCOMPARE(ex.url, server.url());
        QCOMPARE(ex.status, 307);
    }

    void redirectWithinTheOriginIsFollowedAndEachHopRecorded()
    {
        MiniHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const MiniRequest &r, QTcpSocket *s) {
            if (r.target == "/mcp")
                MiniHttpServer::respond(s, 307, "Temporary Redirect", {}, {{"Location", "/v2/mcp"}});
            else
                MiniHttpServer::json(s, R"({"jsonrpc":"2.0","id":1,"result":{}})");
        });
        HttpTransport t(optionsFor(server));
        QSignalSpy frames(&t, &Transport::frameReceived);
        QSignalSpy exchanges(&t, &Transport::httpExchange);
        t.open();
        t.send(ping(1));
        QVERIFY(frames.wait(5000));
        QCOMPARE(server.requests.size(), 2);
        QCOMPARE(server.requests[1].header("Authorization"), QByteArray("Bearer secret"));
        QVERIFY(QTest::qWaitFor([&] { return exchanges.size() >= 2; }, 5000));
        QCOMPARE(exchanges.size(), 2);
        const HttpExchange first = exchanges[0].first().value<HttpExchange>();
        const HttpExchange second = exchanges[1].first().value<HttpExchange>();
        QCOMPARE(first.url, server.url());
        QCOMPARE(first.status, 307);
        QCOMPARE(headerValue(first.responseHeaders, "Location"), QByteArray("/v2/mcp"));
        QCOMPARE(second.url, server.url(QStringLiteral("/v2/mcp")));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.requestBody, ping(1).bytes);
    }
};

QTEST_GUILESS_MAIN(TstHttpRedirects)
#include "tst_httpredirects.moc"
