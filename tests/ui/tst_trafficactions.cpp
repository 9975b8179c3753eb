// Copy as / export / replay on real widgets (offscreen): the clipboard gets the expected texts, the export
// dialog writes HAR and OTLP that parse with the expected structure and a redacted Authorization header, a
// JSONL export opens again with identical frames, and the replay dialog against the real
// @modelcontextprotocol/server-everything 2026.8.31 (stdio) shows the changed path of an edited echo.
#include "session/clientsession.h"
#include "testsupport.h"
#include "traffic/exportdialog.h"
#include "traffic/replaydialog.h"
#include "traffic/tracefile.h"
#include "traffic/trafficactions.h"
#include "traffic/trafficmodel.h"
#include "transport/transportfactory.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using mcp::Json;

class TstTrafficActions : public QObject
{
    Q_OBJECT

    static mcp::TransportConfig httpConfig()
    {
        mcp::TransportConfig t;
        t.kind = mcp::TransportConfig::Kind::Http;
        t.http.url = QUrl(QStringLiteral("http://127.0.0.1:3001/mcp"));
        t.http.headers = {{"Authorization", "Bearer sk-ui-secret"}};
        return t;
    }

    // One HTTP connection: initialize, then a tools/call echo with its answer, each carried by a POST.
    static void fill(mcp::Recorder &r)
    {
        const int c = r.addConnection(QStringLiteral("remote"));
        const qint64 t = 1'800'000'000'000'000;
        auto post = [&](const QByteArray &request, const QByteArray &response, qint64 at) {
            r.record(c, mcp::Direction::Sent, request, at);
            r.record(c, mcp::Direction::Received, response, at + 20'000);
            mcp::HttpExchange x;
            x.started = QDateTime::fromMSecsSinceEpoch(at / 1000);
            x.method = "POST";
            x.url = QUrl(QStringLiteral("http://127.0.0.1:3001/mcp"));
            x.requestHeaders = {{"Content-Type", "application/json"},
                                {"Authorization", "Bearer sk-ui-secret"},
                                {"Mcp-Session-Id", "sess-ui"},
                                {"MCP-Protocol-Version", "2025-11-25"}};
            x.requestBody = request;
            x.status = 200;
            x.reason = "OK";
            x.responseHeaders = {{"Content-Type", "application/json"}};
            x.responseBody = response;
            r.recordHttp(c, x);
        };
        post(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}})",
             R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25"}})", t);
        post(
            R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"héllo"}}})",
            R"({"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"Echo: héllo"}]}})",
            t + 100'000);
    }

    template <typename Done> static bool waitFor(Done done, int timeoutMs = 25000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!done() && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return done();
    }

private Q_SLOTS:
    void copyAsPutsTextOnTheClipboard()
    {
        mcp::Recorder r;
        fill(r);
        QWidget host;
        std::vector<int> selection{3}; // the tools/call response: commands are built from its request
        mcpui::TrafficActions actions(
            &r, [&selection] { return selection; }, &host);
        actions.update();
        QVERIFY(actions.copyJsonAction()->isEnabled());
        QVERIFY(!actions.copyMcpwbAction()->isEnabled()); // no transport known (a file opened from disk)
        actions.setTransportLookup([](int) { return std::optional(httpConfig()); });
        actions.update();
        QVERIFY(actions.copyMcpwbAction()->isEnabled() && actions.copyCurlAction()->isEnabled());

        actions.copyJsonAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), mcp::copyas::json(r.at(3).bytes));
        QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("\"text\": \"Echo: héllo\"")));

        actions.copyMcpwbAction()->trigger();
        QCOMPARE(
            QApplication::clipboard()->text(),
            QStringLiteral("mcpwb --url http://127.0.0.1:3001/mcp --transport http --header "
                           "'Authorization: Bearer [redacted]' --protocol-version 2025-11-25 tools call echo "
                           "'{\"message\":\"héllo\"}'"));

        actions.copyCurlAction()->trigger();
        const QString curl = QApplication::clipboard()->text();
        QVERIFY2(curl.startsWith(QStringLiteral("curl -sS -N -X POST http://127.0.0.1:3001/mcp")),
                 qPrintable(curl));
        QVERIFY(curl.contains(QStringLiteral("-H 'Mcp-Session-Id: [redacted]'")));
        QVERIFY(curl.contains(QStringLiteral("-H 'Authorization: Bearer [redacted]'")));
        QVERIFY(!curl.contains(QStringLiteral("sk-ui-secret")));

        selection = {0, 1}; // a request and its response: one command
        QCOMPARE(actions.mcpwbText().count(QLatin1Char('\n')), 0);
        selection = {};
        actions.update();
        QVERIFY(!actions.copyJsonAction()->isEnabled() && !actions.replayAction()->isEnabled());
    }

    void exportDialogWritesRedactedHarAndOtlp()
    {
        mcp::Recorder r;
        fill(r);
        QTemporaryDir dir;
        mcpui::ExportDialog dialog(r);
        dialog.show();
        QVERIFY(!dialog.keepSecretsBox()->isChecked());

        dialog.formatBox()->setCurrentIndex(1);
        QCOMPARE(dialog.format(), mcp::ExportFormat::Har);
        const QString har = dir.filePath(QStringLiteral("out.har"));
        dialog.pathEdit()->setText(har);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QFile harFile(har);
        QVERIFY(harFile.open(QIODevice::ReadOnly));
        const Json log = Json::parse(harFile.readAll().toStdString())["log"];
        QCOMPARE(log["version"], Json("1.2"));
        QCOMPARE(log["entries"].size(), size_t(2));
        QCOMPARE(log["entries"][1]["request"]["headers"][1],
                 (Json{{"name", "Authorization"}, {"value", "Bearer [redacted]"}}));

        mcpui::ExportDialog otlpDialog(r);
        otlpDialog.formatBox()->setCurrentIndex(2);
        const QString otlp = dir.filePath(QStringLiteral("out.json"));
        otlpDialog.pathEdit()->setText(otlp);
        otlpDialog.accept();
        QFile otlpFile(otlp);
        QVERIFY(otlpFile.open(QIODevice::ReadOnly));
        const QByteArray otlpBytes = otlpFile.readAll();
        const Json spans = Json::parse(otlpBytes.toStdString())["resourceSpans"][0]["scopeSpans"][0]["spans"];
        QCOMPARE(spans.size(), size_t(2));
        QVERIFY(otlpBytes.contains("\"mcp.method.name\"") && otlpBytes.contains("\"gen_ai.tool.name\""));
        QVERIFY(!otlpBytes.contains("sess-ui"));

        // Where the file cannot be written the dialog stays open and says why.
        mcpui::ExportDialog failing(r);
        failing.pathEdit()->setText(dir.filePath(QStringLiteral("no/such/dir/x.jsonl")));
        failing.accept();
        QVERIFY(failing.result() != QDialog::Accepted && !failing.errorLabel()->isHidden());
        QVERIFY(failing.errorLabel()->text().contains(QStringLiteral("cannot write")));

        // HAR needs HTTP: for a stdio-only recording the choice is disabled.
        mcp::Recorder stdio;
        stdio.record(stdio.addConnection(QStringLiteral("local")), mcp::Direction::Sent,
                     R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
        mcpui::ExportDialog noHttp(stdio);
        auto *model = qobject_cast<QStandardItemModel *>(noHttp.formatBox()->model());
        QVERIFY(!model->item(1)->isEnabled());
    }

    void exportedSessionOpensWithIdenticalFrames()
    {
        mcp::Recorder r;
        fill(r);
        QTemporaryDir dir;
        mcpui::ExportDialog dialog(r);
        const QString path = dir.filePath(QStringLiteral("session.jsonl"));
        dialog.pathEdit()->setText(path);
        dialog.accept();
        mcp::Recorder reopened;
        mcp::Error error;
        QVERIFY2(mcp::readTrace(path, reopened, &error), qPrintable(error.toString()));
        QCOMPARE(reopened.size(), r.size());
        for (qsizetype i = 0; i < r.size(); ++i) {
            QCOMPARE(reopened.at(i).bytes, r.at(i).bytes);
            QCOMPARE(reopened.at(i).timeUs, r.at(i).timeUs);
            QCOMPARE(reopened.at(i).pairedIndex, r.at(i).pairedIndex);
        }
        TrafficModel live(&r), file(&reopened);
        QTRY_COMPARE(file.rowCount(), live.rowCount());
        for (int row = 0; row < live.rowCount(); ++row)
            for (int column = 0; column < live.columnCount(); ++column)
                QCOMPARE(file.index(row, column).data().toString(),
                         live.index(row, column).data().toString());
        QCOMPARE(int(reopened.httpExchanges().size()), 2);
        QCOMPARE(reopened.httpExchanges()[1].exchange.requestHeaders[1].second,
                 QByteArray("Bearer [redacted]"));
    }

    void replayShowsTheDiff()
    {
        MCPWB_REQUIRE_PEERS();
        mcp::Recorder r;
        mcp::TransportConfig config;
        config.kind = mcp::TransportConfig::Kind::Stdio;
        config.stdio = mcp::StdioOptions::fromCommandLine(testsupport::everythingStdioCommand());
        mcp::ClientSession session(mcp::TransportFactory::create(config).release(), &r);
        session.start();
        QVERIFY(waitFor([&] { return session.state() == mcp::ClientSession::State::Ready; }));
        bool answered = false;
        session.request(QStringLiteral("tools/call"),
                        {{"name", "echo"}, {"arguments", {{"message", "recorded"}}}},
                        [&answered](const mcp::Reply &) { answered = true; });
        QVERIFY(waitFor([&] { return answered; }));
        int call = -1;
        for (int i = 0; i < int(r.size()); ++i)
            if (r.method(r.at(i)) == QStringLiteral("tools/call") &&
                r.at(i).kind == mcp::jsonrpc::Kind::Request)
                call = i;

        QWidget host;
        mcpui::TrafficActions actions(
            &r, [call] { return std::vector<int>{call}; }, &host);
        actions.setSessionLookup([&session](int) { return &session; });
        actions.update();
        QVERIFY(actions.replayAction()->isEnabled());
        mcpui::ReplayDialog *dialog = actions.replay();
        QVERIFY(dialog && dialog->isValid());
        QVERIFY(dialog->paramsEdit()->toPlainText().contains(QStringLiteral("\"message\": \"recorded\"")));
        QVERIFY(dialog->recordedView()->toPlainText().contains(QStringLiteral("Echo: recorded")));

        QSignalSpy replayed(dialog, &mcpui::ReplayDialog::replayed);
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return replayed.count() == 1; }));
        QCOMPARE(dialog->changesView()->topLevelItemCount(), 0);
        QCOMPARE(dialog->statusLabel()->text(), QStringLiteral("Same as recorded."));

        dialog->paramsEdit()->setPlainText(
            QStringLiteral(R"({"name": "echo", "arguments": {"message": "edited in the dialog"}})"));
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QVERIFY(waitFor([&] { return replayed.count() == 2; }));
        QCOMPARE(dialog->changesView()->topLevelItemCount(), 1);
        const QTreeWidgetItem *row = dialog->changesView()->topLevelItem(0);
        QCOMPARE(row->text(0), QStringLiteral("changed"));
        QCOMPARE(row->text(1), QStringLiteral("/content/0/text"));
        QCOMPARE(row->text(2), QStringLiteral("\"Echo: recorded\""));
        QCOMPARE(row->text(3), QStringLiteral("\"Echo: edited in the dialog\""));
        QVERIFY(dialog->replayedView()->toPlainText().contains(QStringLiteral("Echo: edited in the dialog")));
        if (!qEnvironmentVariableIsEmpty("MCPWB_SCREENSHOT_DIR"))
            dialog->grab().save(qEnvironmentVariable("MCPWB_SCREENSHOT_DIR") +
                                QStringLiteral("/replay-dialog.png"));

        dialog->paramsEdit()->setPlainText(QStringLiteral("{not json"));
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QCOMPARE(dialog->statusLabel()->text(), QStringLiteral("The params are not a JSON object."));
        dialog->close();
        session.close();
        waitFor([&] { return session.state() == mcp::ClientSession::State::Closed; }, 8000);
    }
};

QTEST_MAIN(TstTrafficActions)
#include "tst_trafficactions.moc"
