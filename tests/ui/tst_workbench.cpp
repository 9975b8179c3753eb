// Drives the real workbench widgets offscreen against @modelcontextprotocol/server-everything (over stdio and
// streamable HTTP at once) and an in-process fake server for the nested-schema form.
#include "audit/auditlog.h"
#include "common/jsonhighlighter.h"
#include "common/jsonview.h"
#include "common/theme.h"
#include "composer/composer.h"
#include "composer/resultview.h"
#include "composer/schemaform.h"
#include "connections/connection.h"
#include "connections/connectionlistmodel.h"
#include "connections/connectionpage.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/toolspane.h"
#include "faketransport.h"
#include "mainwindow.h"
#include "serverrequests/serverrequestdialogs.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "traffic/trafficpane.h"
#include "transport/stdiotransport.h"
#include "workbenchtest.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDockWidget>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSyntaxHighlighter>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

using mcp::Json;
using namespace mcpui;
using testsupport::saveScreenshot;

namespace {

constexpr int Timeout = 30000;

// The order tool of the fake shop: nested objects, an array of objects, an enum, a boolean and long text.
const Json orderSchema = Json::parse(R"({
  "type": "object", "required": ["customer", "items"],
  "properties": {
    "customer": {"type": "object", "title": "Customer", "required": ["name"], "properties": {
      "name": {"type": "string", "description": "Full name"},
      "email": {"type": "string", "format": "email"},
      "address": {"type": "object", "title": "Address", "properties": {
        "city": {"type": "string"}, "zip": {"type": "string"}}}}},
    "items": {"type": "array", "items": {"type": "object", "properties": {
      "sku": {"type": "string"}, "quantity": {"type": "integer", "default": 1}}}},
    "priority": {"type": "string", "enum": ["low", "normal", "high"], "default": "normal"},
    "gift": {"type": "boolean"},
    "note": {"type": "string", "maxLength": 1000}
  }})");

template <class Dialog> Dialog *findDialog()
{
    for (QWidget *w : QApplication::topLevelWidgets())
        if (auto *d = qobject_cast<Dialog *>(w); d && d->isVisible())
            return d;
    return nullptr;
}

// Stands in for the browser: QDesktopServices hands it the https URLs the workbench opens.
class BrowserStandIn : public QObject
{
    Q_OBJECT
public:
    Q_INVOKABLE void openUrl(const QUrl &url) { opened.append(url); }
    QList<QUrl> opened;
};

// The colour the JSON highlighter gave the first key of a JSON text ("jsonrpc" of a frame).
QColor firstKeyColour(JsonView *json)
{
    const QTextBlock block = json->textView()->document()->findBlockByNumber(1);
    for (const QTextLayout::FormatRange &r : block.layout()->formats())
        if (block.text().mid(r.start, r.length).startsWith(QLatin1Char('"')))
            return r.format.foreground().color();
    return {};
}

} // namespace

// The audit trail's entry for the user's answer to a sampling request.
constexpr char kSamplingAnswer[] = R"("event":"answer","detail":{"method":"sampling/createMessage","result")";

class TestWorkbench : public QObject
{
    Q_OBJECT

    testsupport::Workbench m_workbench;
    MainWindow *m_window = nullptr; // m_workbench's
    testsupport::PeerProcess m_httpPeer;
    Connection *m_stdio = nullptr;
    Connection *m_http = nullptr;

    ToolsPane *tools(Connection *c) const { return m_window->pageFor(c)->tools(); }
    template <class T> T *field(Connection *c, const QString &path) const
    {
        return tools(c)->composer()->findChild<T *>(QStringLiteral("field:") + path);
    }
    Json raw(Connection *c) const
    {
        return Json::parse(tools(c)->composer()->rawEditor()->toPlainText().toStdString(), nullptr, false);
    }

    // Selects a tool, waiting for the list (tools registered after initialize arrive with list_changed).
    void selectTool(Connection *c, const QString &name)
    {
        QTRY_VERIFY_WITH_TIMEOUT(tools(c)->model()->findRow(name) >= 0, Timeout);
        QVERIFY(tools(c)->selectTool(name));
        QCOMPARE(tools(c)->composer()->target(), name);
    }

    void send(Connection *c)
    {
        QTRY_VERIFY(tools(c)->composer()->sendButton()->isEnabled());
        tools(c)
            ->composer()
            ->sendButton()
            ->click(); // QTest's synthetic clicks in a row can merge into a double-click
    }

    Connection *connectTo(const ConnectionProfile &profile)
    {
        return testsupport::connectTo(m_window, profile);
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY((m_window = m_workbench.show()));
    }

    void twoLiveConnections()
    {
        ConnectionProfile http;
        QVERIFY(testsupport::startEverythingHttp(m_httpPeer, &http));
        ConnectionProfile stdio = testsupport::everythingStdioProfile();
        stdio.roots = {QStringLiteral("file:///tmp")};
        m_stdio = connectTo(stdio);

        m_http = connectTo(http);

        QTRY_COMPARE_WITH_TIMEOUT(m_stdio->state(), Connection::State::Ready, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_http->state(), Connection::State::Ready, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(tools(m_stdio)->model()->findRow(QStringLiteral("echo")) >= 0, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(tools(m_http)->model()->findRow(QStringLiteral("get-sum")) >= 0, Timeout);
        QCOMPARE(m_window->connections()->rowCount(), 2);

        // The filter box narrows the list through the proxy.
        tools(m_stdio)->filter()->setText(QStringLiteral("ECHO"));
        QCOMPARE(tools(m_stdio)->proxy()->rowCount(), 1);
        tools(m_stdio)->filter()->clear();
        QVERIFY(tools(m_stdio)->proxy()->rowCount() > 5);
    }

    void echoThroughTheForm()
    {
        m_window->selectConnection(m_stdio);
        selectTool(m_stdio, QStringLiteral("echo"));
        auto *message = field<QLineEdit>(m_stdio, QStringLiteral("message"));
        QVERIFY(message);
        QVERIFY(!tools(m_stdio)->composer()->problems().isEmpty()); // message is required
        QTest::keyClicks(message, QStringLiteral("hello workbench"));
        QCOMPARE(raw(m_stdio), Json({{"message", "hello workbench"}}));
        QVERIFY(tools(m_stdio)->composer()->problems().isEmpty());

        // Ctrl+Enter sends.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        message->setFocus();
        QTest::keyClick(message, Qt::Key_Return, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(
            tools(m_stdio)->resultView()->plainText().contains(QStringLiteral("Echo: hello workbench")),
            Timeout);
        QCOMPARE(tools(m_stdio)->history()->count(), 1);
    }

    void sumOverHttp()
    {
        m_window->selectConnection(m_http);
        selectTool(m_http, QStringLiteral("get-sum"));
        QTest::keyClicks(field<QLineEdit>(m_http, QStringLiteral("a")), QStringLiteral("2"));
        QTest::keyClicks(field<QLineEdit>(m_http, QStringLiteral("b")), QStringLiteral("40.5"));
        QCOMPARE(raw(m_http), Json({{"a", 2}, {"b", 40.5}}));
        QTest::qWait(100); // let the freshly shown page lay out its form before grabbing it
        saveScreenshot(tools(m_http)->composer(), QStringLiteral("composer"));
        send(m_http);
        QTRY_VERIFY_WITH_TIMEOUT(tools(m_http)->resultView()->plainText().contains(
                                     QStringLiteral("The sum of 2 and 40.5 is 42.5.")),
                                 Timeout);
        // The stdio connection kept its own result.
        QVERIFY(tools(m_stdio)->resultView()->plainText().contains(QStringLiteral("Echo: hello workbench")));
        saveScreenshot(m_window, QStringLiteral("main-window-two-connections"));
    }

    // Whether some pixel is `colour` (within antialiasing's rounding).
    static bool containsColour(const QImage &image, const QColor &colour)
    {
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                if (qAbs(c.red() - colour.red()) + qAbs(c.green() - colour.green()) +
                        qAbs(c.blue() - colour.blue()) <=
                    12)
                    return true;
            }
        return false;
    }

    void darkTheme()
    {
        QCOMPARE(m_workbench.settings->value(QStringLiteral("view/theme")).toString(),
                 QStringLiteral("system"));
        QVERIFY(!isDarkPalette(m_window->QWidget::palette())); // the offscreen platform's palette is light
        // The All Traffic dock shows a highlighted frame.
        m_window->allTrafficDock()->toggleViewAction()->trigger();
        TrafficPane *traffic = m_window->allTraffic();
        // The last answer, whose header has a "Go to Request" link (the last frame may be a notification:
        // server-everything sends them on its own clock).
        int answer = int(traffic->recorder()->size()) - 1;
        const auto isAnswer = [traffic](int i) {
            const int request = traffic->recorder()->at(i).pairedIndex;
            return request >= 0 && request < i;
        };
        while (answer >= 0 && !isAnswer(answer))
            --answer;
        QVERIFY(answer >= 0);
        QVERIFY(traffic->selectRecorderIndex(answer));
        JsonView *json = traffic->jsonView();
        QTRY_VERIFY(firstKeyColour(json).isValid());
        const QColor lightKey = firstKeyColour(json);
        const bool builtIn = jsonHighlighterName().startsWith(QStringLiteral("built-in"));
        if (builtIn)
            QCOMPARE(lightKey, QColor(0x04, 0x51, 0xa5));

        m_window->themeAction(Theme::Dark)->trigger(); // View › Theme › Dark
        QVERIFY(m_window->themeAction(Theme::Dark)->isChecked());
        // Widgets get the palette change as an event, and the highlighter recolours on it.
        QTRY_VERIFY(isDarkPalette(m_window->QWidget::palette()));
        QTRY_VERIFY(isDarkPalette(json->textView()->palette()));
        QVERIFY(m_window->QWidget::palette().color(QPalette::Base).lightness() < 64);
        if (builtIn)
            QTRY_COMPARE(firstKeyColour(json), QColor(0x9c, 0xdc, 0xfe));
        else
            QTRY_VERIFY(firstKeyColour(json).isValid() && firstKeyColour(json) != lightKey);
        QCOMPARE(m_workbench.settings->value(QStringLiteral("view/theme")).toString(),
                 QStringLiteral("dark"));
        // The detail header's "Go to Request" link, set before the switch, is drawn in the dark link colour.
        const QColor link = m_window->QWidget::palette().color(QPalette::Link);
        QTRY_VERIFY(containsColour(traffic->detailHeader()->grab().toImage(), link));
        QTest::qWait(100); // let the re-coloured window lay out before grabbing it
        saveScreenshot(m_window, QStringLiteral("main-window-dark"));

        {
            MainWindow restarted(m_workbench.settings.get()); // the choice survives a restart
            QVERIFY(restarted.themeAction(Theme::Dark)->isChecked());
        }
        QTRY_VERIFY(isDarkPalette(m_window->QWidget::palette()));

        m_window->themeAction(Theme::Light)->trigger();
        QTRY_VERIFY(!isDarkPalette(m_window->QWidget::palette()));
        QTRY_COMPARE(firstKeyColour(json), lightKey);
        QCOMPARE(m_workbench.settings->value(QStringLiteral("view/theme")).toString(),
                 QStringLiteral("light"));
        m_window->allTrafficDock()->toggleViewAction()->trigger();
    }

    void imageResult()
    {
        m_window->selectConnection(m_stdio);
        selectTool(m_stdio, QStringLiteral("get-tiny-image"));
        send(m_stdio);
        QTRY_VERIFY_WITH_TIMEOUT(
            tools(m_stdio)->resultView()->findChild<QLabel *>(QStringLiteral("resultImage")), Timeout);
        QVERIFY(!tools(m_stdio)
                     ->resultView()
                     ->findChild<QLabel *>(QStringLiteral("resultImage"))
                     ->pixmap()
                     .isNull());
        saveScreenshot(m_window, QStringLiteral("image-result"));
    }

    void elicitationDialog()
    {
        selectTool(m_stdio, QStringLiteral("trigger-elicitation-request"));
        send(m_stdio);
        ElicitationDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = findDialog<ElicitationDialog>()), Timeout);
        // Non-modal: the rest of the window keeps working while the server waits.
        QVERIFY(!dialog->isModal());
        QVERIFY(!QApplication::activeModalWidget());
        auto *name = dialog->form()->findChild<QLineEdit *>(QStringLiteral("field:name"));
        QVERIFY(name);
        auto *submit = dialog->findChild<QPushButton *>(QStringLiteral("submit"));
        QTest::mouseClick(submit, Qt::LeftButton); // name is required: refused inline, dialog stays
        QVERIFY(dialog->isVisible());
        QTest::keyClicks(name, QStringLiteral("Ada Lovelace"));
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            tools(m_stdio)->resultView()->plainText().contains(QStringLiteral("- Name: Ada Lovelace")),
            Timeout);
        QVERIFY(tools(m_stdio)->resultView()->plainText().contains(
            QStringLiteral("- Favorite Integer: 42"))); // default
    }

    // URL mode (2025-11-25): the dialog names the address and its host, opens it only when asked, and the
    // server learns the user's choice.
    void urlElicitationDialog()
    {
        BrowserStandIn browser;
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &browser, "openUrl");
        const auto unregister =
            qScopeGuard([] { QDesktopServices::unsetUrlHandler(QStringLiteral("https")); });
        const QString url = QStringLiteral("https://auth.example.com/connect?session=42");

        m_window->selectConnection(m_stdio);
        selectTool(m_stdio, QStringLiteral("trigger-url-elicitation"));
        tools(m_stdio)->composer()->setArguments({{"url", mcp::toStd(url)},
                                                  {"message", "Connect your example.com account"},
                                                  {"elicitationId", "e-1"}});
        send(m_stdio);
        UrlElicitationDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = findDialog<UrlElicitationDialog>()), Timeout);
        QVERIFY(!dialog->isModal());
        const QString shown = dialog->findChild<QLabel *>(QStringLiteral("url"))->text();
        QVERIFY2(shown.contains(QStringLiteral("https://auth.example.com/connect?session=42")),
                 qPrintable(shown));
        QVERIFY(shown.contains(QStringLiteral("host <b>auth.example.com</b>")));
        QVERIFY(browser.opened.isEmpty()); // never opened without the user's click
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("openInBrowser")), Qt::LeftButton);
        QCOMPARE(browser.opened, QList<QUrl>{QUrl(url)});
        QVERIFY(dialog->isVisible()); // opening is not answering: the user confirms when done
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("finished")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(tools(m_stdio)->resultView()->plainText().contains(
                                     QStringLiteral("User completed the URL elicitation flow")),
                                 Timeout);
        QVERIFY(tools(m_stdio)->resultView()->plainText().contains(QStringLiteral("Elicitation ID: e-1")));

        // Declining reaches the server as well.
        send(m_stdio);
        QTRY_VERIFY_WITH_TIMEOUT((dialog = findDialog<UrlElicitationDialog>()), Timeout);
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("decline")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(tools(m_stdio)->resultView()->plainText().contains(
                                     QStringLiteral("User declined to open the URL")),
                                 Timeout);
        QCOMPARE(browser.opened.size(), 1);
    }

    void samplingDialog()
    {
        m_window->selectConnection(m_http);
        selectTool(m_http, QStringLiteral("trigger-sampling-request"));
        QTest::keyClicks(field<QLineEdit>(m_http, QStringLiteral("prompt")), QStringLiteral("What is MCP?"));
        send(m_http);
        SamplingDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = findDialog<SamplingDialog>()), Timeout);
        QVERIFY(dialog->findChild<QPlainTextEdit *>(QStringLiteral("messages"))
                    ->toPlainText()
                    .contains(QStringLiteral("What is MCP?")));
        QTest::keyClicks(dialog->replyEditor(), QStringLiteral("MCP connects models to tools."));
        saveScreenshot(dialog, QStringLiteral("sampling-dialog"));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("sendReply")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(tools(m_http)->resultView()->plainText().contains(
                                     QStringLiteral("MCP connects models to tools.")),
                                 Timeout);
        QFile trail(m_window->auditLog()->currentPath());
        QVERIFY(trail.open(QIODevice::ReadOnly));
        QVERIFY(trail.readAll().contains(kSamplingAnswer));
    }

    void cancelLongRunning()
    {
        m_window->selectConnection(m_stdio);
        selectTool(m_stdio, QStringLiteral("trigger-long-running-operation"));
        tools(m_stdio)->composer()->setArguments({{"duration", 30}, {"steps", 30}});
        QCOMPARE(field<QLineEdit>(m_stdio, QStringLiteral("duration"))->text(),
                 QStringLiteral("30")); // raw -> form
        send(m_stdio);
        Composer *composer = tools(m_stdio)->composer();
        QTRY_VERIFY_WITH_TIMEOUT(composer->progressBar()->isVisible() && composer->progressBar()->value() > 0,
                                 Timeout);
        QVERIFY(!composer->sendButton()->isEnabled());
        QTest::mouseClick(composer->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(tools(m_stdio)->resultView()->findChild<QLabel *>(QStringLiteral("errorBanner")));
        QVERIFY(tools(m_stdio)->resultView()->plainText().contains(QStringLiteral("cancelled")));
        QVERIFY(!composer->progressBar()->isVisibleTo(composer));
        // The connection is still usable.
        selectTool(m_stdio, QStringLiteral("echo"));
        send(m_stdio);
        QTRY_VERIFY_WITH_TIMEOUT(
            tools(m_stdio)->resultView()->plainText().contains(QStringLiteral("Echo: hello workbench")),
            Timeout);
    }

    void nestedSchemaFormAndRawJson()
    {
        auto *fake = new FakeTransport;
        fake->onSend = [fake](const Json &m) {
            const auto reply = [&](Json result) {
                fake->injectJson({{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", result}});
            };
            if (m["method"] == "tools/list")
                reply({{"tools",
                        {{{"name", "create-order"},
                          {"description", "Places an order"},
                          {"inputSchema", orderSchema},
                          {"outputSchema",
                           {{"type", "object"},
                            {"required", {"orderId"}},
                            {"properties", {{"orderId", {{"type", "string"}}}}}}}}}}});
            else if (m["method"] == "tools/call" && m["params"]["arguments"].value("gift", false))
                reply({{"content", {{{"type", "text"}, {"text", "gift wrapping is out of stock"}}}},
                       {"isError", true}});
            else if (m["method"] == "tools/call")
                reply({{"content", {{{"type", "text"}, {"text", "order placed"}}}},
                       {"structuredContent",
                        {{"orderId", "A-1"}, {"items", m["params"]["arguments"]["items"].size()}}}});
        };
        ConnectionProfile profile;
        profile.name = QStringLiteral("fake shop");
        profile.command = QStringLiteral("(in-process)");
        Connection *c = m_window->addConnection(profile);
        m_window->selectConnection(c);
        c->openWith(std::unique_ptr<mcp::Transport>(fake));
        selectTool(c, QStringLiteral("create-order"));
        Composer *composer = tools(c)->composer();

        QVERIFY(composer->findChild<QGroupBox *>(QStringLiteral("group:customer")));
        QVERIFY(composer->findChild<QGroupBox *>(QStringLiteral("group:customer.address")));
        QVERIFY(field<QPlainTextEdit>(c, QStringLiteral("note"))); // long text: multi-line
        QCOMPARE(raw(c), Json({{"priority", "normal"}}));          // defaults fill in
        QVERIFY(
            composer->problems().contains(QStringLiteral("(root): Missing required property 'customer'.")));
        QVERIFY(composer->problems().contains(QStringLiteral("(root): Missing required property 'items'.")));
        QVERIFY(!composer->sendButton()->isEnabled());

        QTest::keyClicks(field<QLineEdit>(c, QStringLiteral("customer.name")), QStringLiteral("Ada"));
        QTest::keyClicks(field<QLineEdit>(c, QStringLiteral("customer.address.city")),
                         QStringLiteral("Paris"));
        QTest::mouseClick(composer->findChild<QPushButton *>(QStringLiteral("add:items")), Qt::LeftButton);
        QTest::keyClicks(field<QLineEdit>(c, QStringLiteral("items[0].sku")), QStringLiteral("X1"));
        QCOMPARE(raw(c), Json::parse(R"({"customer": {"name": "Ada", "address": {"city": "Paris"}},
                                          "items": [{"sku": "X1", "quantity": 1}], "priority": "normal"})"));
        QVERIFY(composer->problems().isEmpty());

        // Raw JSON -> form.
        composer->rawEditor()->setPlainText(
            QStringLiteral(R"({"customer": {"name": "Bob"}, "items": [{"sku": "Y2", "quantity": 3}],
                                                              "priority": "high", "x-extra": true})"));
        QCOMPARE(field<QLineEdit>(c, QStringLiteral("customer.name"))->text(), QStringLiteral("Bob"));
        QCOMPARE(field<QComboBox>(c, QStringLiteral("priority"))->currentText(), QStringLiteral("high"));
        QCOMPARE(field<QLineEdit>(c, QStringLiteral("items[0].quantity"))->text(), QStringLiteral("3"));
        QVERIFY(field<QLineEdit>(c, QStringLiteral("customer.address.city"))->text().isEmpty());
        // A form edit keeps keys the schema does not know.
        QTest::keyClicks(field<QLineEdit>(c, QStringLiteral("customer.name")), QStringLiteral("by"));
        QCOMPARE(raw(c)["x-extra"], true);
        QCOMPARE(raw(c)["customer"]["name"], "Bobby");

        // Inline validation: wrong type in the form, wrong type in the JSON, bad JSON.
        QTest::keyClicks(field<QLineEdit>(c, QStringLiteral("items[0].quantity")), QStringLiteral("x"));
        QVERIFY(composer->problems()
                    .join(QLatin1Char('\n'))
                    .contains(QStringLiteral("/items/0/quantity: string is not a type the schema allows")));
        QVERIFY(!composer->sendButton()->isEnabled());
        composer->rawEditor()->setPlainText(QStringLiteral(R"({"customer": {"name": 7}, "items": []})"));
        QVERIFY(composer->problems().contains(
            QStringLiteral("/customer/name: integer is not a type the schema allows")));
        composer->rawEditor()->setPlainText(QStringLiteral(R"({"customer": )"));
        QVERIFY(composer->problems().value(0).startsWith(QStringLiteral("Bad JSON")));
        QVERIFY(composer->findChild<QLabel *>(QStringLiteral("problems"))->isVisible());
        QVERIFY(!composer->sendButton()->isEnabled());

        composer->setArguments({{"customer", {{"name", "Ada"}}}, {"items", {{{"sku", "X1"}}}}});
        send(c);
        QTRY_VERIFY(tools(c)->resultView()->plainText().contains(QStringLiteral("\"orderId\": \"A-1\"")));
        QVERIFY(
            tools(c)->resultView()->plainText().contains(QStringLiteral("Matches the tool's output schema")));
        QCOMPARE(fake->lastSent(QStringLiteral("tools/call"))["params"]["arguments"]["customer"]["name"],
                 "Ada");

        // isError results get the red banner.
        field<QCheckBox>(c, QStringLiteral("gift"))
            ->click(); // scrolled out of sight: a mouse click would miss
        send(c);
        QTRY_VERIFY(tools(c)->resultView()->findChild<QLabel *>(QStringLiteral("errorBanner")));
        QVERIFY(
            tools(c)->resultView()->plainText().contains(QStringLiteral("gift wrapping is out of stock")));

        // Re-send from history loads the request back into the composer.
        QCOMPARE(tools(c)->history()->count(), 2);
        Q_EMIT tools(c)->history()->itemActivated(tools(c)->history()->item(1));
        QVERIFY(!raw(c).contains("gift"));
        m_window->selectConnection(c);
        m_window->removeConnection();
    }

    void wrongCommandFailsOnlyThatConnection()
    {
        ConnectionProfile bad;
        bad.name = QStringLiteral("broken");
        bad.command = QStringLiteral("/nonexistent/mcp-server");
        Connection *c = connectTo(bad);
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), Connection::State::Failed, Timeout);
        QVERIFY(!c->lastError().isEmpty());
        QVERIFY(m_window->pageFor(c)->errorBanner()->isVisible());
        QVERIFY(m_window->pageFor(c)->errorBanner()->text().contains(QStringLiteral("Connection failed")));
        QVERIFY(!m_window->pageFor(m_stdio)->errorBanner()->isVisibleTo(m_window->pageFor(m_stdio)));
        QCOMPARE(m_stdio->state(), Connection::State::Ready);
        QCOMPARE(m_http->state(), Connection::State::Ready);
        qInfo() << "wrong command:" << c->lastError();
        m_window->selectConnection(c);
        m_window->removeConnection();
    }

    void refusedConnectionFailsOnlyThatConnection()
    {
        ConnectionProfile refused;
        refused.name = QStringLiteral("refused");
        refused.kind = ConnectionProfile::Kind::Url;
        refused.url = QStringLiteral("http://127.0.0.1:%1/mcp").arg(testsupport::freeLoopbackPort());
        Connection *c = connectTo(refused);
        QTRY_COMPARE_WITH_TIMEOUT(c->state(), Connection::State::Failed, Timeout);
        QVERIFY(m_window->pageFor(c)->errorBanner()->isVisible());
        qInfo() << "refused:" << c->lastError();
        QCOMPARE(m_http->state(), Connection::State::Ready);
        m_window->selectConnection(c);
        m_window->removeConnection();
    }

    void serverDyingKeepsComposerText()
    {
        m_window->selectConnection(m_stdio);
        selectTool(m_stdio, QStringLiteral("echo"));
        auto *message = field<QLineEdit>(m_stdio, QStringLiteral("message"));
        message->clear();
        QTest::keyClicks(message, QStringLiteral("draft that must survive"));

        const qint64 pid = static_cast<mcp::StdioTransport *>(m_stdio->session()->transport())->processId();
        QVERIFY(pid > 0);
        ::kill(pid_t(pid), SIGKILL);
        QTRY_COMPARE_WITH_TIMEOUT(m_stdio->state(), Connection::State::Failed, Timeout);
        QVERIFY(m_window->pageFor(m_stdio)->errorBanner()->isVisible());
        qInfo() << "server died:" << m_stdio->lastError();
        QCOMPARE(raw(m_stdio), Json({{"message", "draft that must survive"}}));
        QVERIFY(!tools(m_stdio)->composer()->sendButton()->isEnabled());

        // The HTTP connection keeps working.
        selectTool(m_http, QStringLiteral("echo"));
        QTest::keyClicks(field<QLineEdit>(m_http, QStringLiteral("message")), QStringLiteral("still here"));
        send(m_http);
        QTRY_VERIFY_WITH_TIMEOUT(
            tools(m_http)->resultView()->plainText().contains(QStringLiteral("Echo: still here")), Timeout);

        // Reconnecting brings the tools back with the draft intact.
        m_stdio->open();
        QTRY_COMPARE_WITH_TIMEOUT(m_stdio->state(), Connection::State::Ready, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(tools(m_stdio)->composer()->target() == QStringLiteral("echo"), Timeout);
        QCOMPARE(raw(m_stdio), Json({{"message", "draft that must survive"}}));
        send(m_stdio);
        QTRY_VERIFY_WITH_TIMEOUT(tools(m_stdio)->resultView()->plainText().contains(
                                     QStringLiteral("Echo: draft that must survive")),
                                 Timeout);
    }

    void profilesSurviveRestart()
    {
        MainWindow second(m_workbench.settings.get());
        QCOMPARE(second.connections()->rowCount(), 2);
        QCOMPARE(second.connections()->at(0)->profile().name, QStringLiteral("everything (stdio)"));
        QCOMPARE(second.connections()->at(0)->profile().roots, QStringList{QStringLiteral("file:///tmp")});
        QCOMPARE(second.connections()->at(1)->profile().url, m_http->profile().url);
        QCOMPARE(second.connections()->at(1)->state(), Connection::State::Idle);
    }

    void cleanupTestCase() { m_workbench.close(); }
};

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
