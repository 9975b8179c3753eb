#include "testsupport.h"
#include "traffic/tracefile.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

// `mcpwb proxy` between mcpwb and a real server: over stdio and streamable HTTP against the pinned
// @modelcontextprotocol/server-everything, and over HTTP against mcpwb's own demo server (demo-server --http,
// JSON answers instead of SSE). The result through the proxy equals the direct one, and the proxy's
// recording holds every frame the client's own --trace holds.
class TestProxy : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;

    using Run = testsupport::CliRun;
    static Run mcpwb(const QStringList &args) { return testsupport::runMcpwb(args); }

    // (direction, bytes) of every frame, in order.
    static QList<QPair<int, QByteArray>> frames(const QString &path)
    {
        mcp::Recorder recorder;
        mcp::Error error;
        if (!mcp::readTrace(path, recorder, &error))
            qWarning() << error.toString();
        QList<QPair<int, QByteArray>> out;
        for (qsizetype i = 0; i < recorder.size(); ++i)
            out.append({int(recorder.at(i).direction), recorder.at(i).bytes});
        return out;
    }

    // The frames of one direction, in order.
    static QList<QPair<int, QByteArray>> inDirection(const QList<QPair<int, QByteArray>> &all,
                                                     mcp::Direction d)
    {
        QList<QPair<int, QByteArray>> out;
        std::copy_if(all.begin(), all.end(), std::back_inserter(out),
                     [d](const auto &frame) { return frame.first == int(d); });
        return out;
    }

    static bool waitForPort(quint16 port)
    {
        for (int i = 0; i < 100; ++i) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(100))
                return true;
            QTest::qWait(100);
        }
        return false;
    }

    // `mcpwb demo-server --http` on a free port; its port, or 0. Stopped when `process` goes.
    static quint16 startDemoServer(QProcess &process)
    {
        const quint16 port = testsupport::freeLoopbackPort();
        testsupport::endWithTest(process);
        process.start(testsupport::mcpwbBinary(),
                      {QStringLiteral("demo-server"), QStringLiteral("--http"), QString::number(port)});
        return waitForPort(port) ? port : 0;
    }

    // `mcpwb proxy --url upstream` on a free port, recording to `recording`; its port, or 0.
    static quint16 startHttpProxy(QProcess &process, const QString &upstream, const QString &recording)
    {
        const quint16 port = testsupport::freeLoopbackPort();
        testsupport::endWithTest(process);
        process.start(testsupport::mcpwbBinary(),
                      {QStringLiteral("proxy"), QStringLiteral("--url"), upstream, QStringLiteral("--listen"),
                       QString::number(port), QStringLiteral("--record"), recording});
        return waitForPort(port) ? port : 0;
    }

    // `mcpwb demo-server --http` with `mcpwb proxy` in front of it; both stopped when this goes.
    struct DemoBehindProxy
    {
        QProcess demo;
        QProcess proxy;
        quint16 demoPort = 0;
        quint16 proxyPort = 0;

        bool start(const QString &recording)
        {
            demoPort = startDemoServer(demo);
            proxyPort = demoPort
                            ? startHttpProxy(proxy, QStringLiteral("http://127.0.0.1:%1/mcp").arg(demoPort),
                                             recording)
                            : 0;
            return proxyPort;
        }
        ~DemoBehindProxy()
        {
            for (QProcess *p : {&proxy, &demo}) {
                p->terminate();
                p->waitForFinished();
            }
        }
    };

private Q_SLOTS:
    void stdioPassThroughAndRecording()
    {
        MCPWB_REQUIRE_PEERS();
        const QString recording = m_tmp.filePath(QStringLiteral("stdio-proxy.jsonl"));
        const QString trace = m_tmp.filePath(QStringLiteral("stdio-client.jsonl"));
        const QString proxy =
            QStringLiteral("%1 proxy --stdio '%2' --record %3")
                .arg(testsupport::mcpwbBinary(), testsupport::everythingStdioCommand(), recording);
        const QStringList verb = {QStringLiteral("tools"), QStringLiteral("call"), QStringLiteral("echo"),
                                  QStringLiteral(R"({"message":"through the proxy"})")};
        const Run direct =
            mcpwb(QStringList{QStringLiteral("--stdio"), testsupport::everythingStdioCommand()} + verb);
        const Run proxied =
            mcpwb(QStringList{QStringLiteral("--stdio"), proxy, QStringLiteral("--trace"), trace} + verb);
        QCOMPARE(direct.exitCode, 0);
        QVERIFY2(proxied.exitCode == 0, proxied.err.constData());
        QCOMPARE(proxied.out, direct.out);
        QVERIFY(proxied.out.contains("through the proxy"));

        const auto recorded = frames(recording);
        QVERIFY(recorded.size() >= 4); // discovery/initialize, its answer, initialized, call, result
        // A server's unsolicited notification and the client's next request cross each other, so the proxy
        // and the client may see them in either order; within one direction the order is the same.
        const auto traced = frames(trace);
        for (const auto direction : {mcp::Direction::Sent, mcp::Direction::Received})
            QCOMPARE(inDirection(recorded, direction), inDirection(traced, direction));
    }

    void httpPassThroughAndRecording_data()
    {
        QTest::addColumn<bool>("everything");
        QTest::newRow("server-everything (streamable HTTP, SSE answers)") << true;
        QTest::newRow("mcpwb demo-server --http (JSON answers)") << false;
    }

    void httpPassThroughAndRecording()
    {
        QFETCH(bool, everything);
        if (everything)
            MCPWB_REQUIRE_PEERS();
        testsupport::PeerProcess peer;
        QProcess demo;
        const quint16 upstreamPort = everything ? 0 : startDemoServer(demo);
        quint16 everythingPort = 0;
        if (everything)
            QVERIFY(peer.startEverything(QStringLiteral("streamableHttp"), &everythingPort));
        const QString upstream =
            QStringLiteral("http://127.0.0.1:%1/mcp").arg(everything ? everythingPort : upstreamPort);
        QVERIFY(everything || upstreamPort);
        const QString recording = m_tmp.filePath(QStringLiteral("http-proxy-%1.jsonl").arg(everything));
        QProcess proxy;
        const quint16 proxyPort = startHttpProxy(proxy, upstream, recording);
        QVERIFY(proxyPort);

        const QString trace = m_tmp.filePath(QStringLiteral("http-client-%1.jsonl").arg(everything));
        const QString proxied = QStringLiteral("http://127.0.0.1:%1/mcp").arg(proxyPort);
        const QStringList verbs[] = {{QStringLiteral("tools"), QStringLiteral("list")},
                                     {QStringLiteral("tools"), QStringLiteral("call"), QStringLiteral("echo"),
                                      QStringLiteral(R"({"message":"through the proxy"})")}};
        for (const QStringList &verb : verbs) {
            if (!everything && verb.value(1) == QStringLiteral("call"))
                continue; // the demo server has no echo tool
            const Run direct = mcpwb(QStringList{QStringLiteral("--url"), upstream} + verb);
            const Run viaProxy =
                mcpwb(QStringList{QStringLiteral("--url"), proxied, QStringLiteral("--trace"), trace} + verb);
            QVERIFY2(direct.exitCode == 0, direct.err.constData());
            QVERIFY2(viaProxy.exitCode == 0, viaProxy.err.constData());
            QCOMPARE(viaProxy.out, direct.out);
        }
        QTest::qWait(200); // the proxy writes the last answer's record after forwarding it
        for (QProcess *p : {&proxy, &demo}) {
            p->terminate();
            p->waitForFinished();
        }

        auto recorded = frames(recording);
        auto traced = frames(trace); // the last client run's trace
        QVERIFY(recorded.size() >= traced.size() && traced.size() >= 4);
        // Concurrent streams (POST answers, the GET stream) may interleave differently at the two ends.
        std::sort(recorded.begin(), recorded.end());
        std::sort(traced.begin(), traced.end());
        for (const auto &frame : traced)
            QVERIFY2(std::binary_search(recorded.begin(), recorded.end(), frame), frame.second.constData());
    }

    // Writes one raw request and reads the answer until the server closes the connection (bounded: 5 s).
    static QByteArray exchangeRaw(quint16 port, const QByteArray &request)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(5000))
            return "not connected";
        socket.write(request);
        QByteArray answer;
        for (int i = 0; i < 50 && socket.state() == QAbstractSocket::ConnectedState; ++i)
            if (socket.waitForReadyRead(100))
                answer += socket.readAll();
        return answer + socket.readAll();
    }

    static QByteArray bodyOf(const QByteArray &answer) { return answer.mid(answer.indexOf("\r\n\r\n") + 4); }

    // Request bodies must come with a valid Content-Length: a chunked one is refused with a reason, not
    // forwarded half-read, by the proxy and by our own HTTP server alike; so is a length that is no number.
    // A client that sends `Expect: 100-continue` (curl, for large bodies) is told to go on.
    void httpRequestFraming()
    {
        DemoBehindProxy servers;
        QVERIFY(servers.start(m_tmp.filePath(QStringLiteral("framing.jsonl"))));
        const quint16 upstreamPort = servers.demoPort;
        const quint16 proxyPort = servers.proxyPort;

        const QByteArray ping = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
        const QByteArray head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                "Accept: application/json, text/event-stream\r\n";
        const QByteArray chunked = head + "Transfer-Encoding: chunked\r\n\r\n" +
                                   QByteArray::number(ping.size(), 16) + "\r\n" + ping + "\r\n0\r\n\r\n";
        const QByteArray badLength = head + "Content-Length: forty\r\n\r\n" + ping;
        for (const quint16 port : {proxyPort, upstreamPort}) {
            QByteArray answer = exchangeRaw(port, chunked);
            QVERIFY2(answer.startsWith("HTTP/1.1 411 Length Required"), answer.constData());
            QVERIFY2(bodyOf(answer).contains("Content-Length"), answer.constData()); // says what to do
            answer = exchangeRaw(port, badLength);
            QVERIFY2(answer.startsWith("HTTP/1.1 400 Bad Request"), answer.constData());
            QVERIFY2(bodyOf(answer).contains("Content-Length"), answer.constData());
        }

        QTcpSocket expecting;
        expecting.connectToHost(QHostAddress::LocalHost, proxyPort);
        QVERIFY(expecting.waitForConnected(5000));
        expecting.write(head + "Content-Length: " + QByteArray::number(ping.size()) +
                        "\r\nExpect: 100-continue\r\n\r\n");
        QByteArray answer;
        for (int i = 0; i < 50 && !answer.contains("\r\n\r\n"); ++i)
            if (expecting.waitForReadyRead(100))
                answer += expecting.readAll();
        QCOMPARE(answer, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        expecting.write(ping);
        answer.clear();
        for (int i = 0; i < 50 && !answer.contains("\"id\":1"); ++i)
            if (expecting.waitForReadyRead(100))
                answer += expecting.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 "), answer.constData());
        QVERIFY2(answer.contains("\"result\"") || answer.contains("\"error\""), answer.constData());
    }
    // The proxy and the demo server take requests from this machine only, for their own origin, within
    // limits. The proxy used to resolve the target against the upstream, so "//host/..." or an absolute URL
    // sent the request (and its headers) to any host; neither checked Host, and the proxy had no caps.
    void localRequestsOnly_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("status");
        const QByteArray ping = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
        const QByteArray rest =
            "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
            "Content-Length: " +
            QByteArray::number(ping.size()) + "\r\n\r\n" + ping;
        QTest::newRow("absolute-form target")
            << "POST http://127.0.0.1:@OTHER@/mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n" + rest
            << QByteArray("400 ");
        QTest::newRow("//host target")
            << "POST //127.0.0.1:@OTHER@/mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n" + rest << QByteArray("400 ");
        QTest::newRow("foreign Host")
            << "POST /mcp HTTP/1.1\r\nHost: evil.example:80\r\n" + rest << QByteArray("403 ");
        QTest::newRow("foreign Origin")
            << "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n" + rest
            << QByteArray("403 ");
        QTest::newRow("no Host") << "POST /mcp HTTP/1.1\r\n" + rest << QByteArray("403 ");
        QTest::newRow("head over 64 KiB")
            << "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + QByteArray(70 * 1024, 'x')
            << QByteArray("431 ");
        QTest::newRow("body over 16 MiB")
            << QByteArray("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n")
            << QByteArray("413 ");
    }

    void localRequestsOnly()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, status);
        QTcpServer other; // "another host": nothing may reach it through the proxy
        QVERIFY(other.listen(QHostAddress::LocalHost));
        request.replace("@OTHER@", QByteArray::number(other.serverPort()));
        DemoBehindProxy servers;
        QVERIFY(servers.start(m_tmp.filePath(QStringLiteral("local-only.jsonl"))));
        for (const quint16 port : {servers.proxyPort, servers.demoPort}) {
            const QByteArray answer = exchangeRaw(port, request);
            QVERIFY2(answer.startsWith("HTTP/1.1 " + status), answer.left(300).constData());
            QVERIFY2(!bodyOf(answer).trimmed().isEmpty(), "refused without a reason");
        }
        QVERIFY2(!other.waitForNewConnection(300), "the request reached another host");
    }
};

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
