// Request history and collections in the real workbench, offscreen, against server-everything over stdio:
// requests sent from the composer land in the history file (a data folder of the test's own), the search
// narrows it, an entry opens in the composer again and is added to a collection file; Tools › Run Collection
// runs a collection with one wrong expectation, shows each verdict and the failure's diff. Screenshots of
// both (request-history.png, collection-run.png).
#include "collection/collection.h"
#include "collection/collectionrundialog.h"
#include "collection/history.h"
#include "collection/historydialog.h"
#include "collection/historymodel.h"
#include "collection/runresultmodel.h"
#include "composer/composer.h"
#include "composer/resultview.h"
#include "connections/connectionpage.h"
#include "discovery/toolspane.h"
#include "workbenchtest.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>

using mcp::Json;
namespace collection = mcp::collection;

namespace {
constexpr int Timeout = 30000;
const char kWrongSum[] = "The sum of 2 and 3 is 6.";
} // namespace

class TstCollections : public QObject
{
    Q_OBJECT

    QTemporaryDir m_data; // XDG_DATA_HOME: the history file is this test's own
    testsupport::Workbench m_bench;
    mcpui::MainWindow *m_window = nullptr;
    mcpui::Connection *m_everything = nullptr;

    mcpui::ToolsPane *tools() { return m_window->pageFor(m_everything)->tools(); }

    void call(const QString &tool, const Json &arguments, const QString &answer)
    {
        QVERIFY(tools()->selectTool(tool));
        tools()->composer()->setArguments(arguments);
        QVERIFY(tools()->composer()->problems().isEmpty());
        tools()->composer()->sendButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(tools()->resultView()->plainText().contains(answer), Timeout);
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY(m_data.isValid());
        qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
        qputenv("MCPWB_COLLECTION_GREETING", "from CI");
        m_window = m_bench.show();
        QVERIFY(m_window);
        m_everything = testsupport::connectTo(m_window, testsupport::everythingStdioProfile());
        QTRY_VERIFY_WITH_TIMEOUT(m_everything->isReady(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(tools()->selectTool(QStringLiteral("echo")), Timeout);
    }

    void requestsGoToTheHistoryAndOpenAgain()
    {
        call(QStringLiteral("get-sum"), {{"a", 2}, {"b", 3}}, QStringLiteral("The sum of 2 and 3 is 5."));
        call(QStringLiteral("echo"), {{"message", "hello history"}}, QStringLiteral("Echo: hello history"));
        call(QStringLiteral("get-sum"), {{"a", 40}, {"b", 2}}, QStringLiteral("is 42"));
        QVERIFY(m_window->requestHistory()->path().startsWith(m_data.path()));
        QCOMPARE(m_window->requestHistory()->entries().size(), 3);

        mcpui::HistoryDialog *dialog = m_window->showHistory();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(dialog->model()->rowCount(), 3);
        QCOMPARE(dialog->model()->entry(0).params["arguments"], Json({{"a", 40}, {"b", 2}})); // newest first
        QCOMPARE(dialog->model()
                     ->data(dialog->model()->index(0, mcpui::HistoryModel::ConnectionColumn), Qt::DisplayRole)
                     .toString(),
                 QStringLiteral("everything (stdio)"));
        QVERIFY(!dialog->openButton()->isEnabled()); // nothing chosen yet

        QTest::keyClicks(dialog->search(), QStringLiteral("hello"));
        QCOMPARE(dialog->model()->rowCount(), 1);
        dialog->view()->selectRow(0);
        QVERIFY(dialog->openButton()->isEnabled());
        testsupport::saveScreenshot(dialog, QStringLiteral("request-history"));

        // The composer is on get-sum; the entry brings back echo with its arguments.
        QCOMPARE(tools()->composer()->target(), QStringLiteral("get-sum"));
        dialog->openButton()->click();
        QCOMPARE(tools()->composer()->target(), QStringLiteral("echo"));
        QCOMPARE(tools()->composer()->arguments(), Json({{"message", "hello history"}}));
        QCOMPARE(m_window->pageFor(m_everything)->tabs()->currentIndex(),
                 int(mcpui::ConnectionPage::ToolsTab));

        // ... and goes into a collection file, which runs as one.
        const QString saved = m_bench.dir.filePath(QStringLiteral("saved.json"));
        QString error;
        QVERIFY2(dialog->addSelectedToCollection(saved, &error), qPrintable(error));
        QVERIFY2(dialog->addSelectedToCollection(saved, &error), qPrintable(error));
        collection::ParseProblem problem;
        const std::optional<collection::Collection> c = collection::loadCollection(saved, &problem);
        QVERIFY2(c, qPrintable(problem.toString()));
        QCOMPARE(c->requests.size(), 2);
        QCOMPARE(c->requests[0].id, QStringLiteral("echo"));
        QCOMPARE(c->requests[1].id, QStringLiteral("echo-2"));
        QCOMPARE(c->requests[1].params,
                 Json::parse(R"({"name": "echo", "arguments": {"message": "hello history"}})"));
        dialog->close();

        // The composer's request goes into a collection too (Save to Collection…).
        QVERIFY(tools()->composer()->saveButton()->isEnabled());
        QVERIFY2(tools()->saveToCollection(saved, &error), qPrintable(error));
        QVERIFY(tools()->resultView()->plainText().contains(QStringLiteral("echo added to the collection")));
        QCOMPARE(collection::loadCollection(saved, &problem)->requests.size(), 3);
    }

    void aCollectionRunShowsEachVerdictAndTheDiff()
    {
        // server-everything's smoke collection with one expectation made wrong.
        collection::ParseProblem problem;
        std::optional<collection::Collection> c = collection::loadCollection(
            QStringLiteral(MCPWB_TEST_DATA_DIR "/collections/everything.json"), &problem);
        QVERIFY2(c, qPrintable(problem.toString()));
        QCOMPARE(c->requests[1].id, QStringLiteral("sum"));
        c->requests[1].expect.equals = {{QStringLiteral("/content/0/text"), Json(kWrongSum)}};
        const QString path = m_bench.dir.filePath(QStringLiteral("one-failure.json"));
        QString error;
        QVERIFY(collection::saveCollection(path, *c, &error));

        mcpui::CollectionRunDialog *dialog = m_window->runCollection();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QVERIFY(dialog->open(path));
        QCOMPARE(dialog->model()->rowCount(), 9);
        QSignalSpy finished(dialog, &mcpui::CollectionRunDialog::finished);
        dialog->runButton()->click();
        QVERIFY(finished.wait(Timeout));

        auto status = [&](int row) {
            return dialog->model()
                ->data(dialog->model()->index(row, mcpui::RunResultModel::StatusColumn), Qt::DisplayRole)
                .toString();
        };
        QCOMPARE(status(1), QStringLiteral("FAIL"));
        for (int row : {0, 2, 3, 4, 5, 6, 7, 8})
            QVERIFY2(status(row) == QStringLiteral("PASS"), qPrintable(dialog->model()->details(row)));
        QCOMPARE(dialog->view()->currentIndex().row(), 1); // the failure is shown first
        const QString details = dialog->details()->toPlainText();
        QVERIFY2(
            details.contains(QStringLiteral(
                "changed /content/0/text: \"The sum of 2 and 3 is 6.\" -> \"The sum of 2 and 3 is 5.\"")),
            qPrintable(details));
        QVERIFY(dialog->summary()->text().startsWith(
            QStringLiteral("9 requests: 8 passed, 1 failed, 0 not sent")));
        QVERIFY(dialog->runButton()->isEnabled());
        testsupport::saveScreenshot(dialog, QStringLiteral("collection-run"));

        // A broken file is said with where and why, and cannot be run.
        const QString broken = m_bench.dir.filePath(QStringLiteral("broken.json"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format": "mcpwb-collection", "version": 1, "requests": [{"id": "x"}]})");
        f.close();
        QVERIFY(!dialog->open(broken));
        QVERIFY(!dialog->runButton()->isEnabled());
        QCOMPARE(dialog->model()->rowCount(), 0);
        dialog->close();
    }

    void cleanupTestCase() { m_bench.close(); }
};

QTEST_MAIN(TstCollections)
#include "tst_collections.moc"
