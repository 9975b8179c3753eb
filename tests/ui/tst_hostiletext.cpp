// Text that comes from a server is shown as plain text, never as rich text: a server (in process) whose every
// name, title, description, instruction, result, error, log line and progress message is HTML. After every
// pane has shown it, no label in the window renders that HTML: each label holding it verbatim is plain text,
// and rich-text labels hold it escaped.
#include "composer/composer.h"
#include "connections/connectionpage.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/promptspane.h"
#include "discovery/resourcespane.h"
#include "discovery/toolspane.h"
#include "faketransport.h"
#include "workbenchtest.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>

using namespace mcpui;
using mcp::Json;

namespace {

constexpr char kHtml[] = "<b>BOLD</b><img src=\"file:///etc/hostname\">";

std::string html(const std::string &what)
{
    return what + kHtml;
}

} // namespace

class TestHostileText : public QObject
{
    Q_OBJECT
    testsupport::Workbench m_workbench;
    MainWindow *m_window = nullptr;
    FakeTransport *m_server = nullptr;
    Connection *m_connection = nullptr;

    ConnectionPage *page() const { return m_window->pageFor(m_connection); }

    // Every label showing the server's HTML as it was sent, which would render it; fails unless some label
    // shows `expected` (the text the pane was to show, so that the check is not vacuous).
    void checkNoLabelRendersHtml(const QString &expected) const
    {
        QStringList rendering;
        bool shown = false;
        for (const QWidget *top : QApplication::topLevelWidgets())
            for (const QLabel *label : top->findChildren<QLabel *>()) {
                if (!label->text().contains(QLatin1String("BOLD")))
                    continue;
                shown = shown || (label->isVisible() && label->text().contains(expected));
                if (label->text().contains(QLatin1String("<b>BOLD</b>")) &&
                    label->textFormat() != Qt::PlainText)
                    rendering << QStringLiteral("%1 (%2): %3")
                                     .arg(label->objectName(),
                                          label->parentWidget()->metaObject()->className(),
                                          label->text().left(120));
            }
        QVERIFY2(rendering.isEmpty(), qPrintable(rendering.join(QLatin1Char('\n'))));
        QVERIFY2(shown || expected.isEmpty(),
                 qPrintable(expected + QStringLiteral(" is not shown in any label")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY((m_window = m_workbench.show()));
        m_server = new FakeTransport;
        m_server->serverCapabilities = {
            {"tools", Json::object()}, {"resources", Json::object()}, {"prompts", Json::object()}};
        m_server->onSend = [this](const Json &m) {
            const auto reply = [&](Json result) {
                m_server->injectJson({{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", std::move(result)}});
            };
            const std::string method = m.value("method", "");
            if (method == "tools/list")
                reply({{"tools",
                        {{{"name", "t"},
                          {"title", html("title")},
                          {"description", html("description")},
                          {"inputSchema",
                           {{"type", "object"},
                            {"properties",
                             {{"q", {{"type", "string"}, {"description", html("param")}}}}}}}}}}});
            else if (method == "tools/call") {
                m_server->injectJson({{"jsonrpc", "2.0"},
                                      {"method", "notifications/message"},
                                      {"params", {{"level", "warning"}, {"data", html("log")}}}});
                m_server->injectJson(
                    {{"jsonrpc", "2.0"},
                     {"id", m["id"]},
                     {"error", {{"code", -32000}, {"message", html("error")}, {"data", html("data")}}}});
            } else if (method == "resources/list")
                reply(
                    {{"resources",
                      {{{"uri", "file:///r"}, {"name", html("resource")}, {"description", html("about")}}}}});
            else if (method == "resources/templates/list")
                reply({{"resourceTemplates", Json::array()}});
            else if (method == "resources/read")
                reply({{"contents",
                        {{{"uri", "file:///r"}, {"mimeType", "text/plain"}, {"text", html("text")}}}}});
            else if (method == "prompts/list")
                reply({{"prompts",
                        {{{"name", "p"},
                          {"description", html("prompt")},
                          {"arguments", {{{"name", "a"}, {"description", html("argument")}}}}}}}});
            else if (method == "prompts/get") {
                const Json content = {{"type", "text"}, {"text", html("message")}};
                reply({{"description", html("got")},
                       {"messages", Json::array({{{"role", "user"}, {"content", content}}})}});
            }
        };
        ConnectionProfile profile;
        profile.name = QStringLiteral("hostile");
        profile.command = QStringLiteral("(in-process)");
        m_connection = m_window->addConnection(profile);
        m_window->selectConnection(m_connection);
        m_connection->openWith(std::unique_ptr<mcp::Transport>(m_server));
        QTRY_VERIFY(m_connection->isReady());
    }

    void toolsPane()
    {
        page()->tabs()->setCurrentWidget(page()->tools());
        QTRY_VERIFY(page()->tools()->selectTool(QStringLiteral("t")));
        QTest::mouseClick(page()->tools()->composer()->sendButton(), Qt::LeftButton);
        const QString tip =
            page()->tools()->findChild<QTableView *>()->model()->index(0, 2).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("description&lt;b&gt;BOLD")), qPrintable(tip));
        QTest::qWait(200);
        checkNoLabelRendersHtml(QStringLiteral("error"));
    }

    void resourcesPane()
    {
        ResourcesPane *pane = page()->resources();
        page()->tabs()->setCurrentWidget(pane);
        QTRY_VERIFY(pane->selectResource(QStringLiteral("file:///r")));
        pane->read();
        QTest::qWait(200);
        checkNoLabelRendersHtml(QString()); // the name is in the list, the text in a text view
        const QString tip = pane->resources()->index(0, 0).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("&lt;b&gt;BOLD")), qPrintable(tip)); // shown as written
    }

    void promptsPane()
    {
        PromptsPane *pane = page()->prompts();
        page()->tabs()->setCurrentWidget(pane);
        QTRY_VERIFY(pane->selectPrompt(QStringLiteral("p")));
        pane->get();
        QTest::qWait(200);
        checkNoLabelRendersHtml(QStringLiteral("got"));
    }

    void logAndTrafficPanes()
    {
        for (int i = 0; i < page()->tabs()->count(); ++i) {
            page()->tabs()->setCurrentIndex(i);
            QTest::qWait(50);
            checkNoLabelRendersHtml(QString());
        }
    }

    void cleanupTestCase() { m_workbench.close(); }
};

QTEST_MAIN(TestHostileText)
#include "tst_hostiletext.moc"
