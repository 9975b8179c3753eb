#include "session/clientsession.h"
#include "session/protocolversion.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "traffic/tracefile.h"
#include "transport/transportfactory.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <optional>

using namespace mcp;

// 2026-07-28 against a real modern server: the v2 TypeScript SDK (@modelcontextprotocol/server 2.4.0)
// behind node:http (tests/peers/v2-http-server.mjs). Negotiation finds it through server/discover, and
// every request carries the _meta envelope and the Mcp-Method / Mcp-Name headers.
class TestModern : public QObject
{
    Q_OBJECT
    testsupport::PeerProcess m_server;
    quint16 m_port = 0;

    static Reply await(ClientSession &s, const QString &method, const Json &params)
    {
        std::optional<Reply> got;
        s.request(method, params, [&](const Reply &r) { got = r; });
        const QDeadlineTimer deadline(15000);
        while (!got && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return got.value_or(
            Reply{nullptr, makeError(Error::Category::Timeout, method, QStringLiteral("test timeout"))});
    }

    // A new HTTP transport to the v2 peer; null (and a failed check) if it cannot be made.
    std::unique_ptr<Transport> peerTransport() const
    {
        TransportConfig config;
        config.kind = TransportConfig::Kind::Http;
        config.http.url = QUrl(QStringLiteral("http://127.0.0.1:%1/mcp").arg(m_port));
        Error error;
        auto transport = TransportFactory::create(config, &error);
        if (!transport)
            qWarning() << error.toString();
        return transport;
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        m_port = testsupport::freeLoopbackPort();
        QVERIFY(m_server.start(testsupport::peersDir() + QStringLiteral("/v2-http-server.mjs"),
                               {QString::number(m_port)}, {}, m_port));
    }

    void negotiatesModernAndCallsATool_data()
    {
        QTest::addColumn<QString>("pinned");
        QTest::newRow("v2 SDK server, negotiated") << QString();
        QTest::newRow("v2 SDK server, pinned 2026-07-28") << protocol::V2026_07_28;
    }

    void negotiatesModernAndCallsATool()
    {
        QFETCH(QString, pinned);
        auto transport = peerTransport();
        QVERIFY(transport);
        Recorder recorder;
        QTemporaryDir dir;
        const QString tracePath = dir.filePath(QStringLiteral("trace.jsonl"));
        TraceWriter trace(&recorder);
        Error error;
        QVERIFY(trace.open(tracePath, &error));
        SessionOptions options;
        options.protocolVersion = pinned;
        ClientSession s(transport.release(), &recorder, options);
        QSignalSpy ready(&s, &ClientSession::ready);
        s.start();
        QVERIFY2(ready.wait(15000), qPrintable(s.lastError().toString()));
        QCOMPARE(s.protocolVersion(), protocol::V2026_07_28);
        QCOMPARE(s.transport()->kind(), QStringLiteral("stateless-http"));
        QCOMPARE(stringOr(s.serverInfo(), "name"), QStringLiteral("mcpwb-v2-peer"));

        const Reply tools = await(s, QStringLiteral("tools/list"), Json::object());
        QVERIFY2(tools.ok(), qPrintable(tools.error.toString()));
        QCOMPARE(tools.result["tools"][0]["name"], "echo");
        const Reply echo = await(s, QStringLiteral("tools/call"),
                                 {{"name", "echo"}, {"arguments", {{"text", "modern héllo"}}}});
        QVERIFY2(echo.ok(), qPrintable(echo.error.toString()));
        QCOMPARE(echo.result["content"][0]["text"], "modern héllo");

        // The wire: no initialize, the standard headers on every POST.
        bool sawInitialize = false;
        int posts = 0;
        for (qsizetype i = 0; i < recorder.size(); ++i)
            sawInitialize = sawInitialize || recorder.method(recorder.at(i)) == QStringLiteral("initialize");
        for (const auto &h : recorder.httpExchanges()) {
            if (h.exchange.method != "POST")
                continue;
            ++posts;
            bool method = false, version = false;
            for (const auto &[name, value] : h.exchange.requestHeaders) {
                method = method || (name.compare("Mcp-Method", Qt::CaseInsensitive) == 0 && !value.isEmpty());
                version = version || (name.compare("MCP-Protocol-Version", Qt::CaseInsensitive) == 0 &&
                                      value == "2026-07-28");
            }
            QVERIFY(method && version);
        }
        QVERIFY(!sawInitialize);
        QVERIFY(posts >= 3);
        s.close();
        trace.close();

        if (!QFileInfo::exists(testsupport::sharedDir() + QStringLiteral("/mcp-schema")))
            QSKIP("../shared is absent: schema validation of the trace skipped");
        QProcess validator;
        validator.setProcessChannelMode(QProcess::MergedChannels);
        testsupport::endWithTest(validator);
        validator.start(testsupport::nodeBinary(),
                        {testsupport::peersDir() + QStringLiteral("/validate-trace.mjs"),
                         QStringLiteral("--schema-dir"),
                         testsupport::sharedDir() + QStringLiteral("/mcp-schema"),
                         QStringLiteral("--version"), QStringLiteral("auto"), tracePath});
        QVERIFY(validator.waitForFinished(60000));
        QVERIFY2(validator.exitCode() == 0, qPrintable(QString::fromUtf8(validator.readAll())));
    }

    // The SDK's server announces a changed tool list only on a subscriptions/listen stream: the session
    // opens one after the handshake, and a tool added mid-session is heard and listed.
    void hearsToolListChangesThroughSubscription()
    {
        auto transport = peerTransport();
        QVERIFY(transport);
        Recorder recorder;
        SessionOptions options;
        options.listenForChanges = true;
        ClientSession s(transport.release(), &recorder, options);
        QSignalSpy ready(&s, &ClientSession::ready);
        QStringList heard;
        connect(&s, &ClientSession::notificationReceived, this,
                [&](const QString &method, const Json &) { heard << method; });
        QStringList diagnostics;
        connect(&s, &ClientSession::diagnostic, this, [&](const Diagnostic &d) { diagnostics << d.text; });
        s.start();
        QVERIFY2(ready.wait(15000), qPrintable(s.lastError().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(heard.contains(QStringLiteral("notifications/subscriptions/acknowledged")),
                                 15000);
        QVERIFY2(diagnostics.contains(QStringLiteral("listening for changes to: tools, resources")),
                 qPrintable(diagnostics.join(QLatin1Char('\n'))));

        const Reply add =
            await(s, QStringLiteral("tools/call"), {{"name", "add_tool"}, {"arguments", Json::object()}});
        QVERIFY2(add.ok(), qPrintable(add.error.toString()));
        QTRY_VERIFY_WITH_TIMEOUT(heard.contains(QStringLiteral("notifications/tools/list_changed")), 15000);
        const Reply tools = await(s, QStringLiteral("tools/list"), Json::object());
        QVERIFY2(tools.ok(), qPrintable(tools.error.toString()));
        QStringList names;
        for (const auto &tool : tools.result["tools"])
            names << toQString(tool["name"].get<std::string>());
        QVERIFY2(names.contains(QStringLiteral("added")), qPrintable(names.join(QLatin1Char(' '))));
        s.close();
    }

    // `mcpwb watch` and `mcpwb resources subscribe` against a 2026-07-28 server ask for what they want to
    // hear on subscriptions/listen streams, and print the change another client causes.
    void cliHearsWhatItSubscribedTo_data()
    {
        QTest::addColumn<QStringList>("verb");
        QTest::addColumn<QString>("trigger");
        QTest::addColumn<QByteArray>("heard");
        QTest::newRow("watch: list changes")
            << QStringList{QStringLiteral("watch")} << QStringLiteral("add_tool")
            << QByteArray("notifications/tools/list_changed");
        QTest::newRow("resources subscribe: updates")
            << QStringList{QStringLiteral("resources"), QStringLiteral("subscribe"),
                           QStringLiteral("note://1")}
            << QStringLiteral("touch_note") << QByteArray("notifications/resources/updated");
    }

    void cliHearsWhatItSubscribedTo()
    {
        QFETCH(QStringList, verb);
        QFETCH(QString, trigger);
        QFETCH(QByteArray, heard);
        QProcess watch;
        testsupport::endWithTest(watch);
        watch.start(testsupport::mcpwbBinary(),
                    QStringList{QStringLiteral("--url"),
                                QStringLiteral("http://127.0.0.1:%1/mcp").arg(m_port),
                                QStringLiteral("--seconds"), QStringLiteral("30")} +
                        verb);
        QVERIFY(watch.waitForStarted(5000));
        QByteArray out;
        const auto printed = [&](const QByteArray &line) {
            out += watch.readAllStandardOutput();
            return out.contains(line);
        };
        QTRY_VERIFY2_WITH_TIMEOUT(printed("notifications/subscriptions/acknowledged"),
                                  qPrintable(out + watch.readAllStandardError()), 20000);

        auto transport = peerTransport();
        QVERIFY(transport);
        ClientSession other(transport.release(), nullptr);
        QSignalSpy ready(&other, &ClientSession::ready);
        other.start();
        QVERIFY(ready.wait(15000));
        const Reply add = await(other, QStringLiteral("tools/call"),
                                {{"name", toStd(trigger)}, {"arguments", Json::object()}});
        QVERIFY2(add.ok(), qPrintable(add.error.toString()));
        QTRY_VERIFY2_WITH_TIMEOUT(printed(heard), out.constData(), 15000);
        other.close();
        watch.terminate();
        QVERIFY(watch.waitForFinished(5000));
    }
};

QTEST_GUILESS_MAIN(TestModern)
#include "tst_modern.moc"
