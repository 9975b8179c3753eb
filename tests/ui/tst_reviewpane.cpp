// The review pane of the real workbench (offscreen) against `mcpwb demo-server` and
// `mcpwb demo-server --vulnerable`: findings grouped by server then OWASP category, the severity filter,
// accepting with a reason (kept in the data folder across restarts), Go to Tool, and pinning: after
// approval, get_fact_of_the_day's rug pull is a finding and its call from the composer is held with the
// reason shown, until the finding is accepted. Takes the review-pane screenshot.
#include "audit/auditlog.h"
#include "composer/composer.h"
#include "composer/resultview.h"
#include "connections/connectionpage.h"
#include "discovery/jsonlistmodel.h"
#include "discovery/toolspane.h"
#include "review/reviewmodel.h"
#include "review/reviewpane.h"
#include "workbenchtest.h"

#include <QComboBox>
#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTreeView>

using namespace mcpui;
namespace review = mcp::review;

namespace {

constexpr int Timeout = 20000;

// Namespace scope: moc mishandles raw string literals with quotes inside a Q_OBJECT class.
const char kBrokenPins[] = R"({"mcpwbPins": 1, "servers": {"x": 7}})";

ConnectionProfile demoProfile(const QString &name, const QStringList &extra)
{
    ConnectionProfile profile;
    profile.name = name;
    profile.command = testsupport::mcpwbBinary();
    profile.arguments = QStringList{QStringLiteral("demo-server")} + extra;
    return profile;
}

// Every finding row under a group row, depth first.
void findingRows(const QAbstractItemModel *model, const QModelIndex &parent, QModelIndexList *rows)
{
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex index = model->index(r, 0, parent);
        if (index.data(ReviewModel::FindingRole).isValid())
            rows->append(index);
        findingRows(model, index, rows);
    }
}

} // namespace

class TstReviewPane : public QObject
{
    Q_OBJECT

    testsupport::Workbench m_bench;
    MainWindow *m_window = nullptr;
    Connection *m_demo = nullptr;
    Connection *m_vulnerable = nullptr;

    ReviewPane *pane() const { return m_window->review(); }

    bool reviewAgain()
    {
        QSignalSpy reviewed(pane(), &ReviewPane::reviewed);
        pane()->runReview();
        return reviewed.wait(Timeout);
    }

    QString groupText(int serverRow, int categoryRow = -1) const
    {
        const QAbstractItemModel *m = pane()->filter();
        const QModelIndex server = m->index(serverRow, 0);
        return categoryRow < 0 ? server.data().toString()
                               : m->index(categoryRow, 0, server).data().toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The reviewer's decisions go to a test data folder, emptied first.
        QStandardPaths::setTestModeEnabled(true);
        QDir(ReviewStore::defaultFolder()).removeRecursively();
        m_window = m_bench.show();
        QVERIFY(m_window);
        m_demo = testsupport::connectTo(m_window, demoProfile(QStringLiteral("Demo server"), {}));
        // As the GUI's --vulnerable-demo entry does: negotiated, so 2026-07-28, where the rug pull's
        // tools/list_changed reaches the client only through its subscriptions/listen stream.
        m_vulnerable = testsupport::connectTo(m_window, demoProfile(QStringLiteral("Vulnerable demo server"),
                                                                    {QStringLiteral("--vulnerable")}));
        QTRY_VERIFY_WITH_TIMEOUT(m_demo->isReady() && m_vulnerable->isReady(), Timeout);
        QCOMPARE(m_vulnerable->session()->protocolVersion(), QStringLiteral("2026-07-28"));
        m_window->reviewDock()->show();
        m_window->resizeDocks({m_window->reviewDock()}, {m_window->height() / 2}, Qt::Vertical);
        QVERIFY(reviewAgain());
    }

    void findingsAreGroupedByServerThenCategory()
    {
        const QAbstractItemModel *m = pane()->filter();
        QVERIFY(m->rowCount() >= 1);
        QVERIFY2(groupText(0).startsWith(QStringLiteral("Vulnerable demo server (")),
                 qPrintable(groupText(0)));
        QStringList categories;
        for (int c = 0; c < m->rowCount(m->index(0, 0)); ++c)
            categories << groupText(0, c);
        for (const char *expected : {"MCP03 · Tool poisoning", "MCP06 · Intent flow subversion"})
            QVERIFY2(std::any_of(categories.cbegin(), categories.cend(),
                                 [&](const QString &c) { return c.startsWith(QString::fromUtf8(expected)); }),
                     qPrintable(categories.join(QLatin1Char('|'))));
        for (const auto &[rule, tool] : {std::pair{"unicode.tag-characters", "translate_text"},
                                         std::pair{"instructions.sensitive-data", "add_numbers"},
                                         std::pair{"shadowing.same-name", "get_forecast"},
                                         std::pair{"shadowing.mentions-other-tool", "send_email"}})
            QVERIFY2(pane()->selectFinding(QLatin1String(rule), QLatin1String(tool)), rule);

        // The hidden instruction is shown decoded, the zero-width space named, in the detail view.
        QVERIFY(pane()->selectFinding(QStringLiteral("unicode.tag-characters"),
                                      QStringLiteral("translate_text")));
        const QString details = pane()->details()->toPlainText();
        QVERIFY2(details.contains(QStringLiteral("Ignore previous instructions")), qPrintable(details));
        QVERIFY(details.contains(QStringLiteral("[U+200B ZERO WIDTH SPACE]")));
        QVERIFY(details.contains(QStringLiteral("/tools/1/description")));
        QVERIFY(details.contains(QStringLiteral("Advice:")));
        testsupport::saveScreenshot(m_window, QStringLiteral("review-pane"));
    }

    void severityFilterHidesLowerFindings()
    {
        QModelIndexList all;
        findingRows(pane()->filter(), {}, &all);
        pane()->severityFilter()->setCurrentIndex(
            pane()->severityFilter()->findData(int(review::Severity::Critical)));
        QModelIndexList critical;
        findingRows(pane()->filter(), {}, &critical);
        QVERIFY(!critical.isEmpty());
        QVERIFY(critical.size() < all.size());
        for (const QModelIndex &index : std::as_const(critical))
            QCOMPARE(index.data(ReviewModel::SeverityRole).toInt(), int(review::Severity::Critical));
        pane()->severityFilter()->setCurrentIndex(0);
        QModelIndexList again;
        findingRows(pane()->filter(), {}, &again);
        QCOMPARE(again.size(), all.size());
    }

    void acceptWithAReasonIsRemembered()
    {
        QVERIFY(pane()->selectFinding(QStringLiteral("unicode.tag-characters"),
                                      QStringLiteral("translate_text")));
        const QString fingerprint = pane()->currentFinding()->fingerprint();
        pane()->acceptButton()->click();
        auto *dialog = pane()->findChild<QInputDialog *>(QStringLiteral("acceptDialog"));
        QVERIFY(dialog);
        dialog->setTextValue(QStringLiteral("shown on purpose in the demo"));
        dialog->accept();
        const QModelIndex row = pane()->tree()->currentIndex();
        QCOMPARE(row.siblingAtColumn(ReviewModel::AcceptedColumn).data().toString(),
                 QStringLiteral("accepted: shown on purpose in the demo"));
        QVERIFY(!pane()->status()->text().contains(QStringLiteral("could not be saved")));
        // The decision is in the audit trail, with its reason, under the finding's connection.
        QFile trail(m_window->auditLog()->currentPath());
        QVERIFY(trail.open(QIODevice::ReadOnly));
        const QByteArray written = trail.readAll();
        QVERIFY(written.contains("\"event\":\"accept\""));
        QVERIFY(written.contains(fingerprint.toUtf8()));
        QVERIFY(written.contains("shown on purpose in the demo"));

        // A restart: a new store read from the data folder knows it.
        ReviewStore restarted;
        QString error;
        QVERIFY2(restarted.load(&error), qPrintable(error));
        QCOMPARE(restarted.acceptances().reason(fingerprint), QStringLiteral("shown on purpose in the demo"));
        QVERIFY(reviewAgain()); // and the next review shows it accepted
        QVERIFY(pane()->selectFinding(QStringLiteral("unicode.tag-characters"),
                                      QStringLiteral("translate_text")));
        QVERIFY(pane()->details()->toPlainText().contains(QStringLiteral("Accepted:  shown on purpose")));
    }

    void goToToolSelectsItInItsConnection()
    {
        m_window->selectConnection(m_demo);
        QVERIFY(pane()->selectFinding(QStringLiteral("instructions.sensitive-data"),
                                      QStringLiteral("add_numbers")));
        QVERIFY(pane()->goToToolButton()->isEnabled());
        pane()->goToToolButton()->click();
        QCOMPARE(m_window->currentConnection(), m_vulnerable);
        ConnectionPage *page = m_window->pageFor(m_vulnerable);
        QCOMPARE(page->tabs()->currentIndex(), int(ConnectionPage::ToolsTab));
        QCOMPARE(page->tools()->composer()->target(), QStringLiteral("add_numbers"));
    }

    void aRugPullIsFlaggedAndItsCallHeldUntilAccepted()
    {
        QSignalSpy reviewed(pane(), &ReviewPane::reviewed);
        pane()->approveDefinitions(); // and reviews again
        QVERIFY(reviewed.wait(Timeout));
        QVERIFY(
            !pane()->selectFinding(QStringLiteral("pinning.changed"), QStringLiteral("get_fact_of_the_day")));

        ToolsPane *tools = m_window->pageFor(m_vulnerable)->tools();
        QVERIFY(tools->selectTool(QStringLiteral("get_fact_of_the_day")));
        for (int i = 0; i < 3; ++i) { // kRugPullAfterCalls: the third answer comes with tools/list_changed
            QTRY_VERIFY_WITH_TIMEOUT(tools->composer()->sendButton()->isEnabled(), Timeout);
            tools->composer()->sendButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(tools->resultView()->plainText().contains(QStringLiteral("Fun fact")),
                                     Timeout);
            if (i < 2)
                tools->resultView()->showNote(QStringLiteral("next"));
        }
        // The pane reviews again by itself once the list changed.
        QTRY_VERIFY_WITH_TIMEOUT(
            pane()->selectFinding(QStringLiteral("pinning.changed"), QStringLiteral("get_fact_of_the_day")),
            Timeout);
        QVERIFY(pane()->details()->toPlainText().contains(QStringLiteral("records@attacker.example")));
        QTRY_VERIFY_WITH_TIMEOUT(mcp::stringOr(tools->model()->item(tools->model()->findRow(
                                                   QStringLiteral("get_fact_of_the_day"))),
                                               "description")
                                     .contains(QStringLiteral("IMPORTANT")),
                                 Timeout);

        QVERIFY(tools->selectTool(QStringLiteral("get_fact_of_the_day")));
        tools->composer()->sendButton()->click();
        const QString held = tools->resultView()->plainText();
        QVERIFY2(held.contains(
                     QStringLiteral("Call held, not sent: tool get_fact_of_the_day changed since approval")),
                 qPrintable(held));
        QVERIFY(held.contains(QStringLiteral("records@attacker.example")));

        // The reviewer looked and accepts the change: the call goes.
        QVERIFY(
            pane()->selectFinding(QStringLiteral("pinning.changed"), QStringLiteral("get_fact_of_the_day")));
        pane()->acceptCurrent(QStringLiteral("looked at the new description"));
        tools->composer()->sendButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(tools->resultView()->plainText().contains(QStringLiteral("Fun fact")),
                                 Timeout);

        // Revoked, it is held again; approving the new definitions releases it for good.
        pane()->revokeCurrent();
        QTRY_VERIFY_WITH_TIMEOUT(tools->composer()->sendButton()->isEnabled(), Timeout);
        tools->composer()->sendButton()->click();
        QVERIFY(tools->resultView()->plainText().contains(QStringLiteral("Call held, not sent")));
        QSignalSpy reviewedAgain(pane(), &ReviewPane::reviewed);
        pane()->approveDefinitions();
        QVERIFY(reviewedAgain.wait(Timeout));
        QVERIFY(
            !pane()->selectFinding(QStringLiteral("pinning.changed"), QStringLiteral("get_fact_of_the_day")));
        tools->composer()->sendButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(tools->resultView()->plainText().contains(QStringLiteral("Fun fact")),
                                 Timeout);
    }

    void exportsEveryFormat()
    {
        for (const auto &[format, marker] :
             {std::pair{review::ReportFormat::Markdown, "# MCP security review"},
              std::pair{review::ReportFormat::Html, "<!DOCTYPE html>"},
              std::pair{review::ReportFormat::Sarif, "\"2.1.0\""}}) {
            const QString path = m_bench.dir.filePath(QStringLiteral("review-%1").arg(int(format)));
            QString error;
            QVERIFY2(pane()->exportReport(path, format, &error), qPrintable(error));
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            QVERIFY2(bytes.contains(marker), marker);
            QVERIFY(bytes.contains("shown on purpose in the demo"));
        }
    }

    void aBrokenDecisionsFileIsNamedAndNotOverwritten()
    {
        const QByteArray broken = kBrokenPins;
        QTemporaryDir folder;
        QFile pins(folder.filePath(QStringLiteral("pins.json")));
        QVERIFY(pins.open(QIODevice::WriteOnly));
        pins.write(broken);
        pins.close();
        ReviewStore store(folder.path());
        QString error;
        QVERIFY(!store.load(&error));
        QVERIFY2(error.contains(QStringLiteral("pins.json")) &&
                     error.contains(QStringLiteral("not an object")),
                 qPrintable(error));
        store.acceptances().accept(QStringLiteral("f"), QStringLiteral("r"));
        QVERIFY(!store.save(&error));
        QVERIFY2(error.contains(QStringLiteral("not overwritten")), qPrintable(error));
        QVERIFY(pins.open(QIODevice::ReadOnly));
        QCOMPARE(pins.readAll(), broken);
        QVERIFY(!QFile::exists(folder.filePath(QStringLiteral("accepted.json"))));
        // A pane on that folder says so, and still after a review.
        ReviewPane pane(m_window->connections(), folder.path());
        QVERIFY(pane.status()->text().contains(QStringLiteral("could not be read")));
        QSignalSpy reviewed(&pane, &ReviewPane::reviewed);
        pane.runReview();
        QVERIFY(reviewed.wait(Timeout));
        QVERIFY2(pane.status()->text().contains(QStringLiteral("pins.json")),
                 qPrintable(pane.status()->text()));
    }

    void cleanupTestCase()
    {
        m_bench.close();
        QDir(ReviewStore::defaultFolder()).removeRecursively();
    }
};

QTEST_MAIN(TstReviewPane)
#include "tst_reviewpane.moc"
