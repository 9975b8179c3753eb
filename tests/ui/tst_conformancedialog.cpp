// Connection › Run Conformance Harness… in the real workbench (offscreen) against server-everything over
// streamable HTTP: the 0.2.x harness's scenarios with their checks, the first failing check selected with
// its message and details, the scenario's frames and one shown whole; a missing harness says how to install
// it; a stdio connection is told the harness needs HTTP. Takes the conformance-harness screenshot.
#include "conformance/conformancedialog.h"
#include "workbenchtest.h"

#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTreeWidget>

using namespace mcpui;

namespace {

QTreeWidgetItem *scenarioRow(QTreeWidget *tree, const QString &name)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == name)
            return tree->topLevelItem(i);
    return nullptr;
}

} // namespace

class TstConformanceDialog : public QObject
{
    Q_OBJECT

    testsupport::Workbench m_bench;
    testsupport::PeerProcess m_peer;
    MainWindow *m_window = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        m_window = m_bench.show();
        QVERIFY(m_window);
        ConnectionProfile http;
        QVERIFY(testsupport::startEverythingHttp(m_peer, &http));
        m_window->selectConnection(m_window->addConnection(http));
    }

    void showsScenariosChecksAndFrames()
    {
        qputenv("MCPWB_HARNESS_DIR", testsupport::peersDir().toUtf8());
        QAction *action = testsupport::menuAction(m_window, QStringLiteral("Run Conformance &Harness…"));
        QVERIFY(action);
        QVERIFY(action->isEnabled());
        ConformanceDialog *dialog = m_window->runConformanceHarness();
        QVERIFY(dialog);
        dialog->harnessBox()->setCurrentIndex(dialog->harnessBox()->findData(QStringLiteral("next")));
        dialog->suiteBox()->setCurrentIndex(dialog->suiteBox()->findData(QStringLiteral("all")));
        QSignalSpy finished(dialog, &ConformanceDialog::finished);
        dialog->runButton()->click();
        QVERIFY(finished.wait(120000));

        QTreeWidget *tree = dialog->resultsView();
        QVERIFY2(tree->topLevelItemCount() >= 65, qPrintable(dialog->statusLabel()->text()));
        QVERIFY2(dialog->statusLabel()->text().contains(QStringLiteral("scenarios pass")),
                 qPrintable(dialog->statusLabel()->text()));
        QTreeWidgetItem *list = scenarioRow(tree, QStringLiteral("tools-list"));
        QVERIFY(list);
        QVERIFY2(list->text(1).contains(QStringLiteral(" 0 failed")), qPrintable(list->text(1)));

        // The first failing check is selected: its message and details, and its scenario's frames.
        QTreeWidgetItem *current = tree->currentItem();
        QVERIFY(current && current->parent());
        QCOMPARE(current->text(1), QStringLiteral("FAILED"));
        QVERIFY(dialog->detailsView()->toPlainText().startsWith(QStringLiteral("FAILED: ")));

        QTreeWidgetItem *completion = scenarioRow(tree, QStringLiteral("completion-complete"));
        QVERIFY(completion && completion->isExpanded());
        QTreeWidgetItem *failedCheck = nullptr;
        for (int i = 0; i < completion->childCount(); ++i)
            if (completion->child(i)->text(1) == QStringLiteral("FAILED"))
                failedCheck = completion->child(i);
        QVERIFY(failedCheck);
        tree->setCurrentItem(failedCheck);
        QVERIFY(failedCheck->text(2).contains(QStringLiteral("test_prompt_with_arguments")));
        QVERIFY(dialog->detailsView()->toPlainText().contains(QStringLiteral("Spec: https://")));
        QListWidget *frames = dialog->framesView();
        QVERIFY(frames->count() >= 3);
        int request = -1;
        for (int i = 0; i < frames->count(); ++i)
            if (frames->item(i)->text().contains(QStringLiteral("→ completion/complete")))
                request = i;
        QVERIFY(request >= 0);
        frames->setCurrentRow(request);
        QVERIFY(dialog->frameView()->toPlainText().contains(
            QStringLiteral("\"method\": \"completion/complete\"")));
        testsupport::saveScreenshot(dialog, QStringLiteral("conformance-harness"));
        dialog->close();
    }

    void missingHarnessSaysHowToInstall()
    {
        qputenv("MCPWB_HARNESS_DIR", "/nonexistent-harness-dir");
        ConformanceDialog *dialog = m_window->runConformanceHarness();
        QVERIFY(dialog);
        QSignalSpy failed(dialog, &ConformanceDialog::failed);
        dialog->runButton()->click();
        QCOMPARE(failed.size(), 1);
        QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("npm install")));
        QVERIFY(dialog->runButton()->isEnabled());
        dialog->close();
    }

    void stdioConnectionIsToldTheHarnessNeedsHttp()
    {
        ConnectionProfile stdio;
        stdio.name = QStringLiteral("demo (stdio)");
        stdio.command = testsupport::mcpwbBinary();
        stdio.arguments = {QStringLiteral("demo-server")};
        m_window->selectConnection(m_window->addConnection(stdio));
        ConformanceDialog *dialog = m_window->runConformanceHarness();
        QVERIFY(dialog);
        QVERIFY(!dialog->runButton()->isEnabled());
        QVERIFY(dialog->statusLabel()->text().contains(QStringLiteral("streamable HTTP")));
        dialog->close();
    }

    void cleanupTestCase() { m_bench.close(); }
};

QTEST_MAIN(TstConformanceDialog)
#include "tst_conformancedialog.moc"
