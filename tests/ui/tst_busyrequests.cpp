// Reading a resource and getting a prompt show that they are busy and can be cancelled, like a tool call: a
// server (in process) that never answers them; the pane shows the busy bar with the server's progress
// message, Cancel sends notifications/cancelled for that request and the pane says it was cancelled.
#include "common/busybar.h"
#include "composer/resultview.h"
#include "connections/connectionpage.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/promptspane.h"
#include "discovery/resourcespane.h"
#include "faketransport.h"
#include "workbenchtest.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

using namespace mcpui;
using mcp::Json;

class TestBusyRequests : public QObject
{
    Q_OBJECT
    testsupport::Workbench m_workbench;
    MainWindow *m_window = nullptr;
    FakeTransport *m_server = nullptr;
    Connection *m_connection = nullptr;
    QList<Json> m_unanswered; // resources/read and prompts/get, kept waiting

    ConnectionPage *page() const { return m_window->pageFor(m_connection); }

    // The request sent for `method`, its progress reported; then Cancel pressed on `busy`.
    void cancelWhileBusy(const QString &method, BusyBar *busy, ResultView *result, const QString &screenshot)
    {
        QTRY_VERIFY(!m_unanswered.isEmpty() && m_unanswered.last()["method"] == mcp::toStd(method));
        const Json request = m_unanswered.last();
        QVERIFY(busy->isVisible());
        m_server->injectJson({{"jsonrpc", "2.0"},
                              {"method", "notifications/progress"},
                              {"params",
                               {{"progressToken", request["params"]["_meta"]["progressToken"]},
                                {"progress", 1},
                                {"total", 4},
                                {"message", "reading page 1 of 4"}}}});
        QTRY_VERIFY(busy->findChild<QLabel *>()->text() == QStringLiteral("reading page 1 of 4"));
        testsupport::saveScreenshot(page(), screenshot);
        QTest::mouseClick(busy->cancelButton(), Qt::LeftButton);
        QVERIFY(!busy->isVisible());
        const Json cancelled = m_server->lastSent(QStringLiteral("notifications/cancelled"));
        QCOMPARE(cancelled["params"]["requestId"], request["id"]);
        auto *error = result->findChild<QLabel *>(QStringLiteral("errorBanner"));
        QVERIFY(error);
        QVERIFY2(error->text().contains(QStringLiteral("cancelled by the user")), qPrintable(error->text()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY((m_window = m_workbench.show()));
        m_server = new FakeTransport;
        m_server->serverCapabilities = {{"resources", Json::object()}, {"prompts", Json::object()}};
        m_server->onSend = [this](const Json &m) {
            const auto reply = [&](Json result) {
                m_server->injectJson({{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", std::move(result)}});
            };
            if (m["method"] == "resources/list")
                reply({{"resources", {{{"uri", "file:///big.log"}, {"name", "big.log"}}}}});
            else if (m["method"] == "resources/templates/list")
                reply({{"resourceTemplates", Json::array()}});
            else if (m["method"] == "prompts/list")
                reply({{"prompts", {{{"name", "summarize"}}}}});
            else if (m["method"] == "resources/read" || m["method"] == "prompts/get")
                m_unanswered << m;
        };
        ConnectionProfile profile;
        profile.name = QStringLiteral("slow server");
        profile.command = QStringLiteral("(in-process)");
        m_connection = m_window->addConnection(profile);
        m_window->selectConnection(m_connection);
        m_connection->openWith(std::unique_ptr<mcp::Transport>(m_server));
        QTRY_VERIFY(m_connection->isReady());
    }

    void readingAResourceCanBeCancelled()
    {
        ResourcesPane *pane = page()->resources();
        page()->tabs()->setCurrentWidget(pane);
        QTRY_VERIFY(pane->resources()->rowCount() == 1);
        pane->uriEdit()->setText(QStringLiteral("file:///big.log"));
        pane->read();
        cancelWhileBusy(QStringLiteral("resources/read"), pane->busyBar(), pane->resultView(),
                        QStringLiteral("resource-busy"));
    }

    void gettingAPromptCanBeCancelled()
    {
        PromptsPane *pane = page()->prompts();
        page()->tabs()->setCurrentWidget(pane);
        QTRY_VERIFY(pane->model()->rowCount() == 1);
        QVERIFY(pane->selectPrompt(QStringLiteral("summarize")));
        pane->get();
        auto *get = pane->findChild<QPushButton *>(QStringLiteral("getPrompt"));
        QVERIFY(get && !get->isEnabled()); // one at a time
        cancelWhileBusy(QStringLiteral("prompts/get"), pane->busyBar(), pane->resultView(),
                        QStringLiteral("prompt-busy"));
        QVERIFY(get->isEnabled());
    }

    void cleanupTestCase() { m_workbench.close(); }
};

QTEST_MAIN(TestBusyRequests)
#include "tst_busyrequests.moc"
