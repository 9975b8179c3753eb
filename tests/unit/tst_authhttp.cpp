// Authorization requests over the MCP connection's own HTTP client (issue 12, findings 8 and 11): what goes
// over the wire is what is recorded (Host, Content-Length, User-Agent), redirects within the origin show as
// hops, an answer is capped and an exchange bounded in time as a whole, and the connection's TLS policy (its
// CA file, the insecure option) holds for the flow too. Before, QNetworkAccessManager sent them: it ignored
// the CA file, restarted its timeout with every byte, kept any answer whole and recorded only our headers.
#include "auth/authflow.h"
#include "auth/recordedhttp.h"
#include "fakeauthserver.h"
#include "minihttpserver.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace mcp;
using namespace fakeauth;

namespace {

// One exchange through a RecordedHttp, and the hops on the way.
struct Sent
{
    HttpExchange answer;
    QList<HttpExchange> hops;
    bool done = false;
};

Sent send(RecordedHttp &http, const QByteArray &verb, const QUrl &url, const HeaderList &headers = {},
          const QByteArray &body = {})
{
    Sent sent;
    http.send(
        verb, url, headers, body,
        [&sent](const HttpExchange &ex) {
            sent.answer = ex;
            sent.done = true;
        },
        [&sent](const HttpExchange &ex) { sent.hops << ex; });
    if (!QTest::qWaitFor([&sent] { return sent.done; }, 20000))
        sent.answer.error = QStringLiteral("test: no answer within 20 s");
    return sent;
}

QByteArray headerOf(const HttpExchange &ex, QByteArrayView name)
{
    for (const auto &[n, v] : ex.requestHeaders)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

} // namespace

class TestAuthHttp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The record shows the header fields the server got, not only the ones the flow set.
    void recordsTheHeadersAsWritten()
    {
        MiniHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const MiniRequest &, QTcpSocket *s) { MiniHttpServer::json(s, "{}"); });
        RecordedHttp http;
        const Sent sent = send(http, "POST", server.url(QStringLiteral("/token")),
                               {{"Content-Type", "application/x-www-form-urlencoded"}}, "grant_type=x");
        QCOMPARE(sent.answer.status, 200);
        QCOMPARE(headerOf(sent.answer, "Host"), QStringLiteral("127.0.0.1:%1").arg(server.port()).toLatin1());
        QCOMPARE(headerOf(sent.answer, "Content-Length"), QByteArray("12"));
        QVERIFY(headerOf(sent.answer, "User-Agent").startsWith("mcp-workbench/"));
        QCOMPARE(headerOf(sent.answer, "Content-Type"), QByteArray("application/x-www-form-urlencoded"));
        QCOMPARE(server.requests.value(0).header("user-agent"), headerOf(sent.answer, "User-Agent"));
    }

    // A 307 within the origin is followed and recorded as a hop; one to another origin is the answer.
    void redirectsWithinTheOriginAreHops()
    {
        MiniHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([&server](const MiniRequest &r, QTcpSocket *s) {
            if (r.target == "/a")
                MiniHttpServer::respond(s, 307, "Temporary Redirect", {}, {{"Location", "/b"}});
            else if (r.target == "/b")
                MiniHttpServer::respond(
                    s, 307, "Temporary Redirect", {},
                    {{"Location", QStringLiteral("http://localhost:%1/c").arg(server.port()).toLatin1()}});
            else
                MiniHttpServer::json(s, "{}");
        });
        RecordedHttp http;
        const Sent sent = send(http, "GET", server.url(QStringLiteral("/a")));
        QCOMPARE(sent.hops.size(), 1);
        QCOMPARE(sent.hops[0].status, 307);
        QCOMPARE(sent.hops[0].url.path(), QStringLiteral("/a"));
        QCOMPARE(sent.answer.url.path(), QStringLiteral("/b"));
        QCOMPARE(sent.answer.status, 307); // localhost is another origin than 127.0.0.1: not followed
        QCOMPARE(server.requests.size(), 2);
    }

    // When the connection's server changes while a request waits for the old server's name to resolve, that
    // request is not sent, and the next one is judged against the new server, not the old one's addresses.
    // Before, the old lookup's answer (127.0.0.1, this machine) let a request made under a remote server
    // reach a local service.
    void peersAreHeldToTheCurrentServer()
    {
        MiniHttpServer local;
        QVERIFY(local.listen());
        local.setHandler([](const MiniRequest &, QTcpSocket *s) { MiniHttpServer::json(s, "{}"); });
        RecordedHttp http;
        http.holdPeersTo(local.url(QStringLiteral("/mcp")));
        Sent earlier;
        http.send("GET", local.url(QStringLiteral("/.well-known/oauth-authorization-server")), {}, {},
                  [&earlier](const HttpExchange &ex) {
                      earlier.answer = ex;
                      earlier.done = true;
                  });
        http.holdPeersTo(QUrl(QStringLiteral("https://192.0.2.1/mcp"))); // the internet (TEST-NET-1)
        const Sent later = send(http, "POST", local.url(QStringLiteral("/token")), {}, "grant_type=x");
        QVERIFY(QTest::qWaitFor([&earlier] { return earlier.done; }, 20000));
        QCOMPARE(earlier.answer.status, 0);
        QVERIFY2(earlier.answer.error.contains(QLatin1String("not sent")), qPrintable(earlier.answer.error));
        QCOMPARE(later.answer.status, 0);
        QVERIFY2(
            later.answer.error.contains(QLatin1String("is this machine, but the MCP server is at 192.0.2.1")),
            qPrintable(later.answer.error));
        QVERIFY(local.requests.isEmpty());
    }

    void answerPastTheCapIsRefused()
    {
        MiniHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const MiniRequest &, QTcpSocket *s) {
            MiniHttpServer::json(s, QByteArray(RecordedHttp::maxAnswerBytes + 1, ' '));
        });
        RecordedHttp http;
        const Sent sent =
            send(http, "GET", server.url(QStringLiteral("/.well-known/oauth-authorization-server")));
        QCOMPARE(sent.answer.status, 0);
        QVERIFY2(sent.answer.error.contains(QLatin1String("longer than 1024 KiB")),
                 qPrintable(sent.answer.error));
        QVERIFY(sent.answer.responseBody.size() <= RecordedHttp::maxAnswerBytes);
    }

    // A server that sends one byte at a time cannot hold an exchange past its deadline.
    void drippingAnswerMeetsTheDeadline()
    {
        MiniHttpServer server;
        QVERIFY(server.listen());
        QTimer drip;
        QPointer<QTcpSocket> client;
        server.setHandler([&](const MiniRequest &, QTcpSocket *s) {
            s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n");
            client = s;
            drip.start(100);
        });
        connect(&drip, &QTimer::timeout, this, [&client] {
            if (client)
                client->write(" ");
        });
        RecordedHttp http;
        http.setTimeoutMs(1000);
        const Sent sent = send(http, "GET", server.url(QStringLiteral("/jwks")));
        QCOMPARE(sent.answer.status, 0);
        QCOMPARE(sent.answer.error, QStringLiteral("no complete answer within 1 s"));
        QVERIFY(!sent.answer.responseBody.isEmpty()); // what arrived is kept
    }

    // The TLS policy the flow is given: a self-signed authorization server is refused, trusted through the
    // connection's CA file, or let through by the insecure option with the warning in the step.
    void flowFollowsTheConnectionsTlsPolicy()
    {
        QTemporaryDir dir;
        QSslConfiguration serverTls;
        QString cert;
        if (!testsupport::makeSelfSignedTls(dir.path(), &serverTls, &cert))
            QSKIP("the openssl command could not make a test certificate");
        Deployment d(serverTls);
        const auto attempt = [&d](const TlsPolicy &policy, QString *reasons) {
            TokenStore store;
            AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c1"));
            flow.setTlsPolicy(policy);
            const Outcome o = run(flow, refusal(d.endpoint(), {}));
            for (const AuthStep &step : flow.steps())
                *reasons += step.reason + QLatin1Char('\n');
            return o.finished ? QStringLiteral("finished") : o.error.toString();
        };
        QString reasons;
        const QString refused = attempt({}, &reasons);
        QVERIFY2(refused.contains(QLatin1String("TLS certificate of 127.0.0.1:")) &&
                     refused.contains(QLatin1String("rejected")),
                 qPrintable(refused));

        TlsPolicy trusted;
        qsizetype added = 0;
        QString error;
        QVERIFY(trustCaFile(cert, &trusted.configuration, &added, &error));
        QCOMPARE(attempt(trusted, &reasons), QStringLiteral("finished"));

        TlsPolicy insecure;
        insecure.insecure = true;
        reasons.clear();
        QCOMPARE(attempt(insecure, &reasons), QStringLiteral("finished"));
        QVERIFY2(reasons.contains(QLatin1String("INSECURE: ignoring TLS certificate errors for 127.0.0.1:")),
                 qPrintable(reasons));
    }

    // A token endpoint that answers without end fails the flow with the limit named.
    void flowRefusesAnOversizedTokenAnswer()
    {
        MiniHttpServer flood;
        QVERIFY(flood.listen());
        flood.setHandler([](const MiniRequest &, QTcpSocket *s) {
            MiniHttpServer::json(s, "{\"access_token\":\"" +
                                        QByteArray(2 * RecordedHttp::maxAnswerBytes, 'a') + "\"}");
        });
        Deployment d;
        d.tokenEndpoint = flood.url(QStringLiteral("/token")).toString();
        TokenStore store;
        AuthFlow flow(followRedirect(), d.endpoint(), &store, QStringLiteral("c1"));
        const Outcome o = run(flow, refusal(d.endpoint(), {}));
        QVERIFY(!o.finished);
        QVERIFY2(o.error.toString().contains(QLatin1String("longer than 1024 KiB")),
                 qPrintable(o.error.toString()));
    }
};

QTEST_GUILESS_MAIN(TestAuthHttp)
#include "tst_authhttp.moc"
