// HttpTransport when things go wrong, against a tiny in-process HTTP server on 127.0.0.1: answers cut short,
// connections refused, HTTP error bodies, CA files and TLS trust, and answers over the frame limit. Each
// gives a clear error; none hangs (every wait is bounded).
#include "httptransporttest.h"

class TestHttpFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void truncatedAnswer_data();
    void truncatedAnswer();
    void connectionRefused();
    void httpErrorBodies();
    void badCaFile();
    void tlsTrustAndInsecure();
    void answerOverTheFrameLimit();
};

void TestHttpFailures::initTestCase()
{
    qRegisterMetaType<Error>("mcp::Error");
    qRegisterMetaType<Diagnostic>("mcp::Diagnostic");
    qRegisterMetaType<HttpExchange>("mcp::HttpExchange");
}

// An answer cut short fails its request and leaves the connection open: an event stream that ends in the
// middle of an event, and a JSON body the server cut short by closing before its Content-Length (that one
// was parsed as it was and reported as "a body that is not JSON").
void TestHttpFailures::truncatedAnswer_data()
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

void TestHttpFailures::truncatedAnswer()
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

void TestHttpFailures::connectionRefused()
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

void TestHttpFailures::httpErrorBodies()
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

void TestHttpFailures::badCaFile()
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
void TestHttpFailures::tlsTrustAndInsecure()
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

// A JSON answer over the frame limit fails its request with the limit named, and is not read further (the
// body used to grow without bound).
void TestHttpFailures::answerOverTheFrameLimit()
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

QTEST_GUILESS_MAIN(TestHttpFailures)
#include "tst_httpfailures.moc"
