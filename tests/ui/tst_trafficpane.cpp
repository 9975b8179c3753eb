// The traffic pane driven offscreen in the real main window against @modelcontextprotocol/server-everything
// (stdio, and streamable HTTP with an Authorization header): filter text and chips, parse errors inline,
// request <-> response and progress -> request jumps, follow/pause with the "N new" count, the detail view's
// pretty, highlighted JSON and tree, the raw HTTP view masking secrets until revealed, and a 50 MB frame that
// opens truncated. Takes resources/screenshots/traffic.png.
#include "common/jsonhighlighter.h"
#include "common/jsonview.h"
#include "connections/connection.h"
#include "connections/connectionpage.h"
#include "mainwindow.h"
#include "testsupport.h"
#include "traffic/trafficmodel.h"
#include "traffic/trafficpane.h"
#include "transport/stdiotransport.h"
#include "workbenchtest.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSyntaxHighlighter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextLayout>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>
#include <optional>

using mcp::Json;
using namespace mcpui;

namespace {
constexpr int Timeout = 30000;
}

class TstTrafficPane : public QObject
{
    Q_OBJECT

    testsupport::Workbench m_workbench;
    MainWindow *m_window = nullptr; // m_workbench's
    testsupport::PeerProcess m_httpPeer;
    Connection *m_stdio = nullptr;
    Connection *m_http = nullptr;
    int m_callRequest = -1; // recorder index of the echo tools/call

    TrafficPane *pane(Connection *c) const { return m_window->pageFor(c)->traffic(); }

    // Sends a request through the live session and waits for its reply.
    Json call(Connection *c, const QString &method, const Json &params, mcp::RequestOptions options = {})
    {
        std::optional<mcp::Reply> reply;
        QObject context; // a reply after a timeout finds no one
        c->session()->request(
            method, params, [&](const mcp::Reply &r) { reply = r; }, options, &context);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(reply.has_value(), Timeout); }();
        return reply ? reply->result : Json();
    }

    // The start of a tools/call result frame with one text block, for the caller to fill in and close.
    static QByteArray textResult(int id)
    {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + QByteArray::number(id) +
               ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"";
    }

    // The recorder index of the last frame of a connection's pane passing `test`.
    static int lastFrame(TrafficPane *p, const std::function<bool(const mcp::FrameRecord &)> &test)
    {
        const mcp::Recorder &r = *p->recorder();
        for (int row = p->model()->rowCount() - 1; row >= 0; --row) {
            const int index = p->model()->recorderIndex(row);
            if (test(r.at(index)))
                return index;
        }
        return -1;
    }

    void showTrafficTab(Connection *c)
    {
        m_window->selectConnection(c);
        m_window->pageFor(c)->tabs()->setCurrentIndex(ConnectionPage::TrafficTab);
        QVERIFY(QTest::qWaitForWindowExposed(pane(c)));
    }

    void setFilter(TrafficPane *p, const QString &text)
    {
        p->filterEdit()->setText(text);
        p->applyFilter();
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY((m_window = m_workbench.show()));
        ConnectionProfile http;
        QVERIFY(testsupport::startEverythingHttp(m_httpPeer, &http));
        http.headers = {QStringLiteral("Authorization: Bearer secret-123")};
        m_stdio = testsupport::connectTo(m_window, testsupport::everythingStdioProfile());
        m_http = testsupport::connectTo(m_window, http);

        QTRY_COMPARE_WITH_TIMEOUT(m_stdio->state(), Connection::State::Ready, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_http->state(), Connection::State::Ready, Timeout);
    }

    void perConnectionAndAll()
    {
        // initialize, its response and notifications/initialized at least, on each connection's own tab.
        QTRY_VERIFY_WITH_TIMEOUT(pane(m_stdio)->model()->rowCount() >= 3, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(pane(m_http)->model()->rowCount() >= 3, Timeout);
        for (Connection *c : {m_stdio, m_http}) {
            TrafficModel *model = pane(c)->model();
            model->flush();
            for (int row = 0; row < model->rowCount(); ++row)
                QCOMPARE(model->index(row, TrafficModel::Connection).data().toString(), c->profile().name);
        }
        TrafficPane *all = m_window->allTraffic();
        all->model()->flush();
        QCOMPARE(all->model()->rowCount(),
                 pane(m_stdio)->model()->rowCount() + pane(m_http)->model()->rowCount());
        QVERIFY(!m_window->allTrafficDock()->isVisible());
        m_window->allTrafficDock()->toggleViewAction()->trigger(); // View › All Traffic
        QVERIFY(m_window->allTrafficDock()->isVisible());
        m_window->allTrafficDock()->toggleViewAction()->trigger();
    }

    void filterTextAndChips()
    {
        TrafficPane *p = pane(m_stdio);
        const Json result = call(m_stdio, QStringLiteral("tools/call"),
                                 {{"name", "echo"}, {"arguments", {{"message", "traffic"}}}});
        QCOMPARE(result["content"][0]["text"], "Echo: traffic");
        p->model()->flush();
        const int all = p->model()->rowCount();

        setFilter(p, QStringLiteral("method:tools/call"));
        QCOMPARE(p->model()->rowCount(), 2); // the request and its response
        for (int row = 0; row < 2; ++row)
            QCOMPARE(p->model()->index(row, TrafficModel::Method).data().toString(),
                     QStringLiteral("tools/call"));
        QVERIFY(p->filterError()->isHidden());

        // A parse error is said inline and the previous filter stays.
        setFilter(p, QStringLiteral("method:tools/call bogus:1"));
        QVERIFY(!p->filterError()->isHidden());
        QVERIFY2(p->filterError()->text().contains(QStringLiteral("unknown field")),
                 qPrintable(p->filterError()->text()));
        QCOMPARE(p->model()->rowCount(), 2);
        QVERIFY(!QApplication::activeModalWidget());

        // Chips edit the text: "← In" adds dir:in, "→ Out" replaces it, unchecking removes it.
        setFilter(p, QStringLiteral("method:tools/call"));
        auto *in = p->findChild<QToolButton *>(QStringLiteral("chip:dir:in"));
        auto *out = p->findChild<QToolButton *>(QStringLiteral("chip:dir:out"));
        QVERIFY(in && out);
        in->click();
        QCOMPARE(p->filterEdit()->text(), QStringLiteral("method:tools/call dir:in"));
        QCOMPARE(p->model()->rowCount(), 1);
        QCOMPARE(p->model()->index(0, TrafficModel::Status).data().toString(), QStringLiteral("ok"));
        out->click();
        QCOMPARE(p->filterEdit()->text(), QStringLiteral("method:tools/call dir:out"));
        QVERIFY(!in->isChecked());
        QCOMPARE(p->model()->index(0, TrafficModel::Status).data().toString(), QStringLiteral("request"));
        m_callRequest = p->model()->recorderIndex(0);
        out->click();
        QCOMPARE(p->filterEdit()->text(), QStringLiteral("method:tools/call"));
        p->filterEdit()->clear();
        p->applyFilter();
        QCOMPARE(p->model()->rowCount(), all);
    }

    void requestToResponseAndBack()
    {
        showTrafficTab(m_stdio);
        TrafficPane *p = pane(m_stdio);
        QVERIFY(m_callRequest >= 0);
        QVERIFY(p->selectRecorderIndex(m_callRequest));
        QCOMPARE(p->goToRelatedAction()->text(), QStringLiteral("Go to Response"));
        QVERIFY(p->goToRelatedAction()->isEnabled());
        QVERIFY(p->detailHeader()->text().contains(QStringLiteral("tools/call request")));
        p->goToRelatedAction()->trigger();
        const int response = p->currentRecorderIndex();
        QCOMPARE(response, p->recorder()->at(m_callRequest).pairedIndex);
        QCOMPARE(p->recorder()->at(response).kind, mcp::jsonrpc::Kind::Response);
        QCOMPARE(p->selectedRecorderIndices(), std::vector<int>{response});
        QCOMPARE(p->goToRelatedAction()->text(), QStringLiteral("Go to Request"));
        // A double-click on the row goes back.
        const QModelIndex cell = p->model()->index(p->model()->rowOf(response), TrafficModel::Method);
        p->view()->scrollTo(cell);
        const QPoint centre = p->view()->visualRect(cell).center();
        QTest::mouseClick(p->view()->viewport(), Qt::LeftButton, {},
                          centre); // the press a double-click follows
        QTest::mouseDClick(p->view()->viewport(), Qt::LeftButton, {}, centre);
        QCOMPARE(p->currentRecorderIndex(), m_callRequest);
        QVERIFY(p->contextMenu()->actions().contains(p->goToRelatedAction()));
    }

    void progressLinksToItsRequest()
    {
        TrafficPane *p = pane(m_stdio);
        mcp::RequestOptions options;
        options.reportProgress = true;
        call(m_stdio, QStringLiteral("tools/call"),
             {{"name", "trigger-long-running-operation"}, {"arguments", {{"duration", 0.3}, {"steps", 3}}}},
             options);
        p->model()->flush();
        const mcp::Recorder &r = *p->recorder();
        const int progress = lastFrame(p, [&](const mcp::FrameRecord &f) {
            return r.method(f) == QLatin1String("notifications/progress");
        });
        QVERIFY(progress >= 0);
        QVERIFY(p->selectRecorderIndex(progress));
        QCOMPARE(p->goToRelatedAction()->text(), QStringLiteral("Go to Request"));
        QVERIFY(p->goToRelated());
        const int request = p->currentRecorderIndex();
        QCOMPARE(r.method(r.at(request)), QStringLiteral("tools/call"));
        QVERIFY(r.at(request).bytes.contains("trigger-long-running-operation"));
        QVERIFY2(p->detailHeader()->text().contains(QStringLiteral("3 notifications")),
                 qPrintable(p->detailHeader()->text()));
    }

    void followAndPause()
    {
        TrafficPane *p = pane(m_stdio);
        p->setFollowing(true);
        QVERIFY(p->newFramesButton()->isHidden());
        p->followButton()->click(); // pause
        QVERIFY(!p->isFollowing());
        const int before = p->model()->rowCount();
        for (int i = 0; i < 3; ++i)
            call(m_stdio, QStringLiteral("ping"), Json::object());
        QTRY_VERIFY(p->model()->rowCount() >= before + 6);
        // Counted, not scrolled to (server-everything may add a notification of its own meanwhile).
        QCOMPARE(p->newWhilePaused(), p->model()->rowCount() - before);
        QVERIFY(!p->newFramesButton()->isHidden());
        QCOMPARE(p->newFramesButton()->text(), QStringLiteral("%1 new").arg(p->newWhilePaused()));
        p->newFramesButton()->click(); // resumes and jumps to the tail
        QVERIFY(p->isFollowing());
        QVERIFY(p->newFramesButton()->isHidden());
        const int resumed = p->model()->rowCount();
        call(m_stdio, QStringLiteral("ping"), Json::object());
        QTRY_VERIFY(p->model()->rowCount() >= resumed + 2);
        QCOMPARE(p->newWhilePaused(), 0);
        const QModelIndex last = p->model()->index(p->model()->rowCount() - 1, 0);
        QTRY_VERIFY(p->view()->viewport()->rect().intersects(p->view()->visualRect(last)));
        // Choosing a row pauses, so it stays in view while frames arrive.
        p->view()->setCurrentIndex(p->model()->index(0, 0));
        QVERIFY(!p->isFollowing());
    }

    void detailShowsPrettyHighlightedJson()
    {
        TrafficPane *p = pane(m_stdio);
        const int response = p->recorder()->at(m_callRequest).pairedIndex;
        QVERIFY(p->selectRecorderIndex(response));
        JsonView *json = p->jsonView();
        QVERIFY(!json->isTruncated());
        QVERIFY2(json->text().startsWith(QStringLiteral("{\n  \"")), qPrintable(json->text()));
        QVERIFY(json->text().contains(QStringLiteral("\n  \"jsonrpc\": \"2.0\"")));
        QVERIFY(json->text().contains(QStringLiteral("\"text\": \"Echo: traffic\"")));
        // Highlighted: the first key carries a format of its own.
        QTextDocument *doc = json->textView()->document();
        QVERIFY(doc->findChild<QSyntaxHighlighter *>());
        QTRY_VERIFY(!doc->findBlockByNumber(1).layout()->formats().isEmpty());
        // Foldable: the tree tab holds the same document.
        QVERIFY(json->isTabEnabled(JsonView::TreeTab));
        QTreeView *tree = json->treeView();
        const QModelIndex top = tree->model()->index(0, 0);
        QVERIFY(tree->model()->rowCount(top) >= 3); // jsonrpc, id, result
        QVERIFY(tree->isExpanded(top));
        // Which highlighter: said in Help › About.
        m_window->showAbout();
        QMessageBox *about = nullptr;
        QTRY_VERIFY((about = m_window->findChild<QMessageBox *>(QStringLiteral("aboutBox"))));
        QVERIFY2(about->text().contains(jsonHighlighterName().toHtmlEscaped()), qPrintable(about->text()));
        QVERIFY(about->text().contains(QStringLiteral("JSON highlighting")));
        about->accept();
    }

    void screenshot()
    {
        showTrafficTab(m_stdio);
        TrafficPane *p = pane(m_stdio);
        setFilter(p, QStringLiteral("method:tools/*"));
        QVERIFY(p->model()->rowCount() >= 4);
        QVERIFY(p->selectRecorderIndex(p->recorder()->at(m_callRequest).pairedIndex));
        p->jsonView()->setCurrentIndex(JsonView::TextTab);
        QTest::qWait(100); // let the page lay out before grabbing it
        testsupport::saveScreenshot(m_window, QStringLiteral("traffic"));
        setFilter(p, QString());
    }

    void rawHttpMasksAuthorizationUntilRevealed()
    {
        TrafficPane *p = pane(m_http);
        call(m_http, QStringLiteral("ping"), Json::object());
        p->model()->flush();
        const mcp::Recorder &r = *p->recorder();
        const int ping = lastFrame(p, [&](const mcp::FrameRecord &f) {
            return r.method(f) == QLatin1String("ping") && f.kind == mcp::jsonrpc::Kind::Request;
        });
        QVERIFY(ping >= 0);
        QVERIFY(p->selectRecorderIndex(ping));
        p->jsonView()->setCurrentIndex(2); // HTTP
        QPlainTextEdit *http = p->httpView();
        QTRY_VERIFY_WITH_TIMEOUT(
            http->toPlainText().startsWith(QStringLiteral("POST /mcp HTTP/1.1\nHost: 127.0.0.1:")), Timeout);
        const QString masked = http->toPlainText();
        QVERIFY2(masked.contains(QStringLiteral("Authorization: Bearer [redacted]")), qPrintable(masked));
        QVERIFY(masked.contains(QStringLiteral("\"method\":\"ping\"")));
        QVERIFY(masked.contains(QStringLiteral("HTTP/1.1 200")));
        QVERIFY(!masked.contains(QStringLiteral("secret-123")));
        QVERIFY(!p->revealSecrets()->isChecked());
        p->revealSecrets()->click();
        QVERIFY(http->toPlainText().contains(QStringLiteral("Authorization: Bearer secret-123")));
        p->revealSecrets()->click();
        QVERIFY(!http->toPlainText().contains(QStringLiteral("secret-123")));

        // A stdio frame has no HTTP exchange, and says so.
        TrafficPane *s = pane(m_stdio);
        QVERIFY(s->selectRecorderIndex(m_callRequest));
        QVERIFY(s->httpView()->toPlainText().startsWith(QStringLiteral("No recorded HTTP exchange")));
        QVERIFY(!s->revealSecrets()->isEnabled());
    }

    void hugeFrameOpensTruncated()
    {
        // A real 50 MB frame in the recorder, shown in the All Traffic pane.
        mcp::Recorder *r = m_window->recorder();
        const int conn = r->addConnection(QStringLiteral("big"));
        QByteArray big = textResult(1);
        big += QByteArray(50 * 1024 * 1024 - big.size() - 5, 'x');
        big += "\"}]}}";
        QCOMPARE(big.size(), 50 * 1024 * 1024);
        const int index = r->record(conn, mcp::Direction::Received, big);
        TrafficPane *all = m_window->allTraffic();
        QVERIFY(all->selectRecorderIndex(index));
        JsonView *json = all->jsonView();
        QVERIFY(json->isTruncated());
        QVERIFY(json->notice()->isVisibleTo(json));
        QVERIFY2(json->notice()->text().contains(QStringLiteral("of 50.0 MB")),
                 qPrintable(json->notice()->text()));
        QCOMPARE(json->showAllButton()->text(), QStringLiteral("Show all (50.0 MB)"));
        QVERIFY(json->text().size() < 300 * 1024);
        QVERIFY(json->text().startsWith(QStringLiteral("{\n  \"jsonrpc\": \"2.0\",")));
        QVERIFY(!json->isTabEnabled(JsonView::TreeTab)); // until "Show all"

        // "Show all" formats off the GUI thread; shown here on a smaller frame with a small limit.
        json->setLimit(64);
        const int small =
            r->record(conn, mcp::Direction::Received, textResult(2) + QByteArray(1000, 'y') + "\"}]}}");
        QVERIFY(all->selectRecorderIndex(small));
        QVERIFY(json->isTruncated());
        QSignalSpy shown(json, &JsonView::shownAll);
        json->showAllButton()->click();
        QVERIFY(shown.wait(Timeout));
        QVERIFY(!json->isTruncated());
        QVERIFY(!json->notice()->isVisibleTo(json));
        QVERIFY(json->text().contains(QByteArray(1000, 'y')));
        QVERIFY(json->isTabEnabled(JsonView::TreeTab));
        json->setLimit(JsonView::DefaultLimit);
    }

    void cleanupTestCase() { m_workbench.close(); }
};

QTEST_MAIN(TstTrafficPane)
#include "tst_trafficpane.moc"
