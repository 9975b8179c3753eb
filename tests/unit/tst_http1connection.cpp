// Http1Client against MiniHttpServer on 127.0.0.1 with hand-written (and deliberately broken or split)
// responses. Every wait is bounded.
#include "transport/http1connection.h"
#include "transport/sseparser.h"

#include <QNetworkProxy>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <minihttpserver.h>

using namespace mcp;

namespace {

constexpr int WaitMs = 5000;

// What a reply said, collected from its signals.
struct Outcome
{
    explicit Outcome(Http1Reply *r) : reply(r)
    {
        QObject::connect(r, &Http1Reply::headersReceived, r, [this] { headersBeforeBody = body.isEmpty(); });
        QObject::connect(r, &Http1Reply::bodyData, r, [this](const QByteArray &chunk) {
            body += chunk;
            ++pieces;
        });
        QObject::connect(r, &Http1Reply::finished, r, [this] { ++finished; });
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return finished > 0; }, WaitMs);
    }

    std::unique_ptr<Http1Reply> reply;
    QByteArray body;
    int pieces = 0;
    int finished = 0;
    bool headersBeforeBody = false;
};

QByteArray keepAliveResponse(const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extraHeaders +
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// Writes `bytes` in pieces of `step` bytes, one piece per timer tick, so they arrive in separate reads.
void writeSlowly(QTcpSocket *s, const QByteArray &bytes, int step, bool closeAfter = false)
{
    s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto *timer = new QTimer(s);
    auto offset = std::make_shared<qsizetype>(0);
    QObject::connect(timer, &QTimer::timeout, s, [=] {
        s->write(bytes.mid(*offset, step));
        s->flush();
        *offset += step;
        if (*offset >= bytes.size()) {
            timer->stop();
            if (closeAfter)
                s->disconnectFromHost();
        }
    });
    timer->start(1);
}

} // namespace

class TestHttp1Connection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<MiniHttpServer>();
        QVERIFY(m_server->listen());
    }

    void contentLength()
    {
        m_server->setHandler([](const MiniRequest &, QTcpSocket *s) {
            s->write(
                keepAliveResponse("{\"ok\":true}", "X-Twice: a\r\nx-twice: b\r\nX-Folded: one\r\n  two\r\n"));
        });
        Http1Client client;
        Outcome o(client.send("POST", m_server->url(QStringLiteral("/mcp?x=1")),
                              {{"Content-Type", "application/json"}, {"X-Custom", "v"}}, "{\"id\":1}"));
        QVERIFY(o.wait());
        QCOMPARE(o.reply->error(), Http1Reply::Error::None);
        QCOMPARE(o.reply->status(), 200);
        QCOMPARE(o.reply->reason(), QByteArray("OK"));
        QCOMPARE(o.body, QByteArray("{\"ok\":true}"));
        QVERIFY(o.headersBeforeBody);
        QCOMPARE(o.reply->header("content-type"), QByteArray("application/json"));
        QCOMPARE(o.reply->header("X-TWICE"), QByteArray("a, b"));
        QCOMPARE(o.reply->header("X-Folded"), QByteArray("one two"));
        QCOMPARE(o.reply->headers().size(), 5);

        QCOMPARE(m_server->requests.size(), 1);
        const MiniRequest &r = m_server->requests.first();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.target, QByteArray("/mcp?x=1"));
        QCOMPARE(r.header("Host"), QByteArray("127.0.0.1:") + QByteArray::number(m_server->port()));
        QCOMPARE(r.header("Content-Length"), QByteArray("8"));
        QCOMPARE(r.header("X-Custom"), QByteArray("v"));
        QVERIFY(r.header("User-Agent").startsWith("mcp-workbench/"));
        QCOMPARE(r.body, QByteArray("{\"id\":1}"));
    }

    void chunkedWithExtensionsAndTrailers()
    {
        m_server->setHandler([](const MiniRequest &, QTcpSocket *s) {
            writeSlowly(s,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n",
                        7);
        });
        Http1Client client;
        Outcome o(client.send("GET", m_server->url(), {}, {}));
        QVERIFY(o.wait());
        QCOMPARE(o.reply->error(), Http1Reply::Error::None);
        QCOMPARE(o.body, QByteArray("hello 0123456789"));
        QVERIFY(o.pieces > 1);
    }

    // An event stream in chunks, written one byte at a time: every boundary (inside the chunk size line,
    // between CR and LF, inside a UTF-8 character, inside "data:") is crossed by some read.
    void sseChunksSplitEverywhere()
    {
        const QByteArray e1 = "id: 1\r\nevent: message\r\ndata: {\"text\":\"grüße\"}\r\n\r\n";
        const QByteArray e2 = "data: {\"n\":2}\n\n";
        const QByteArray raw = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: "
                               "chunked\r\n\r\n" +
                               QByteArray::number(e1.size(), 16) + "\r\n" + e1 + "\r\n" +
                               QByteArray::number(e2.size(), 16) + "\r\n" + e2 + "\r\n0\r\n\r\n";
        m_server->setHandler([&](const MiniRequest &, QTcpSocket *s) { writeSlowly(s, raw, 1); });
        Http1Client client;
        auto *reply = client.send("GET", m_server->url(), {{"Accept", "text/event-stream"}}, {});
        Outcome o(reply);
        SseParser parser;
        QList<SseEvent> events;
        int piecesAtFirstEvent = -1;
        connect(reply, &Http1Reply::bodyData, reply, [&](const QByteArray &chunk) {
            events += parser.feed(chunk);
            if (!events.isEmpty() && piecesAtFirstEvent < 0)
                piecesAtFirstEvent = o.pieces;
        });
        QVERIFY(o.wait());
        QCOMPARE(reply->error(), Http1Reply::Error::None);
        QVERIFY2(o.pieces > 20, qPrintable(QString::number(o.pieces)));
        QCOMPARE(o.body, e1 + e2);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].data, QByteArray("{\"text\":\"grüße\"}"));
        QCOMPARE(events[1].data, QByteArray("{\"n\":2}"));
        QVERIFY(piecesAtFirstEvent > 0 && piecesAtFirstEvent < o.pieces); // delivered as it arrived
    }

    void keepAliveReuse()
    {
        m_server->setHandler([](const MiniRequest &r, QTcpSocket *s) {
            if (r.target == "/empty")
                s->write("HTTP/1.1 204 No Content\r\n\r\n");
            else if (r.target == "/accepted")
                s->write("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
            else
                s->write("HTTP/1.1 100 Continue\r\n\r\n" + keepAliveResponse(r.body));
        });
        Http1Client client;
        // Each request is sent from the previous one's finished(): the connection must already be free.
        QList<QByteArray> bodies;
        std::function<void(int)> next = [&](int i) {
            if (i == 6)
                return;
            const QString path = i == 2   ? QStringLiteral("/empty")
                                 : i == 4 ? QStringLiteral("/accepted")
                                          : QStringLiteral("/echo");
            auto *reply = client.send("POST", m_server->url(path), {}, QByteArray::number(i));
            connect(reply, &Http1Reply::bodyData, reply, [&](const QByteArray &b) { bodies << b; });
            connect(reply, &Http1Reply::finished, reply, [&, reply, i] {
                QCOMPARE(reply->error(), Http1Reply::Error::None);
                reply->deleteLater();
                next(i + 1);
            });
        };
        next(0);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->requests.size(), 6, WaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(bodies.size(), 4, WaitMs);
        QCOMPARE(bodies, (QList<QByteArray>{"0", "1", "3", "5"}));
        QCOMPARE(m_server->connections, 1);
    }

    // A Keep-Alive timeout of any size is read without overflow: 4294969 s once came out as 704 ms, so an
    // idle second was enough to drop the connection the server keeps for 49 days.
    void hugeKeepAliveTimeout()
    {
        m_server->setHandler([](const MiniRequest &, QTcpSocket *s) {
            s->write(keepAliveResponse("x", "Keep-Alive: timeout=4294969\r\n"));
        });
        Http1Client client;
        for (int i = 0; i < 2; ++i) {
            auto *reply = client.send("POST", m_server->url(QStringLiteral("/")), {}, "ping");
            QSignalSpy finished(reply, &Http1Reply::finished);
            QVERIFY(finished.wait(WaitMs));
            QCOMPARE(reply->error(), Http1Reply::Error::None);
            reply->deleteLater();
            if (i == 0)
                QTest::qWait(1000);
        }
        QCOMPARE(m_server->connections, 1);
    }

    // The server closes an idle kept-alive connection: the next request gets a new one.
    void serverClosesBetweenRequests()
    {
        m_server->setHandler([](const MiniRequest &, QTcpSocket *s) {
            s->write(keepAliveResponse("x"));
            s->flush();
            QTimer::singleShot(10, s, [s] { s->disconnectFromHost(); });
        });
        Http1Client client;
        Outcome first(client.send("POST", m_server->url(), {}, "1"));
        QVERIFY(first.wait());
        QTest::qWait(100);
        Outcome second(client.send("POST", m_server->url(), {}, "2"));
        QVERIFY(second.wait());
        QCOMPARE(second.reply->error(), Http1Reply::Error::None);
        QCOMPARE(second.body, QByteArray("x"));
        QCOMPARE(m_server->connections, 2);
    }

    // The server drops a reused connection just as the next request arrives, without answering: sent once
    // more on a new connection. A new connection that drops the request is an error (no endless retries).
    void serverDropsReusedConnection()
    {
        m_server->setHandler([this](const MiniRequest &r, QTcpSocket *s) {
            if (r.body == "drop" && m_server->connections == 1)
                s->abort();
            else if (r.body == "always-drop")
                s->abort();
            else
                s->write(keepAliveResponse("ok:" + r.body));
        });
        Http1Client client;
        Outcome first(client.send("POST", m_server->url(), {}, "1"));
        QVERIFY(first.wait());
        Outcome retried(client.send("POST", m_server->url(), {}, "drop"));
        QVERIFY(retried.wait());
        QCOMPARE(retried.reply->error(), Http1Reply::Error::None);
        QCOMPARE(retried.body, QByteArray("ok:drop"));
        QCOMPARE(m_server->connections, 2);

        Http1Client fresh;
        Outcome dropped(fresh.send("POST", m_server->url(), {}, "always-drop"));
        QVERIFY(dropped.wait());
        QCOMPARE(dropped.reply->error(), Http1Reply::Error::RemoteClosed);
        QVERIFY(dropped.reply->errorString().contains(QLatin1String("closed the connection")));
    }

    void truncatedBody_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
            << QByteArray("0123456789");
        QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                               "a\r\n0123456789\r\n20\r\nabc")
                                 << QByteArray("0123456789abc");
        QTest::newRow("headers") << QByteArray("HTTP/1.1 200 OK\r\nContent-Le") << QByteArray();
    }
    void truncatedBody()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, body);
        m_server->setHandler([&](const MiniRequest &, QTcpSocket *s) {
            s->write(raw);
            s->flush();
            s->disconnectFromHost();
        });
        Http1Client client;
        Outcome o(client.send("GET", m_server->url(), {}, {}));
        QVERIFY(o.wait());
        QCOMPARE(o.finished, 1);
        QCOMPARE(o.reply->error(), Http1Reply::Error::RemoteClosed);
        QCOMPARE(o.body, body);
    }

    // Without Content-Length or chunking the body ends with the connection (that is success).
    void bodyUntilClose()
    {
        m_server->setHandler([](const MiniRequest &, QTcpSocket *s) {
            s->write("HTTP/1.0 200 OK\r\n\r\nall of it");
            s->flush();
            s->disconnectFromHost();
        });
        Http1Client client;
        Outcome o(client.send("GET", m_server->url(), {}, {}));
        QVERIFY(o.wait());
        QCOMPARE(o.reply->error(), Http1Reply::Error::None);
        QCOMPARE(o.body, QByteArray("all of it"));
    }

    void garbage_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("message");
        QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << QStringLiteral("status line");
        QTest::newRow("http/2") << QByteArray("HTTP/2 200\r\n\r\n") << QStringLiteral("status line");
        QTest::newRow("status not a number")
            << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << QStringLiteral("status line \"HTTP/1.1 2x0 OK\"");
        QTest::newRow("status out of range")
            << QByteArray("HTTP/1.1 999 Huh\r\n\r\n") << QStringLiteral("status line");
        QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff\r\n", 6)
                                << QStringLiteral("status line \"????");
        QTest::newRow("endless line") << QByteArray(70 * 1024, 'H') << QStringLiteral("longer than");
        QTest::newRow("bad header") << QByteArray("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")
                                    << QStringLiteral("header line");
        QTest::newRow("bad content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")
            << QStringLiteral("Content-Length \"5, 6\"");
        QTest::newRow("bad chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
            << QStringLiteral("chunk size");
        QTest::newRow("chunk too long") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                      "2\r\nabc\r\n0\r\n\r\n")
                                        << QStringLiteral("chunk data longer");
        QTest::newRow("upgrade") << QByteArray("HTTP/1.1 101 Switching Protocols\r\n\r\n")
                                 << QStringLiteral("101");
    }
    void garbage()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, message);
        m_server->setHandler([&](const MiniRequest &, QTcpSocket *s) { s->write(raw); }); // and keep it open
        Http1Client client;
        Outcome o(client.send("GET", m_server->url(), {}, {}));
        QVERIFY(o.wait());
        QCOMPARE(o.finished, 1);
        QCOMPARE(o.reply->error(), Http1Reply::Error::Malformed);
        QVERIFY2(o.reply->errorString().contains(message), qPrintable(o.reply->errorString()));
        QVERIFY(o.reply->errorString().contains(QStringLiteral("127.0.0.1:%1").arg(m_server->port())));
    }

    void connectionRefused()
    {
        const QUrl url = m_server->url();
        m_server.reset(); // nobody listens there any more
        Http1Client client;
        Outcome o(client.send("GET", url, {}, {}));
        QVERIFY(o.wait());
        QCOMPARE(o.reply->error(), Http1Reply::Error::ConnectionRefused);
        QCOMPARE(o.reply->status(), 0);
    }

    // A receiver aborts mid-stream (the transports do on a broken event stream): finished once, the
    // connection is not reused.
    void abortFromBodyData()
    {
        m_server->setHandler([](const MiniRequest &, QTcpSocket *s) {
            s->write(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                "5\r\nabcde\r\n");
        });
        Http1Client client;
        auto *reply = client.send("GET", m_server->url(), {}, {});
        Outcome o(reply);
        connect(reply, &Http1Reply::bodyData, reply, [reply] { reply->abort(); });
        QVERIFY(o.wait());
        QCOMPARE(o.finished, 1);
        QCOMPARE(reply->error(), Http1Reply::Error::Aborted);
        m_server->setHandler(
            [](const MiniRequest &, QTcpSocket *s) { s->write(keepAliveResponse("again")); });
        Outcome next(client.send("GET", m_server->url(), {}, {}));
        QVERIFY(next.wait());
        QCOMPARE(next.body, QByteArray("again"));
        QCOMPARE(m_server->connections, 2);
    }

    // The peer check sees the address the name led to, before anything is written: a refused peer gets no
    // byte of the request, on a new connection and on a reused one, and the reply says why.
    void refusedPeerGetsNothing()
    {
        m_server->setHandler([](const MiniRequest &, QTcpSocket *s) { s->write(keepAliveResponse("ok")); });
        Http1Client client;
        QString refusal; // empty: allowed
        QList<QHostAddress> seen;
        client.setPeerCheck([&](const QHostAddress &peer, const QString &host) {
            seen << peer;
            return refusal.isEmpty() ? QString() : refusal + QLatin1Char(' ') + host;
        });
        Outcome first(client.send("POST", m_server->url(), {}, "secret-1"));
        QVERIFY(first.wait());
        QCOMPARE(first.reply->error(), Http1Reply::Error::None);
        QCOMPARE(seen, QList<QHostAddress>{QHostAddress(QHostAddress::LocalHost)});

        refusal = QStringLiteral("refused:");
        Outcome reused(client.send("POST", m_server->url(), {}, "secret-2"));
        QCOMPARE(reused.finished, 0); // never inside send()
        QVERIFY(reused.wait());
        QCOMPARE(reused.reply->error(), Http1Reply::Error::Refused);
        QCOMPARE(reused.reply->errorString(), QStringLiteral("refused: 127.0.0.1"));

        Http1Client fresh;
        fresh.setPeerCheck([](const QHostAddress &, const QString &) { return QStringLiteral("no"); });
        Outcome refused(fresh.send("POST", m_server->url(), {}, "secret-3"));
        QVERIFY(refused.wait());
        QCOMPARE(refused.reply->error(), Http1Reply::Error::Refused);
        QTest::qWait(100);
        QCOMPARE(m_server->requests.size(), 1);
        QCOMPARE(m_server->requests[0].body, QByteArray("secret-1"));
    }

    void redirect307KeepsMethodAndBody()
    {
        m_server->setHandler([](const MiniRequest &r, QTcpSocket *s) {
            if (r.target == "/mcp")
                s->write(
                    "HTTP/1.1 307 Temporary Redirect\r\nLocation: /mcp/\r\nContent-Length: 4\r\n\r\nmove");
            else
                s->write(keepAliveResponse(r.method + " " + r.target + " " + r.body));
        });
        Http1Client client;
        Outcome o(client.send("POST", m_server->url(QStringLiteral("/mcp")), {}, "payload"));
        QVERIFY(o.wait());
        QCOMPARE(o.reply->status(), 200);
        QCOMPARE(o.body, QByteArray("POST /mcp/ payload"));
    }

    // Issue 12, finding 1: a 307 to another origin (another port here) must not carry the headers there.
    void redirectToAnotherOriginNotFollowed()
    {
        MiniHttpServer elsewhere;
        QVERIFY(elsewhere.listen());
        elsewhere.setHandler(
            [](const MiniRequest &, QTcpSocket *s) { MiniHttpServer::respond(s, 200, "OK"); });
        const QByteArray location = elsewhere.url().toEncoded();
        m_server->setHandler([&](const MiniRequest &, QTcpSocket *s) {
            MiniHttpServer::respond(s, 307, "Temporary Redirect", {}, {{"Location", location}});
        });
        Http1Client client;
        Outcome o(client.send("POST", m_server->url(), {{"Authorization", "Bearer secret"}}, "payload"));
        QVERIFY(o.wait());
        QTest::qWait(50); // a followed request would be on its way by now
        QCOMPARE(elsewhere.connections, 0);
        QVERIFY(elsewhere.requests.isEmpty());
        QCOMPARE(o.reply->status(), 307); // the redirect is the answer
        QCOMPARE(o.reply->header("Location"), location);
    }

    // An HTTP proxy of the application gets http:// requests in absolute form.
    void forwardProxy()
    {
        m_server->setHandler(
            [](const MiniRequest &r, QTcpSocket *s) { s->write(keepAliveResponse(r.target)); });
        QNetworkProxy::setApplicationProxy(
            QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), m_server->port()));
        Http1Client client;
        Outcome o(client.send("GET", QUrl(QStringLiteral("http://mcp.example:8080/mcp?a=b")), {}, {}));
        const bool done = o.wait();
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
        QVERIFY(done);
        QCOMPARE(o.body, QByteArray("http://mcp.example:8080/mcp?a=b"));
        QCOMPARE(m_server->requests.first().header("Host"), QByteArray("mcp.example:8080"));
    }

private:
    std::unique_ptr<MiniHttpServer> m_server;
};

QTEST_GUILESS_MAIN(TestHttp1Connection)
#include "tst_http1connection.moc"
