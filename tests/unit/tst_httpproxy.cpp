// The recording HTTP proxy in-process, in front of a MiniHttpServer upstream: what it records of an answer
// is capped, while the answer itself streams through whole.
#include "minihttpserver.h"
#include "server/httpproxy.h"

#include <QTcpSocket>
#include <QTest>

using namespace mcp;

namespace {
// Outside the class: moc misreads raw strings with quotes in a class body.
const QByteArray ping = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
const QByteArray bigAnswer =
    R"({"jsonrpc":"2.0","id":1,"result":{"text":")" + QByteArray(5000, 'x') + R"("}})";
} // namespace

class TestHttpProxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordedAnswerIsCapped()
    {
        MiniHttpServer upstream;
        QVERIFY(upstream.listen());
        const QByteArray &big = bigAnswer;
        upstream.setHandler([&big](const MiniRequest &, QTcpSocket *s) { MiniHttpServer::json(s, big); });
        Recorder recorder;
        HttpProxy proxy(upstream.url(), &recorder);
        proxy.maxRecordedBodyBytes = 1000;
        Error error;
        QVERIFY2(proxy.listen(0, &error), qPrintable(error.toString()));

        QTcpSocket client;
        QByteArray answer;
        connect(&client, &QTcpSocket::readyRead, this, [&] { answer += client.readAll(); });
        client.connectToHost(QHostAddress::LocalHost, proxy.port());
        QVERIFY(client.waitForConnected(5000));
        client.write(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
            QByteArray::number(ping.size()) + "\r\n\r\n" + ping);
        QTRY_VERIFY_WITH_TIMEOUT(client.state() == QAbstractSocket::UnconnectedState, 10000);
        QVERIFY2(answer.endsWith(big), "the answer did not stream through whole");

        QTRY_COMPARE_WITH_TIMEOUT(recorder.httpExchanges().size(), size_t(1), 5000);
        const QByteArray kept = recorder.httpExchanges().front().exchange.responseBody;
        QCOMPARE(kept, big.left(1000) + recordedBodyCut(big.size()));
    }
};

QTEST_GUILESS_MAIN(TestHttpProxy)
#include "tst_httpproxy.moc"
