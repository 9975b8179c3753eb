// The auth pane, offscreen with real widgets, against the MCP TypeScript SDK's example OAuth-protected server
// (@modelcontextprotocol/sdk, examples/server/simpleStreamableHttp.js --oauth; its /authorize approves by
// itself, so the pane follows the redirect directly). First run: Step through every step with the Step
// button, checking the list and the raw HTTP after each one, reach a tool call and inspect the token. Second
// run: tamper with `state` at the pause before the authorization request; the flow must stop at the
// authorization response with a message naming that step, and the request's row must be marked TAMPERED.
#include "audit/auditlog.h"
#include "auth/authpane.h"
#include "auth/authstepmodel.h"
#include "auth/exchangeview.h"
#include "auth/sequencediagram.h"
#include "auth/tokeninspectordialog.h"
#include "auth/tokeninspectorwidget.h"
#include "connections/connection.h"
#include "connections/connectionpage.h"
#include "mainwindow.h"
#include "mapvault.h"
#include "testsupport.h"
#include "workbenchtest.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

using namespace mcpui;
using State = AuthStepModel::State;

namespace {

constexpr int Timeout = 20000;
constexpr int MaxSteps = 15; // a flow has about eight; more means the pane lost track of it

int rowNamed(const AuthStepModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->step(row).name == name && model->state(row) != State::Paused)
            return row;
    return -1;
}

// The audit trail's entry for the user's click on "Open in browser".
constexpr char kApprovalEntry[] = "\"event\":\"approve\",\"detail\":{\"url\":\"";

} // namespace

// Takes the place of the system browser: records what QDesktopServices was asked to open.
class UrlCatcher : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public Q_SLOTS:
    void open(const QUrl &url) { urls << url; }
};

class TestAuthPane : public QObject
{
    Q_OBJECT

    testsupport::Workbench m_workbench;
    MainWindow *m_window = nullptr; // m_workbench's
    testsupport::PeerProcess m_peer;
    Connection *m_connection = nullptr;
    AuthPane *m_pane = nullptr;

    AuthStepModel *model() const { return m_pane->model(); }

    // Waits for the flow to pause; the last row is then the next step, the one before it the step just done.
    bool waitForPause() const
    {
        return QTest::qWaitFor(
            [this] {
                const int n = model()->rowCount();
                return n > 0 && model()->state(n - 1) == State::Paused;
            },
            Timeout);
    }

    QString rawExchangesShown() const
    {
        QStringList texts;
        for (auto *raw :
             m_pane->exchangeView()->findChildren<QPlainTextEdit *>(QStringLiteral("rawExchange")))
            texts << raw->toPlainText();
        return texts.join(QLatin1Char('\n'));
    }

    // The row of a finished step as the list shows it, and its request lines in the raw HTTP view.
    void checkFinishedStep(int row)
    {
        const mcp::auth::AuthStep &step = model()->step(row);
        QVERIFY(
            model()->data(model()->index(row, AuthStepModel::NameColumn)).toString().startsWith(step.name));
        QCOMPARE(model()->data(model()->index(row, AuthStepModel::StateColumn)).toString(),
                 AuthStepModel::stateName(State::Done));
        QVERIFY2(!model()->data(model()->index(row, AuthStepModel::DecisionColumn)).toString().isEmpty(),
                 qPrintable(step.name));
        QCOMPARE(m_pane->stepList()->currentIndex().row(), row); // the pane follows the flow
        QVERIFY(m_pane->exchangeView()->decisionLabel()->text().contains(step.decision.toHtmlEscaped()));
        const QString raw = rawExchangesShown();
        for (const mcp::HttpExchange &ex : step.exchanges) {
            const QString path = ex.url.path().isEmpty() ? QStringLiteral("/") : ex.url.path();
            const QString requestLine = QStringLiteral("%1 %2").arg(QString::fromLatin1(ex.method), path);
            QVERIFY2(raw.contains(requestLine), qPrintable(step.name + QStringLiteral(": ") + requestLine));
        }
        if (!step.exchanges.isEmpty())
            QVERIFY2(raw.contains(QStringLiteral(" HTTP/1.1\nHost: ")), qPrintable(raw.left(300)));
    }

    // Clicks Step until the next step is `name` (at most MaxSteps times), checking each finished step.
    void stepUntilNext(const QString &name)
    {
        for (int i = 0; i < MaxSteps && m_pane->model()->flow()->nextStepName() != name; ++i) {
            const int done = model()->rowCount() - 1;
            QVERIFY(m_pane->stepButton()->isEnabled());
            m_pane->stepButton()->click();
            QVERIFY2(waitForPause(), qPrintable(m_pane->statusLabel()->text()));
            QCOMPARE(model()->rowCount(), done + 2); // exactly one more step ran
            checkFinishedStep(done);
        }
        QCOMPARE(m_pane->model()->flow()->nextStepName(), name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        const QString server = testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/sdk")) +
                               QStringLiteral("/dist/esm/examples/server/simpleStreamableHttp.js");
        if (!QFileInfo::exists(server))
            QSKIP("the TypeScript SDK's example OAuth server is not installed (npm ci --prefix tests/peers)");
        quint16 port = 0;
        quint16 authPort = 0;
        QVERIFY2(m_peer.startOAuthExample(&port, &authPort), qPrintable(m_peer.output()));

        QVERIFY((m_window = m_workbench.show()));
        m_window->resize(1600, 1000); // the stepper's screenshot wants the room

        ConnectionProfile profile;
        profile.name = QStringLiteral("SDK example (OAuth)");
        profile.kind = ConnectionProfile::Kind::Url;
        profile.url = QStringLiteral("http://localhost:%1/mcp").arg(port);
        profile.transport = QStringLiteral("http");
        profile.protocolVersion = QStringLiteral("2025-11-25");
        m_connection = m_window->addConnection(profile);
        m_window->selectConnection(m_connection);
        ConnectionPage *page = m_window->pageFor(m_connection);
        m_pane = page->auth();
        QVERIFY(page->tabs()->isTabEnabled(page->tabs()->indexOf(m_pane)));
        page->tabs()->setCurrentWidget(m_pane);
        m_pane->userAgentChoice()->setCurrentIndex(1); // follow the redirect directly
        m_pane->stepThroughToggle()->setChecked(true);
        QCOMPARE(m_connection->authSettings().userAgent, mcp::auth::AuthSettings::UserAgent::FollowRedirect);
        QCOMPARE(m_pane->restartButton()->text(), QStringLiteral("&Start"));
    }

    void stepThroughToToolCall()
    {
        m_pane->restartButton()->click(); // Start: connect; the server's 401 starts the flow
        QVERIFY2(waitForPause(), qPrintable(m_connection->lastError()));
        QCOMPARE(model()->step(0).name, QStringLiteral("server refusal"));
        checkFinishedStep(0);
        QVERIFY(rawExchangesShown().contains(QStringLiteral("HTTP/1.1 401")));
        QVERIFY(m_pane->statusLabel()->text().contains(QStringLiteral("Paused before")));
        QCOMPARE(model()->data(model()->index(1, AuthStepModel::StateColumn)).toString(),
                 AuthStepModel::stateName(State::Paused));

        stepUntilNext(QStringLiteral("token request"));
        // The steps of an authorization code flow, in order (others, such as a DPoP key, may sit between).
        int last = -1;
        for (const char *name :
             {"server refusal", "protected resource metadata", "authorization server metadata",
              "client identity", "authorization request", "authorization response"}) {
            const int row = rowNamed(model(), QLatin1String(name));
            QVERIFY2(row > last, name);
            last = row;
        }
        // The authorization request: the browser's GET of /authorize and the redirect to our loopback
        // listener.
        m_pane->stepList()->setCurrentIndex(
            model()->index(rowNamed(model(), QStringLiteral("authorization request")), 0));
        QVERIFY(rawExchangesShown().contains(QStringLiteral("GET /authorize?")));
        const QString shown = m_pane->exchangeView()->decisionLabel()->text();
        QVERIFY2(shown.contains(QStringLiteral("Authorization URL:")), qPrintable(shown));
        // The code in the redirect is a secret: masked until Reveal.
        m_pane->exchangeView()->setExpanded(0, true);
        QVERIFY2(
            !rawExchangesShown().contains(QRegularExpression(QStringLiteral("[?&]code=[A-Za-z0-9_-]{12,}"))),
            qPrintable(rawExchangesShown()));
        m_pane->exchangeView()->revealToggle()->setChecked(true);
        QVERIFY(
            rawExchangesShown().contains(QRegularExpression(QStringLiteral("[?&]code=[A-Za-z0-9_-]{12,}"))));
        m_pane->exchangeView()->revealToggle()->setChecked(false);
        m_pane->stepList()->setCurrentIndex(model()->index(model()->rowCount() - 2, 0));
        QTest::qWait(50); // let the splitters lay out before the grab
        testsupport::saveScreenshot(m_window, QStringLiteral("auth-stepper"));

        const int done = model()->rowCount() - 1;
        m_pane->stepButton()->click(); // the token request, the last step
        QVERIFY(QTest::qWaitFor([this] { return !model()->outcome().isEmpty(); }, Timeout));
        QVERIFY2(model()->succeeded(), qPrintable(model()->outcome()));
        QCOMPARE(model()->rowCount(), done + 1);
        checkFinishedStep(done);
        QVERIFY(rawExchangesShown().contains(QStringLiteral("POST /token HTTP/1.1")));
        QVERIFY(
            !rawExchangesShown().contains(QString::fromUtf8(m_pane->model()->flow()->tokens().accessToken)));
        QVERIFY(!m_pane->stepButton()->isEnabled());

        // The session initializes with the token, and a tool call goes through.
        QTRY_VERIFY_WITH_TIMEOUT(m_connection->isReady(), Timeout);
        bool answered = false;
        mcp::Reply reply;
        m_connection->session()->request(QStringLiteral("tools/call"),
                                         {{"name", "greet"}, {"arguments", {{"name", "Ada"}}}},
                                         [&](const mcp::Reply &r) {
                                             reply = r;
                                             answered = true;
                                         });
        QTRY_VERIFY_WITH_TIMEOUT(answered, Timeout);
        QVERIFY2(reply.ok(), qPrintable(reply.error.toString()));
        QVERIFY(reply.result.dump().find("Hello, Ada!") != std::string::npos);

        // The SDK example issues opaque (UUID) tokens: the inspector says so, with what the token endpoint
        // said.
        TokenInspectorWidget *inspector = m_pane->tokenInspector();
        QTRY_VERIFY_WITH_TIMEOUT(!inspector->report().checks.isEmpty(), Timeout);
        QVERIFY(!inspector->report().isJwt);
        QVERIFY2(inspector->summaryLabel()->text().contains(QStringLiteral("Opaque token")),
                 qPrintable(inspector->summaryLabel()->text()));
        // The window got no keychain-backed store: the pane says the tokens are in memory only.
        const QLabel *storage = inspector->findChild<QLabel *>(QStringLiteral("tokenStorage"));
        QVERIFY(!storage->isHidden());
        QVERIFY2(storage->text().contains(m_connection->tokenStore()->storeName()) &&
                     storage->text().contains(QStringLiteral("memory only")),
                 qPrintable(storage->text()));
        const auto endpointRows = inspector->claimsTree()->findItems(QStringLiteral("scope"),
                                                                     Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(endpointRows.size(), 1);
        QVERIFY(inspector->findChild<QLineEdit *>(QStringLiteral("tokenText"))
                    ->text()
                    .contains(QStringLiteral("…")));

        // The diagram: one arrow per exchange; clicking the token request's arrow selects its step.
        SequenceDiagram *diagram = m_pane->diagram();
        int exchanges = 0;
        for (int row = 0; row < model()->rowCount(); ++row)
            exchanges += int(model()->step(row).exchanges.size());
        int arrows = 0;
        for (const SequenceDiagram::Item &item : diagram->items())
            arrows += item.exchange >= 0 ? 1 : 0;
        QCOMPARE(arrows, exchanges);
        const int tokenRow = rowNamed(model(), QStringLiteral("token request"));
        m_pane->stepList()->setCurrentIndex(model()->index(0, 0));
        for (int i = 0; i < diagram->items().size(); ++i)
            if (diagram->items().at(i).step == tokenRow) {
                QTest::mouseClick(diagram->viewport(), Qt::LeftButton, {}, diagram->itemRect(i).center());
                break;
            }
        QCOMPARE(m_pane->stepList()->currentIndex().row(), tokenRow);
        testsupport::saveScreenshot(diagram, QStringLiteral("auth-sequence"));
    }

    void tamperedStateFailsAtTheRedirect()
    {
        m_pane->restartButton()->click(); // a fresh client: the server refuses again and a new flow starts
        QTRY_VERIFY_WITH_TIMEOUT(
            model()->rowCount() > 0 && model()->state(model()->rowCount() - 1) == State::Paused, Timeout);
        // Continue runs through discovery and client identity and stops before the first step a reviewer
        // can tamper with.
        m_pane->continueButton()->click();
        QVERIFY(QTest::qWaitFor(
            [this] {
                return m_pane->model()->flow()->isPaused() &&
                       m_pane->model()->flow()->nextStepName() == QLatin1String("authorization request");
            },
            Timeout));
        QVERIFY(rowNamed(model(), QStringLiteral("client identity")) > 0);
        QVERIFY(m_pane->statusLabel()->text().contains(QStringLiteral("authorization request")));

        QTableWidget *parameters = m_pane->parameterEditor();
        QVERIFY(parameters->isEnabled());
        QTableWidgetItem *state = nullptr;
        for (int row = 0; row < parameters->rowCount(); ++row)
            if (parameters->item(row, 0)->data(Qt::UserRole).toString() == QLatin1String("state"))
                state = parameters->item(row, 1);
        QVERIFY(state && !state->text().isEmpty()); // the flow's own random state
        state->setText(QStringLiteral("forged-state"));
        QCOMPARE(m_pane->model()->flow()->parameters().value(QStringLiteral("state")),
                 QStringLiteral("forged-state"));
        QVERIFY(m_pane->model()->flow()->tamperedParameters().contains(QStringLiteral("state")));
        const auto marked = parameters->findItems(QStringLiteral("state  TAMPERED"), Qt::MatchExactly);
        QCOMPARE(marked.size(), 1);

        stepUntilNext(QStringLiteral("authorization response"));
        const int request = rowNamed(model(), QStringLiteral("authorization request"));
        QVERIFY(model()->data(model()->index(request, 0), AuthStepModel::TamperedRole).toBool());
        QVERIFY(model()->data(model()->index(request, 0)).toString().contains(QStringLiteral("TAMPERED")));
        QVERIFY(rawExchangesShown().contains(QStringLiteral("state=forged-state")));

        m_pane->stepButton()->click();
        QVERIFY(QTest::qWaitFor([this] { return !model()->outcome().isEmpty(); }, Timeout));
        QVERIFY(!model()->succeeded());
        const int response = model()->rowCount() - 1;
        QCOMPARE(model()->step(response).name, QStringLiteral("authorization response"));
        QCOMPARE(model()->state(response), State::Failed);
        QVERIFY(model()->step(response).reason.contains(QStringLiteral("state mismatch")));
        const QString status = m_pane->statusLabel()->text();
        QVERIFY2(status.contains(QStringLiteral("authorization: authorization response")),
                 qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("forged-state")), qPrintable(status));
        QCOMPARE(m_pane->stepList()->currentIndex().row(), response);
        QVERIFY(m_pane->exchangeView()->decisionLabel()->text().contains(QStringLiteral("state mismatch")));

        // In the diagram: the request's arrows in the warning colour, the failure as a red note.
        bool tamperedArrow = false;
        bool failedNote = false;
        for (const SequenceDiagram::Item &item : m_pane->diagram()->items()) {
            tamperedArrow |= item.step == request && item.tampered && item.exchange >= 0;
            failedNote |= item.step == response && item.failed && item.from == item.to;
        }
        QVERIFY(tamperedArrow);
        QVERIFY(failedNote);
        // The connection reports the refusal too.
        QTRY_VERIFY_WITH_TIMEOUT(m_connection->state() == Connection::State::Failed, Timeout);
        QVERIFY2(m_connection->lastError().contains(QStringLiteral("state mismatch")),
                 qPrintable(m_connection->lastError()));
    }

    // The pane says where the connection's tokens are kept and follows the keychain's verdict.
    void storageLineFollowsTheKeychain()
    {
        auto vault = std::make_shared<testsupport::MapVault>();
        Connection connection(ConnectionProfile{}, nullptr, std::make_shared<mcp::auth::TokenStore>(vault));
        AuthPane pane(&connection);
        const QLabel *storage = pane.tokenInspector()->findChild<QLabel *>(QStringLiteral("tokenStorage"));
        QVERIFY2(storage->text().contains(QStringLiteral("kept in test vault")), qPrintable(storage->text()));
        vault->failure = QStringLiteral("no Secret Service on D-Bus");
        Q_EMIT vault->nameChanged();
        QVERIFY2(storage->text().contains(
                     QStringLiteral("kept in memory only (no system keychain: no Secret Service on D-Bus)")),
                 qPrintable(storage->text()));
    }

    void standaloneInspectorJudgesAPastedToken()
    {
        // Tools → Token inspector…: a JWT with no JWKS and a resource it is not for.
        const auto b64 = [](const QByteArray &json) {
            return json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QByteArray token =
            b64(R"({"alg":"RS256","kid":"k1","typ":"JWT"})") + '.' +
            b64(QStringLiteral(R"({"iss":"https://as.example","aud":"https://other.example/mcp","sub":"ada",)"
                               R"("scope":"mcp:tools","iat":%1,"exp":%2})")
                    .arg(now - 60)
                    .arg(now + 54 * 60 + 30)
                    .toUtf8()) +
            '.' + b64("not-a-signature");
        QAction *action = testsupport::menuAction(m_window, QStringLiteral("&Token Inspector…"));
        QVERIFY(action);
        action->trigger();
        auto *dialog = m_window->findChild<TokenInspectorDialog *>();
        QVERIFY(dialog && dialog->isVisible());
        dialog->inspect();
        QVERIFY(dialog->problemLabel()->isVisible()); // nothing pasted yet
        dialog->tokenEdit()->setPlainText(QString::fromLatin1(token));
        dialog->resourceEdit()->setText(QStringLiteral("https://mcp.example/mcp"));
        dialog->issuerEdit()->setText(QStringLiteral("https://as.example"));
        dialog->jwksJsonEdit()->setPlainText(QStringLiteral("{not json"));
        dialog->inspect();
        QVERIFY(dialog->problemLabel()->text().contains(QStringLiteral("not JSON")));
        dialog->jwksJsonEdit()->clear();
        dialog->inspect();
        TokenInspectorWidget *inspector = dialog->inspector();
        QTRY_VERIFY_WITH_TIMEOUT(inspector->report().isJwt, Timeout);
        const auto exp =
            inspector->claimsTree()->findItems(QStringLiteral("exp"), Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(exp.size(), 1);
        QVERIFY2(exp.first()->text(2).contains(QStringLiteral("in 54 min")),
                 qPrintable(exp.first()->text(2)));
        QVERIFY(exp.first()->text(2).contains(QStringLiteral("T")));
        const auto result = [inspector](const QString &check) {
            const auto items = inspector->checksTree()->findItems(check, Qt::MatchExactly);
            return items.isEmpty() ? QString() : items.first()->text(1);
        };
        QCOMPARE(result(QStringLiteral("aud")), QStringLiteral("FAIL"));
        QCOMPARE(result(QStringLiteral("iss")), QStringLiteral("pass"));
        QCOMPARE(result(QStringLiteral("exp")), QStringLiteral("pass"));
        QVERIFY(!result(QStringLiteral("signature")).isEmpty());
        QVERIFY(result(QStringLiteral("signature")) != QStringLiteral("pass")); // no JWKS given: never a pass
        QTest::qWait(50); // let the dialog lay out before the grab
        testsupport::saveScreenshot(dialog, QStringLiteral("token-inspector"));
        dialog->close();
    }

    // With the system browser as user agent, the flow's authorization URL is shown with its host and opens
    // only when the user clicks (a server chose it); then a "browser" (here QNetworkAccessManager following
    // the redirects) approving brings the flow to its end.
    void approvalOpensOnlyOnClick()
    {
        UrlCatcher browser;
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &browser, "open");
        QDesktopServices::setUrlHandler(QStringLiteral("https"), &browser, "open");
        m_pane->stepThroughToggle()->setChecked(false);
        m_pane->userAgentChoice()->setCurrentIndex(0); // system browser
        m_pane->restartButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_pane->approvalBar()->isVisible(), Timeout);
        QTest::qWait(200); // time for anything that would open by itself
        QVERIFY2(browser.urls.isEmpty(), "a URL opened without a click");
        const QUrl shown = m_pane->model()->authorizationUrl();
        QVERIFY(m_pane->approvalText()->text().contains(shown.authority()));
        QVERIFY(m_pane->approvalText()->text().contains(shown.toString(QUrl::FullyEncoded)));
        testsupport::saveScreenshot(m_pane, QStringLiteral("auth-approval"));

        m_pane->openBrowserButton()->click();
        QCOMPARE(browser.urls, QList<QUrl>{shown});
        QFile trail(m_workbench.window->auditLog()->currentPath());
        QVERIFY(trail.open(QIODevice::ReadOnly));
        QVERIFY(trail.readAll().contains(kApprovalEntry +
                                         shown.adjusted(QUrl::RemovePath | QUrl::RemoveQuery).toEncoded()));
        QNetworkAccessManager nam;
        std::unique_ptr<QNetworkReply> approval(nam.get(QNetworkRequest(browser.urls.first())));
        QVERIFY(QTest::qWaitFor([this] { return !model()->outcome().isEmpty(); }, Timeout));
        QVERIFY2(model()->succeeded(), qPrintable(model()->outcome()));
        QVERIFY(!m_pane->approvalBar()->isVisible());
        QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    }

    // Where no browser can be opened (offscreen, like a remote or headless session), the pane says so and
    // offers copying the URL or following the redirect instead; meanwhile the connection says what it waits
    // for, in its page and in the connection list.
    void withoutABrowserTheUrlCanBeCopiedOrFollowed()
    {
        m_pane->stepThroughToggle()->setChecked(false);
        m_pane->userAgentChoice()->setCurrentIndex(0); // system browser
        m_pane->restartButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_pane->approvalBar()->isVisible(), Timeout);
        QCOMPARE(m_connection->stateText(), QStringLiteral("waiting for authorization"));
        QVERIFY(m_window->pageFor(m_connection)
                    ->findChild<QLabel *>(QStringLiteral("status"))
                    ->text()
                    .contains(QStringLiteral("waiting for authorization")));
        QVERIFY(!m_pane->followRedirectButton()->isVisible());

        m_pane->openBrowserButton()->click(); // the offscreen platform opens no URL
        const QUrl shown = m_pane->model()->authorizationUrl();
        QVERIFY2(m_pane->approvalText()->text().contains(QStringLiteral("No web browser could be opened")),
                 qPrintable(m_pane->approvalText()->text()));
        QVERIFY(m_pane->approvalText()->text().contains(shown.authority()));
        QVERIFY(m_pane->followRedirectButton()->isVisible());
        m_pane->copyUrlButton()->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), shown.toString(QUrl::FullyEncoded));
        QTest::qWait(50); // laid out with the new buttons
        testsupport::saveScreenshot(m_pane, QStringLiteral("auth-no-browser"));

        m_pane->followRedirectButton()->click(); // cancels the waiting flow and starts again
        QCOMPARE(m_pane->userAgentChoice()->currentIndex(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(m_connection->isReady(), Timeout);
        QVERIFY2(model()->succeeded(), qPrintable(model()->outcome()));
        QVERIFY(m_connection->stateText() != QStringLiteral("waiting for authorization"));
    }

    // The sequence diagram is walked with the keyboard: Home, Down, End select steps as a click would, and
    // the step's arrows are its accessible description.
    void sequenceDiagramWalksWithTheKeyboard()
    {
        auto *diagram = m_pane->findChild<SequenceDiagram *>();
        QVERIFY(diagram && diagram->items().size() >= 4);
        QCOMPARE(diagram->accessibleName(), QStringLiteral("Authorization sequence diagram"));
        diagram->setFocus();
        auto *steps = m_pane->findChild<QTreeView *>(QStringLiteral("authSteps"));
        QTest::keyClick(diagram, Qt::Key_Home);
        QCOMPARE(diagram->currentStep(), diagram->items().first().step);
        QCOMPARE(steps->currentIndex().row(), diagram->items().first().step);
        QTest::keyClick(diagram, Qt::Key_Down);
        const int second = diagram->currentStep();
        QVERIFY(second > diagram->items().first().step);
        QCOMPARE(steps->currentIndex().row(), second);
        QVERIFY2(diagram->accessibleDescription().contains(diagram->items().at(1).label),
                 qPrintable(diagram->accessibleDescription()));
        QTest::keyClick(diagram, Qt::Key_End);
        QCOMPARE(diagram->currentStep(), diagram->items().last().step);
        QTest::keyClick(diagram, Qt::Key_Up);
        QVERIFY(diagram->currentStep() < diagram->items().last().step);
    }

    void cleanupTestCase() { m_workbench.close(); }
};

QTEST_MAIN(TestAuthPane)
#include "tst_authpane.moc"
