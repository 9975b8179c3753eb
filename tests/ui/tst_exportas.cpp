// Connection › Export As… (and the sidebar's context menu) in the real workbench (offscreen): a stdio
// connection with a literal secret variable and a URL connection with a secret header, in VS Code's, Codex's,
// Claude Desktop's and Cursor's formats: the text shown keeps no secret and the notes say what to set; the
// text saved is the text shown.
#include "connections/exportasdialog.h"
#include "workbenchtest.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>

using namespace mcpui;

namespace {

const QString secret = QStringLiteral("sk-live-1234567890abcdef");

void choose(ExportAsDialog *dialog, const QString &key)
{
    const int index = dialog->formatBox()->findData(key);
    QVERIFY2(index >= 0, qPrintable(key));
    dialog->formatBox()->setCurrentIndex(index);
}

} // namespace

class TstExportAs : public QObject
{
    Q_OBJECT

    testsupport::Workbench m_bench;
    MainWindow *m_window = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        m_window = m_bench.show();
        QVERIFY(m_window);
    }

    void stdioConnectionInEachFormat()
    {
        ConnectionProfile profile;
        profile.name = QStringLiteral("weather");
        profile.command = QStringLiteral("node");
        profile.arguments = {QStringLiteral("server.js"), QStringLiteral("--port"), QStringLiteral("1")};
        profile.environment = {QStringLiteral("API_KEY=") + secret};
        m_window->selectConnection(m_window->addConnection(profile));

        QAction *action = testsupport::menuAction(m_window, QStringLiteral("E&xport As…"));
        QVERIFY(action && action->isEnabled());
        bool inContextMenu = false;
        for (QObject *w : action->associatedObjects())
            inContextMenu = inContextMenu || qobject_cast<QListView *>(w);
        QVERIFY2(inContextMenu, "the sidebar's context menu offers Export As…");

        ExportAsDialog *dialog = m_window->exportConnectionAs();
        QVERIFY(dialog);
        QCOMPARE(dialog->formatBox()->count(), 9);
        choose(dialog, QStringLiteral("vscode"));
        QString text = dialog->textView()->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("\"servers\"")) && text.contains(QStringLiteral("\"weather\"")),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("\"API_KEY\": \"${env:API_KEY}\"")));
        QVERIFY(!text.contains(secret));
        QVERIFY2(dialog->notesLabel()->text().contains(QStringLiteral("set API_KEY in the environment")),
                 qPrintable(dialog->notesLabel()->text()));

        choose(dialog, QStringLiteral("codex"));
        text = dialog->textView()->toPlainText();
        QVERIFY2(text.startsWith(QStringLiteral("[mcp_servers.weather]")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("env_vars = [\"API_KEY\"]")));
        QVERIFY(!text.contains(secret));

        choose(dialog, QStringLiteral("claude-desktop"));
        text = dialog->textView()->toPlainText();
        QVERIFY(text.contains(QStringLiteral("\"mcpServers\"")));
        QVERIFY(dialog->notesLabel()->text().contains(QStringLiteral("does not expand")));

        const QString path = m_bench.dir.filePath(QStringLiteral("claude_desktop_config.json"));
        QString error;
        QVERIFY2(dialog->saveTo(path, &error), qPrintable(error));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(saved.readAll()), text);
        QVERIFY(!dialog->saveTo(m_bench.dir.filePath(QStringLiteral("no/such/dir/x.json")), &error));
        QVERIFY2(error.contains(QStringLiteral("Cannot write")), qPrintable(error));
        dialog->close();
    }

    void urlConnectionWithSecretHeader()
    {
        ConnectionProfile profile;
        profile.name = QStringLiteral("remote");
        profile.kind = ConnectionProfile::Kind::Url;
        profile.url = QStringLiteral("https://example.com/mcp");
        profile.transport = QStringLiteral("http");
        profile.headers = {QStringLiteral("Authorization: Bearer ") + secret};
        m_window->selectConnection(m_window->addConnection(profile));
        ExportAsDialog *dialog = m_window->exportConnectionAs();
        QVERIFY(dialog);
        choose(dialog, QStringLiteral("cursor"));
        const QString text = dialog->textView()->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("\"url\": \"https://example.com/mcp\"")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Bearer ${env:REMOTE_AUTHORIZATION}")));
        QVERIFY(!text.contains(secret));
        QVERIFY(dialog->copyButton()->isEnabled() && dialog->saveButton()->isEnabled());
        dialog->close();
    }

    void cleanupTestCase() { m_bench.close(); }
};

QTEST_MAIN(TstExportAs)
#include "tst_exportas.moc"
