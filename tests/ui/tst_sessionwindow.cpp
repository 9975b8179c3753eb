// File › Open Session… on real widgets (offscreen): a recording exported as JSONL opens in a read-only
// window with the traffic pane showing the same frames, and Copy as JSON works on its selection while the
// actions that need a connection (copy as mcpwb/curl, replay) stay disabled.
#include "traffic/exporter.h"
#include "traffic/sessionwindow.h"
#include "traffic/trafficactions.h"
#include "traffic/trafficmodel.h"
#include "traffic/trafficpane.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QPointer>
#include <QTemporaryDir>
#include <QTest>

class TstSessionWindow : public QObject
{
    Q_OBJECT

    static void fill(mcp::Recorder &r)
    {
        const int c = r.addConnection(QStringLiteral("remote"));
        const qint64 t = 1'800'000'000'000'000;
        r.record(c, mcp::Direction::Sent, R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})", t);
        r.record(c, mcp::Direction::Received, R"({"jsonrpc":"2.0","id":1,"result":{}})", t + 20'000);
        r.record(
            c, mcp::Direction::Sent,
            R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"héllo"}}})",
            t + 100'000);
        r.record(c, mcp::Direction::Received,
                 R"({"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"Echo: héllo"}]}})",
                 t + 120'000);
    }

private Q_SLOTS:
    void openSessionShowsTheRecording()
    {
        mcp::Recorder r;
        fill(r);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("recorded.jsonl"));
        mcp::Error error;
        QVERIFY(mcp::writeExport(r, mcp::ExportFormat::Jsonl, path, {}, &error));

        QString problem;
        QPointer<mcpui::SessionWindow> window = mcpui::SessionWindow::open(path, nullptr, &problem);
        QVERIFY2(window, qPrintable(problem));
        window->show();
        QVERIFY(window->windowTitle().contains(QStringLiteral("read-only")));
        QCOMPARE(window->recorder().size(), r.size());
        for (qsizetype i = 0; i < r.size(); ++i)
            QCOMPARE(window->recorder().at(i).bytes, r.at(i).bytes);
        TrafficModel live(&r);
        QTRY_COMPARE(window->pane()->model()->rowCount(), live.rowCount());
        for (int row = 0; row < live.rowCount(); ++row)
            QCOMPARE(window->pane()->model()->index(row, TrafficModel::Method).data().toString(),
                     live.index(row, TrafficModel::Method).data().toString());

        QVERIFY(window->pane()->selectRecorderIndex(3));
        window->actions()->update();
        QVERIFY(window->actions()->copyJsonAction()->isEnabled());
        QVERIFY(!window->actions()->copyMcpwbAction()->isEnabled()); // no connection settings in a file
        QVERIFY(!window->actions()->replayAction()->isEnabled());    // and no server to replay on
        QVERIFY(window->pane()->contextMenu()->actions().contains(window->actions()->copyJsonAction()));
        window->actions()->copyJsonAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), mcp::copyas::json(r.at(3).bytes));
        if (!qEnvironmentVariableIsEmpty("MCPWB_SCREENSHOT_DIR"))
            window->grab().save(qEnvironmentVariable("MCPWB_SCREENSHOT_DIR") +
                                QStringLiteral("/session-window.png"));
        window->close();
        QTRY_VERIFY(!window); // deleted on close

        QVERIFY(
            !mcpui::SessionWindow::open(dir.filePath(QStringLiteral("missing.jsonl")), nullptr, &problem));
        QVERIFY(problem.contains(QStringLiteral("cannot read")));
    }
};

QTEST_MAIN(TstSessionWindow)
#include "tst_sessionwindow.moc"
