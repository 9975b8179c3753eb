// What the traffic pane's detail view asks of core, without widgets: the notification -> request links
// (progress token, cancellation requestId), the frame -> HTTP exchange link, bounded JSON re-indenting, and
// the raw HTTP text with secrets masked until revealed.
#include "traffic/framelinks.h"
#include "traffic/jsonindent.h"
#include "traffic/rawhttp.h"

#include <QTest>

using namespace mcp;

class TstFrameDetail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void notificationsLinkToTheirRequest()
    {
        Recorder r;
        const int a = r.addConnection(QStringLiteral("a"));
        const int b = r.addConnection(QStringLiteral("b"));
        const auto sent = Direction::Sent;
        const auto received = Direction::Received;
        const int call = r.record(
            a, sent,
            R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"_meta":{"progressToken":"p7"}}})");
        const int other = r.record(b, sent, R"({"jsonrpc":"2.0","id":7,"method":"tools/call"})");
        const int progress = r.record(
            a, received,
            R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p7","progress":1}})");
        const int foreign = r.record( // same token on another connection
            b, received,
            R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p7"}})");
        const int cancel = r.record(
            a, sent, R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}})");
        const int cancelOther = r.record(
            b, sent, R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}})");
        const int unknown = r.record(
            a, sent, R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}})");
        const int log =
            r.record(a, received, R"({"jsonrpc":"2.0","method":"notifications/message","params":{}})");
        const int reply = r.record(a, received, R"({"jsonrpc":"2.0","id":7,"result":{}})");
        const int late = r.record(
            a, received,
            R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p7"}})");

        QCOMPARE(framelinks::requestOf(r, progress), call);
        QCOMPARE(framelinks::requestOf(r, foreign), -1); // b's request carried no token
        QCOMPARE(framelinks::requestOf(r, cancel), call);
        QCOMPARE(framelinks::requestOf(r, cancelOther), other);
        QCOMPARE(framelinks::requestOf(r, unknown), -1);
        QCOMPARE(framelinks::requestOf(r, log), -1);
        QCOMPARE(framelinks::requestOf(r, call), -1); // not a notification
        QCOMPARE(framelinks::requestOf(r, late), call);
        QCOMPARE(framelinks::requestOf(r, late, 2), -1); // bounded look-back
        QCOMPARE(framelinks::notificationsOf(r, call), (std::vector<int>{progress, cancel}));
        QCOMPARE(framelinks::notificationsOf(r, other), (std::vector<int>{cancelOther}));
        QCOMPARE(framelinks::notificationsOf(r, reply), std::vector<int>{});
    }

    void framesLinkToTheirHttpExchange()
    {
        Recorder r;
        const int c = r.addConnection(QStringLiteral("http"));
        const int stdio = r.addConnection(QStringLiteral("stdio"));
        const QByteArray request = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";
        const QByteArray progress = R"({"jsonrpc":"2.0","method":"notifications/progress","params":{}})";
        const QByteArray response = R"({"jsonrpc":"2.0","id":1,"result":{}})";
        const int sent = r.record(c, Direction::Sent, request);
        const int note = r.record(c, Direction::Received, progress);
        const int received = r.record(c, Direction::Received, response);
        const int elsewhere = r.record(stdio, Direction::Received, response);
        HttpExchange post;
        post.method = "POST";
        post.requestBody = request;
        post.status = 200;
        post.responseBody = "id: 1\ndata: " + progress + "\n\nid: 2\ndata: " + response + "\n\n";
        HttpExchange get;
        get.method = "GET";
        get.status = 405;
        r.recordHttp(c, get);
        r.recordHttp(c, post);
        QCOMPARE(framelinks::httpExchangesOf(r, sent), std::vector<int>{1});
        QCOMPARE(framelinks::httpExchangesOf(r, note), std::vector<int>{1});
        QCOMPARE(framelinks::httpExchangesOf(r, received), std::vector<int>{1});
        QCOMPARE(framelinks::httpExchangesOf(r, elsewhere), std::vector<int>{});
    }

    void indentsBoundedPrefixes()
    {
        const QByteArray compact =
            "{\"a\":[1,{\"b\":\"x,{y}:\\\"z\"}],\"e\":{},\"f\":[ ]}"; // no raw string: moc misreads \" in one
        QCOMPARE(indentJson(compact),
                 QByteArray("{\n  \"a\": [\n    1,\n    {\n      \"b\": \"x,{y}:\\\"z\"\n"
                            "    }\n  ],\n  \"e\": {},\n  \"f\": []\n}"));
        bool cut = true;
        indentJson(compact, -1, &cut);
        QVERIFY(!cut);
        QCOMPARE(indentJson(compact, 7, &cut), QByteArray("{\n  \"a\": [\n    1"));
        QVERIFY(cut);
        QCOMPARE(indentJson("not json}}]"), QByteArray("notjson\n}\n}\n]")); // malformed: shown, never thrown
    }

    void findsAMemberWithoutParsing()
    {
        const QByteArray frame =
            "{\"jsonrpc\":\"2.0\", \"id\":7,\"result\":{\"content\":[{\"text\":\"a } \\\" ]\"}],"
            "\"structuredContent\" : {\"items\":[1,{\"x\":\"}\"}]} ,\"z\":null}}";
        const auto text = [&](ByteRange r) {
            return r.begin < 0 ? QByteArray() : frame.mid(r.begin, r.size);
        };
        QCOMPARE(text(findJsonMember(frame, {"result", "structuredContent"})),
                 QByteArray("{\"items\":[1,{\"x\":\"}\"}]}"));
        QCOMPARE(text(findJsonMember(frame, {"id"})), QByteArray("7"));
        QCOMPARE(text(findJsonMember(frame, {"result", "z"})), QByteArray("null"));
        QCOMPARE(findJsonMember(frame, {"result", "missing"}).begin, -1);
        QCOMPARE(findJsonMember(frame, {"id", "deeper"}).begin, -1);
        // Cut or malformed text finds nothing rather than reading past the end.
        QCOMPARE(findJsonMember(frame.left(60), {"result", "structuredContent"}).begin, -1);
        QCOMPARE(findJsonMember("{\"a\"", {"a"}).begin, -1);
        QCOMPARE(findJsonMember("", {"a"}).begin, -1);
    }

    void rawHttpMasksSecretsUntilRevealed()
    {
        HttpExchange x;
        x.method = "POST";
        x.url = QUrl(QStringLiteral("http://127.0.0.1:1/mcp?access_token=abc"));
        x.requestHeaders = {{"Authorization", "Bearer secret-123"}, {"Content-Type", "application/json"}};
        x.requestBody = R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"password":"pw"}})";
        x.status = 200;
        x.reason = "OK";
        x.responseHeaders = {{"Set-Cookie", "sid=s3"}, {"Content-Type", "text/event-stream"}};
        x.responseBody = "id: ev-1\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\n";

        const QByteArray masked = formatHttpExchange(x);
        QVERIFY(masked.startsWith("POST /mcp?access_token="));
        QVERIFY(masked.contains("redacted") &&
                masked.contains(" HTTP/1.1\nHost: 127.0.0.1:1\nAuthorization"));
        QVERIFY(masked.contains("Authorization: Bearer [redacted]\n"));
        QVERIFY(masked.contains("Content-Type: application/json\n"));
        QVERIFY(masked.contains(R"("password":"[redacted]")"));
        QVERIFY(masked.contains("HTTP/1.1 200 OK\nSet-Cookie: [redacted]\n"));
        QVERIFY(masked.contains("id: ev-1\ndata: "));
        for (const char *secret : {"secret-123", "sid=s3", "abc", "\"pw\""})
            QVERIFY2(!masked.contains(secret), secret);

        const QByteArray revealed = formatHttpExchange(x, false);
        QVERIFY(revealed.contains("Authorization: Bearer secret-123\n"));
        QVERIFY(revealed.contains("Set-Cookie: sid=s3\n"));

        x.status = 0;
        x.error = QStringLiteral("connection refused");
        QVERIFY(formatHttpExchange(x).endsWith("(no response: connection refused)\n"));
    }
};

QTEST_GUILESS_MAIN(TstFrameDetail)
#include "tst_framedetail.moc"
