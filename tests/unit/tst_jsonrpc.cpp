#include "jsonrpc/message.h"

#include <QTest>

using namespace mcp;
using namespace mcp::jsonrpc;

class TestJsonRpc : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("errorContains");

        QTest::newRow("request, numeric id")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"ping"})") << true << int(Kind::Request) << "";
        QTest::newRow("request, string id")
            << QByteArray(R"({"jsonrpc":"2.0","id":"a","method":"x","params":{}})") << true
            << int(Kind::Request) << "";
        QTest::newRow("notification") << QByteArray(R"({"jsonrpc":"2.0","method":"notifications/x"})") << true
                                      << int(Kind::Notification) << "";
        QTest::newRow("response") << QByteArray(R"({"jsonrpc":"2.0","id":3,"result":{}})") << true
                                  << int(Kind::Response) << "";
        QTest::newRow("error") << QByteArray(
                                      R"({"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"nope"}})")
                               << true << int(Kind::Error) << "";
        QTest::newRow("malformed") << QByteArray(R"({"jsonrpc":"2.0","id":)") << false << 0
                                   << "malformed JSON";
        QTest::newRow("garbage") << QByteArray("hello world") << false << 0 << "malformed JSON";
        QTest::newRow("not an object") << QByteArray("42") << false << 0 << "must be an object";
        QTest::newRow("wrong version")
            << QByteArray(R"({"jsonrpc":"1.0","id":1,"method":"x"})") << false << 0 << "\"jsonrpc\"";
        QTest::newRow("null id request")
            << QByteArray(R"({"jsonrpc":"2.0","id":null,"method":"x"})") << false << 0 << "\"id\" must be";
        QTest::newRow("float id") << QByteArray(R"({"jsonrpc":"2.0","id":1.5,"result":{}})") << false << 0
                                  << "\"id\" must be";
        QTest::newRow("method not string")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":3})") << false << 0 << "\"method\" must be";
        QTest::newRow("params scalar") << QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"x","params":3})")
                                       << false << 0 << "\"params\"";
        QTest::newRow("result and error")
            << QByteArray(R"({"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}})") << false
            << 0 << "exactly one";
        QTest::newRow("neither") << QByteArray(R"({"jsonrpc":"2.0","id":1})") << false << 0 << "exactly one";
        QTest::newRow("bad error object") << QByteArray(R"({"jsonrpc":"2.0","id":1,"error":{"code":"x"}})")
                                          << false << 0 << "integer \"code\"";
        QTest::newRow("response without id")
            << QByteArray(R"({"jsonrpc":"2.0","result":{}})") << false << 0 << "without \"method\"";
        QTest::newRow("empty batch") << QByteArray("[]") << false << 0 << "empty";
        QTest::newRow("batch")
            << QByteArray(R"([{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","id":2,"result":{}}])") << true
            << int(Kind::Notification) << "";
        QTest::newRow("bad batch element")
            << QByteArray(R"([{"jsonrpc":"2.0","method":"a"},{}])") << false << 0 << "batch element 1";
    }

    void parse()
    {
        QFETCH(QByteArray, frame);
        QFETCH(bool, ok);
        QFETCH(int, kind);
        QFETCH(QString, errorContains);
        const ParseResult r = jsonrpc::parse(frame);
        QCOMPARE(r.ok(), ok);
        if (ok) {
            QVERIFY(!r.messages.empty());
            QCOMPARE(int(r.messages.front().kind), kind);
        } else {
            QVERIFY2(r.error->message.contains(errorContains), qPrintable(r.error->toString()));
        }
    }

    void malformedReportsPosition()
    {
        const ParseResult r = jsonrpc::parse(R"({"jsonrpc": "2.0", "id": 1, "method": "x",, })");
        QVERIFY(!r.ok());
        QCOMPARE(r.error->offset, 42);
        QVERIFY(r.error->toString().contains(QStringLiteral("at byte 42")));
    }

    void invalidMessageKeepsItsId()
    {
        const ParseResult r = jsonrpc::parse(R"({"jsonrpc":"2.0","id":7})");
        QVERIFY(!r.ok());
        QCOMPARE(r.errorId.get<int>(), 7);
    }

    void batchRefusedWhenNotAllowed()
    {
        Limits limits;
        limits.allowBatch = false;
        const ParseResult r = jsonrpc::parse(R"([{"jsonrpc":"2.0","method":"a"}])", limits);
        QVERIFY(!r.ok());
        QVERIFY(r.error->message.contains(QStringLiteral("batches are not allowed")));
    }

    void frameLimit()
    {
        Limits limits;
        limits.maxFrameBytes = 10;
        const ParseResult r = jsonrpc::parse(R"({"jsonrpc":"2.0","method":"abc"})", limits);
        QVERIFY(!r.ok());
        QVERIFY(r.error->message.contains(QStringLiteral("exceeds the limit")));
    }

    void roundTrip()
    {
        const Message req = Message::request(Json("x-1"), "tools/call", {{"name", "echo"}});
        const ParseResult r = jsonrpc::parse(req.serialize());
        QVERIFY(r.ok());
        QCOMPARE(r.messages.front().method, std::string("tools/call"));
        QCOMPARE(idText(r.messages.front().id), QStringLiteral("\"x-1\""));
        const Message err = Message::errorResponse(5, ErrorCode::MethodNotFound, "nope");
        const ParseResult e = jsonrpc::parse(err.serialize());
        QCOMPARE(e.messages.front().errorCode(), ErrorCode::MethodNotFound);
        QCOMPARE(e.messages.front().errorMessage(), QStringLiteral("nope"));
    }

    // The bytes on the wire: fields in the order every SDK writes them, no whitespace.
    void serializedBytes_data()
    {
        QTest::addColumn<QByteArray>("serialized");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("request")
            << Message::request(7, "tools/call", {{"name", "echo"}}).serialize()
            << QByteArray(R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo"}})");
        QTest::newRow("request without params, string id")
            << Message::request(Json("a"), "ping").serialize()
            << QByteArray(R"({"jsonrpc":"2.0","id":"a","method":"ping"})");
        QTest::newRow("notification")
            << Message::notification("notifications/initialized").serialize()
            << QByteArray(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
        QTest::newRow("response") << Message::response(3, Json::object()).serialize()
                                  << QByteArray(R"({"jsonrpc":"2.0","id":3,"result":{}})");
        QTest::newRow("error")
            << Message::errorResponse(nullptr, ErrorCode::ParseError, "bad").serialize()
            << QByteArray(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}})");
        QTest::newRow("invalid UTF-8 replaced")
            << Message::notification("x", {{"t", std::string("\xff")}}).serialize()
            << QByteArray("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"t\":\"\xef\xbf\xbd\"}}");
    }

    void serializedBytes()
    {
        QFETCH(QByteArray, serialized);
        QTEST(serialized, "expected");
    }

    void invalidUtf8DoesNotThrow()
    {
        Json j = {{"text", std::string("\xff\xfe")}};
        QVERIFY(!dumpCompact(j).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestJsonRpc)
#include "tst_jsonrpc.moc"
