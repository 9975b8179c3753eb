#include "session/clientsession.h"
#include "session/protocolversion.h"
#include "session/ruleshandler.h"
#include "testsupport.h"
#include "traffic/recorder.h"
#include "traffic/tracefile.h"
#include "transport/transportfactory.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <optional>

using namespace mcp;

// The core against the real @modelcontextprotocol/server-everything 2026.8.31, over stdio, streamable HTTP
// and legacy HTTP+SSE: every tool, resource, template and prompt it lists; progress; cancellation;
// sampling, elicitation and roots answered; subscriptions. Every frame sent is then checked against the
// official schema of the negotiated version.
class TestEverything : public QObject
{
    Q_OBJECT

    testsupport::PeerProcess m_http;
    testsupport::PeerProcess m_sse;
    quint16 m_httpPort = 0;
    quint16 m_ssePort = 0;

    struct Connection
    {
        Recorder recorder;
        RulesHandler rules{Json{{"sampling", {{"text", "sampled by mcpwb"}, {"model", "test-model"}}},
                                {"elicitation", {{"action", "accept"}, {"content", {{"color", "blue"}}}}},
                                {"roots", {{{"uri", "file:///tmp/mcpwb-root"}, {"name", "test root"}}}}}};
        std::unique_ptr<TraceWriter> trace;
        ClientSession *session = nullptr;
        ~Connection() { delete session; }
    };

    std::unique_ptr<Connection> connect(const QString &kind, const QString &tracePath)
    {
        TransportConfig config;
        if (kind == QStringLiteral("stdio")) {
            config.kind = TransportConfig::Kind::Stdio;
            config.stdio = StdioOptions::fromCommandLine(testsupport::everythingStdioCommand());
        } else if (kind == QStringLiteral("http")) {
            config.kind = TransportConfig::Kind::Http;
            config.http.url = QUrl(QStringLiteral("http://127.0.0.1:%1/mcp").arg(m_httpPort));
        } else {
            config.kind = TransportConfig::Kind::Sse;
            config.http.url = QUrl(QStringLiteral("http://127.0.0.1:%1/sse").arg(m_ssePort));
        }
        Error error;
        auto transport = TransportFactory::create(config, &error);
        if (!transport)
            qFatal("%s", qPrintable(error.toString()));
        auto c = std::make_unique<Connection>();
        c->trace = std::make_unique<TraceWriter>(&c->recorder);
        c->trace->open(tracePath, &error);
        SessionOptions options;
        options.connectionName = QStringLiteral("everything-") + kind;
        options.requestTimeoutMs = 20000;
        c->session = new ClientSession(transport.release(), &c->recorder, options);
        c->session->setServerRequestHandler(&c->rules);
        return c;
    }

    static Reply await(ClientSession &s, const QString &method, const Json &params, RequestOptions o = {},
                       int timeoutMs = 25000)
    {
        std::optional<Reply> got;
        s.request(
            method, params, [&](const Reply &r) { got = r; }, o);
        const QDeadlineTimer deadline(timeoutMs);
        while (!got && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return got.value_or(
            Reply{nullptr, makeError(Error::Category::Timeout, method, QStringLiteral("test timeout"))});
    }

    static Reply awaitAll(ClientSession &s, const QString &method, const QString &key)
    {
        std::optional<Reply> got;
        s.listAll(method, key, [&](const Reply &r) { got = r; });
        const QDeadlineTimer deadline(25000);
        while (!got && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        return got.value_or(
            Reply{nullptr, makeError(Error::Category::Timeout, method, QStringLiteral("test timeout"))});
    }

    static QString text(const Json &result)
    {
        QString all;
        for (const auto &c : result.value("content", Json::array()))
            all += stringOr(c, "text");
        return all;
    }

    // Arguments for a tool from its schema: required properties get their default, first enum value or a
    // sample.
    static Json sampleArguments(const Json &schema)
    {
        Json args = Json::object();
        const Json properties = schema.value("properties", Json::object());
        for (const auto &name : schema.value("required", Json::array())) {
            const Json p = properties.value(name.get<std::string>(), Json::object());
            const std::string type = p.value("type", "string");
            if (p.contains("default"))
                args[name.get<std::string>()] = p["default"];
            else if (p.contains("enum"))
                args[name.get<std::string>()] = p["enum"][0];
            else if (type == "number" || type == "integer")
                args[name.get<std::string>()] = 2;
            else if (type == "boolean")
                args[name.get<std::string>()] = true;
            else
                args[name.get<std::string>()] =
                    p.value("format", "") == "uri" ? "https://example.com/" : "test";
        }
        return args;
    }

private Q_SLOTS:
    void initTestCase()
    {
        MCPWB_REQUIRE_PEERS();
        const QString script =
            testsupport::peerPackageDir(QStringLiteral("@modelcontextprotocol/server-everything")) +
            QStringLiteral("/dist/index.js");
        m_httpPort = testsupport::freeLoopbackPort();
        QVERIFY(m_http.start(script, {QStringLiteral("streamableHttp")},
                             {QStringLiteral("PORT=%1").arg(m_httpPort)}, m_httpPort));
        m_ssePort = testsupport::freeLoopbackPort();
        QVERIFY(m_sse.start(script, {QStringLiteral("sse")}, {QStringLiteral("PORT=%1").arg(m_ssePort)},
                            m_ssePort));
    }

    void everything_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("server-everything over stdio") << QStringLiteral("stdio");
        QTest::newRow("server-everything over streamable HTTP") << QStringLiteral("http");
        QTest::newRow("server-everything over legacy HTTP+SSE") << QStringLiteral("sse");
    }

    void everything()
    {
        QFETCH(QString, kind);
        QTemporaryDir dir;
        const QString tracePath = dir.filePath(QStringLiteral("trace.jsonl"));
        auto c = connect(kind, tracePath);
        ClientSession &s = *c->session;
        QSignalSpy ready(&s, &ClientSession::ready);
        s.start();
        QVERIFY2(ready.wait(20000), qPrintable(s.lastError().toString()));
        QVERIFY(protocol::isSupported(s.protocolVersion()));
        QCOMPARE(stringOr(s.serverInfo(), "name"), QStringLiteral("mcp-servers/everything"));
        QCOMPARE(s.transport()->kind(), kind);

        QVERIFY(await(s, QStringLiteral("ping"), Json::object()).ok());

        // Every tool it lists, with arguments from its schema (and a few chosen to show the answer is right).
        const Reply tools = awaitAll(s, QStringLiteral("tools/list"), QStringLiteral("tools"));
        QVERIFY2(tools.ok(), qPrintable(tools.error.toString()));
        QVERIFY(tools.result["tools"].size() >=
                15); // sampling, elicitation and roots tools appear: we declared them
        QSignalSpy progress(&s, &ClientSession::progress);
        for (const auto &tool : tools.result["tools"]) {
            const QString name = stringOr(tool, "name");
            Json args = sampleArguments(tool.value("inputSchema", Json::object()));
            RequestOptions options;
            if (name == QStringLiteral("gzip-file-as-resource")) // no network here: compress a data: URI
                args = {{"name", "hello.gz"},
                        {"data", "data:text/plain;base64,aGVsbG8="},
                        {"outputType", "resource"}};
            else if (name == QStringLiteral("trigger-long-running-operation")) {
                args = {{"duration", 1}, {"steps", 4}};
                options.reportProgress = true;
            } else if (name == QStringLiteral("get-sum"))
                args = {{"a", 2}, {"b", 3}};
            else if (name == QStringLiteral("echo"))
                args = {{"message", "héllo"}};
            const Reply r =
                await(s, QStringLiteral("tools/call"), {{"name", toStd(name)}, {"arguments", args}}, options);
            QVERIFY2(r.ok(), qPrintable(name + QStringLiteral(": ") + r.error.toString()));
            if (name == QStringLiteral("get-sum"))
                QVERIFY2(text(r.result).contains(QStringLiteral("5")), qPrintable(text(r.result)));
            else if (name == QStringLiteral("echo"))
                QCOMPARE(text(r.result), QStringLiteral("Echo: héllo"));
            else if (name == QStringLiteral("trigger-sampling-request"))
                QVERIFY2(text(r.result).contains(QStringLiteral("sampled by mcpwb")),
                         qPrintable(text(r.result)));
            else if (name == QStringLiteral("trigger-elicitation-request"))
                QVERIFY2(text(r.result).contains(QStringLiteral("blue")), qPrintable(text(r.result)));
            else if (name == QStringLiteral("get-roots-list"))
                QVERIFY2(text(r.result).contains(QStringLiteral("file:///tmp/mcpwb-root")),
                         qPrintable(text(r.result)));
            else if (name == QStringLiteral("get-tiny-image")) {
                bool image = false;
                for (const auto &block : r.result["content"])
                    image = image || (block.value("type", "") == "image" && !block.value("data", "").empty());
                QVERIFY(image);
            } else if (name == QStringLiteral("trigger-long-running-operation"))
                QVERIFY(progress.count() >= 3);
            if (name.startsWith(QStringLiteral("toggle-"))) // switch it back off for what follows
                QVERIFY(await(s, QStringLiteral("tools/call"), {{"name", toStd(name)}, {"arguments", args}})
                            .ok());
        }

        // Every resource it lists (all pages), and a template expanded.
        const Reply resources = awaitAll(s, QStringLiteral("resources/list"), QStringLiteral("resources"));
        QVERIFY2(resources.ok(), qPrintable(resources.error.toString()));
        QVERIFY(resources.result["resources"].size() > 0);
        for (const auto &resource : resources.result["resources"]) {
            const Reply read = await(s, QStringLiteral("resources/read"), {{"uri", resource["uri"]}});
            QVERIFY2(read.ok(),
                     qPrintable(stringOr(resource, "uri") + QStringLiteral(": ") + read.error.toString()));
            QVERIFY(!read.result["contents"].empty());
        }
        const Reply templates =
            awaitAll(s, QStringLiteral("resources/templates/list"), QStringLiteral("resourceTemplates"));
        QVERIFY2(templates.ok(), qPrintable(templates.error.toString()));
        QVERIFY(templates.result["resourceTemplates"].size() > 0);
        for (const auto &t : templates.result["resourceTemplates"]) {
            QString uri = stringOr(t, "uriTemplate");
            uri.replace(QRegularExpression(QStringLiteral("\\{[^}]*\\}")), QStringLiteral("1"));
            const Reply read = await(s, QStringLiteral("resources/read"), {{"uri", toStd(uri)}});
            QVERIFY2(read.ok(), qPrintable(uri + QStringLiteral(": ") + read.error.toString()));
        }

        // Every prompt, with its arguments filled.
        const Reply prompts = awaitAll(s, QStringLiteral("prompts/list"), QStringLiteral("prompts"));
        QVERIFY2(prompts.ok(), qPrintable(prompts.error.toString()));
        for (const auto &prompt : prompts.result["prompts"]) {
            Json args = Json::object();
            for (const auto &a : prompt.value("arguments", Json::array()))
                args[a["name"].get<std::string>()] = a["name"] == "resourceId"     ? "1"
                                                     : a["name"] == "resourceType" ? "Text"
                                                                                   : "Chicago";
            const Reply got =
                await(s, QStringLiteral("prompts/get"), {{"name", prompt["name"]}, {"arguments", args}});
            QVERIFY2(got.ok(),
                     qPrintable(stringOr(prompt, "name") + QStringLiteral(": ") + got.error.toString()));
            QVERIFY(!got.result["messages"].empty());
        }

        // Completion of a prompt argument.
        const Reply completion = await(s, QStringLiteral("completion/complete"),
                                       {{"ref", {{"type", "ref/prompt"}, {"name", "args-prompt"}}},
                                        {"argument", {{"name", "city"}, {"value", "Ch"}}}});
        QVERIFY2(completion.ok(), qPrintable(completion.error.toString()));

        // Cancellation: the long operation stops on our side at once and the server keeps serving.
        RequestOptions longRunning;
        longRunning.reportProgress = true;
        std::optional<Reply> cancelled;
        const qint64 id = s.request(
            QStringLiteral("tools/call"),
            {{"name", "trigger-long-running-operation"}, {"arguments", {{"duration", 30}, {"steps", 30}}}},
            [&](const Reply &r) { cancelled = r; }, longRunning);
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 1, 10000);
        s.cancel(id, QStringLiteral("test cancels"));
        QVERIFY(cancelled && cancelled->error.category == Error::Category::Cancelled);
        QVERIFY(await(s, QStringLiteral("ping"), Json::object()).ok());

        // Subscriptions: the server sends resources/updated for a subscribed resource.
        QSignalSpy notes(&s, &ClientSession::notificationReceived);
        const std::string uri = resources.result["resources"][0]["uri"];
        QVERIFY(await(s, QStringLiteral("resources/subscribe"), {{"uri", uri}}).ok());
        QVERIFY(await(s, QStringLiteral("tools/call"),
                      {{"name", "toggle-subscriber-updates"}, {"arguments", Json::object()}})
                    .ok());
        auto sawUpdate = [&] {
            for (const auto &n : notes)
                if (n.at(0).toString() == QStringLiteral("notifications/resources/updated"))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sawUpdate(), 15000);
        QVERIFY(await(s, QStringLiteral("tools/call"),
                      {{"name", "toggle-subscriber-updates"}, {"arguments", Json::object()}})
                    .ok());
        QVERIFY(await(s, QStringLiteral("resources/unsubscribe"), {{"uri", uri}}).ok());

        QSignalSpy closed(&s, &ClientSession::stateChanged);
        s.close();
        QTRY_VERIFY_WITH_TIMEOUT(
            s.state() == ClientSession::State::Closed || s.state() == ClientSession::State::Failed, 10000);
        c->trace->close();

        // Every frame we sent validates against the schema of the negotiated version.
        if (!QFileInfo::exists(testsupport::sharedDir() + QStringLiteral("/mcp-schema"))) {
            qInfo("../shared is absent: schema validation of the trace skipped");
            return;
        }
        QProcess validator;
        validator.setProcessChannelMode(QProcess::MergedChannels);
        testsupport::endWithTest(validator);
        validator.start(testsupport::nodeBinary(),
                        {testsupport::peersDir() + QStringLiteral("/validate-trace.mjs"),
                         QStringLiteral("--schema-dir"),
                         testsupport::sharedDir() + QStringLiteral("/mcp-schema"),
                         QStringLiteral("--version"), QStringLiteral("auto"), tracePath});
        QVERIFY(validator.waitForFinished(60000));
        const QString out = QString::fromUtf8(validator.readAll());
        QVERIFY2(validator.exitCode() == 0, qPrintable(out));
        QVERIFY(out.contains(QStringLiteral(" 0 invalid")));
    }
};

QTEST_GUILESS_MAIN(TestEverything)
#include "tst_everything.moc"
