// TrafficModel over a Recorder (offscreen, no server): batched appends, filters, pairing and the
// request <-> response jump, one pane per connection, and a recording reopened from its JSONL file showing
// the same frames.
#include "traffic/tracefile.h"
#include "traffic/trafficmodel.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TstTrafficModel : public QObject
{
    Q_OBJECT

    static void fill(mcp::Recorder &r)
    {
        const int a = r.addConnection(QStringLiteral("everything"));
        const int b = r.addConnection(QStringLiteral("demo"));
        r.record(a, mcp::Direction::Sent, R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})", 1'000'000);
        r.record(b, mcp::Direction::Sent, R"({"jsonrpc":"2.0","id":1,"method":"ping"})", 1'100'000);
        r.record(a, mcp::Direction::Received, R"({"jsonrpc":"2.0","id":1,"result":{"tools":[]}})", 1'600'000);
        r.record(b, mcp::Direction::Received, R"({"jsonrpc":"2.0","id":1,"error":{"code":-1,"message":"x"}})",
                 1'200'000);
    }

private Q_SLOTS:
    void batchedAppends()
    {
        mcp::Recorder r;
        TrafficModel model(&r);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        fill(r);
        QCOMPARE(model.rowCount(), 0); // queued until the event loop turns
        QTRY_COMPARE(model.rowCount(), 4);
        QCOMPARE(inserts.count(), 1); // one beginInsertRows for the batch
        QCOMPARE(model.index(0, TrafficModel::Method).data().toString(), QStringLiteral("tools/list"));
        QCOMPARE(model.index(2, TrafficModel::Latency).data().toString(), QStringLiteral("600 ms"));
        QCOMPARE(model.index(3, TrafficModel::Status).data().toString(), QStringLiteral("error"));
    }

    void filterAndPairing()
    {
        mcp::Recorder r;
        fill(r);
        TrafficModel all(&r);
        QCOMPARE(all.rowCount(), 4);
        QCOMPARE(all.pairedRow(0), 2);
        QCOMPARE(all.pairedRow(3), 1);
        QString error;
        QVERIFY(all.setFilterText(QStringLiteral("error"), &error));
        QCOMPARE(all.rowCount(), 1);
        QCOMPARE(all.recorderIndex(0), 3);
        QCOMPARE(all.pairedRow(0), -1); // its request is filtered out
        QVERIFY(!all.setFilterText(QStringLiteral("bogus:1"), &error));
        QVERIFY(error.contains(QStringLiteral("unknown field")));
        QCOMPARE(all.rowCount(), 1); // the previous filter stays

        TrafficModel demo(&r, 1); // one pane per connection
        QCOMPARE(demo.rowCount(), 2);
        QCOMPARE(demo.index(0, TrafficModel::Connection).data().toString(), QStringLiteral("demo"));
    }

    void recordAndReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.jsonl"));
        mcp::Recorder live;
        mcp::TraceWriter writer(&live);
        mcp::Error error;
        QVERIFY(writer.open(path, &error));
        fill(live);
        live.record(0, mcp::Direction::Received, "not json\r", 2'000'000);
        writer.close();

        mcp::Recorder reopened;
        QVERIFY(mcp::readTrace(path, reopened, &error));
        TrafficModel a(&live), b(&reopened);
        QCOMPARE(b.rowCount(), a.rowCount());
        for (int row = 0; row < a.rowCount(); ++row) {
            QCOMPARE(reopened.at(row).bytes, live.at(row).bytes);
            for (int column = 0; column < TrafficModel::ColumnCount; ++column)
                QCOMPARE(b.index(row, column).data(), a.index(row, column).data());
        }
    }
};

QTEST_MAIN(TstTrafficModel)
#include "tst_trafficmodel.moc"
