// Connection › Compare Surface… in the real workbench (offscreen) against server-everything over stdio and
// streamable HTTP: the same server over both shows no breaking change; a saved snapshot, edited to be an
// earlier release, shows its breaking changes first and marked, with server text made visible and the
// values before and after; Breaking only filters; a bad file is refused naming it. Takes the
// surface-compare screenshot.
#include "surface/comparedialog.h"
#include "surface/surfacesnapshot.h"
#include "workbenchtest.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>

using namespace mcpui;
using mcp::Json;

namespace {

constexpr int Timeout = 30000;

Json &tool(Json &snapshot, const char *name)
{
    for (Json &item : snapshot["tools"])
        if (mcp::valueOr(item, "name", std::string()) == name)
            return item;
    qFatal("server-everything lists no tool %s", name);
}

} // namespace

class TstSurfaceCompare : public QObject
{
    Q_OBJECT

    testsupport::Workbench m_bench;
    testsupport::PeerProcess m_httpPeer;
    MainWindow *m_window = nullptr;
    Connection *m_stdio = nullptr;
    Connection *m_http = nullptr;
    CompareDialog *m_dialog = nullptr;
    QString m_saved;

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY(m_bench.dir.isValid());
        m_window = m_bench.show();
        QVERIFY(m_window);
        ConnectionProfile http;
        QVERIFY(testsupport::startEverythingHttp(m_httpPeer, &http));
        m_http = testsupport::connectTo(m_window, http);
        m_stdio = testsupport::connectTo(m_window, testsupport::everythingStdioProfile());
        QTRY_VERIFY_WITH_TIMEOUT(m_http->isReady() && m_stdio->isReady(), Timeout);
        m_saved = m_bench.dir.filePath(QStringLiteral("everything.json"));
    }

    void theMenuOpensTheDialogForTheCurrentConnection()
    {
        QAction *compare = testsupport::menuAction(m_window, QStringLiteral("Com&pare Surface…"));
        QVERIFY(compare);
        QTRY_VERIFY(compare->isEnabled());
        compare->trigger();
        m_dialog = m_window->findChild<CompareDialog *>();
        QVERIFY(m_dialog);
        QVERIFY(m_dialog->windowTitle().endsWith(QStringLiteral("everything (stdio)")));
        QCOMPARE(m_dialog->baselineBox()->count(), 2);
        QCOMPARE(m_dialog->baselineBox()->itemText(0), QStringLiteral("connection everything (HTTP)"));
        QCOMPARE(m_dialog->baselineBox()->itemText(1), QStringLiteral("a snapshot file…"));
    }

    void theSameServerOverHttpShowsNoBreakingChange()
    {
        QSignalSpy compared(m_dialog, &CompareDialog::compared);
        m_dialog->compareWithConnection(m_http);
        QVERIFY(compared.wait(Timeout));
        QCOMPARE(m_dialog->model()->diff().breakingCount(), 0);
        QVERIFY2(m_dialog->summaryLabel()->text().startsWith(QStringLiteral("no changes")),
                 qPrintable(m_dialog->summaryLabel()->text()));
    }

    void savedSnapshotOfAnEarlierReleaseShowsBreakingChangesFirst()
    {
        QSignalSpy saved(m_dialog, &CompareDialog::saved);
        m_dialog->saveSnapshot(m_saved);
        QVERIFY(saved.wait(Timeout));
        QString error;
        Json earlier = mcp::surface::loadSnapshot(m_saved, &error);
        QVERIFY2(!earlier.is_discarded(), qPrintable(error));

        // The earlier release: a tool since removed (its name hides a right-to-left override), a location
        // since dropped from an enum, a tool that read only, a required output field, and another text.
        earlier["tools"].push_back({{"name", "legacy\u202Esearch"}, {"inputSchema", {{"type", "object"}}}});
        tool(earlier, "get-structured-content")["inputSchema"]["properties"]["location"]["enum"].push_back(
            "Boston");
        tool(earlier, "gzip-file-as-resource")["annotations"]["readOnlyHint"] = true;
        Json &output = tool(earlier, "get-structured-content")["outputSchema"];
        output["properties"]["uvIndex"] = {{"type", "number"}};
        output["required"].push_back("uvIndex");
        tool(earlier, "echo")["description"] = "Echoes (v1)";
        const QString earlierFile = m_bench.dir.filePath(QStringLiteral("earlier.json"));
        QVERIFY(mcp::surface::saveSnapshot(earlierFile, earlier, &error));

        QSignalSpy compared(m_dialog, &CompareDialog::compared);
        m_dialog->compareWithFile(earlierFile);
        QVERIFY(compared.wait(Timeout));
        const SurfaceDiffModel *model = m_dialog->model();
        QCOMPARE(model->rowCount(), 5);
        QStringList impact, items;
        for (int row = 0; row < model->rowCount(); ++row) {
            impact << model->index(row, SurfaceDiffModel::Impact).data().toString();
            items << model->index(row, SurfaceDiffModel::Item).data().toString();
            QCOMPARE(model->index(row, 0).data(SurfaceDiffModel::BreakingRole).toBool(), row < 4);
        }
        QCOMPARE(impact, (QStringList{"Breaking", "Breaking", "Breaking", "Breaking", "Compatible"}));
        QVERIFY2(items.contains(QStringLiteral("tool legacy[U+202E RIGHT-TO-LEFT OVERRIDE]search")),
                 qPrintable(items.join(QLatin1Char('|'))));
        QCOMPARE(items.last(), QStringLiteral("tool echo"));
        QVERIFY(m_dialog->summaryLabel()->text().startsWith(
            QStringLiteral("4 breaking changes, 1 compatible change")));
        QCOMPARE(m_dialog->summaryLabel()->text(), QStringLiteral("4 breaking changes, 1 compatible change"));
        QCOMPARE(m_dialog->sidesLabel()->text(),
                 QStringLiteral("Baseline: %1 (mcp-servers/everything)    Now: everything (stdio) "
                                "(mcp-servers/everything)")
                     .arg(earlierFile));
        QCOMPARE(m_dialog->baselineBox()->currentText(), QStringLiteral("a snapshot file…"));

        // The first row is selected: its values before and after, as plain text.
        QCOMPARE(m_dialog->view()->currentIndex().row(), 0);
        const QString details = m_dialog->detailsView()->toPlainText();
        QVERIFY2(details.startsWith(QStringLiteral("BREAKING: ")) &&
                     details.contains(QStringLiteral("Before:")),
                 qPrintable(details));
        QVERIFY(!details.contains(QChar(0x202E)));

        m_dialog->view()->setCurrentIndex(m_dialog->view()->model()->index(1, 0));
        testsupport::saveScreenshot(m_dialog, QStringLiteral("surface-compare"));

        m_dialog->breakingOnlyBox()->setChecked(true);
        QCOMPARE(m_dialog->view()->model()->rowCount(), 4);
        m_dialog->breakingOnlyBox()->setChecked(false);
        QCOMPARE(m_dialog->view()->model()->rowCount(), 5);
    }

    void aBadFileIsRefusedNamingIt()
    {
        const QString bad = m_bench.dir.filePath(QStringLiteral("bad.json"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"format\": \"mcpwb-surface-snapshot\", \"version\": 1, \"tools\": {}}");
        file.close();
        QSignalSpy failed(m_dialog, &CompareDialog::failed);
        m_dialog->compareWithFile(bad);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(m_dialog->statusLabel()->text(), bad + QStringLiteral(": \"tools\" is not an array"));
        QCOMPARE(m_dialog->model()->rowCount(), 5); // the last comparison stays
    }

    void cleanupTestCase() { m_bench.close(); }
};

QTEST_MAIN(TstSurfaceCompare)
#include "tst_surfacecompare.moc"
