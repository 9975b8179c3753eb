// Completions in argument fields: typing into a prompt argument or a resource template variable asks the
// server (completion/complete) and offers its values in a popup. Against
// @modelcontextprotocol/server-everything over stdio for what the user sees, and against an in-process fake
// server for the timing rules (one request per pause in typing, stale answers dropped), failures and servers
// without the capability.
#include "common/argumentcompleter.h"
#include "composer/resultview.h"
#include "composer/schemaform.h"
#include "connections/connection.h"
#include "connections/connectionpage.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/promptspane.h"
#include "discovery/resourcespane.h"
#include "faketransport.h"
#include "mainwindow.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "workbenchtest.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

using mcp::Json;
using namespace mcpui;

namespace {

constexpr int Timeout = 30000;

QStringList rows(const QAbstractItemModel *model)
{
    QStringList values;
    for (int i = 0; i < model->rowCount(); ++i)
        values << model->index(i, 0).data().toString();
    return values;
}

QAbstractItemView *popupOf(QLineEdit *field)
{
    auto *completer = field->findChild<ArgumentCompleter *>();
    return completer ? completer->completer()->popup() : nullptr;
}

// The popup's rows once it is shown.
QStringList offered(QLineEdit *field)
{
    QAbstractItemView *popup = popupOf(field);
    return popup && popup->isVisible() ? rows(popup->model()) : QStringList();
}

// The window with the open popup drawn where it is on screen (it is a window of its own, so grab() misses
// it).
void saveScreenshotWithPopup(QWidget *window, QLineEdit *field, const QString &name)
{
    QAbstractItemView *popup = popupOf(field);
    QPixmap shot = window->grab();
    QPainter painter(&shot);
    // Under the field, where a real screen has it (the offscreen screen is narrower than the window).
    painter.drawPixmap(field->mapTo(window, QPoint(0, field->height())), popup->grab());
    painter.end();
    testsupport::saveScreenshot(shot, name);
}

// Picks a value the way a user does: arrow keys in the popup, then Return.
void pick(QLineEdit *field, const QString &value)
{
    QAbstractItemView *popup = popupOf(field);
    QVERIFY(popup && popup->isVisible());
    const int row = int(rows(popup->model()).indexOf(value));
    QVERIFY2(row >= 0, qPrintable(value));
    for (int i = 0; i <= row; ++i)
        QTest::keyClick(popup, Qt::Key_Down);
    QCOMPARE(popup->currentIndex().data().toString(), value);
    QTest::keyClick(popup, Qt::Key_Return);
    QVERIFY(!popup->isVisible());
}

// A prompt with two arguments on a fake server that records completion requests and lets the test answer.
struct FakeServer
{
    FakeTransport *transport = new FakeTransport;
    QList<Json> requests; // completion/complete, unanswered

    explicit FakeServer(const QString &version, bool completions)
    {
        transport->serverVersion = version;
        transport->serverCapabilities = {{"prompts", Json::object()}};
        if (completions)
            transport->serverCapabilities["completions"] = Json::object();
        transport->onSend = [this](const Json &m) {
            if (m["method"] == "prompts/list")
                answer(
                    m,
                    {{"prompts",
                      {{{"name", "greet"}, {"arguments", {{{"name", "language"}}, {{"name", "person"}}}}}}}});
            else if (m["method"] == "completion/complete")
                requests.append(m);
        };
    }
    void answer(const Json &request, const Json &result)
    {
        transport->injectJson({{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", result}});
    }
    void answerValues(const Json &request, const Json &values)
    {
        answer(request, {{"completion", {{"values", values}}}});
    }
};

} // namespace

class TestCompletion : public QObject
{
    Q_OBJECT

    testsupport::Workbench m_workbench;
    MainWindow *m_window = nullptr;
    Connection *m_everything = nullptr;

    ConnectionPage *page(Connection *c) const { return m_window->pageFor(c); }
    QLineEdit *promptField(Connection *c, const QString &argument) const
    {
        return page(c)->prompts()->form()->findChild<QLineEdit *>(QStringLiteral("field:") + argument);
    }

    // Shows the prompt's (empty) form and puts the keyboard in the argument's field.
    QLineEdit *focusPromptField(Connection *c, const QString &prompt, const QString &argument)
    {
        m_window->selectConnection(c);
        page(c)->tabs()->setCurrentIndex(ConnectionPage::PromptsTab);
        PromptsPane *prompts = page(c)->prompts();
        if (!QTest::qWaitFor([&] { return prompts->model()->findRow(prompt) >= 0; }, Timeout) ||
            !prompts->selectPrompt(prompt))
            return nullptr;
        return focus(promptField(c, argument));
    }

    QLineEdit *focus(QLineEdit *field)
    {
        if (!field)
            return nullptr;
        m_window->activateWindow();
        field->setFocus();
        return QTest::qWaitFor([field] { return field->hasFocus(); }, 5000) ? field : nullptr;
    }

    // Connects to the fake server and puts the keyboard in an argument field of its prompt; nullptr on
    // failure.
    QLineEdit *fakePromptField(FakeServer &server, const QString &argument, Connection **c)
    {
        ConnectionProfile profile;
        profile.name = QStringLiteral("fake %1").arg(server.transport->serverVersion);
        profile.command = QStringLiteral("(in-process)");
        *c = m_window->addConnection(profile);
        m_window->selectConnection(*c);
        (*c)->openWith(std::unique_ptr<mcp::Transport>(server.transport));
        if (!QTest::qWaitFor([c] { return (*c)->isReady(); }, Timeout))
            return nullptr;
        return focusPromptField(*c, QStringLiteral("greet"), argument);
    }

    void removeConnection(Connection *c)
    {
        m_window->selectConnection(c);
        m_window->removeConnection();
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY((m_window = m_workbench.show()));
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        m_everything = testsupport::connectTo(m_window, testsupport::everythingStdioProfile());
        QTRY_COMPARE_WITH_TIMEOUT(m_everything->state(), Connection::State::Ready, Timeout);
        QVERIFY(m_everything->session()->serverCapabilities().contains("completions"));
    }

    // server-everything's completable-prompt: the department completes from a list; the name completes from
    // the department already chosen, which only works if the client sends it as context.
    void promptArgumentsAgainstServerEverything()
    {
        QLineEdit *department = focusPromptField(m_everything, QStringLiteral("completable-prompt"),
                                                 QStringLiteral("department"));
        QVERIFY(department);
        QTest::keyClicks(department, QStringLiteral("S"));
        QTRY_COMPARE_WITH_TIMEOUT(offered(department),
                                  QStringList({QStringLiteral("Sales"), QStringLiteral("Support")}), Timeout);
        saveScreenshotWithPopup(m_window, department, QStringLiteral("prompt-completion"));
        pick(department, QStringLiteral("Support"));
        QCOMPARE(department->text(), QStringLiteral("Support"));

        QLineEdit *name = focus(promptField(m_everything, QStringLiteral("name")));
        QVERIFY(name);
        QTest::keyClicks(name, QStringLiteral("J"));
        QTRY_COMPARE_WITH_TIMEOUT(offered(name), QStringList{QStringLiteral("John")}, Timeout);
        pick(name, QStringLiteral("John"));
        QCOMPARE(page(m_everything)->prompts()->form()->value(),
                 Json({{"department", "Support"}, {"name", "John"}}));

        // On the wire: the department went along as context.arguments (2025-06-18 and later).
        const mcp::Recorder *recorder = m_everything->recorder();
        Json last;
        for (qsizetype i = 0; i < recorder->size(); ++i)
            if (recorder->method(recorder->at(i)) == QLatin1String("completion/complete") &&
                recorder->at(i).direction == mcp::Direction::Sent)
                last = Json::parse(recorder->at(i).bytes.toStdString());
        QCOMPARE(last["params"]["ref"], Json({{"type", "ref/prompt"}, {"name", "completable-prompt"}}));
        QCOMPARE(last["params"]["argument"], Json({{"name", "name"}, {"value", "J"}}));
        QCOMPARE(last["params"]["context"], Json({{"arguments", {{"department", "Support"}}}}));

        page(m_everything)->prompts()->get();
        QTRY_VERIFY_WITH_TIMEOUT(
            page(m_everything)
                ->prompts()
                ->resultView()
                ->plainText()
                .contains(QStringLiteral("Please promote John to the head of the Support team.")),
            Timeout);
    }

    // Its resource template demo://resource/dynamic/text/{resourceId}: the variable gets a field, the server
    // completes it, and the URI follows the field.
    void templateVariableAgainstServerEverything()
    {
        ResourcesPane *resources = page(m_everything)->resources();
        page(m_everything)->tabs()->setCurrentIndex(ConnectionPage::ResourcesTab);
        const QString uriTemplate = QStringLiteral("demo://resource/dynamic/text/{resourceId}");
        int row = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (row = 0; row < resources->templates()->rowCount(); ++row)
                    if (mcp::stringOr(resources->templates()->item(row), "uriTemplate") == uriTemplate)
                        return true;
                return false;
            }(),
            Timeout);
        auto *templates = resources->findChild<QTableView *>(QStringLiteral("templates"));
        auto *lists =
            qobject_cast<QTabWidget *>(templates->parentWidget()->parentWidget()); // page, stack, tabs
        QVERIFY(lists);
        lists->setCurrentWidget(templates);
        templates->setCurrentIndex(resources->templates()->index(row, 0));
        QVERIFY(resources->templateVariables()->isVisible());
        QCOMPARE(resources->uriEdit()->text(), uriTemplate);

        QLineEdit *id =
            focus(resources->templateVariables()->findChild<QLineEdit *>(QStringLiteral("field:resourceId")));
        QVERIFY(id);
        QTest::keyClicks(id, QStringLiteral("12"));
        QCOMPARE(resources->uriEdit()->text(), QStringLiteral("demo://resource/dynamic/text/12"));
        QTRY_COMPARE_WITH_TIMEOUT(offered(id), QStringList{QStringLiteral("12")},
                                  Timeout); // it checks the id
        saveScreenshotWithPopup(m_window, id, QStringLiteral("template-completion"));
        pick(id, QStringLiteral("12"));
        QTest::keyClicks(id, QStringLiteral("x")); // not an id: the server offers nothing
        QTest::qWait(ArgumentCompleter::DelayMs * 4);
        QVERIFY(offered(id).isEmpty());
        QTest::keyClick(id, Qt::Key_Backspace);
        QCOMPARE(resources->uriEdit()->text(), QStringLiteral("demo://resource/dynamic/text/12"));
        resources->read();
        QTRY_VERIFY_WITH_TIMEOUT(
            resources->resultView()->plainText().contains(QStringLiteral("Resource 12:")), Timeout);
    }

    // Typing in one go asks once, after the pause; an answer to an older question never reaches the popup.
    void oneRequestPerPauseAndStaleAnswersDropped()
    {
        FakeServer server(QStringLiteral("2025-11-25"), true);
        Connection *c = nullptr;
        QLineEdit *person = fakePromptField(server, QStringLiteral("person"), &c);
        QVERIFY(person);
        promptField(c, QStringLiteral("language"))->setText(QStringLiteral("fr")); // filled in, not typed

        QTest::keyClicks(person, QStringLiteral("Ad"));
        QTRY_COMPARE(server.requests.size(), 1);
        QTest::qWait(ArgumentCompleter::DelayMs * 2);
        QCOMPARE(server.requests.size(), 1); // one per pause, not one per key
        const Json first = server.requests[0];
        QCOMPARE(first["params"]["argument"], Json({{"name", "person"}, {"value", "Ad"}}));
        QCOMPARE(first["params"]["context"], Json({{"arguments", {{"language", "fr"}}}}));

        QTest::keyClicks(person, QStringLiteral("a"));
        server.answerValues(first, {"Ad-stale"}); // arrives after the user typed on: dropped
        QTRY_COMPARE(server.requests.size(), 2);
        QVERIFY(offered(person).isEmpty());
        server.answerValues(server.requests[1], {"Ada", "Adam"});
        QTRY_COMPARE(offered(person), QStringList({QStringLiteral("Ada"), QStringLiteral("Adam")}));

        // An answer overtaken by a newer question while the popup is up does not replace it either.
        QTest::keyClicks(person, QStringLiteral("m"));
        QTRY_COMPARE(server.requests.size(), 3);
        QTest::keyClick(person, Qt::Key_Backspace);
        QTRY_COMPARE(server.requests.size(), 4);
        server.answerValues(server.requests[3], {"Ada", "Adam"});
        server.answerValues(server.requests[2], {"Adam-stale"});
        QTRY_COMPARE(offered(person), QStringList({QStringLiteral("Ada"), QStringLiteral("Adam")}));
        QTest::qWait(50);
        QCOMPARE(offered(person), QStringList({QStringLiteral("Ada"), QStringLiteral("Adam")}));
        pick(person, QStringLiteral("Adam"));
        QCOMPARE(person->text(), QStringLiteral("Adam"));
        removeConnection(c);
    }

    // A failing completion is a line of status text under the form, not a dialog; the next success clears it.
    void failuresAreQuiet()
    {
        FakeServer server(QStringLiteral("2025-11-25"), true);
        Connection *c = nullptr;
        QLineEdit *language = fakePromptField(server, QStringLiteral("language"), &c);
        QVERIFY(language);
        auto *status = page(c)->prompts()->findChild<QLabel *>(QStringLiteral("completionStatus"));
        QVERIFY(!status->isVisible());
        QTest::keyClicks(language, QStringLiteral("e"));
        QTRY_COMPARE(server.requests.size(), 1);
        server.transport->injectJson(
            {{"jsonrpc", "2.0"},
             {"id", server.requests[0]["id"]},
             {"error", {{"code", -32602}, {"message", "unknown argument: language"}}}});
        QTRY_VERIFY(status->isVisible());
        QVERIFY2(status->text().contains(QStringLiteral("unknown argument: language")),
                 qPrintable(status->text()));
        QVERIFY(!QApplication::activeModalWidget());
        QVERIFY(offered(language).isEmpty());
        QCOMPARE(c->state(), Connection::State::Ready);

        // Garbage in the result: nothing offered, nothing thrown.
        QTest::keyClicks(language, QStringLiteral("n"));
        QTRY_COMPARE(server.requests.size(), 2);
        server.answer(server.requests[1],
                      {{"completion", {{"values", "en"}, {"hasMore", "yes"}, {"total", "x"}}}});
        QTRY_VERIFY(!status->isVisible()); // answered: the failure is history
        QVERIFY(offered(language).isEmpty());

        QTest::keyClicks(language, QStringLiteral("g"));
        QTRY_COMPARE(server.requests.size(), 3);
        server.answer(server.requests[2],
                      {{"completion", {{"values", {"eng"}}, {"total", 40}, {"hasMore", true}}}});
        QTRY_COMPARE(offered(language), QStringList{QStringLiteral("eng")});
        QCOMPARE(status->text(), QStringLiteral("language: showing 1 of 40 completions"));
        removeConnection(c);
    }

    // No completions capability: typing asks nothing. Before 2025-06-18 the request has no context.
    void capabilityAndVersionRespected()
    {
        FakeServer without(QStringLiteral("2025-11-25"), false);
        Connection *c = nullptr;
        QLineEdit *person = fakePromptField(without, QStringLiteral("person"), &c);
        QVERIFY(person);
        QTest::keyClicks(person, QStringLiteral("Ada"));
        QTest::qWait(ArgumentCompleter::DelayMs * 4);
        QVERIFY(without.transport->lastSent(QStringLiteral("completion/complete")).is_null());
        removeConnection(c);

        FakeServer old(QStringLiteral("2025-03-26"), true);
        QVERIFY((person = fakePromptField(old, QStringLiteral("person"), &c)));
        promptField(c, QStringLiteral("language"))->setText(QStringLiteral("fr"));
        QTest::keyClicks(person, QStringLiteral("A"));
        QTRY_COMPARE(old.requests.size(), 1);
        QVERIFY(!old.requests[0]["params"].contains("context"));
        removeConnection(c);
    }

    void cleanupTestCase() { m_workbench.close(); }
};

QTEST_MAIN(TestCompletion)
#include "tst_completion.moc"
