// Results above the large-result size (real widgets, offscreen, a few MB): the view says how big the result
// is and shows its beginning, never the whole; a search runs through all of it and shows the match near the
// end; a search can be cancelled; save writes the payload; "Open in Traffic" selects the response frame.
#include "composer/composer.h"
#include "composer/largeresult.h"
#include "composer/resultview.h"
#include "connections/connection.h"
#include "connections/connectionpage.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/toolspane.h"
#include "faketransport.h"
#include "traffic/recorder.h"
#include "traffic/trafficpane.h"
#include "workbenchtest.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using mcp::Json;
using namespace mcpui;

namespace {

constexpr qsizetype Threshold = 256 * 1024;

// About `bytes` of numbered lines; the last line holds a needle.
std::string numberedLines(qsizetype bytes)
{
    std::string text;
    for (int i = 0; qsizetype(text.size()) < bytes; ++i)
        text +=
            QStringLiteral("line %1: the quick brown fox\n").arg(i, 7, 10, QLatin1Char('0')).toStdString();
    return text + "the NEEDLE at the end";
}

Json manyItems(int count)
{
    Json items = Json::array();
    for (int i = 0; i < count; ++i)
        items.push_back({{"id", i}, {"name", "item-" + std::to_string(i)}});
    items.push_back({{"id", -1}, {"name", "the last item"}});
    return {{"items", std::move(items)}};
}

// The longest document any text view inside `view` holds, in characters.
int longestDocument(const QWidget *view)
{
    int longest = 0;
    for (const QPlainTextEdit *edit : view->findChildren<QPlainTextEdit *>())
        longest = qMax(longest, edit->document()->characterCount());
    return longest;
}

// Shows a tool result of one text block; its LargeResult, or null.
LargeResult *showText(ResultView &view, const std::string &text)
{
    view.show();
    view.showToolResult({{"content", {{{"type", "text"}, {"text", text}}}}});
    return view.findChild<LargeResult *>();
}

} // namespace

class TestLargeResult : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { ResultView::setLargeResultBytes(Threshold); }
    void cleanupTestCase() { ResultView::setLargeResultBytes(ResultView::DefaultLargeResultBytes); }

    void textShowsItsSizeAndBeginning()
    {
        const std::string text = numberedLines(3 * 1024 * 1024);
        ResultView view;
        view.resize(900, 700);
        view.show();
        view.showToolResult({{"content", {{{"type", "text"}, {"text", text}}}}});
        auto *large = view.findChild<LargeResult *>();
        QVERIFY(large);
        QCOMPARE(large->payload().size(), qsizetype(text.size()));
        const QString banner = large->banner()->text();
        const qsizetype lines = qsizetype(std::count(text.begin(), text.end(), '\n')) + 1;
        QVERIFY2(banner.startsWith(QStringLiteral("A large text result: 3.0 MB, %1 lines. Showing the first ")
                                       .arg(QLocale().toString(lines))),
                 qPrintable(banner));
        QVERIFY(view.plainText().contains(banner));
        QVERIFY(
            large->textView()->toPlainText().startsWith(QStringLiteral("line 0000000: the quick brown fox\n"
                                                                       "line 0000001:")));
        QVERIFY(longestDocument(&view) <= LargeResult::PageBytes); // a page, not 3 MB
        // Nobody shows this view's frames in a traffic detail (a Resources pane): not offered.
        QVERIFY(!large->findChild<QPushButton *>(QStringLiteral("openInTraffic"))->isVisibleTo(large));

        large->showMore();
        QVERIFY(large->shownBytes() > LargeResult::PageBytes);
        QVERIFY(large->banner()->text() != banner);
        QVERIFY(large->textView()->toPlainText().size() > LargeResult::PageBytes);
    }

    void searchFindsTheEndAndThenNothingMore()
    {
        const std::string text = numberedLines(3 * 1024 * 1024);
        ResultView view;
        LargeResult *large = showText(view, text);
        QVERIFY(large);
        QSignalSpy finished(large, &LargeResult::searchFinished);
        large->searchEdit()->setText(QStringLiteral("NEEDLE"));
        QTest::keyClick(large->searchEdit(), Qt::Key_Return);
        QVERIFY(finished.wait(10000));
        const qsizetype at = finished.takeFirst().at(0).value<qsizetype>();
        QCOMPARE(at, qsizetype(text.find("NEEDLE")));
        QCOMPARE(large->textView()->textCursor().selectedText(), QStringLiteral("NEEDLE"));
        QVERIFY(large->textView()->toPlainText().startsWith(QStringLiteral("the NEEDLE at the end")));
        QCOMPARE(large->searchStatus()->text(),
                 QStringLiteral("Found at line %1")
                     .arg(QLocale().toString(qsizetype(std::count(text.begin(), text.end(), '\n')) + 1)));

        QTest::keyClick(large->searchEdit(), Qt::Key_Return); // the next match: none
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.takeFirst().at(0).value<qsizetype>(), qsizetype(-1));
        QCOMPARE(large->searchStatus()->text(), QStringLiteral("No further match"));
    }

    void aCancelledSearchReportsNothingLater()
    {
        const std::string text = numberedLines(3 * 1024 * 1024);
        ResultView view;
        LargeResult *large = showText(view, text);
        QVERIFY(large);
        QSignalSpy finished(large, &LargeResult::searchFinished);
        large->search(QStringLiteral("not in the text"));
        QVERIFY(large->isSearching());
        QVERIFY(large->cancelButton()->isVisibleTo(large));
        QTest::mouseClick(large->cancelButton(), Qt::LeftButton);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.takeFirst().at(0).value<qsizetype>(), qsizetype(-2));
        QVERIFY(!large->isSearching());
        QCOMPARE(large->searchStatus()->text(), QStringLiteral("Search cancelled"));
        QTest::qWait(500); // the worker's end, if it had not read the flag yet, is dropped
        QCOMPARE(finished.size(), 0);
        QCOMPARE(large->searchStatus()->text(), QStringLiteral("Search cancelled"));
    }

    void structuredContentIsShownFromTheFrame()
    {
        const Json result = {{"content", {{{"type", "text"}, {"text", "see structuredContent"}}}},
                             {"structuredContent", manyItems(60000)}};
        const QByteArray frame = mcp::dumpCompact(Json{{"jsonrpc", "2.0"}, {"id", 3}, {"result", result}});
        const QByteArray structured = mcp::dumpCompact(result["structuredContent"]);
        QVERIFY(structured.size() > 2 * Threshold);
        ResultView view;
        view.show();
        view.showToolResult(result, Json{{"type", "object"}}, frame);
        auto *large = view.findChild<LargeResult *>();
        QVERIFY(large);
        QCOMPARE(large->payload(), QByteArrayView(structured));
        QVERIFY(large->payload().data() >= frame.constData()); // read in place, not copied
        QVERIFY(large->banner()->text().startsWith(QStringLiteral("Large structured content: ")));
        QVERIFY(large->textView()->toPlainText().startsWith(QStringLiteral(
            "{\n  \"items\": [\n    {\n      \"id\": 0,\n      \"name\": \"item-0\"\n    },")));
        QVERIFY(view.plainText().contains(QStringLiteral("see structuredContent")));
        QVERIFY(view.plainText().contains(QStringLiteral("Not checked against the tool's output schema")));

        QSignalSpy finished(large, &LargeResult::searchFinished);
        large->search(QStringLiteral("the last item"));
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.takeFirst().at(0).value<qsizetype>() > structured.size() - 100);
        QCOMPARE(large->textView()->textCursor().selectedText(), QStringLiteral("the last item"));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("result.json"));
        QString error;
        QVERIFY2(large->saveTo(path, &error), qPrintable(error));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll(), structured);
    }

    void smallResultsAreShownWhole()
    {
        ResultView view;
        view.showToolResult(
            {{"content", {{{"type", "text"}, {"text", "short"}}}}, {"structuredContent", manyItems(10)}}, {},
            QByteArray());
        QVERIFY(!view.findChild<LargeResult *>());
        QVERIFY(view.plainText().contains(QStringLiteral("the last item")));
    }

    // The real window with an in-process server: the threshold comes from the settings, and "Open in
    // Traffic" shows the response frame in the connection's traffic tab.
    void openInTrafficSelectsTheResponse()
    {
        testsupport::Workbench bench;
        QSettings preset(bench.dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        preset.setValue(QStringLiteral("results/largeResultMB"), 1);
        preset.sync();
        MainWindow *window = bench.show();
        QVERIFY(window);
        QCOMPARE(ResultView::largeResultBytes(), qsizetype(1024 * 1024));

        auto *fake = new FakeTransport;
        const std::string text = numberedLines(2 * 1024 * 1024);
        fake->onSend = [fake, text](const Json &m) {
            Json result;
            if (m["method"] == "tools/list")
                result = {{"tools", {{{"name", "big"}, {"inputSchema", {{"type", "object"}}}}}}};
            else if (m["method"] == "tools/call")
                result = {{"content", {{{"type", "text"}, {"text", text}}}}};
            else
                return;
            const Json reply = {{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", result}};
            QTimer::singleShot(0, fake, [fake, reply] { fake->injectJson(reply); });
        };
        ConnectionProfile profile;
        profile.name = QStringLiteral("big");
        profile.command = QStringLiteral("(in-process)");
        Connection *connection = window->addConnection(profile);
        window->selectConnection(connection);
        connection->openWith(std::unique_ptr<mcp::Transport>(fake));
        ConnectionPage *page = window->pageFor(connection);
        ToolsPane *tools = page->tools();
        QVERIFY(QTest::qWaitFor([&] { return tools->model()->rowCount() == 1; }, 10000));
        QVERIFY(tools->selectTool(QStringLiteral("big")));
        QTest::mouseClick(tools->composer()->sendButton(), Qt::LeftButton);
        LargeResult *large = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (large = tools->resultView()->findChild<LargeResult *>()); },
                                10000));
        QVERIFY(large->banner()->text().contains(QStringLiteral("2.0 MB")));

        auto *open = large->findChild<QPushButton *>(QStringLiteral("openInTraffic"));
        QVERIFY(open && open->isVisibleTo(large));
        QTest::mouseClick(open, Qt::LeftButton);
        QCOMPARE(page->tabs()->currentWidget(), page->traffic());
        const int index = page->traffic()->currentRecorderIndex();
        QVERIFY(index >= 0);
        const mcp::FrameRecord &frame = connection->recorder()->at(index);
        QCOMPARE(frame.direction, mcp::Direction::Received);
        QVERIFY(frame.bytes.size() > 2 * 1024 * 1024);
        bench.close();
    }
};

QTEST_MAIN(TestLargeResult)
#include "tst_largeresult.moc"
