#include "testsupport.h"
#include "traffic/tracefile.h"

#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

// `mcpwb proxy` between mcpwb and a real server: over stdio against the pinned
// @modelcontextprotocol/server-everything, over HTTP against mcpwb's own demo server (demo-server --http).
// The result through the proxy equals the direct one, and the proxy's recording holds exactly the frames
// the client's own --trace holds.
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
        QCOMPARE(recorded, frames(trace));
    }

    void httpPassThroughAndRecording()
    {
        const quint16 upstreamPort = testsupport::freeLoopbackPort();
        QProcess upstream;
        upstream.start(testsupport::mcpwbBinary(), {QStringLiteral("demo-server"), QStringLiteral("--http"),
                                                    QString::number(upstreamPort)});
        QVERIFY(waitForPort(upstreamPort));
        const quint16 proxyPort = testsupport::freeLoopbackPort();
        const QString recording = m_tmp.filePath(QStringLiteral("http-proxy.jsonl"));
        QProcess proxy;
        proxy.start(testsupport::mcpwbBinary(),
                    {QStringLiteral("proxy"), QStringLiteral("--url"),
                     QStringLiteral("http://127.0.0.1:%1/mcp").arg(upstreamPort), QStringLiteral("--listen"),
                     QString::number(proxyPort), QStringLiteral("--record"), recording});
        QVERIFY(waitForPort(proxyPort));

        const QString trace = m_tmp.filePath(QStringLiteral("http-client.jsonl"));
        const QStringList verb = {QStringLiteral("tools"), QStringLiteral("list")};
        const Run direct = mcpwb(QStringList{QStringLiteral("--url"),
                                             QStringLiteral("http://127.0.0.1:%1/mcp").arg(upstreamPort)} +
                                 verb);
        const Run proxied = mcpwb(QStringList{QStringLiteral("--url"),
                                              QStringLiteral("http://127.0.0.1:%1/mcp").arg(proxyPort),
                                              QStringLiteral("--trace"), trace} +
                                  verb);
        QCOMPARE(direct.exitCode, 0);
        QVERIFY2(proxied.exitCode == 0, proxied.err.constData());
        QCOMPARE(proxied.out, direct.out);
        QTest::qWait(200); // the proxy writes the last answer's record after forwarding it
        proxy.terminate();
        proxy.waitForFinished();
        upstream.terminate();
        upstream.waitForFinished();

        auto recorded = frames(recording);
        auto traced = frames(trace);
        QVERIFY(recorded.size() >= 4);
        // Concurrent streams (POST answers, the GET stream) may interleave differently at the two ends.
        std::sort(recorded.begin(), recorded.end());
        std::sort(traced.begin(), traced.end());
        QCOMPARE(recorded, traced);
    }
};

QTEST_GUILESS_MAIN(TestProxy)
#include "tst_proxy.moc"
