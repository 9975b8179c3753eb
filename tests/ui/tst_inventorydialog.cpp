// Tools › Configured Servers (ui/inventory) with real widgets offscreen: every host's sample server listed
// with its hosts, broken files with line and reason, secrets masked and invisible characters made visible
// in the details, "Open as Connection" adding a workbench connection that keeps references unresolved.
// Takes resources/screenshots/inventory.png.
#include "connections/connectionlistmodel.h"
#include "hostconfigsamples.h"
#include "inventory/inventorydialog.h"
#include "workbenchtest.h"

#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>

using namespace mcpui;

namespace {

// A project whose server's name hides a right-to-left override (the name reads differently than it is).
constexpr char kDeceptiveProject[] =
    "{\"mcpServers\": {\"notes\xE2\x80\xAEtxt.exe\": {\"command\": \"notes-mcp@1.0.0\"}}}";

int rowNamed(const InventoryModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->index(row, InventoryModel::Name).data().toString() == name)
            return row;
    return -1;
}

} // namespace

class TstInventoryDialog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_home;
    QString m_project;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_home = m_dir.filePath(QStringLiteral("home"));
        m_project = m_dir.filePath(QStringLiteral("project"));
        testsupport::writeHostConfigSamples(m_home, m_project);
        testsupport::writeSample(m_dir.filePath(QStringLiteral("deceptive/.mcp.json")), kDeceptiveProject);
    }

    void showsServersHostsAndBrokenFiles()
    {
        InventoryDialog dialog(m_home);
        dialog.addProject(m_project);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const InventoryModel *servers = dialog.servers();
        QCOMPARE(servers->rowCount(), 14);
        const int github = rowNamed(servers, QStringLiteral("github"));
        QVERIFY(github >= 0);
        QCOMPARE(servers->index(github, InventoryModel::Hosts).data().toString(), "Claude Code, Cursor");
        QCOMPARE(servers->index(github, InventoryModel::Transport).data().toString(), "http");
        const int local = rowNamed(servers, QStringLiteral("local-tools"));
        QCOMPARE(servers->index(local, InventoryModel::Target).data().toString(),
                 "node tools/server.js --token [redacted]");
        QCOMPARE(servers->index(local, InventoryModel::Findings).data().toString(), "1, highest high");
        QVERIFY(
            dialog.summaryLabel()->text().startsWith("14 servers in 14 config files; 4 could not be read"));

        const ConfigProblemModel *problems = dialog.problems();
        QCOMPARE(problems->rowCount(), 4);
        QVERIFY(dialog.problemView()->isVisible());
        QStringList shown;
        for (int row = 0; row < problems->rowCount(); ++row)
            shown << QStringLiteral("%1 %2 %3")
                         .arg(QFileInfo(problems->index(row, ConfigProblemModel::File).data().toString())
                                  .fileName(),
                              problems->index(row, ConfigProblemModel::Line).data().toString(),
                              problems->index(row, ConfigProblemModel::Reason).data().toString());
        QVERIFY2(shown.contains(R"(mcp.json 3 server "broken": "args" must be an array of strings)"),
                 qPrintable(shown.join('\n')));
        QVERIFY(shown.contains("config.toml 4 malformed TOML: Unclosed array"));

        // The selected server's details: each host's entry with file and line, secrets masked, findings.
        const int slack = rowNamed(servers, QStringLiteral("slack"));
        dialog.serverView()->setCurrentIndex(servers->index(slack, 0));
        const QString details = dialog.detailsView()->toPlainText();
        QVERIFY2(details.contains(m_home + "/.config/Claude/claude_desktop_config.json:7"),
                 qPrintable(details));
        QVERIFY(details.contains("env SLACK_BOT_TOKEN=[redacted]"));
        QVERIFY(!details.contains("xoxb-"));
        QVERIFY(details.contains("[low] MCP01 Secrets are handed to npx in its environment"));
        QVERIFY(
            details.contains("[medium] MCP04 npx runs @modelcontextprotocol/server-slack without a version"));

        dialog.serverView()->setCurrentIndex(servers->index(github, 0));
        dialog.resize(1280, 760);
        testsupport::saveScreenshot(&dialog, QStringLiteral("inventory"));
    }

    void invisibleCharactersAreMadeVisible()
    {
        InventoryDialog dialog(m_home);
        dialog.addProject(m_dir.filePath(QStringLiteral("deceptive")));
        const int row = rowNamed(dialog.servers(), "notes[U+202E RIGHT-TO-LEFT OVERRIDE]txt.exe");
        QVERIFY(row >= 0);
        dialog.serverView()->setCurrentIndex(dialog.servers()->index(row, 0));
        QVERIFY(
            dialog.detailsView()->toPlainText().contains("\"notes[U+202E RIGHT-TO-LEFT OVERRIDE]txt.exe\""));
        QVERIFY(!dialog.detailsView()->toPlainText().contains(QChar(0x202E)));
    }

    void openAsConnectionFromTheMainWindowsMenu()
    {
        qputenv("HOME", m_home.toUtf8());
        testsupport::Workbench bench;
        MainWindow *window = bench.show();
        QVERIFY(window);
        QAction *action = testsupport::menuAction(window, QStringLiteral("&Configured Servers…"));
        QVERIFY(action);
        action->trigger();
        auto *dialog = window->findChild<InventoryDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        const int github = rowNamed(dialog->servers(), QStringLiteral("github"));
        dialog->serverView()->setCurrentIndex(dialog->servers()->index(github, 0));
        const int before = window->connections()->rowCount();
        QTest::mouseClick(dialog->openButton(), Qt::LeftButton);
        QCOMPARE(window->connections()->rowCount(), before + 1);
        const ConnectionProfile &profile = window->connections()->at(before)->profile();
        QCOMPARE(profile.name, "github");
        QCOMPARE(profile.kind, ConnectionProfile::Kind::Url);
        QCOMPARE(profile.url, "https://api.githubcopilot.com/mcp/");
        QCOMPARE(profile.transport, "http");
        QCOMPARE(profile.headers, QStringList{"Authorization: Bearer ${env:GITHUB_PAT}"}); // not resolved

        const ConnectionProfile slack = ConnectionProfile::fromConfigured(
            dialog->servers()->entry(rowNamed(dialog->servers(), QStringLiteral("slack"))).first());
        QCOMPARE(slack.kind, ConnectionProfile::Kind::Stdio);
        QCOMPARE(slack.command, "npx");
        QCOMPARE(slack.environment.value(1), "SLACK_TEAM_ID=T01234567");
        bench.close();
    }
};

QTEST_MAIN(TstInventoryDialog)
#include "tst_inventorydialog.moc"
