// Replay and "copy as" against the real @modelcontextprotocol/server-everything 2026.8.31 (stdio and
// streamable HTTP on 127.0.0.1): record a session, replay its tools/call echo unchanged (no differences) and
// edited (the diff names the changed text); run the copied mcpwb command line through /bin/sh with the built
// mcpwb, and over HTTP the copied curl command against the live session.
#include "session/clientsession.h"
#include "testsupport.h"
#include "traffic/copyas.h"
#include "traffic/recorder.h"
#include "traffic/replay.h"
#include "transport/httptransport.h"
#include "transport/transportfactory.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <optional>

using namespace mcp;

class TestReplay : public QObject
{
    Q_OBJECT

    testsupport::PeerProcess m_http;
    quint16 m_httpPort = 0;

    TransportConfig config(const QString &kind) const
    {
        TransportConfig c;
        if (kind == QStringLiteral("stdio")) {
            c.kind = TransportConfig::Kind::Stdio;
            c.stdio = StdioOptions::fromCommandLine(testsupport::everythingStdioCommand());
        } else {
            c.kind = TransportConfig::Kind::Http;
            c.http.url = QUrl(QStringLiteral("http://127.0.0.1:%1/mcp").arg(m_httpPort));
        }
        return c;
    }

    template <typename Done> static bool waitFor(Done done, int timeoutMs = 25000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!done() && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return done();
    }

    static std::optional<ReplayOutcome> replayed(ClientSession &session, const ReplayRequest &request,
                                                 const QStringList &ignore = {})
    {
        std::optional<ReplayOutcome> got;
        replay(
            session, request, [&got](const ReplayOutcome &o) { got = o; }, ignore);
        waitFor([&got] { return got.has_value(); });
        return got;
    }

    // What `sh` prints when it runs a copied command line, with mcpwb resolving to the built binary.
    static QProcess *runInShell(const QString &command)
    {
        auto *sh = new QProcess;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MCPWB_BIN"), testsupport::mcpwbBinary());
        sh->setProcessEnvironment(env);
        testsupport::endWithTest(*sh);
        sh->start(
            QStringLiteral("/bin/sh"),
            {QStringLiteral("-c"), QStringLiteral("mcpwb() { \"$MCPWB_BIN\" --json \"$@\"; }\n") + command});
        return sh;
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        QVERIFY(m_http.startEverything(QStringLiteral("streamableHttp"), &m_httpPort));
    }

    void replayEcho_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("stdio") << QStringLiteral("stdio");
        QTest::newRow("http") << QStringLiteral("http");
    }
    void replayEcho()
    {
        QFETCH(QString, kind);
        Recorder recorder;
        Error error;
        const TransportConfig transport = config(kind);
        SessionOptions options;
        options.connectionName = QStringLiteral("everything-") + kind;
        options.requestTimeoutMs = 20000;
        ClientSession session(TransportFactory::create(transport, &error).release(), &recorder, options);
        session.start();
        QVERIFY2(waitFor([&] { return session.state() == ClientSession::State::Ready; }),
                 qPrintable(session.lastError().toString()));

        // Record the original call.
        std::optional<Reply> original;
        session.request(QStringLiteral("tools/call"),
                        {{"name", "echo"}, {"arguments", {{"message", "it's recorded ✓"}}}},
                        [&original](const Reply &r) { original = r; });
        QVERIFY(waitFor([&] { return original.has_value(); }));
        QVERIFY2(original->ok(), qPrintable(original->error.toString()));
        qsizetype callIndex = -1;
        for (qsizetype i = 0; i < recorder.size(); ++i)
            if (recorder.at(i).direction == Direction::Sent &&
                recorder.method(recorder.at(i)) == QStringLiteral("tools/call"))
                callIndex = i;
        QVERIFY(callIndex >= 0);

        QString problem;
        std::optional<ReplayRequest> request = ReplayRequest::fromRecording(recorder, callIndex, &problem);
        QVERIFY2(request, qPrintable(problem));
        QCOMPARE(request->recorded, original->result);

        // Unchanged: the same answer, no differences.
        std::optional<ReplayOutcome> same = replayed(session, *request);
        QVERIFY(same);
        QVERIFY2(same->reply.ok(), qPrintable(same->reply.error.toString()));
        QVERIFY2(same->changes.isEmpty(), qPrintable(describeChanges(same->changes)));

        // Edited: the echoed text differs, and nothing else.
        request->params["arguments"]["message"] = "edited";
        std::optional<ReplayOutcome> edited = replayed(session, *request);
        QVERIFY(edited);
        QCOMPARE(edited->changes.size(), 1);
        QCOMPARE(edited->changes[0].path, QStringLiteral("/content/0/text"));
        QCOMPARE(edited->changes[0].kind, JsonChange::Kind::Changed);
        QVERIFY2(toQString(edited->changes[0].before.get<std::string>())
                     .contains(QStringLiteral("it's recorded ✓")),
                 edited->changes[0].before.dump().c_str());
        QVERIFY(toQString(edited->changes[0].after.get<std::string>()).contains(QStringLiteral("edited")));
        // Ignoring the path hides the difference.
        edited = replayed(session, *request, {QStringLiteral("/content/*/text")});
        QVERIFY(edited && edited->changes.isEmpty());

        // A JSON-RPC error replays as an error outcome.
        ReplayRequest unknown{QStringLiteral("tools/call"), {{"name", "no-such-tool"}}, request->recorded};
        std::optional<ReplayOutcome> failed = replayed(session, unknown);
        QVERIFY(failed && !failed->reply.ok());
        QVERIFY2(!failed->changes.isEmpty(), "an error differs from the recorded result");

        // Copy as mcpwb: the command line re-sends the call on a connection of its own.
        const CopyTarget target = CopyTarget::fromRecording(recorder, callIndex, transport);
        const QString command = copyas::mcpwbCommand(recorder.at(callIndex).bytes, target);
        std::unique_ptr<QProcess> sh(runInShell(command));
        QVERIFY2(sh->waitForFinished(60000) && sh->exitCode() == 0,
                 qPrintable(command + QStringLiteral("\n") + QString::fromUtf8(sh->readAllStandardError())));
        const QByteArray out = sh->readAllStandardOutput();
        QCOMPARE(Json::parse(out.toStdString(), nullptr, false), original->result);

        if (kind != QStringLiteral("http"))
            return;
        // Copy as curl, secrets kept (the session id is a capability): the live session answers it.
        QVERIFY2(!target.sessionHeaders.isEmpty(), "the POST's Mcp-Session-Id was recorded");
        const QString curl = copyas::curlCommand(recorder.at(callIndex).bytes, target, ExportOptions{false});
        if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
            QSKIP("curl is not installed; the curl command was built but not run");
        std::unique_ptr<QProcess> curlRun(runInShell(curl));
        QVERIFY2(
            curlRun->waitForFinished(30000) && curlRun->exitCode() == 0,
            qPrintable(curl + QStringLiteral("\n") + QString::fromUtf8(curlRun->readAllStandardError())));
        const QByteArray answer = curlRun->readAllStandardOutput();
        QVERIFY2(answer.contains("it's recorded \xe2\x9c\x93"), answer.constData());
        session.close();
        waitFor([&] { return session.state() == ClientSession::State::Closed; }, 8000);
    }
};

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
