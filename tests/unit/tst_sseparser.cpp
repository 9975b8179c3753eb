// SseParser: table-driven, every case also fed byte by byte and split at every position.
#include "transport/sseparser.h"

#include <QTest>

using mcp::SseEvent;
using mcp::SseParser;

Q_DECLARE_METATYPE(QList<SseEvent>)

namespace {

SseEvent ev(const QByteArray &data, const QByteArray &event = "message", const QByteArray &id = {})
{
    SseEvent e;
    e.data = data;
    e.event = event;
    e.id = id;
    return e;
}

QByteArray describe(const QList<SseEvent> &events)
{
    QByteArray s;
    for (const SseEvent &e : events)
        s += "[" + e.event + "|" + e.data + "|" + e.id + "]";
    return s;
}

struct Result
{
    QList<SseEvent> events;
    QString finishError;
    int retry = -1;
    QByteArray lastId;
};

Result runChunks(const QList<QByteArray> &chunks)
{
    SseParser p;
    Result r;
    for (const QByteArray &c : chunks)
        r.events += p.feed(c);
    r.finishError = p.finish();
    r.retry = p.retryMs();
    r.lastId = p.lastEventId();
    return r;
}

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void retryAndId();
    void sizeLimit();
    void resetForgets();
};

void TestSseParser::parse_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<SseEvent>>("expected");
    QTest::addColumn<bool>("truncated");

    QTest::newRow("lf") << QByteArray("data: {\"a\":1}\n\n") << QList<SseEvent>{ev("{\"a\":1}")} << false;
    QTest::newRow("crlf") << QByteArray("data: x\r\n\r\n") << QList<SseEvent>{ev("x")} << false;
    QTest::newRow("cr") << QByteArray("data: x\r\r") << QList<SseEvent>{ev("x")} << false;
    QTest::newRow("mixed line ends") << QByteArray("data: a\r\ndata: b\rdata: c\n\r\n")
                                     << QList<SseEvent>{ev("a\nb\nc")} << false;
    QTest::newRow("multi-line data") << QByteArray("data: line1\ndata: line2\n\n")
                                     << QList<SseEvent>{ev("line1\nline2")} << false;
    QTest::newRow("no space after colon") << QByteArray("data:x\n\n") << QList<SseEvent>{ev("x")} << false;
    QTest::newRow("only one space stripped")
        << QByteArray("data:  x\n\n") << QList<SseEvent>{ev(" x")} << false;
    QTest::newRow("comments ignored")
        << QByteArray(": keep-alive\n:\ndata: x\n: mid\n\n") << QList<SseEvent>{ev("x")} << false;
    QTest::newRow("event type") << QByteArray("event: endpoint\ndata: /message?sessionId=1\n\n")
                                << QList<SseEvent>{ev("/message?sessionId=1", "endpoint")} << false;
    QTest::newRow("event type resets") << QByteArray("event: endpoint\ndata: a\n\ndata: b\n\n")
                                       << QList<SseEvent>{ev("a", "endpoint"), ev("b")} << false;
    QTest::newRow("id carried") << QByteArray("id: 7\ndata: a\n\ndata: b\n\n")
                                << QList<SseEvent>{ev("a", "message", "7"), ev("b", "message", "7")} << false;
    QTest::newRow("id reset to empty")
        << QByteArray("id: 7\ndata: a\n\nid\ndata: b\n\n")
        << QList<SseEvent>{ev("a", "message", "7"), ev("b", "message", "")} << false;
    QTest::newRow("id with NUL ignored")
        << QByteArray("id: 1\ndata: a\n\nid: x\0y\ndata: b\n\n", 32)
        << QList<SseEvent>{ev("a", "message", "1"), ev("b", "message", "1")} << false;
    QTest::newRow("priming event, empty data")
        << QByteArray("id: p1\ndata:\n\n") << QList<SseEvent>{ev("", "message", "p1")} << false;
    QTest::newRow("no data no event") << QByteArray("event: x\nid: 3\n\n") << QList<SseEvent>{} << false;
    QTest::newRow("empty data line") << QByteArray("data\ndata\n\n") << QList<SseEvent>{ev("\n")} << false;
    QTest::newRow("unknown field ignored")
        << QByteArray("foo: bar\ndata: x\n\n") << QList<SseEvent>{ev("x")} << false;
    QTest::newRow("colon in value") << QByteArray("data: a: b\n\n") << QList<SseEvent>{ev("a: b")} << false;
    QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF"
                                       "data: x\n\n")
                         << QList<SseEvent>{ev("x")} << false;
    QTest::newRow("utf8 data") << QByteArray("data: \"Grüße, 世界\"\n\n")
                               << QList<SseEvent>{ev("\"Grüße, 世界\"")} << false;
    QTest::newRow("two events") << QByteArray("data: 1\n\ndata: 2\n\n") << QList<SseEvent>{ev("1"), ev("2")}
                                << false;
    QTest::newRow("blank lines between")
        << QByteArray("\n\n\ndata: 1\n\n\n\ndata: 2\n\n") << QList<SseEvent>{ev("1"), ev("2")} << false;
    QTest::newRow("truncated mid-line")
        << QByteArray("data: 1\n\ndata: {\"jsonrpc\"") << QList<SseEvent>{ev("1")} << true;
    QTest::newRow("truncated before blank line")
        << QByteArray("data: 1\n\ndata: {}\n") << QList<SseEvent>{ev("1")} << true;
    QTest::newRow("trailing comment is fine")
        << QByteArray("data: 1\n\n: bye") << QList<SseEvent>{ev("1")} << false;
    QTest::newRow("trailing id only is fine")
        << QByteArray("data: 1\n\nid: 5\n") << QList<SseEvent>{ev("1")} << false;
    QTest::newRow("empty stream") << QByteArray() << QList<SseEvent>{} << false;
}

void TestSseParser::parse()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<SseEvent>, expected);
    QFETCH(bool, truncated);

    // Whole.
    Result whole = runChunks({input});
    QCOMPARE(describe(whole.events), describe(expected));
    QCOMPARE(!whole.finishError.isEmpty(), truncated);

    // Byte by byte.
    QList<QByteArray> bytes;
    for (char c : input)
        bytes << QByteArray(1, c);
    Result single = runChunks(bytes);
    QCOMPARE(describe(single.events), describe(expected));
    QCOMPARE(!single.finishError.isEmpty(), truncated);

    // Split in two at every position, and in three around every position.
    for (qsizetype i = 0; i <= input.size(); ++i) {
        Result two = runChunks({input.left(i), input.mid(i)});
        if (describe(two.events) != describe(expected) || two.finishError.isEmpty() == truncated)
            QFAIL(qPrintable(
                QStringLiteral("split at %1 gave %2").arg(i).arg(QString::fromUtf8(describe(two.events)))));
        for (qsizetype j = i; j <= input.size(); ++j) {
            Result three = runChunks({input.left(i), input.mid(i, j - i), input.mid(j)});
            if (describe(three.events) != describe(expected))
                QFAIL(qPrintable(QStringLiteral("split at %1/%2").arg(i).arg(j)));
        }
    }
}

void TestSseParser::retryAndId()
{
    SseParser p;
    QVERIFY(p.feed("retry: 250\nid: e1\ndata:\n\n").size() == 1);
    QCOMPARE(p.retryMs(), 250);
    QCOMPARE(p.lastEventId(), QByteArray("e1"));
    QVERIFY(p.hasLastEventId());
    p.feed("retry: 12x\n\n"); // not all digits: ignored
    QCOMPARE(p.retryMs(), 250);
    p.feed("retry: 0\n\n");
    QCOMPARE(p.retryMs(), 0);
    QVERIFY(p.finish().isEmpty());
}

void TestSseParser::sizeLimit()
{
    SseParser p(64);
    const QList<SseEvent> out = p.feed("data: " + QByteArray(100, 'x') + "\n\n");
    QVERIFY(out.isEmpty());
    QVERIFY(p.hasError());
    QVERIFY(p.errorString().contains(QLatin1String("limit")));
    QVERIFY(p.feed("data: y\n\n").isEmpty());
    QVERIFY(!p.finish().isEmpty());
}

void TestSseParser::resetForgets()
{
    SseParser p;
    p.feed("id: 3\nretry: 10\ndata: partial");
    p.reset();
    QVERIFY(!p.hasLastEventId());
    QCOMPARE(p.retryMs(), -1);
    QCOMPARE(describe(p.feed("data: x\n\n")), QByteArray("[message|x|]"));
    QVERIFY(p.finish().isEmpty());
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
