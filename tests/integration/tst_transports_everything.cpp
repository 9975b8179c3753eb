// The HTTP transports against the real @modelcontextprotocol/server-everything (pinned in tests/peers):
// streamableHttp (/mcp) and the legacy sse mode (/sse + /message), and the `auto` fallback onto the latter.
// Each starts the server on 127.0.0.1 (loopback preload) and sends a raw initialize frame.
#include "transport/httptransport.h"
#include "transport/ssetransport.h"
#include "transport/transportfactory.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <testsupport.h>

using namespace mcp;

namespace {

const QByteArray kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},)"
    R"("clientInfo":{"name":"mcpwb-tests","version":"0"}}})";

OutgoingFrame frame(const QByteArray &bytes, const QString &method, bool expectsReply)
{
    OutgoingFrame f;
    f.bytes = bytes;
    f.method = method;
    f.expectsReply = expectsReply;
    return f;
}

QString everythingScript()
{
    return testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-everything")) +
           QStringLiteral("/dist/index.js");
}

// Waits for the frame that answers `id`; returns its "result" object (empty when none came).
QJsonObject waitForResult(QSignalSpy &frames, int id, int timeoutMs = 15000)
{
    QDeadlineTimer deadline(timeoutMs);
    qsizetype seen = 0;
    while (!deadline.hasExpired()) {
        for (; seen < frames.size(); ++seen) {
            const QJsonObject o = QJsonDocument::fromJson(frames.at(seen).at(0).toByteArray()).object();
            if (o.value(QLatin1String("id")).toInt(-1) == id)
                return o.value(QLatin1String("result")).toObject();
        }
        frames.wait(qMax<qint64>(1, qMin<qint64>(500, deadline.remainingTime())));
    }
    return {};
}

} // namespace

class TestTransportsEverything : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void streamableHttp();
    void legacySse();
    void autoFallsBackOnSseServer();
};

void TestTransportsEverything::initTestCase()
{
    MCPWB_REQUIRE_PEERS();
    qRegisterMetaType<Error>("mcp::Error");
    qRegisterMetaType<Diagnostic>("mcp::Diagnostic");
    qRegisterMetaType<HttpExchange>("mcp::HttpExchange");
}

void TestTransportsEverything::streamableHttp()
{
    const quint16 port = testsupport::freeLoopbackPort();
    testsupport::PeerProcess peer;
    QVERIFY2(peer.start(everythingScript(), {QStringLiteral("streamableHttp")},
                        {QStringLiteral("PORT=%1").arg(port)}, port),
             qPrintable(peer.output()));

    HttpOptions o;
    o.url = QUrl(QStringLiteral("http://127.0.0.1:%1/mcp").arg(port));
    HttpTransport t(o);
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    QSignalSpy exchanges(&t, &Transport::httpExchange);
    t.open();
    t.send(frame(kInitialize, QStringLiteral("initialize"), true));
    const QJsonObject init = waitForResult(frames, 1);
    QVERIFY2(init.contains(QLatin1String("serverInfo")), qPrintable(peer.output()));
    QVERIFY(!t.sessionId().isEmpty()); // server-everything keeps sessions
    t.setProtocolVersion(init.value(QLatin1String("protocolVersion")).toString());
    t.send(frame(R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
                 QStringLiteral("notifications/initialized"), false));
    t.send(frame(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})", QStringLiteral("tools/list"), true));
    const QJsonObject tools = waitForResult(frames, 2);
    QVERIFY(tools.value(QLatin1String("tools")).isArray());
    QVERIFY(failures.isEmpty());
    QTest::qWait(300); // let the GET stream open
    t.close();
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Closed, 5000);
    // The GET stream was open (recorded when close() ended it) and the session was ended with DELETE.
    bool sawGet = false, sawDelete = false;
    for (const auto &a : exchanges) {
        const HttpExchange ex = a.at(0).value<HttpExchange>();
        if (ex.method == "GET") {
            sawGet = true;
            QCOMPARE(ex.status, 200);
        } else if (ex.method == "DELETE") {
            sawDelete = true;
            QCOMPARE(ex.status, 200);
        }
    }
    QVERIFY(sawGet);
    QVERIFY(sawDelete);
}

void TestTransportsEverything::legacySse()
{
    const quint16 port = testsupport::freeLoopbackPort();
    testsupport::PeerProcess peer;
    QVERIFY2(
        peer.start(everythingScript(), {QStringLiteral("sse")}, {QStringLiteral("PORT=%1").arg(port)}, port),
        qPrintable(peer.output()));

    HttpOptions o;
    o.url = QUrl(QStringLiteral("http://127.0.0.1:%1/sse").arg(port));
    SseTransport t(o);
    QSignalSpy frames(&t, &Transport::frameReceived);
    QSignalSpy failures(&t, &Transport::sendFailed);
    t.open();
    QTRY_COMPARE_WITH_TIMEOUT(t.state(), Transport::State::Open, 10000);
    QVERIFY(t.postUrl().path().startsWith(QLatin1String("/message")));
    t.send(frame(kInitialize, QStringLiteral("initialize"), true));
    const QJsonObject init = waitForResult(frames, 1);
    QVERIFY2(init.contains(QLatin1String("serverInfo")), qPrintable(peer.output()));
    QVERIFY(failures.isEmpty());
    t.close();
    QCOMPARE(t.state(), Transport::State::Closed);
}

void TestTransportsEverything::autoFallsBackOnSseServer()
{
    const quint16 port = testsupport::freeLoopbackPort();
    testsupport::PeerProcess peer;
    QVERIFY2(
        peer.start(everythingScript(), {QStringLiteral("sse")}, {QStringLiteral("PORT=%1").arg(port)}, port),
        qPrintable(peer.output()));

    TransportConfig config;
    config.http.url = QUrl(QStringLiteral("http://127.0.0.1:%1/sse").arg(port));
    std::unique_ptr<Transport> t = TransportFactory::create(config);
    QVERIFY(t);
    QSignalSpy frames(t.get(), &Transport::frameReceived);
    QSignalSpy failures(t.get(), &Transport::sendFailed);
    QSignalSpy failed(t.get(), &Transport::failed);
    t->open();
    t->send(frame(kInitialize, QStringLiteral("initialize"), true));
    const QJsonObject init = waitForResult(frames, 1);
    QVERIFY2(init.contains(QLatin1String("serverInfo")),
             qPrintable(failed.isEmpty() ? peer.output() : failed.first().at(0).value<Error>().toString()));
    QCOMPARE(t->kind(), QStringLiteral("sse"));
    QVERIFY(failures.isEmpty());
    t->close();
}

QTEST_GUILESS_MAIN(TestTransportsEverything)
#include "tst_transports_everything.moc"
