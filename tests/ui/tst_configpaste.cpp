// Importing into the GUI with real widgets offscreen: a JSON snippet pasted into the new-connection dialog
// becomes the connection (a VS Code entry with an input and an envFile, an mcpServers member, a server.json),
// a bad snippet says where and why and fills nothing; connecting a connection whose values refer to
// ${input:ID} asks for them in a prompt (a password unseen), keeps the answers in memory only and never in
// the settings, and does not connect when the prompt is cancelled. Takes connection-paste.png and
// input-prompt.png.
#include "auth/tokenstore.h"
#include "connections/connection.h"
#include "connections/connectiondialog.h"
#include "connections/inputprompt.h"
#include "importsamples.h"
#include "workbenchtest.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>

using namespace mcpui;

namespace {

constexpr char kBadSnippet[] = "{\"mcpServers\": {\n  \"a\": {\"command\": 1}\n}}";
constexpr char kMember[] = "\"github\": {\"url\": \"https://api.githubcopilot.com/mcp/\", \"headers\": "
                           "{\"Authorization\": \"Bearer ${GITHUB_PAT}\"}}";

// Answers the input prompt when it shows (it is modal): fills each field and presses Connect, or Cancel.
struct PromptAnswerer
{
    int shown = 0;
    bool passwordHidden = false;
    bool cancel = false;
    QString screenshot;

    void arm()
    {
        QTimer::singleShot(50, [this] {
            auto *dialog = qobject_cast<InputPromptDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return arm(); // not shown yet
            ++shown;
            for (QLineEdit *field : dialog->findChildren<QLineEdit *>()) {
                passwordHidden |= field->echoMode() == QLineEdit::Password;
                field->setText(QStringLiteral("answer-for-") + field->objectName().section(':', 1));
            }
            if (!screenshot.isEmpty())
                testsupport::saveScreenshot(dialog, screenshot);
            cancel ? dialog->reject() : dialog->accept();
        });
    }
};

} // namespace

class TstConfigPaste : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pastedSnippetBecomesTheConnection()
    {
        ConnectionDialog dialog{ConnectionProfile()};
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.findChild<QPlainTextEdit *>(QStringLiteral("snippet"))
            ->setPlainText(QString::fromUtf8(kVsCodeInputs));
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("fillFromSnippet")), Qt::LeftButton);
        const ConnectionProfile p = dialog.profile();
        QCOMPARE(p.name, QStringLiteral("notes"));
        QCOMPARE(p.kind, ConnectionProfile::Kind::Stdio);
        QCOMPARE(p.command, QStringLiteral("npx"));
        QCOMPARE(p.arguments, (QStringList{"-y", "notes-mcp@2.0.1", "--workspace", "${workspaceFolder}"}));
        QCOMPARE(p.environment, (QStringList{"NOTES_API_KEY=${input:api-key}", "HOME_DIR=${env:HOME}"}));
        QCOMPARE(p.envFile, QStringLiteral("${workspaceFolder}/.env"));
        QCOMPARE(p.inputs.size(), 1);
        const QString status = dialog.findChild<QLabel *>(QStringLiteral("snippetStatus"))->text();
        QVERIFY2(status.contains("Filled in from \"notes\"") && status.contains("holds 2 servers") &&
                     status.contains("Asks when connecting for: Notes API key."),
                 qPrintable(status));
        QTest::qWait(50); // let the dialog lay out before the grab
        testsupport::saveScreenshot(&dialog, QStringLiteral("connection-paste"));

        QVERIFY(dialog.fillFromSnippet(kMember));
        QCOMPARE(dialog.profile().kind, ConnectionProfile::Kind::Url);
        QCOMPARE(dialog.profile().headers, QStringList{"Authorization: Bearer ${env:GITHUB_PAT}"});
        QVERIFY(dialog.fillFromSnippet(kServerJson));
        QCOMPARE(dialog.profile().name, QStringLiteral("weather (npm)"));
    }

    void badSnippetSaysWhereAndWhy()
    {
        ConnectionDialog dialog{ConnectionProfile()};
        QVERIFY(!dialog.fillFromSnippet(kBadSnippet));
        QCOMPARE(
            dialog.findChild<QLabel *>(QStringLiteral("snippetStatus"))->text(),
            QStringLiteral("Not filled in: pasted snippet:2: server \"a\": \"command\" must be a string"));
        QCOMPARE(dialog.profile().command, QString()); // nothing filled in
        QVERIFY(!dialog.fillFromSnippet("{\"mcpServers\": "));
        QVERIFY(
            dialog.findChild<QLabel *>(QStringLiteral("snippetStatus"))->text().contains("malformed JSON"));
    }

    void inputsAreAskedWhenConnecting()
    {
        ConnectionDialog dialog{ConnectionProfile()};
        QVERIFY(dialog.fillFromSnippet(kVsCodeInputs));
        ConnectionProfile p = dialog.profile();
        // A URL nothing listens on: the connection fails after the prompt, which is what is tested.
        p.kind = ConnectionProfile::Kind::Url;
        p.url = QStringLiteral("http://127.0.0.1:9/mcp");
        p.headers = {QStringLiteral("Authorization: Bearer ${input:api-key}")};
        QHash<QString, QString> answers{{"api-key", "k-1"}};
        QStringList unreadable;
        QCOMPARE(p.transportConfig(&unreadable, answers).http.headers.value(0).second,
                 QByteArray("Bearer k-1"));
        p.transportConfig(&unreadable);
        QCOMPARE(unreadable, QStringList{"header Authorization: ${input:api-key} was not answered"});

        QWidget window; // the prompt's parent
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Connection connection(p, nullptr, std::make_shared<mcp::auth::TokenStore>());
        PromptAnswerer prompt;
        prompt.screenshot = QStringLiteral("input-prompt");
        prompt.arm();
        connection.open();
        QCOMPARE(prompt.shown, 1);
        QVERIFY(prompt.passwordHidden);
        QVERIFY2(!connection.lastError().contains("were not given"), qPrintable(connection.lastError()));
        connection.open(); // answered already: not asked again
        QCOMPARE(prompt.shown, 1);

        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        ConnectionProfile::save(settings, {p});
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        QVERIFY(!saved.contains("answer-for-")); // the answer is never saved
        const ConnectionProfile loaded = ConnectionProfile::load(settings).value(0);
        QCOMPARE(loaded.inputs.value(0).id, QStringLiteral("api-key"));
        QVERIFY(loaded.inputs.value(0).password);
        QCOMPARE(loaded.envFile, p.envFile);

        Connection cancelled(p, nullptr, std::make_shared<mcp::auth::TokenStore>());
        PromptAnswerer no;
        no.cancel = true;
        no.arm();
        cancelled.open();
        QCOMPARE(no.shown, 1);
        QCOMPARE(cancelled.lastError(),
                 QStringLiteral("not connected: the values it asks for were not given"));
    }
};

QTEST_MAIN(TstConfigPaste)
#include "tst_configpaste.moc"
